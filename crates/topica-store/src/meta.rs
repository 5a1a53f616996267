//! The `meta` table: the library's generation counter and other single values.

use rusqlite::{Connection, OptionalExtension};

use crate::Result;

/// The generation the search index must match; bumped inside every write transaction.
pub fn generation(conn: &Connection) -> Result<u64> {
    let v: String = conn.query_row("SELECT value FROM meta WHERE key = 'generation'", [], |r| {
        r.get(0)
    })?;
    Ok(v.parse().unwrap_or(0))
}

/// Bumps the generation; call inside the write's transaction.
pub fn bump_generation(conn: &Connection) -> Result<u64> {
    let next = generation(conn)? + 1;
    conn.execute(
        "UPDATE meta SET value = ?1 WHERE key = 'generation'",
        [next.to_string()],
    )?;
    Ok(next)
}

pub fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

pub fn set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

/// Removes a setting (back to its default).
pub fn remove(conn: &Connection, key: &str) -> Result<()> {
    conn.execute("DELETE FROM meta WHERE key = ?1", [key])?;
    Ok(())
}
