//! Copies of the whole database, taken while it is open (SQLite's online backup API), and a
//! library put back from one.
//!
//! A copy is consistent (one read transaction), written to a temporary name and renamed, so a
//! backup file is either whole or absent. A restore first checks that the copy is a sound
//! Topica database this build can open: restoring the wrong file would replace every paper.

use std::path::Path;

use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags};

use crate::{Error, Result};

/// Writes a consistent copy of `conn`'s database to `dest` (replaced atomically if present).
pub fn backup_to(conn: &Connection, dest: &Path) -> Result<()> {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "backup".into());
    let tmp = dest.with_file_name(format!(".{name}.partial"));
    let written = (|| -> Result<()> {
        let mut copy = Connection::open(&tmp)?;
        {
            let backup = Backup::new(conn, &mut copy)?;
            // All pages in one step: one read transaction, so the copy is one moment's state
            // even while another process writes.
            all_at_once(&backup)?;
        }
        // The copy is a file to keep or carry: one file, no -wal beside it.
        copy.pragma_update(None, "journal_mode", "DELETE")?;
        copy.close().map_err(|(_, e)| e)?;
        Ok(())
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(match e {
            Error::Sql(e) => Error::file(dest, format!("cannot write the backup: {e}")),
            other => other,
        });
    }
    std::fs::rename(&tmp, dest).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::file(dest, format!("cannot write the backup: {e}"))
    })
}

/// Copies every page in one step (`-1`); a database another connection holds locked is
/// `Busy` rather than half copied.
fn all_at_once(backup: &Backup<'_, '_>) -> Result<()> {
    match backup.step(-1)? {
        rusqlite::backup::StepResult::Done => Ok(()),
        other => Err(Error::Invalid(format!(
            "the database is in use ({other:?}); try again in a moment"
        ))),
    }
}

/// Checks that `src` is a sound Topica database this build can open, without changing it.
/// Returns its schema version.
pub fn check_backup(src: &Path) -> Result<usize> {
    if !src.is_file() {
        return Err(Error::file(src, "no such file"));
    }
    let conn = Connection::open_with_flags(src, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| Error::file(src, format!("cannot open it: {e}")))?;
    let version: i64 = conn
        .query_row("SELECT version FROM schema_version", [], |r| r.get(0))
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => Error::file(
                src,
                "this is not a database; a backup is a .sqlite file Topica wrote",
            ),
            _ => Error::file(
                src,
                "this is not a Topica library (it has no schema version)",
            ),
        })?;
    let version = usize::try_from(version).unwrap_or(usize::MAX);
    if version > crate::SCHEMA_VERSION {
        return Err(Error::file(
            src,
            format!(
                "written by a newer Topica (schema {version}, this build knows {})",
                crate::SCHEMA_VERSION
            ),
        ));
    }
    let problems: Vec<String> = crate::integrity_check(&conn)
        .map_err(|e| Error::file(src, format!("cannot read it: {e}")))?
        .into_iter()
        .filter(|p| p != "ok")
        .collect();
    if let Some(first) = problems.first() {
        return Err(Error::file(src, format!("the file is damaged: {first}")));
    }
    Ok(version)
}

/// Replaces `conn`'s database with the copy at `src` (checked first with [`check_backup`]),
/// then brings its schema up to this build's.
pub fn restore_from(conn: &mut Connection, src: &Path) -> Result<()> {
    check_backup(src)?;
    let from = Connection::open_with_flags(src, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| Error::file(src, format!("cannot open it: {e}")))?;
    {
        let restore = Backup::new(&from, conn)?;
        all_at_once(&restore)?;
    }
    crate::migrate(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library(dir: &Path, name: &str, titles: &[&str]) -> Connection {
        let conn = crate::open(&dir.join(name)).unwrap();
        for t in titles {
            conn.execute(
                "INSERT INTO papers(title, date_added) VALUES (?1, '2026-01-01T00:00:00Z')",
                [t],
            )
            .unwrap();
        }
        conn
    }

    fn titles(conn: &Connection) -> Vec<String> {
        conn.prepare("SELECT title FROM papers ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    #[test]
    fn a_backup_restores_what_was_there_when_it_was_taken() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = library(dir.path(), "library.sqlite", &["First", "Second"]);
        let copy = dir.path().join("copy.sqlite");
        backup_to(&conn, &copy).unwrap();
        assert!(!dir.path().join(".copy.sqlite.partial").exists());
        assert!(
            !dir.path().join("copy.sqlite-wal").exists(),
            "a backup is one file"
        );
        conn.execute("DELETE FROM papers WHERE title = 'First'", [])
            .unwrap();
        conn.execute(
            "INSERT INTO papers(title, date_added) VALUES ('Third', '2026-01-02T00:00:00Z')",
            [],
        )
        .unwrap();
        assert_eq!(check_backup(&copy).unwrap(), crate::SCHEMA_VERSION);
        restore_from(&mut conn, &copy).unwrap();
        assert_eq!(titles(&conn), ["First", "Second"]);
    }

    #[test]
    fn a_file_that_is_not_a_sound_topica_library_is_refused_and_nothing_changes() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = library(dir.path(), "library.sqlite", &["Mine"]);
        let theirs = dir.path().join("theirs.sqlite");
        Connection::open(&theirs)
            .unwrap()
            .execute_batch("CREATE TABLE items(x)")
            .unwrap();
        let text = dir.path().join("notes.txt");
        std::fs::write(&text, "not a database at all, just some words").unwrap();
        let missing = dir.path().join("missing.sqlite");
        for (src, says) in [
            (&theirs, "not a Topica library"),
            (&text, "not a database"),
            (&missing, "no such file"),
        ] {
            let err = restore_from(&mut conn, src).unwrap_err().to_string();
            assert!(err.contains(says), "{err}");
            assert!(err.contains(&src.display().to_string()), "{err}");
        }
        assert!(!missing.exists(), "checking a path never creates it");
        assert_eq!(titles(&conn), ["Mine"]);
    }

    #[test]
    fn a_backup_from_a_newer_topica_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = library(dir.path(), "library.sqlite", &["Mine"]);
        let newer = dir.path().join("newer.sqlite");
        let other = library(dir.path(), "newer.sqlite", &["Future"]);
        other
            .execute("UPDATE schema_version SET version = version + 1", [])
            .unwrap();
        drop(other);
        let err = restore_from(&mut conn, &newer).unwrap_err().to_string();
        assert!(err.contains("newer Topica"), "{err}");
        assert_eq!(titles(&conn), ["Mine"]);
    }
}
