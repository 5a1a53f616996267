//! A note, beside the index's lock, of which process holds the writer: tantivy's lock says only
//! that someone does, and a user told "the library is busy" wants to know which program to
//! close. Written when this process takes the writer, removed when it lets go; a note left by a
//! process that died (killed, crashed) is recognised as stale and not shown.

use std::path::Path;

/// The note's file name in the index directory.
pub(crate) const FILE: &str = "writer-holder";

/// Notes this process as the writer's holder: `PID program`. Best effort: the note only improves
/// a message, so failing to write it changes nothing else.
pub(crate) fn write(file: &Path) {
    let program = std::env::current_exe()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "topica".into());
    let _ = std::fs::write(file, format!("{} {program}", std::process::id()));
}

/// Removes this process's note (another process's is left alone).
pub(crate) fn clear(file: &Path) {
    if let Ok(text) = std::fs::read_to_string(file) {
        if pid_of(&text) == Some(std::process::id()) {
            let _ = std::fs::remove_file(file);
        }
    }
}

/// "PID 1234, topica-cli" for the holder's message, when the note names a live process.
pub(crate) fn read(file: &Path) -> Option<String> {
    let text = std::fs::read_to_string(file).ok()?;
    let pid = pid_of(&text)?;
    if !alive(pid) {
        return None;
    }
    let program = text.split_once(' ').map_or("", |(_, p)| p.trim());
    Some(if program.is_empty() {
        format!("PID {pid}")
    } else {
        format!("PID {pid}, {program}")
    })
}

fn pid_of(text: &str) -> Option<u32> {
    text.split_whitespace().next()?.parse().ok()
}

/// Whether process `pid` runs. Where that cannot be asked cheaply, it is assumed to.
fn alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_names_a_live_holder_and_a_dead_one_is_not_shown() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(FILE);
        assert_eq!(read(&file), None, "no note, no holder");
        write(&file);
        let shown = read(&file).unwrap();
        assert!(
            shown.starts_with(&format!("PID {}, ", std::process::id())),
            "{shown}"
        );
        // PIDs above the kernel's pid_max (4194304) never run.
        std::fs::write(&file, "4194999 topica-cli").unwrap();
        assert_eq!(read(&file), None, "a dead holder's note is stale");
        clear(&file);
        assert!(file.exists(), "another process's note is left alone");
        write(&file);
        clear(&file);
        assert!(!file.exists());
    }
}
