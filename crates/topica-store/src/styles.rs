//! CSL styles added to a library (migration 0011): their text, name, id and title. Reading a
//! style and rendering with it are the engine's and the formats crate's business.

use rusqlite::{params, Connection, OptionalExtension};

use crate::Result;

/// One added style as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StyleRow {
    pub name: String,
    /// The style's `cs:info/cs:id`.
    pub style_id: String,
    pub title: String,
    pub xml: String,
    pub added_at: String,
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StyleRow> {
    Ok(StyleRow {
        name: r.get(0)?,
        style_id: r.get(1)?,
        title: r.get(2)?,
        xml: r.get(3)?,
        added_at: r.get(4)?,
    })
}

const COLUMNS: &str = "name, style_id, title, xml, added_at";

/// Every added style, by name.
pub fn list(conn: &Connection) -> Result<Vec<StyleRow>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM styles ORDER BY name COLLATE NOCASE"
        ))?
        .query_map([], row)?
        .collect::<rusqlite::Result<_>>()?)
}

/// The style added under `name` (case-insensitive).
pub fn get(conn: &Connection, name: &str) -> Result<Option<StyleRow>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM styles WHERE name = ?1"))?
        .query_row([name], row)
        .optional()?)
}

/// The added style whose `cs:info/cs:id` is one of `ids` (a dependent style's parent).
pub fn by_style_id(conn: &Connection, ids: &[String]) -> Result<Option<StyleRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM styles WHERE style_id = ?1 ORDER BY name LIMIT 1"
    ))?;
    for id in ids {
        if let Some(r) = stmt.query_row([id], row).optional()? {
            return Ok(Some(r));
        }
    }
    Ok(None)
}

/// Adds a style, replacing one of the same name.
pub fn put(conn: &Connection, s: &StyleRow) -> Result<()> {
    conn.execute(
        "INSERT INTO styles(name, style_id, title, xml, added_at) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT(name) DO UPDATE SET style_id = excluded.style_id, title = excluded.title, \
         xml = excluded.xml, added_at = excluded.added_at",
        params![s.name, s.style_id, s.title, s.xml, s.added_at],
    )?;
    Ok(())
}

/// Removes the style `name`; false when there was none.
pub fn remove(conn: &Connection, name: &str) -> Result<bool> {
    Ok(conn.execute("DELETE FROM styles WHERE name = ?1", [name])? > 0)
}
