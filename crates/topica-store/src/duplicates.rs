//! What duplicate finding reads (one light row per paper in the library) and the pairs a user
//! said are not duplicates.

use std::collections::HashSet;

use rusqlite::{params, Connection};
use topica_model::Author;

use crate::papers::LIVE;
use crate::Result;

/// The fields that tell whether two papers are one: read for every paper at once, so only
/// these.
#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    pub id: i64,
    /// The normalised title (`topica_model::title_key`): letters and digits, lower case.
    pub title_key: String,
    pub authors: Vec<Author>,
    pub year: Option<i32>,
    pub doi: Option<String>,
    pub arxiv_id: Option<String>,
}

/// A probe for every paper in the library (not the trash) that has a title, in id order.
pub fn probes(conn: &Connection) -> Result<Vec<Probe>> {
    let sql = format!(
        "SELECT id, title_key, authors, year, doi, arxiv_id FROM papers \
         WHERE {LIVE} AND title_key IS NOT NULL AND title_key != '' ORDER BY id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |r| {
        let authors: String = r.get(2)?;
        Ok(Probe {
            id: r.get(0)?,
            title_key: r.get(1)?,
            authors: serde_json::from_str(&authors).unwrap_or_default(),
            year: r.get(3)?,
            doi: r.get(4)?,
            arxiv_id: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every pair marked "not duplicates", each as (smaller id, larger id).
pub fn not_duplicates(conn: &Connection) -> Result<HashSet<(i64, i64)>> {
    Ok(conn
        .prepare_cached("SELECT a, b FROM not_duplicates")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Marks (`on`) or unmarks pairs as not duplicates. Returns the pairs whose mark changed,
/// each as (smaller id, larger id).
pub fn set_not_duplicates(
    conn: &Connection,
    pairs: &[(i64, i64)],
    on: bool,
) -> Result<Vec<(i64, i64)>> {
    let mut changed = Vec::new();
    let mut insert =
        conn.prepare_cached("INSERT OR IGNORE INTO not_duplicates(a, b) VALUES (?1, ?2)")?;
    let mut delete = conn.prepare_cached("DELETE FROM not_duplicates WHERE a = ?1 AND b = ?2")?;
    for &(x, y) in pairs {
        if x == y {
            continue;
        }
        let (a, b) = (x.min(y), x.max(y));
        let n = if on {
            insert.execute(params![a, b])?
        } else {
            delete.execute(params![a, b])?
        };
        if n > 0 {
            changed.push((a, b));
        }
    }
    Ok(changed)
}
