//! Names of stored files: `files/<citation key>.<ext>`, `-2`, `-3`… when a paper has several
//! files or the name is taken, and following the key when it changes.

use std::path::Path;

use crate::db::{files as file_store, papers, Connection};
use crate::{Library, Result};

/// The name a paper's stored files are given: its citation key made safe for every file
/// system, or `paper-<id>` without a key.
fn base_name(key: Option<&str>, paper: i64) -> String {
    let safe: String = key
        .unwrap_or_default()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let safe = safe.trim_matches('.');
    if safe.is_empty() {
        format!("paper-{paper}")
    } else {
        safe.chars().take(120).collect()
    }
}

fn extension(original: &str) -> String {
    Path::new(original)
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy().to_lowercase()))
        .filter(|e| e.len() <= 10 && e.chars().skip(1).all(|c| c.is_ascii_alphanumeric()))
        .unwrap_or_default()
}

/// A path under `files/` (relative to the library folder) for a new stored file of `paper`,
/// used by no stored file, no file on disk and none of `taken`.
pub(super) fn free_name(
    conn: &Connection,
    dir: &Path,
    key: Option<&str>,
    paper: i64,
    original: &str,
    taken: &[&str],
) -> Result<String> {
    let base = base_name(key, paper);
    let ext = extension(original);
    for n in 1.. {
        let candidate = if n == 1 {
            format!("{}/{base}{ext}", super::FILES_DIR)
        } else {
            format!("{}/{base}-{n}{ext}", super::FILES_DIR)
        };
        if !taken.contains(&candidate.as_str())
            && !file_store::stored_path_taken(conn, &candidate)?
            && !dir.join(&candidate).exists()
        {
            return Ok(candidate);
        }
    }
    unreachable!("some name is free")
}

/// Copies `from` to `to`, a path that must not exist yet: through a temporary file beside it,
/// so a half-copied file never carries the final name.
pub(super) fn copy_new(from: &Path, to: &Path) -> std::io::Result<()> {
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let partial = to.with_extension("partial");
    std::fs::copy(from, &partial)?;
    if to.exists() {
        let _ = std::fs::remove_file(&partial);
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{} exists", to.display()),
        ));
    }
    std::fs::rename(&partial, to).inspect_err(|_| {
        let _ = std::fs::remove_file(&partial);
    })
}

/// Whether `stem` is `base` or `base-<n>`: a name that already follows the key.
fn follows(stem: &str, base: &str) -> bool {
    stem == base
        || stem
            .strip_prefix(base)
            .and_then(|rest| rest.strip_prefix('-'))
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// Renames the stored files of `ids` whose names no longer follow their paper's key.
pub(super) fn follow_keys(lib: &Library, ids: &[i64]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let rows = file_store::all_of_papers(&lib.conn(), ids)?;
    for row in rows.into_iter().filter(|r| r.kind == "stored") {
        let key = papers::get(&lib.conn(), row.paper_id)?.and_then(|p| p.citation_key);
        let base = base_name(key.as_deref(), row.paper_id);
        let stem = Path::new(&row.path)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if follows(&stem, &base) {
            continue;
        }
        let from = lib.dir().join(&row.path);
        if !from.is_file() {
            continue; // missing: nothing to rename; relinking names it
        }
        let name = free_name(
            &lib.conn(),
            lib.dir(),
            key.as_deref(),
            row.paper_id,
            &row.path,
            &[],
        )?;
        let to = lib.dir().join(&name);
        if std::fs::rename(&from, &to).is_err() {
            continue;
        }
        if let Err(e) = file_store::set_path(&lib.conn(), row.id, "stored", &name) {
            // The database still names the old place: put the file back there.
            let _ = std::fs::rename(&to, &from);
            return Err(e.into());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_keys_safely() {
        assert_eq!(
            base_name(Some("vaswani2017attention"), 3),
            "vaswani2017attention"
        );
        assert_eq!(base_name(Some("a/b:c"), 3), "a_b_c");
        assert_eq!(base_name(None, 7), "paper-7");
        assert_eq!(base_name(Some(".."), 7), "paper-7");
        assert_eq!(extension("Paper.PDF"), ".pdf");
        assert_eq!(extension("notes"), "");
        assert!(follows("smith2020", "smith2020"));
        assert!(follows("smith2020-2", "smith2020"));
        assert!(!follows("smith2020a", "smith2020"));
        assert!(!follows("smith2020-", "smith2020"));
    }
}
