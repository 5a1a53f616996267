//! The benchmarks' baseline: what a careful SQLite-only app would do, an FTS5 table with a Porter
//! stemmer over title, abstract and authors. Here because it is SQL; only `topica-cli bench`
//! uses it, to measure Topica's import and search beside it in the same run.

use std::path::Path;

use rusqlite::{params, Connection};

use crate::Result;

pub struct Fts5Baseline {
    conn: Connection,
}

/// One search's answer: the top 10 (rowid, title, snippet) by BM25, and the total count.
pub type Answer = (Vec<(i64, Option<String>, Option<String>)>, i64);

impl Fts5Baseline {
    /// Creates the table in a new database file (WAL, `synchronous=NORMAL`, as a library).
    pub fn create(path: &Path) -> Result<Fts5Baseline> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.execute_batch(
            "CREATE VIRTUAL TABLE fts USING fts5(title, abstract, authors, tokenize = 'porter unicode61 remove_diacritics 2')",
        )?;
        Ok(Fts5Baseline { conn })
    }

    /// Opens a table an earlier [`Fts5Baseline::create`] filled (a benchmark reusing its corpus).
    pub fn open(path: &Path) -> Result<Fts5Baseline> {
        Ok(Fts5Baseline {
            conn: Connection::open(path)?,
        })
    }

    /// Inserts every (title, abstract, authors) row in one transaction. `rows` may fail (a
    /// parse error of the caller's): the transaction is then rolled back and the error returned.
    pub fn insert_all<E: From<crate::Error>>(
        &mut self,
        rows: impl Iterator<Item = Result<(Option<String>, Option<String>, Option<String>), E>>,
    ) -> Result<(), E> {
        let tx = self.conn.transaction().map_err(crate::Error::from)?;
        {
            let mut insert = tx
                .prepare("INSERT INTO fts(title, abstract, authors) VALUES (?1, ?2, ?3)")
                .map_err(crate::Error::from)?;
            for row in rows {
                let (title, abstract_text, authors) = row?;
                insert
                    .execute(params![title, abstract_text, authors])
                    .map_err(crate::Error::from)?;
            }
        }
        tx.commit().map_err(crate::Error::from)?;
        Ok(())
    }

    /// The top 10 by BM25 (title weighted 2, authors 1.5) with an abstract snippet, and the
    /// number of matches, for an FTS5 MATCH expression.
    pub fn search(&self, matching: &str) -> Result<Answer> {
        let mut top = self.conn.prepare_cached(
            "SELECT rowid, title, snippet(fts, 1, '<b>', '</b>', '…', 24) FROM fts WHERE fts MATCH ?1 \
             ORDER BY bm25(fts, 2.0, 1.0, 1.5) LIMIT 10",
        )?;
        let rows = top
            .query_map([matching], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let n: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM fts WHERE fts MATCH ?1")?
            .query_row([matching], |r| r.get(0))?;
        Ok((rows, n))
    }
}

/// The bare cost of moving `ids` to the trash in SQL, on its own connection to the library's
/// database, rolled back: the floor under `Library::trash` for `bench manage`.
pub fn trash_rolled_back(database: &Path, ids: &[i64]) -> Result<()> {
    let mut conn = Connection::open(database)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    let tx = conn.transaction()?;
    crate::papers::set_trashed(&tx, ids, Some("2026-01-01T00:00:00Z"))?;
    tx.rollback()?;
    Ok(())
}
