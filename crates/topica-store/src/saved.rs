//! Saved searches: (name, query) pairs. What a query matches is the search index's business.

use rusqlite::{params, Connection, OptionalExtension};

use crate::Result;

/// Every saved search as (name, query), by name.
pub fn list(conn: &Connection) -> Result<Vec<(String, String)>> {
    Ok(conn
        .prepare_cached("SELECT name, query FROM saved_searches ORDER BY name COLLATE NOCASE")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// The query saved under `name`.
pub fn get(conn: &Connection, name: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT query FROM saved_searches WHERE name = ?1")?
        .query_row([name], |r| r.get(0))
        .optional()?)
}

/// Saves `query` under `name` (`None`: removes it).
pub fn put(conn: &Connection, name: &str, query: Option<&str>) -> Result<()> {
    match query {
        Some(q) => conn.execute(
            "INSERT INTO saved_searches(name, query) VALUES (?1, ?2) \
             ON CONFLICT(name) DO UPDATE SET query = excluded.query",
            params![name, q],
        )?,
        None => conn.execute("DELETE FROM saved_searches WHERE name = ?1", [name])?,
    };
    Ok(())
}
