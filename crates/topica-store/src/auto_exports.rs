//! Keep-updated exports: where each one writes, what and in which format, and how its last
//! attempt went. Rendering and writing the file is `topica-core`'s business.

use rusqlite::{params, Connection};

use crate::Result;

/// One keep-updated export as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoExportRow {
    pub path: String,
    pub format: String,
    pub scope_kind: String,
    pub scope_value: String,
    /// The library generation the file was last brought up to date with.
    pub generation: Option<i64>,
    pub written_at: Option<String>,
    pub error: Option<String>,
}

/// Every keep-updated export, by path.
pub fn list(conn: &Connection) -> Result<Vec<AutoExportRow>> {
    Ok(conn
        .prepare_cached(
            "SELECT path, format, scope_kind, scope_value, generation, written_at, error \
             FROM auto_exports ORDER BY path",
        )?
        .query_map([], |r| {
            Ok(AutoExportRow {
                path: r.get(0)?,
                format: r.get(1)?,
                scope_kind: r.get(2)?,
                scope_value: r.get(3)?,
                generation: r.get(4)?,
                written_at: r.get(5)?,
                error: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// Adds `row`, or replaces the export to the same path.
pub fn put(conn: &Connection, row: &AutoExportRow) -> Result<()> {
    conn.execute(
        "INSERT INTO auto_exports (path, format, scope_kind, scope_value, generation, written_at, error) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
         ON CONFLICT(path) DO UPDATE SET format = excluded.format, scope_kind = excluded.scope_kind, \
         scope_value = excluded.scope_value, generation = excluded.generation, \
         written_at = excluded.written_at, error = excluded.error",
        params![
            row.path,
            row.format,
            row.scope_kind,
            row.scope_value,
            row.generation,
            row.written_at,
            row.error
        ],
    )?;
    Ok(())
}

/// Removes the export to `path`; false when there is none.
pub fn remove(conn: &Connection, path: &str) -> Result<bool> {
    Ok(conn.execute("DELETE FROM auto_exports WHERE path = ?1", [path])? > 0)
}

/// Records an attempt at `generation`: written (at `written_at`), unchanged (`written_at`
/// None keeps the previous time), or failed with `error`.
pub fn record(
    conn: &Connection,
    path: &str,
    generation: i64,
    written_at: Option<&str>,
    error: Option<&str>,
) -> Result<()> {
    conn.execute(
        "UPDATE auto_exports SET generation = ?2, written_at = COALESCE(?3, written_at), error = ?4 \
         WHERE path = ?1",
        params![path, generation, written_at, error],
    )?;
    Ok(())
}

/// Whether any export is behind `generation` (a cheap check before rendering anything).
pub fn any_behind(conn: &Connection, generation: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS(SELECT 1 FROM auto_exports WHERE generation IS NOT ?1)")?
        .query_row([generation], |r| r.get(0))?)
}
