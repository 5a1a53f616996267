//! Files attached to papers and the text of their pages (migration 0010). Copying, renaming and
//! reading the files themselves is `topica-core`'s business.

use rusqlite::{params, Connection, OptionalExtension};

use crate::Result;

/// One attached file as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRow {
    pub id: i64,
    pub paper_id: i64,
    /// `stored` (a copy in the library folder, `path` relative to it) or `linked` (`path`
    /// absolute, the user's own file).
    pub kind: String,
    pub path: String,
    pub name: String,
    pub size: i64,
    pub sha256: String,
    pub pages: Option<i64>,
    pub added_at: String,
    pub removed_at: Option<String>,
    pub text_status: Option<String>,
}

const COLUMNS: &str =
    "id, paper_id, kind, path, name, size, sha256, pages, added_at, removed_at, text_status";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<FileRow> {
    Ok(FileRow {
        id: r.get(0)?,
        paper_id: r.get(1)?,
        kind: r.get(2)?,
        path: r.get(3)?,
        name: r.get(4)?,
        size: r.get(5)?,
        sha256: r.get(6)?,
        pages: r.get(7)?,
        added_at: r.get(8)?,
        removed_at: r.get(9)?,
        text_status: r.get(10)?,
    })
}

/// Adds a file row (its `id` is ignored); returns the new id.
pub fn insert(conn: &Connection, f: &FileRow) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO files (paper_id, kind, path, name, size, sha256, pages, added_at, removed_at, text_status) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        f.paper_id,
        f.kind,
        f.path,
        f.name,
        f.size,
        f.sha256,
        f.pages,
        f.added_at,
        f.removed_at,
        f.text_status
    ])?;
    Ok(conn.last_insert_rowid())
}

/// One file by id (attached or detached).
pub fn get(conn: &Connection, id: i64) -> Result<Option<FileRow>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM files WHERE id = ?1"))?
        .query_row([id], row)
        .optional()?)
}

/// The files attached to a paper (not the detached ones), oldest first.
pub fn of_paper(conn: &Connection, paper: i64) -> Result<Vec<FileRow>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM files WHERE paper_id = ?1 AND removed_at IS NULL ORDER BY id"
        ))?
        .query_map([paper], row)?
        .collect::<rusqlite::Result<_>>()?)
}

/// Every file row of these papers, attached or not.
pub fn all_of_papers(conn: &Connection, papers: &[i64]) -> Result<Vec<FileRow>> {
    let wanted = serde_json::to_string(papers).expect("ids serialize");
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM files WHERE paper_id IN (SELECT value FROM json_each(?1)) ORDER BY id"
        ))?
        .query_map([wanted], row)?
        .collect::<rusqlite::Result<_>>()?)
}

/// Every file row, attached or not, papers in the trash included.
pub fn all(conn: &Connection) -> Result<Vec<FileRow>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM files ORDER BY id"))?
        .query_map([], row)?
        .collect::<rusqlite::Result<_>>()?)
}

/// Files to let go of when the trash is emptied: those of papers in the trash and those detached.
pub fn discarded(conn: &Connection) -> Result<Vec<FileRow>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM files WHERE removed_at IS NOT NULL \
             OR paper_id IN (SELECT id FROM papers WHERE trashed_at IS NOT NULL) ORDER BY id"
        ))?
        .query_map([], row)?
        .collect::<rusqlite::Result<_>>()?)
}

/// Deletes file rows for good (with their pages).
pub fn delete(conn: &Connection, ids: &[i64]) -> Result<usize> {
    let wanted = serde_json::to_string(ids).expect("ids serialize");
    Ok(conn.execute(
        "DELETE FROM files WHERE id IN (SELECT value FROM json_each(?1))",
        [wanted],
    )?)
}

/// Detaches (`Some(when)`) or attaches again (`None`) files.
pub fn set_removed(conn: &Connection, ids: &[i64], at: Option<&str>) -> Result<()> {
    let wanted = serde_json::to_string(ids).expect("ids serialize");
    conn.execute(
        "UPDATE files SET removed_at = ?2 WHERE id IN (SELECT value FROM json_each(?1))",
        params![wanted, at],
    )?;
    Ok(())
}

/// Moves a file's row to another path (a stored file renamed, a missing file relinked).
pub fn set_path(conn: &Connection, id: i64, kind: &str, path: &str) -> Result<()> {
    conn.prepare_cached("UPDATE files SET kind = ?2, path = ?3 WHERE id = ?1")?
        .execute(params![id, kind, path])?;
    Ok(())
}

/// Whether a stored file already uses `path` (relative to the library folder).
pub fn stored_path_taken(conn: &Connection, path: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM files WHERE kind = 'stored' AND path = ?1")?
        .exists([path])?)
}

/// The attached file of `paper` with these contents, if any.
pub fn attached_with_hash(conn: &Connection, paper: i64, sha256: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT id FROM files WHERE paper_id = ?1 AND sha256 = ?2 AND removed_at IS NULL",
        )?
        .query_row(params![paper, sha256], |r| r.get(0))
        .optional()?)
}

/// Replaces a file's pages with `pages` (1-based, in order) and records how reading went.
pub fn set_text(
    conn: &Connection,
    id: i64,
    pages: &[String],
    page_count: Option<i64>,
    status: &str,
) -> Result<()> {
    conn.prepare_cached("DELETE FROM file_pages WHERE file_id = ?1")?
        .execute([id])?;
    let mut insert =
        conn.prepare_cached("INSERT INTO file_pages (file_id, page, text) VALUES (?1, ?2, ?3)")?;
    for (i, text) in pages.iter().enumerate() {
        if !text.trim().is_empty() {
            insert.execute(params![id, i as i64 + 1, text])?;
        }
    }
    conn.prepare_cached("UPDATE files SET pages = ?2, text_status = ?3 WHERE id = ?1")?
        .execute(params![id, page_count, status])?;
    Ok(())
}

/// Files whose text was not read yet (attached, of papers in the library), oldest first.
pub fn unread(conn: &Connection, limit: usize) -> Result<Vec<FileRow>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM files WHERE text_status IS NULL AND removed_at IS NULL \
             AND paper_id IN (SELECT id FROM papers WHERE trashed_at IS NULL) ORDER BY id LIMIT ?1"
        ))?
        .query_map([limit as i64], row)?
        .collect::<rusqlite::Result<_>>()?)
}

/// The full text of a paper: the pages of its attached files, in order, or `None` when it has
/// none. What the search index holds as the paper's `fulltext`.
pub fn fulltext(conn: &Connection, paper: i64) -> Result<Option<String>> {
    let mut out = String::new();
    let mut stmt = conn.prepare_cached(
        "SELECT p.text FROM file_pages p JOIN files f ON f.id = p.file_id \
         WHERE f.paper_id = ?1 AND f.removed_at IS NULL ORDER BY f.id, p.page",
    )?;
    let mut rows = stmt.query([paper])?;
    while let Some(r) = rows.next()? {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(r.get_ref(0)?.as_str().unwrap_or_default());
    }
    Ok((!out.is_empty()).then_some(out))
}

/// One page of a paper's full text: which file, which page, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageText {
    pub file_id: i64,
    pub page: i64,
    pub text: String,
}

/// The pages of a paper's attached files, in order.
pub fn pages(conn: &Connection, paper: i64) -> Result<Vec<PageText>> {
    Ok(conn
        .prepare_cached(
            "SELECT p.file_id, p.page, p.text FROM file_pages p JOIN files f ON f.id = p.file_id \
             WHERE f.paper_id = ?1 AND f.removed_at IS NULL ORDER BY f.id, p.page",
        )?
        .query_map([paper], |r| {
            Ok(PageText {
                file_id: r.get(0)?,
                page: r.get(1)?,
                text: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// Of `papers`, those with some full text.
pub fn with_text(conn: &Connection, papers: &[i64]) -> Result<Vec<i64>> {
    let wanted = serde_json::to_string(papers).expect("ids serialize");
    Ok(conn
        .prepare_cached(
            "SELECT DISTINCT f.paper_id FROM files f WHERE f.removed_at IS NULL \
             AND f.paper_id IN (SELECT value FROM json_each(?1)) \
             AND EXISTS (SELECT 1 FROM file_pages p WHERE p.file_id = f.id)",
        )?
        .query_map([wanted], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Gives files to another paper (a merge of two papers, and its undo).
pub fn set_paper(conn: &Connection, ids: &[i64], paper: i64) -> Result<()> {
    let wanted = serde_json::to_string(ids).expect("ids serialize");
    conn.execute(
        "UPDATE files SET paper_id = ?2 WHERE id IN (SELECT value FROM json_each(?1))",
        params![wanted, paper],
    )?;
    Ok(())
}

/// The paper in the library (not in the trash) that has a file with these contents attached.
pub fn paper_with_hash(conn: &Connection, sha256: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT f.paper_id FROM files f JOIN papers p ON p.id = f.paper_id \
             WHERE f.sha256 = ?1 AND f.removed_at IS NULL AND p.trashed_at IS NULL \
             ORDER BY f.id LIMIT 1",
        )?
        .query_row([sha256], |r| r.get(0))
        .optional()?)
}
