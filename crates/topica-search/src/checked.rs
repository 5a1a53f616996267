//! Which files of the index have had their checksums verified. A segment's files never change
//! once written, so each is read through and checked once, at the first open that finds it, not
//! at every open: checking every file of a 1M-paper index took 0.7 s of each start, warm. A file
//! is known by its name, length and modification time, so one truncated or overwritten since its
//! check is checked again.

use std::collections::HashSet;
use std::path::Path;

use tantivy::Index;

/// The files checked so far, one per line ("name length mtime-in-ns"), in the index folder
/// (tantivy leaves files it does not manage alone).
const CHECKED: &str = "topica-checked-files";

/// Whether every file of the index's current segments holds its checksum; a file that does not
/// (truncated or overwritten) means the index must be rebuilt. Files checked at an earlier open
/// and unchanged since are not read again.
pub(crate) fn segments_sound(index: &Index, dir: &Path) -> bool {
    let Ok(metas) = index.load_metas() else {
        return false;
    };
    let list = dir.join(CHECKED);
    let before = std::fs::read_to_string(&list).unwrap_or_default();
    let checked: HashSet<&str> = before.lines().collect();
    // As `Index::validate_checksum`: the segments' files the directory manages (a missing one
    // is caught when the reader opens the segments).
    let managed = index.directory().list_managed_files();
    let mut sound = Vec::new();
    for path in metas.list_segment_files() {
        if !managed.contains(&path) {
            continue;
        }
        let Some(line) = signature(&dir.join(&path)) else {
            return false;
        };
        if !checked.contains(line.as_str())
            && !index.directory().validate_checksum(&path).unwrap_or(false)
        {
            return false;
        }
        sound.push(line);
    }
    sound.sort();
    let now = sound.join("\n");
    if now != before {
        // Best effort: a list that cannot be written means checking again next time.
        let _ = std::fs::write(&list, now);
    }
    true
}

/// "name length mtime-in-ns" of the file at `path`.
fn signature(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_nanos();
    let name = path.file_name()?.to_string_lossy();
    Some(format!("{name} {} {modified}", meta.len()))
}
