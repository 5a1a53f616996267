//! SQLite storage: opening the database, migrations, and one query module per table.
//!
//! The database is the library's source of truth. Nothing here knows about tantivy.

pub(crate) mod keys;
pub(crate) mod meta;
pub(crate) mod papers;
pub(crate) mod user;

use std::path::Path;

use rusqlite::Connection;

use crate::Result;

/// Numbered migrations; a database at version N has run the first N.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_init.sql"),
    include_str!("../../migrations/0002_topics.sql"),
    include_str!("../../migrations/0003_export.sql"),
    include_str!("../../migrations/0004_csl_cache.sql"),
    include_str!("../../migrations/0005_list_indexes.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

/// Opens (creating if needed) the database and brings its schema up to date.
pub(crate) fn open(path: &Path) -> Result<Connection> {
    let mut conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // WAL: readers never block the writer; `synchronous=NORMAL` is durable at each checkpoint
    // and never corrupts, which is the guarantee a kill -9 needs.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    migrate(&mut conn)?;
    Ok(conn)
}

/// SQLite's own default page cache (KiB), which connections use outside bulk writes.
pub(crate) const DEFAULT_CACHE_KIB: i64 = 2000;

/// Sets the connection's page cache limit; shrinking frees the pages beyond it.
pub(crate) fn set_cache_kib(conn: &Connection, kib: i64) -> Result<()> {
    // A negative cache_size is in KiB rather than pages.
    conn.pragma_update(None, "cache_size", -kib)?;
    Ok(())
}

fn migrate(conn: &mut Connection) -> Result<()> {
    conn.execute_batch("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")?;
    let current: usize = conn
        .query_row("SELECT version FROM schema_version", [], |r| {
            r.get::<_, i64>(0)
        })
        .map(|v| v as usize)
        .unwrap_or(0);
    if current > MIGRATIONS.len() {
        return Err(crate::Error::Invalid(format!(
            "this library was written by a newer Topica (schema {current}, this build knows {})",
            MIGRATIONS.len()
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.execute("DELETE FROM schema_version", [])?;
        tx.execute(
            "INSERT INTO schema_version(version) VALUES (?1)",
            [(i + 1) as i64],
        )?;
        tx.commit()?;
    }
    Ok(())
}
