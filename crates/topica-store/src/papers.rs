//! The `papers` table: reading and writing bibliographic fields, and finding duplicates.
//!
//! User fields (tags, collections, notes, read, starred) are written by `db::user` only.

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::Result;
use topica_model::{title_key, Author, Paper};

const COLUMNS: &str = "id, arxiv_id, arxiv_version, doi, title, authors, editors, year, month, abstract, categories, \
     journal_ref, comments, kind, container, volume, issue, pages, publisher, url, citation_key, extra, \
     notes, read, starred, date_added, trashed_at, edited";

/// The condition that keeps trashed papers out of a query over `papers`.
pub const LIVE: &str = "trashed_at IS NULL";

fn json<T: serde::de::DeserializeOwned + Default>(s: String) -> T {
    serde_json::from_str(&s).unwrap_or_default()
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Paper> {
    Ok(Paper {
        id: r.get(0)?,
        arxiv_id: r.get(1)?,
        arxiv_version: r.get(2)?,
        doi: r.get(3)?,
        title: r.get(4)?,
        authors: json(r.get(5)?),
        editors: json(r.get(6)?),
        year: r.get(7)?,
        month: r.get(8)?,
        abstract_text: r.get(9)?,
        categories: json(r.get(10)?),
        journal_ref: r.get(11)?,
        comments: r.get(12)?,
        kind: r.get(13)?,
        container: r.get(14)?,
        volume: r.get(15)?,
        issue: r.get(16)?,
        pages: r.get(17)?,
        publisher: r.get(18)?,
        url: r.get(19)?,
        citation_key: r.get(20)?,
        extra: json(r.get(21)?),
        notes: r.get(22)?,
        read: r.get(23)?,
        starred: r.get(24)?,
        date_added: r.get(25)?,
        trashed_at: r.get(26)?,
        edited: json(r.get(27)?),
        tags: Vec::new(),
        collections: Vec::new(),
        topics: Vec::new(),
    })
}

/// Shortest normalised title that identifies a paper together with first author and year;
/// shorter ones ("Introduction", "Reply") say nothing.
pub const MIN_TITLE_KEY: usize = 8;

/// The `first_author` column: the lower-case, normalised family name of the first author.
pub fn first_author_key(authors: &[Author]) -> Option<String> {
    authors.first().map(|a| title_key(&a.family))
}

/// Loads one paper with its tags and collections.
pub fn get(conn: &Connection, id: i64) -> Result<Option<Paper>> {
    let sql = format!("SELECT {COLUMNS} FROM papers WHERE id = ?1");
    let paper = conn.query_row(&sql, [id], from_row).optional()?;
    match paper {
        Some(mut p) => {
            super::user::load_user_lists(conn, &mut p)?;
            Ok(Some(p))
        }
        None => Ok(None),
    }
}

/// Loads the papers in the library (not the trash) in id order (`limit` 0 = all), with tags
/// and collections.
pub fn list(conn: &Connection, limit: usize, offset: usize) -> Result<Vec<Paper>> {
    let limit = if limit == 0 { -1 } else { limit as i64 };
    let sql = format!("SELECT {COLUMNS} FROM papers WHERE {LIVE} ORDER BY id LIMIT ?1 OFFSET ?2");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut papers = stmt
        .query_map(params![limit, offset as i64], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    super::user::load_user_lists_all(conn, &mut papers)?;
    Ok(papers)
}

/// The abstracts of the papers among `ids` that have one, by id: what search hits show and
/// make their snippets from (the search index does not store abstracts).
pub fn abstracts_of(
    conn: &Connection,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, String>> {
    let wanted = serde_json::to_string(ids).expect("ids serialize");
    let mut stmt = conn.prepare_cached(
        "SELECT id, abstract FROM papers WHERE id IN (SELECT value FROM json_each(?1)) \
         AND abstract IS NOT NULL",
    )?;
    let rows = stmt.query_map([wanted], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Loads the papers `ids` in that order, with tags, collections and topic labels; `None` when an
/// id is not in the library. Large sets are read with a handful of set-based queries (one
/// query per paper and list cost more than the export itself at 10,000 papers).
pub fn get_many(conn: &Connection, ids: &[i64]) -> Result<std::result::Result<Vec<Paper>, i64>> {
    if ids.len() < 100 {
        let mut out = Vec::with_capacity(ids.len());
        for &id in ids {
            match get(conn, id)? {
                Some(p) => out.push(p),
                None => return Ok(Err(id)),
            }
        }
        return Ok(Ok(out));
    }
    let sql = format!("SELECT {COLUMNS} FROM papers WHERE id IN (SELECT value FROM json_each(?1))");
    let wanted = serde_json::to_string(ids).expect("ids serialize");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut by_id: std::collections::HashMap<i64, Paper> = stmt
        .query_map([wanted], from_row)?
        .map(|p| p.map(|p| (p.id, p)))
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        match by_id.remove(&id) {
            Some(p) => out.push(p),
            // An id listed twice gets the paper twice, as one query per id gave it.
            None => match out.iter().find(|p: &&Paper| p.id == id) {
                Some(p) => out.push(p.clone()),
                None => return Ok(Err(id)),
            },
        }
    }
    super::user::load_user_lists_all(conn, &mut out)?;
    Ok(Ok(out))
}

/// Calls `f` with every paper in the library (not the trash) in id order, streaming (no tags or
/// collections): used to rebuild derived data. `f`'s error (the caller's own type) stops the walk.
pub fn for_each<E: From<crate::Error>>(
    conn: &Connection,
    mut f: impl FnMut(Paper) -> Result<(), E>,
) -> Result<(), E> {
    let sql = format!("SELECT {COLUMNS} FROM papers WHERE {LIVE} ORDER BY id");
    let mut stmt = conn.prepare(&sql).map_err(crate::Error::from)?;
    let mut rows = stmt.query([]).map_err(crate::Error::from)?;
    while let Some(row) = rows.next().map_err(crate::Error::from)? {
        f(from_row(row).map_err(crate::Error::from)?)?;
    }
    Ok(())
}

/// Papers in the library, the trash left out.
pub fn count(conn: &Connection) -> Result<usize> {
    // All rows less the trashed ones: both counts come from an index, where a count of the
    // live rows would scan the table.
    Ok(conn.query_row(
        "SELECT (SELECT count(*) FROM papers) - (SELECT count(*) FROM papers WHERE trashed_at IS NOT NULL)",
        [],
        |r| r.get::<_, i64>(0),
    )? as usize)
}

/// Papers in the trash.
pub fn trash_count(conn: &Connection) -> Result<usize> {
    Ok(conn.query_row(
        "SELECT count(*) FROM papers WHERE trashed_at IS NOT NULL",
        [],
        |r| r.get::<_, i64>(0),
    )? as usize)
}

/// Ids of the papers in the trash, the most recently trashed first.
pub fn trashed_ids(conn: &Connection) -> Result<Vec<i64>> {
    Ok(conn
        .prepare(
            "SELECT id FROM papers WHERE trashed_at IS NOT NULL ORDER BY trashed_at DESC, id DESC",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Of `ids`, those of papers in the library (`trashed` false) or in the trash (`trashed` true),
/// in the order given; ids of no paper are left out.
pub fn ids_in_state(conn: &Connection, ids: &[i64], trashed: bool) -> Result<Vec<i64>> {
    let sql = "SELECT id FROM papers WHERE id IN (SELECT value FROM json_each(?1)) AND (trashed_at IS NOT NULL) = ?2";
    let wanted = serde_json::to_string(ids).expect("ids serialize");
    let found: std::collections::HashSet<i64> = conn
        .prepare_cached(sql)?
        .query_map(params![wanted, trashed], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut seen = std::collections::HashSet::new();
    Ok(ids
        .iter()
        .copied()
        .filter(|id| found.contains(id) && seen.insert(*id))
        .collect())
}

/// Moves papers to the trash (`at` = when) or back into the library (`at` = `None`).
pub fn set_trashed(conn: &Connection, ids: &[i64], at: Option<&str>) -> Result<usize> {
    let wanted = serde_json::to_string(ids).expect("ids serialize");
    Ok(conn.execute(
        "UPDATE papers SET trashed_at = ?2 WHERE id IN (SELECT value FROM json_each(?1))",
        params![wanted, at],
    )?)
}

/// Deletes papers for good, with their tags, collection entries and topic rows (cascade).
pub fn purge(conn: &Connection, ids: &[i64]) -> Result<usize> {
    let wanted = serde_json::to_string(ids).expect("ids serialize");
    Ok(conn.execute(
        "DELETE FROM papers WHERE id IN (SELECT value FROM json_each(?1))",
        [wanted],
    )?)
}

/// Records which bibliographic fields of a paper the user edited.
pub fn set_edited(conn: &Connection, id: i64, fields: &[String]) -> Result<()> {
    conn.execute(
        "UPDATE papers SET edited = ?2 WHERE id = ?1",
        params![id, serde_json::to_string(fields).expect("fields serialize")],
    )?;
    Ok(())
}

/// The paper other than `except` whose `column` (doi or arxiv_id, both unique) is `value`.
pub fn id_holding(
    conn: &Connection,
    column: IdColumn,
    value: &str,
    except: i64,
) -> Result<Option<i64>> {
    let sql = match column {
        IdColumn::Doi => "SELECT id FROM papers WHERE doi = ?1 AND id != ?2",
        IdColumn::Arxiv => "SELECT id FROM papers WHERE arxiv_id = ?1 AND id != ?2",
    };
    Ok(conn
        .prepare_cached(sql)?
        .query_row(params![value, except], |r| r.get(0))
        .optional()?)
}

/// The unique identifier columns of `papers`.
#[derive(Debug, Clone, Copy)]
pub enum IdColumn {
    Doi,
    Arxiv,
}

pub fn id_by_arxiv(conn: &Connection, arxiv_id: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM papers WHERE arxiv_id = ?1")?
        .query_row([arxiv_id], |r| r.get(0))
        .optional()?)
}

/// The paper with this citation key, or else the paper in the library that lists it among its
/// aliases (the `ids` field a merge writes: the keys of the papers merged into it).
pub fn id_by_citation_key(conn: &Connection, key: &str) -> Result<Option<i64>> {
    let found = conn
        .prepare_cached("SELECT id FROM papers WHERE citation_key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?;
    if found.is_some() {
        return Ok(found);
    }
    let sql = format!(
        "SELECT id, json_extract(extra, '$.ids') FROM papers \
         WHERE {LIVE} AND instr(json_extract(extra, '$.ids'), ?1) > 0"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query([key])?;
    while let Some(row) = rows.next()? {
        let aliases: String = row.get(1)?;
        if aliases.split(',').any(|a| a.trim() == key) {
            return Ok(Some(row.get(0)?));
        }
    }
    Ok(None)
}

/// The stored paper `p` duplicates: same versionless arXiv id, same DOI, or same
/// normalised title + first author + year.
pub fn find_duplicate(conn: &Connection, p: &Paper) -> Result<Option<i64>> {
    if let Some(a) = &p.arxiv_id {
        if let Some(id) = id_by_arxiv(conn, a)? {
            return Ok(Some(id));
        }
    }
    if let Some(d) = &p.doi {
        let found = conn
            .prepare_cached("SELECT id FROM papers WHERE doi = ?1")?
            .query_row([d], |r| r.get(0))
            .optional()?;
        if found.is_some() {
            return Ok(found);
        }
    }
    if let (Some(t), Some(year)) = (&p.title, p.year) {
        let key = title_key(t);
        if key.len() >= MIN_TITLE_KEY {
            let found = conn
                .prepare_cached(
                    "SELECT id FROM papers WHERE title_key = ?1 AND first_author IS ?2 AND year = ?3 LIMIT 1",
                )?
                .query_row(params![key, first_author_key(&p.authors), year], |r| r.get(0))
                .optional()?;
            return Ok(found);
        }
    }
    Ok(None)
}

/// Inserts a new paper's bibliographic fields (user fields start empty) and returns its id.
pub fn insert(conn: &Connection, p: &Paper) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO papers (arxiv_id, arxiv_version, doi, title, title_key, first_author, authors, editors, year, \
         month, abstract, categories, journal_ref, comments, kind, container, volume, issue, pages, publisher, url, \
         citation_key, extra, date_added) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)",
    )?
    .execute(params![
        p.arxiv_id,
        p.arxiv_version,
        p.doi,
        p.title,
        p.title.as_deref().map(title_key),
        first_author_key(&p.authors),
        serde_json::to_string(&p.authors).expect("authors serialize"),
        serde_json::to_string(&p.editors).expect("editors serialize"),
        p.year,
        p.month,
        p.abstract_text,
        serde_json::to_string(&p.categories).expect("categories serialize"),
        p.journal_ref,
        p.comments,
        p.kind,
        p.container,
        p.volume,
        p.issue,
        p.pages,
        p.publisher,
        p.url,
        p.citation_key,
        serde_json::to_string(&p.extra).expect("extra serialize"),
        p.date_added,
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Rewrites a stored paper's bibliographic fields. User fields and the citation key are untouched.
pub fn update_bibliographic(conn: &Connection, p: &Paper) -> Result<()> {
    conn.prepare_cached(
        "UPDATE papers SET arxiv_id = ?2, arxiv_version = ?3, doi = ?4, title = ?5, title_key = ?6, first_author = ?7, \
         authors = ?8, editors = ?9, year = ?10, month = ?11, abstract = ?12, categories = ?13, journal_ref = ?14, \
         comments = ?15, kind = ?16, container = ?17, volume = ?18, issue = ?19, pages = ?20, publisher = ?21, \
         url = ?22, extra = ?23 WHERE id = ?1",
    )?
    .execute(params![
        p.id,
        p.arxiv_id,
        p.arxiv_version,
        p.doi,
        p.title,
        p.title.as_deref().map(title_key),
        first_author_key(&p.authors),
        serde_json::to_string(&p.authors).expect("authors serialize"),
        serde_json::to_string(&p.editors).expect("editors serialize"),
        p.year,
        p.month,
        p.abstract_text,
        serde_json::to_string(&p.categories).expect("categories serialize"),
        p.journal_ref,
        p.comments,
        p.kind,
        p.container,
        p.volume,
        p.issue,
        p.pages,
        p.publisher,
        p.url,
        serde_json::to_string(&p.extra).expect("extra serialize"),
    ])?;
    Ok(())
}

/// Stores a citation key for a paper that has none (keys are pinned once given).
pub fn set_citation_key(conn: &Connection, id: i64, key: &str) -> Result<()> {
    conn.execute(
        "UPDATE papers SET citation_key = ?2 WHERE id = ?1",
        params![id, key],
    )?;
    Ok(())
}

/// What `Library::stats` counts in the `papers` table.
pub struct Counts {
    pub papers: usize,
    pub with_arxiv_id: usize,
    pub with_doi: usize,
    pub without_title: usize,
    pub first_year: Option<i32>,
    pub last_year: Option<i32>,
    pub trashed: usize,
}

/// The library's counts (each answered from an index).
pub fn counts(conn: &Connection) -> Result<Counts> {
    let count = |sql: &str| -> Result<usize> {
        Ok(conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as usize)
    };
    // Two subqueries, not `min(year), max(year)`: SQLite answers each from the end of the
    // `papers_year` index only when it is alone in its query.
    let (first_year, last_year) = conn.query_row(
        "SELECT (SELECT min(year) FROM papers WHERE trashed_at IS NULL), \
         (SELECT max(year) FROM papers WHERE trashed_at IS NULL)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(Counts {
        papers: self::count(conn)?,
        with_arxiv_id: count("SELECT count(*) FROM papers WHERE arxiv_id IS NOT NULL")?
            - count("SELECT count(*) FROM papers WHERE trashed_at IS NOT NULL AND arxiv_id IS NOT NULL")?,
        with_doi: count("SELECT count(*) FROM papers WHERE doi IS NOT NULL")?
            - count("SELECT count(*) FROM papers WHERE trashed_at IS NOT NULL AND doi IS NOT NULL")?,
        without_title: count("SELECT count(*) FROM papers WHERE title IS NULL OR title = ''")?
            - count("SELECT count(*) FROM papers WHERE trashed_at IS NOT NULL AND (title IS NULL OR title = '')")?,
        trashed: trash_count(conn)?,
        first_year,
        last_year,
    })
}

/// Versionless arXiv ids of papers with no title or no authors, in library order (what
/// enrichment asks the arXiv API for).
pub fn arxiv_ids_missing_metadata(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT arxiv_id FROM papers WHERE arxiv_id IS NOT NULL AND trashed_at IS NULL \
         AND (title IS NULL OR trim(title) = '' OR authors IS NULL OR authors = '[]') ORDER BY id",
    )?;
    let ids = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(ids)
}

/// Whether a paper other than `except` holds `key` (case-insensitively: BibTeX and biber treat
/// keys differing only in case as clashes).
pub fn citation_key_taken(conn: &Connection, key: &str, except: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT id FROM papers WHERE citation_key = ?1 COLLATE NOCASE AND id != ?2 LIMIT 1",
        )?
        .query_row(params![key, except], |r| r.get::<_, i64>(0))
        .optional()?
        .is_some())
}

/// Ids of the papers with no citation key, in id order.
pub fn ids_without_citation_key(conn: &Connection) -> Result<Vec<i64>> {
    Ok(conn
        .prepare("SELECT id FROM papers WHERE citation_key IS NULL ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Every paper's id, the trash's included, in id order.
pub fn ids(conn: &Connection) -> Result<Vec<i64>> {
    Ok(conn
        .prepare("SELECT id FROM papers ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Clears a paper's citation key and returns the one it had (regenerating keys frees them all
/// first, so papers being regenerated do not block each other's natural keys).
pub fn take_citation_key(conn: &Connection, id: i64) -> Result<Option<String>> {
    let key: Option<String> =
        conn.query_row("SELECT citation_key FROM papers WHERE id = ?1", [id], |r| {
            r.get(0)
        })?;
    conn.execute("UPDATE papers SET citation_key = NULL WHERE id = ?1", [id])?;
    Ok(key)
}
