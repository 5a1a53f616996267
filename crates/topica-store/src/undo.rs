//! The undo log (`undo_steps`): one row per user change, with what the engine needs to undo and
//! redo it. The store keeps the rows and their order; what a step's `ops` mean is the engine's.

use rusqlite::{params, Connection, OptionalExtension};

use crate::Result;

/// How many steps the log keeps; older ones are dropped as new ones come.
pub const KEPT_STEPS: i64 = 500;

/// One logged change.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub id: i64,
    /// What the user did, as a menu would say it ("Delete 3 papers").
    pub label: String,
    /// The engine's description of the change (JSON).
    pub ops: String,
}

/// Logs a new change: the steps that were undone can no longer be redone.
pub fn push(conn: &Connection, label: &str, ops: &str, at: &str) -> Result<i64> {
    conn.execute("DELETE FROM undo_steps WHERE undone = 1", [])?;
    conn.execute(
        "INSERT INTO undo_steps(label, ops, at) VALUES (?1, ?2, ?3)",
        params![label, ops, at],
    )?;
    let id = conn.last_insert_rowid();
    conn.execute("DELETE FROM undo_steps WHERE id <= ?1", [id - KEPT_STEPS])?;
    Ok(id)
}

/// The step an undo would revert: the newest one not undone.
pub fn next_undo(conn: &Connection) -> Result<Option<Step>> {
    step(
        conn,
        "SELECT id, label, ops FROM undo_steps WHERE undone = 0 ORDER BY id DESC LIMIT 1",
    )
}

/// The step a redo would apply again: the oldest one undone.
pub fn next_redo(conn: &Connection) -> Result<Option<Step>> {
    step(
        conn,
        "SELECT id, label, ops FROM undo_steps WHERE undone = 1 ORDER BY id LIMIT 1",
    )
}

fn step(conn: &Connection, sql: &str) -> Result<Option<Step>> {
    Ok(conn
        .query_row(sql, [], |r| {
            Ok(Step {
                id: r.get(0)?,
                label: r.get(1)?,
                ops: r.get(2)?,
            })
        })
        .optional()?)
}

/// Marks a step undone (`true`) or done again (`false`).
pub fn set_undone(conn: &Connection, id: i64, undone: bool) -> Result<()> {
    conn.execute(
        "UPDATE undo_steps SET undone = ?2 WHERE id = ?1",
        params![id, undone],
    )?;
    Ok(())
}
