//! What a library folder holds, and which part of it Topica owns.
//!
//! ```text
//! <library>/
//!   library.sqlite          the database: the user's data
//!   .topica/                derived data only, marked by `.topica/TOPICA-DERIVED`
//!     index/                the tantivy search index
//! ```
//!
//! Topica deletes files only inside a `.topica/` that carries its marker, and opens a folder
//! only when it is a library already or empty: pointing it at a Documents folder that happens
//! to hold an `index/` folder must never delete that folder (it once did).

use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// File name of the database inside a library directory.
pub const DATABASE_FILE: &str = "library.sqlite";
/// Folder of derived data (the search index) inside a library directory.
pub const DERIVED_DIR: &str = ".topica";
/// Folder of the search index inside a library directory.
pub const INDEX_DIR: &str = ".topica/index";

/// The file whose presence says Topica made `.topica/` and may delete inside it.
const MARKER: &str = "TOPICA-DERIVED";
const MARKER_TEXT: &str =
    "This folder holds data Topica derives from library.sqlite (the search index).\n\
Topica may delete and rebuild anything in it; deleting it loses nothing.\n";

/// Files a desktop leaves in any folder; they do not make a folder "not empty".
const DESKTOP_LITTER: &[&str] = &[".DS_Store", "Thumbs.db", "desktop.ini"];

/// Makes `dir` ready to open as a library: creates it (or its `.topica/`) when new, refuses a
/// folder that holds other things and no library, and returns the index folder, which Topica
/// owns. Removes the search index of the old layout (`index/` beside the database) only when
/// every file in it is one tantivy wrote.
pub(crate) fn prepare(dir: &Path) -> Result<PathBuf> {
    if !dir.exists() {
        std::fs::create_dir_all(dir).map_err(|e| Error::file(dir, e))?;
    } else if !dir.is_dir() {
        return Err(Error::file(
            dir,
            "this is a file, not a folder; a library is a folder",
        ));
    }
    let derived = dir.join(DERIVED_DIR);
    if !dir.join(DATABASE_FILE).exists() {
        if let Some(other) = foreign_entry(dir, &derived)? {
            return Err(Error::file(
                dir,
                format!(
                    "this folder is not a Topica library (it has no {DATABASE_FILE}) and is not \
                     empty (it holds {other:?}); choose an empty folder or a library folder"
                ),
            ));
        }
    }
    if derived.exists() {
        if !derived.join(MARKER).is_file() {
            return Err(Error::file(
                &derived,
                format!("this folder was not made by Topica (it has no {MARKER} file); move it away so Topica can keep its search index there"),
            ));
        }
    } else {
        std::fs::create_dir_all(&derived).map_err(|e| Error::file(&derived, e))?;
        std::fs::write(derived.join(MARKER), MARKER_TEXT).map_err(|e| Error::file(&derived, e))?;
    }
    let index = dir.join(INDEX_DIR);
    if index.exists() && !index.is_dir() {
        // Something not a folder where the index goes, inside our own marked folder: derived
        // space, so it is cleared and the index rebuilt (#21 finding 11: this failed with a bare
        // "Not a directory").
        std::fs::remove_file(&index).map_err(|e| Error::file(&index, e))?;
    }
    let legacy = dir.join("index");
    if is_tantivy_index(&legacy) {
        // Derived data of the old layout: rebuilt under .topica/, so the old copy only takes room.
        std::fs::remove_dir_all(&legacy).map_err(|e| Error::file(&legacy, e))?;
    }
    Ok(dir.join(INDEX_DIR))
}

/// The first entry of `dir` that is neither our derived folder nor desktop litter.
fn foreign_entry(dir: &Path, derived: &Path) -> Result<Option<String>> {
    for entry in std::fs::read_dir(dir).map_err(|e| Error::file(dir, e))? {
        let entry = entry.map_err(|e| Error::file(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if DESKTOP_LITTER.contains(&name.as_str()) {
            continue;
        }
        if entry.path() == derived && derived.join(MARKER).is_file() {
            continue;
        }
        return Ok(Some(name));
    }
    Ok(None)
}

/// Whether `dir` holds a tantivy index and nothing else: every file is listed in tantivy's
/// `.managed.json` or is one of its own meta and lock files, and there are no sub-folders.
fn is_tantivy_index(dir: &Path) -> bool {
    let Ok(managed) = std::fs::read_to_string(dir.join(".managed.json")) else {
        return false;
    };
    let Ok(listed) = serde_json::from_str::<Vec<String>>(&managed) else {
        return false;
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    for entry in entries {
        let Ok(entry) = entry else { return false };
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            return false;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let tantivys_own = matches!(
            name.as_str(),
            ".managed.json" | "meta.json" | ".tantivy-meta.lock" | ".tantivy-writer.lock"
        );
        if !tantivys_own && !listed.contains(&name) {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_where_the_index_goes_is_cleared_from_our_own_folder() {
        let dir = tempfile::tempdir().unwrap();
        let index = prepare(dir.path()).unwrap();
        std::fs::write(dir.path().join(DATABASE_FILE), b"").unwrap();
        std::fs::write(&index, b"not an index").unwrap();
        assert_eq!(prepare(dir.path()).unwrap(), index);
        assert!(
            !index.exists(),
            "the stray file is gone; the index is rebuilt there"
        );
    }

    #[test]
    fn a_folder_with_someone_elses_index_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let theirs = dir.path().join("index");
        std::fs::create_dir(&theirs).unwrap();
        std::fs::write(theirs.join("chapter1.tex"), "my thesis").unwrap();
        let err = prepare(dir.path()).unwrap_err().to_string();
        assert!(err.contains("not a Topica library"), "{err}");
        assert!(err.contains("\"index\""), "{err}");
        assert_eq!(
            std::fs::read_to_string(theirs.join("chapter1.tex")).unwrap(),
            "my thesis"
        );
        assert!(!dir.path().join(DERIVED_DIR).exists());
    }

    #[test]
    fn an_index_folder_beside_a_database_is_removed_only_when_tantivy_wrote_all_of_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(DATABASE_FILE), b"").unwrap();
        let old = dir.path().join("index");
        std::fs::create_dir(&old).unwrap();
        std::fs::write(old.join(".managed.json"), r#"["a.idx","meta.json"]"#).unwrap();
        std::fs::write(old.join("meta.json"), "{}").unwrap();
        std::fs::write(old.join("a.idx"), "x").unwrap();
        std::fs::write(old.join("notes.txt"), "mine").unwrap();
        prepare(dir.path()).unwrap();
        assert!(
            old.join("notes.txt").exists(),
            "a file tantivy did not list is kept"
        );
        std::fs::remove_file(old.join("notes.txt")).unwrap();
        prepare(dir.path()).unwrap();
        assert!(
            !old.exists(),
            "the old layout's index goes once it is all tantivy's"
        );
    }

    #[test]
    fn a_dot_topica_folder_without_our_marker_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(DATABASE_FILE), b"").unwrap();
        std::fs::create_dir(dir.path().join(DERIVED_DIR)).unwrap();
        let err = prepare(dir.path()).unwrap_err().to_string();
        assert!(err.contains("not made by Topica"), "{err}");
    }

    #[test]
    fn an_empty_or_new_folder_becomes_a_library() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".DS_Store"), b"").unwrap();
        let index = prepare(dir.path()).unwrap();
        assert_eq!(index, dir.path().join(INDEX_DIR));
        assert!(dir.path().join(DERIVED_DIR).join(MARKER).is_file());
        let new = dir.path().join("a/b");
        prepare(&new).unwrap();
        assert!(new.join(DERIVED_DIR).join(MARKER).is_file());
        // Opened again (no database written yet): still ours, still accepted.
        prepare(&new).unwrap();
    }

    #[test]
    fn a_file_is_not_a_library_folder() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("refs.bib");
        std::fs::write(&file, "@misc{a,}").unwrap();
        let err = prepare(&file).unwrap_err().to_string();
        assert!(err.contains("not a folder"), "{err}");
    }
}
