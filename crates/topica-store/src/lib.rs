//! `topica-store`: the library's SQLite database — opening it, migrations, and one query module
//! per table group. Every SQL statement of Topica is in this crate.
//!
//! The database is the library's source of truth. Nothing here knows about tantivy, files or
//! formats.

pub mod auto_exports;
pub mod backup;
pub mod csl_cache;
pub mod duplicates;
pub mod embeddings;
mod error;
pub mod files;
pub mod fts5_baseline;
pub mod keys;
pub mod list;
pub mod meta;
pub mod papers;
pub mod saved;
pub mod styles;
pub mod topics;
pub mod undo;
pub mod user;
pub mod zotero;

use std::path::Path;

pub use error::{Error, Result};
/// The types of the SQLite binding the engine holds and passes back in (a connection, a
/// transaction, their errors); its SQL stays here.
pub use rusqlite::{Connection, Error as SqlError, ErrorCode, Transaction};

/// Numbered migrations; a database at version N has run the first N.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_init.sql"),
    include_str!("../migrations/0002_topics.sql"),
    include_str!("../migrations/0003_export.sql"),
    include_str!("../migrations/0004_csl_cache.sql"),
    include_str!("../migrations/0005_list_indexes.sql"),
    include_str!("../migrations/0006_manage.sql"),
    include_str!("../migrations/0007_saved_searches.sql"),
    include_str!("../migrations/0008_organize.sql"),
    include_str!("../migrations/0009_auto_exports.sql"),
    include_str!("../migrations/0010_files.sql"),
    include_str!("../migrations/0011_styles.sql"),
    include_str!("../migrations/0012_embeddings.sql"),
    include_str!("../migrations/0013_central_members.sql"),
    include_str!("../migrations/0014_live_list_indexes.sql"),
    include_str!("../migrations/0015_glued_words.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

/// Opens (creating if needed) the database and brings its schema up to date.
pub fn open(path: &Path) -> Result<Connection> {
    let mut conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // The first read of the file tells whether it is SQLite at all, and whether it is ours:
    // migrating someone else's database would change a file the user owns.
    let theirs: bool = conn
        .query_row(
            "SELECT count(*) FILTER (WHERE name = 'schema_version') = 0 AND count(*) > 0 \
             FROM sqlite_master WHERE type = 'table'",
            [],
            |r| r.get(0),
        )
        .map_err(|e| Error::file(path, format!("cannot read this database: {e}")))?;
    if theirs {
        return Err(Error::file(
            path,
            "this SQLite database was not made by Topica; it was left as it was",
        ));
    }
    // WAL: readers never block the writer; `synchronous=NORMAL` is durable at each checkpoint
    // and never corrupts, which is the guarantee a kill -9 needs.
    //
    // While another process switches a new file to WAL, SQLite can answer "busy" at once
    // without waiting (the busy timeout does not cover that switch): the setup is tried again
    // for as long as the busy timeout would have waited.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        match setup(&mut conn) {
            Err(Error::Sql(e))
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other.map(|()| conn),
        }
    }
}

/// A read-only connection to a database [`open`] already brought up to date: for a long read
/// (a scan of every paper) beside the connection every command shares, which it would otherwise
/// hold for seconds at a million papers. WAL lets it read while others write.
pub fn open_reader(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}

fn setup(conn: &mut Connection) -> Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // SQLite's default 2 MB page cache holds little of a large library's b-trees. A bulk import
    // writes every index of `papers` at random places and spilled pages to the WAL
    // mid-transaction, reading them back (15 % of an import's CPU at 100k papers); related papers
    // at 1M read a few hundred rows at random: 100 ms a call with 2 MB, 28 ms with 64 MB
    // (docs/benchmarks.md, 2026-12-06 04:40). The cache grows only as pages are read.
    conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
    migrate(conn)
}

/// SQLite's own check of the whole file: `["ok"]` when sound, else each problem it found.
pub fn integrity_check(conn: &Connection) -> Result<Vec<String>> {
    Ok(conn
        .prepare("PRAGMA integrity_check")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// SQLite's `data_version`: moves when another connection commits to the database.
pub fn data_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
}

/// The page cache of a library's connection (KiB).
const CACHE_KIB: i64 = 64 * 1024;

pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    // One IMMEDIATE transaction: it takes the write lock before reading the version, so
    // processes opening a new library at once run the migrations one after the other (each
    // waiting out the busy timeout) instead of all creating the same tables (#21 finding 8). A
    // failed migration leaves the database at the version it had.
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    tx.execute_batch("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")?;
    let current: usize = tx
        .query_row("SELECT version FROM schema_version", [], |r| {
            r.get::<_, i64>(0)
        })
        .map(|v| v as usize)
        .unwrap_or(0);
    if current > MIGRATIONS.len() {
        return Err(Error::Invalid(format!(
            "this library was written by a newer Topica (schema {current}, this build knows {})",
            MIGRATIONS.len()
        )));
    }
    if current == MIGRATIONS.len() {
        return Ok(()); // nothing to write: the transaction ends without a commit
    }
    for sql in &MIGRATIONS[current..] {
        tx.execute_batch(sql)?;
    }
    tx.execute("DELETE FROM schema_version", [])?;
    tx.execute(
        "INSERT INTO schema_version(version) VALUES (?1)",
        [MIGRATIONS.len() as i64],
    )?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_openers_of_a_new_library_at_once_all_succeed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("library.sqlite");
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(4));
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let (path, barrier) = (path.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    open(&path).map(|_| ())
                })
            })
            .collect();
        for h in handles {
            h.join()
                .unwrap()
                .expect("every opener gets a migrated library");
        }
        let conn = open(&path).unwrap();
        let v: i64 = conn
            .query_row("SELECT version FROM schema_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v as usize, SCHEMA_VERSION);
    }

    #[test]
    fn someone_elses_database_is_refused_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("library.sqlite");
        let theirs = Connection::open(&path).unwrap();
        theirs
            .execute_batch("CREATE TABLE items (x); INSERT INTO items VALUES (1);")
            .unwrap();
        drop(theirs);
        let before = std::fs::read(&path).unwrap();
        let err = open(&path).unwrap_err().to_string();
        assert!(err.contains("not made by Topica"), "{err}");
        assert!(err.contains("library.sqlite"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), before);
        std::fs::write(&path, b"not a database at all, just text").unwrap();
        let err = open(&path).unwrap_err().to_string();
        assert!(
            err.contains("library.sqlite") && err.contains("cannot read"),
            "{err}"
        );
    }
}
