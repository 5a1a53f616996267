//! What the desktop list reads: the ids of a sidebar view in a sort order, and the light rows
//! of a window of them (see `browse`).

use std::collections::HashMap;

use rusqlite::{params_from_iter, Connection};

use crate::Result;
use topica_model::{short_authors, PaperRow, SortBy, View};
use topica_model::{Author, Paper};

/// Ids of the papers in `view`, in `sort` order (newest first for added and year, A→Z for title).
/// Every view but the trash lists only papers in the library.
pub fn view_ids(conn: &Connection, view: &View, sort: SortBy) -> Result<Vec<i64>> {
    if *view == View::Trash {
        return super::papers::trashed_ids(conn);
    }
    let subtree = super::user::in_collection_subtree_sql();
    let (filter, arg): (&str, Option<&str>) = match view {
        View::Trash => unreachable!("answered above"),
        View::All => ("1", None),
        View::Unread => ("p.read = 0", None),
        View::Starred => ("p.starred = 1", None),
        View::Recent => (
            "p.date_added >= strftime('%Y-%m-%dT%H:%M:%SZ', (SELECT max(date_added) FROM papers WHERE trashed_at IS NULL), '-30 days')",
            None,
        ),
        View::Tag(t) => ("p.id IN (SELECT paper_id FROM tags WHERE tag = ?1)", Some(t.as_str())),
        // A collection lists the papers of the collections nested under it too.
        View::Collection(c) => (subtree.as_str(), Some(c.as_str())),
    };
    let order = match sort {
        SortBy::Added => "p.date_added DESC, p.id DESC",
        // NULL years come last under DESC; this is the `papers_year` index's order.
        SortBy::Year => "p.year DESC, p.month DESC, p.id DESC",
        // Untitled papers sort by the abstract they are shown by.
        SortBy::Title => "lower(coalesce(nullif(p.title, ''), p.abstract, '')), p.id",
    };
    let sql = format!(
        "SELECT p.id FROM papers p WHERE p.trashed_at IS NULL AND {filter} ORDER BY {order}"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let ids = stmt
        .query_map(params_from_iter(arg), |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(ids)
}

/// List rows for `ids`, in the order given; unknown ids are left out.
pub fn rows(conn: &Connection, ids: &[i64]) -> Result<Vec<PaperRow>> {
    let mut found: HashMap<i64, PaperRow> = HashMap::with_capacity(ids.len());
    // SQLite's default limit on bound parameters is 32766; chunk well below it.
    for chunk in ids.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(",");
        let sql = format!(
            "SELECT id, title, substr(abstract, 1, 400), authors, year, arxiv_id, read, starred, date_added \
             FROM papers WHERE id IN ({marks})"
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(chunk), |r| {
            let paper = Paper {
                id: r.get(0)?,
                title: r.get(1)?,
                abstract_text: r.get(2)?,
                arxiv_id: r.get(5)?,
                ..Paper::default()
            };
            let authors: Vec<Author> =
                serde_json::from_str(&r.get::<_, String>(3)?).unwrap_or_default();
            Ok(PaperRow {
                id: paper.id,
                title: paper.display_title(),
                authors: short_authors(&authors),
                year: r.get(4)?,
                arxiv_id: paper.arxiv_id,
                read: r.get(6)?,
                starred: r.get(7)?,
                date_added: r.get(8)?,
            })
        })?;
        for row in rows {
            let row = row?;
            found.insert(row.id, row);
        }
    }
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}
