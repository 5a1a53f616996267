//! Writing an export over a user's file: whole or not at all, and keeping what the user set on
//! the file.
//!
//! The new text goes to a temporary file beside the target, is synced, and is renamed over
//! it, so a reader (LaTeX, a kill -9, a full disk) never sees half a file. On top of that:
//! - a symbolic link is followed: the file it points to is replaced and the link stays;
//! - the replaced file's permissions (and owner, where allowed) carry over to the new one; a
//!   new file gets the default permissions (0666 less the umask), not a temporary file's 0600;
//! - a file with other hard links is rewritten in place once the new text is complete on disk,
//!   since a rename would cut it off from its other names;
//! - the temporary file is named `.<name>.topica-tmp-<pid>-<n>`, and one left behind by a
//!   process that no longer runs (killed mid-write) is removed by the next export there.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::{Error, Result};

/// Links followed before giving up (the kernel's own limit is 40).
const MAX_LINKS: usize = 40;

/// Writes `bytes` to `path` (see the module doc). An existing file is replaced only when
/// `overwrite` is set.
pub(crate) fn write(path: &Path, bytes: &[u8], overwrite: bool) -> Result<()> {
    let target = follow_links(path)?;
    let existing = match std::fs::metadata(&target) {
        Ok(m) if m.is_dir() => {
            return Err(Error::file(
                path,
                "this is a folder; choose a file name to export to",
            ))
        }
        Ok(m) => Some(m),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::file(path, e)),
    };
    if existing.is_some() && !overwrite {
        return Err(Error::file(
            path,
            "the file exists; pass --force to replace it",
        ));
    }
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .ok_or_else(|| Error::file(path, "not a file name"))?
        .to_string_lossy()
        .into_owned();
    remove_stale_temporaries(&dir, &name);
    let tmp = dir.join(format!(
        ".{name}{TMP_INFIX}{}-{}",
        std::process::id(),
        NEXT_TMP.fetch_add(1, Ordering::Relaxed)
    ));
    let result = write_temporary(&tmp, bytes, existing.as_ref())
        .map_err(|e| Error::file(&dir, format!("cannot write a new file in this folder: {e}")))
        .and_then(|()| {
            if existing.as_ref().is_some_and(has_other_links) {
                rewrite_in_place(&target, bytes).map_err(|e| Error::file(path, e))
            } else if overwrite {
                std::fs::rename(&tmp, &target).map_err(|e| Error::file(path, e))
            } else {
                // A hard link fails if a file appeared since the check above: never clobbered.
                std::fs::hard_link(&tmp, &target).map_err(|e| match e.kind() {
                    std::io::ErrorKind::AlreadyExists => {
                        Error::file(path, "the file exists; pass --force to replace it")
                    }
                    _ => Error::file(path, e),
                })
            }
        });
    let _ = std::fs::remove_file(&tmp);
    result?;
    sync_dir(&dir);
    Ok(())
}

const TMP_INFIX: &str = ".topica-tmp-";
static NEXT_TMP: AtomicU64 = AtomicU64::new(0);

/// `path` with every symbolic link resolved (relative links against their own folder).
fn follow_links(path: &Path) -> Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = std::fs::read_link(&p).map_err(|e| Error::file(&p, e))?;
                p = match p.parent() {
                    Some(dir) if to.is_relative() => dir.join(to),
                    _ => to,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(Error::file(
        path,
        format!("more than {MAX_LINKS} symbolic links in a row"),
    ))
}

/// Creates `tmp` with the new text, synced, with the replaced file's permissions and owner.
fn write_temporary(
    tmp: &Path,
    bytes: &[u8],
    existing: Option<&std::fs::Metadata>,
) -> std::io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o666); // less the umask, as any new file
    }
    // Closed before the rename (Windows cannot rename an open file); the caller removes `tmp`
    // whatever happens.
    let mut file = options.open(tmp)?;
    file.write_all(bytes)?;
    if let Some(m) = existing {
        file.set_permissions(m.permissions())?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            // Only root may give a file away; anyone else keeps their own file anyway.
            let _ = std::os::unix::fs::fchown(&file, Some(m.uid()), Some(m.gid()));
        }
    }
    file.sync_all()
}

#[cfg(unix)]
fn has_other_links(m: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    m.nlink() > 1
}

#[cfg(not(unix))]
fn has_other_links(_: &std::fs::Metadata) -> bool {
    false
}

fn rewrite_in_place(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = OpenOptions::new().write(true).truncate(true).open(target)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Removes `.<name>.topica-tmp-<pid>-<n>` files of processes that no longer run.
fn remove_stale_temporaries(dir: &Path, name: &str) {
    let prefix = format!(".{name}{TMP_INFIX}");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|f| f.strip_prefix(&prefix)) else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if !process_runs(pid) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(target_os = "linux")]
fn process_runs(pid: u32) -> bool {
    pid == std::process::id() || Path::new("/proc").join(pid.to_string()).exists()
}

/// Without /proc, only this process's own leftovers are known to be dead.
#[cfg(not(target_os = "linux"))]
fn process_runs(pid: u32) -> bool {
    pid != std::process::id()
}

/// Makes the rename durable (best effort: not every platform can sync a folder).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    #[test]
    fn a_new_file_gets_default_permissions_and_an_old_one_keeps_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("refs.bib");
        write(&path, b"one", false).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_ne!(mode, 0o600, "not a temporary file's mode");
        assert_eq!(mode & 0o444, 0o444 & mode, "readable as any new file");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write(&path, b"two", true).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }

    #[test]
    fn a_symlink_stays_a_link_and_its_target_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("shared").join("refs.bib");
        std::fs::create_dir(real.parent().unwrap()).unwrap();
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("paper.bib");
        std::os::unix::fs::symlink("shared/refs.bib", &link).unwrap();
        write(&link, b"new", true).unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        let err = write(&link, b"x", false).unwrap_err().to_string();
        assert!(
            err.contains("--force") && err.contains("paper.bib"),
            "{err}"
        );
    }

    #[test]
    fn a_hard_linked_file_is_rewritten_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.bib");
        let b = dir.path().join("b.bib");
        std::fs::write(&a, "old").unwrap();
        std::fs::hard_link(&a, &b).unwrap();
        write(&a, b"new", true).unwrap();
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "new");
        assert_eq!(
            std::fs::metadata(&a).unwrap().ino(),
            std::fs::metadata(&b).unwrap().ino()
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            2,
            "no temporary left"
        );
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn a_dead_processs_temporary_is_swept_and_a_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        // pid 0 is never a process /proc lists; our own pid is alive.
        let dead = dir.path().join(".refs.bib.topica-tmp-0-7");
        let ours = dir
            .path()
            .join(format!(".refs.bib.topica-tmp-{}-999", std::process::id()));
        let other = dir.path().join(".notes.txt.topica-tmp-0-1");
        for f in [&dead, &ours, &other] {
            std::fs::write(f, "half").unwrap();
        }
        write(&dir.path().join("refs.bib"), b"whole", false).unwrap();
        assert!(!dead.exists());
        assert!(ours.exists(), "a running process's file is left alone");
        assert!(
            other.exists(),
            "another file's temporaries are not ours to judge"
        );
    }

    #[test]
    fn folders_and_unwritable_folders_are_named_in_errors() {
        let dir = tempfile::tempdir().unwrap();
        let err = write(dir.path(), b"x", true).unwrap_err().to_string();
        assert!(err.contains("is a folder"), "{err}");
        if nix_is_root() {
            return; // root writes anywhere: the read-only case cannot be made
        }
        let ro = dir.path().join("ro");
        std::fs::create_dir(&ro).unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
        let err = write(&ro.join("refs.bib"), b"x", false)
            .unwrap_err()
            .to_string();
        assert!(err.contains("/ro") && !err.contains("topica-tmp"), "{err}");
    }

    fn nix_is_root() -> bool {
        std::fs::metadata("/proc/self")
            .map(|m| m.uid() == 0)
            .unwrap_or(false)
    }
}
