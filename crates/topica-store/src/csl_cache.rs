//! The `csl_cache` table: rendered runs of references, keyed by the hash of everything their
//! text depends on (see `export::csl_cache`, which owns the policy; this module only stores).

use rusqlite::{params, Connection, OptionalExtension};

use crate::Result;

/// The stored text of each run hash, `None` where there is no row.
pub fn read(conn: &Connection, keys: &[&[u8]]) -> Result<Vec<Option<String>>> {
    let mut stmt = conn.prepare_cached("SELECT refs FROM csl_cache WHERE run_hash = ?1")?;
    keys.iter()
        .map(|key| Ok(stmt.query_row([key], |r| r.get(0)).optional()?))
        .collect()
}

/// Of `keys`, those whose row was last used before `time` (Unix seconds).
pub fn used_before<'k>(conn: &Connection, keys: &[&'k [u8]], time: i64) -> Result<Vec<&'k [u8]>> {
    let mut stmt =
        conn.prepare_cached("SELECT 1 FROM csl_cache WHERE run_hash = ?1 AND used_at < ?2")?;
    let mut stale = Vec::new();
    for &key in keys {
        if stmt.exists(params![key, time])? {
            stale.push(key);
        }
    }
    Ok(stale)
}

/// In one transaction: stores `put` (hash, text), marks `touch` used at `now`, and deletes rows
/// last used before `expire_before`.
pub fn write(
    conn: &Connection,
    put: &[(&[u8], String)],
    touch: &[&[u8]],
    now: i64,
    expire_before: i64,
) -> Result<()> {
    let tx = conn.unchecked_transaction()?;
    {
        let mut insert = tx.prepare_cached(
            "INSERT OR REPLACE INTO csl_cache(run_hash, refs, used_at) VALUES (?1, ?2, ?3)",
        )?;
        for (key, refs) in put {
            insert.execute(params![key, refs, now])?;
        }
        let mut mark =
            tx.prepare_cached("UPDATE csl_cache SET used_at = ?2 WHERE run_hash = ?1")?;
        for key in touch {
            mark.execute(params![key, now])?;
        }
        tx.execute("DELETE FROM csl_cache WHERE used_at < ?1", [expire_before])?;
    }
    tx.commit()?;
    Ok(())
}

/// Empties the table.
pub fn clear(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM csl_cache", [])?;
    Ok(())
}
