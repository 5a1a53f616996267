//! User fields: tags, collections, notes, read and starred. Imports never call these writers.

use std::collections::HashMap;

use rusqlite::{params, Connection};

use crate::Result;
use topica_model::Paper;

pub fn load_user_lists(conn: &Connection, p: &mut Paper) -> Result<()> {
    p.tags = conn
        .prepare_cached("SELECT tag FROM tags WHERE paper_id = ?1 ORDER BY tag")?
        .query_map([p.id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    p.collections = conn
        .prepare_cached(
            "SELECT c.name FROM collections c JOIN collection_papers cp ON cp.collection_id = c.id \
             WHERE cp.paper_id = ?1 ORDER BY c.name",
        )?
        .query_map([p.id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    p.topics = super::topics::paper_topic_labels(conn, p.id)?;
    Ok(())
}

/// Every paper's tags, in one query (for rebuilding the index).
pub fn tags_by_paper(conn: &Connection) -> Result<HashMap<i64, Vec<String>>> {
    let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
    let mut stmt = conn.prepare_cached("SELECT paper_id, tag FROM tags ORDER BY tag")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
        let (id, tag) = row?;
        tags.entry(id).or_default().push(tag);
    }
    Ok(tags)
}

/// The tags of each of `ids` (a paper without tags has an empty list).
pub fn tags_of(conn: &Connection, ids: &[i64]) -> Result<HashMap<i64, Vec<String>>> {
    let mut tags: HashMap<i64, Vec<String>> = ids.iter().map(|&id| (id, Vec::new())).collect();
    let wanted = serde_json::to_string(ids).expect("ids serialize");
    let mut stmt = conn.prepare_cached(
        "SELECT paper_id, tag FROM tags WHERE paper_id IN (SELECT value FROM json_each(?1)) ORDER BY tag",
    )?;
    for row in stmt.query_map([wanted], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })? {
        let (id, tag) = row?;
        tags.entry(id).or_default().push(tag);
    }
    Ok(tags)
}

/// Fills tags, collections and topic labels for many papers with three queries instead of three
/// per paper (each reading only these papers' rows).
pub fn load_user_lists_all(conn: &Connection, papers: &mut [Paper]) -> Result<()> {
    let ids: Vec<i64> = papers.iter().map(|p| p.id).collect();
    let ids = serde_json::to_string(&ids).expect("ids serialize");
    let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT paper_id, tag FROM tags WHERE paper_id IN (SELECT value FROM json_each(?1)) ORDER BY tag",
    )?;
    for row in stmt.query_map([&ids], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })? {
        let (id, tag) = row?;
        tags.entry(id).or_default().push(tag);
    }
    let mut cols: HashMap<i64, Vec<String>> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT cp.paper_id, c.name FROM collections c JOIN collection_papers cp ON cp.collection_id = c.id \
         WHERE cp.paper_id IN (SELECT value FROM json_each(?1)) ORDER BY c.name",
    )?;
    for row in stmt.query_map([&ids], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })? {
        let (id, name) = row?;
        cols.entry(id).or_default().push(name);
    }
    let mut topics = super::topics::topic_labels_of(conn, &ids)?;
    for p in papers {
        p.tags = tags.remove(&p.id).unwrap_or_default();
        p.collections = cols.remove(&p.id).unwrap_or_default();
        p.topics = topics.remove(&p.id).unwrap_or_default();
    }
    Ok(())
}

pub fn set_tags(conn: &Connection, id: i64, tags: &[String]) -> Result<()> {
    conn.execute("DELETE FROM tags WHERE paper_id = ?1", [id])?;
    let mut stmt =
        conn.prepare_cached("INSERT OR IGNORE INTO tags(paper_id, tag) VALUES (?1, ?2)")?;
    for t in tags {
        let t = t.trim();
        if !t.is_empty() {
            stmt.execute(params![id, t])?;
        }
    }
    Ok(())
}

pub fn set_collections(conn: &Connection, id: i64, names: &[String]) -> Result<()> {
    conn.execute("DELETE FROM collection_papers WHERE paper_id = ?1", [id])?;
    for name in names {
        let name = name.trim();
        if name.is_empty() {
            continue;
        }
        create_collection(conn, name)?;
        conn.execute(
            "INSERT OR IGNORE INTO collection_papers(collection_id, paper_id) \
             SELECT id, ?2 FROM collections WHERE name = ?1",
            params![name, id],
        )?;
    }
    Ok(())
}

pub fn set_notes(conn: &Connection, id: i64, notes: &str) -> Result<()> {
    conn.execute(
        "UPDATE papers SET notes = ?2 WHERE id = ?1",
        params![id, notes],
    )?;
    Ok(())
}

pub fn set_flags(
    conn: &Connection,
    id: i64,
    read: Option<bool>,
    starred: Option<bool>,
) -> Result<()> {
    if let Some(r) = read {
        conn.execute("UPDATE papers SET read = ?2 WHERE id = ?1", params![id, r])?;
    }
    if let Some(s) = starred {
        conn.execute(
            "UPDATE papers SET starred = ?2 WHERE id = ?1",
            params![id, s],
        )?;
    }
    Ok(())
}

/// All tag names with their paper counts.
pub fn tag_counts(conn: &Connection) -> Result<Vec<(String, usize)>> {
    // Trashed papers keep their tags but are not counted.
    let mut stmt = conn.prepare(
        "SELECT t.tag, count(*) FILTER (WHERE p.trashed_at IS NULL) FROM tags t JOIN papers p ON p.id = t.paper_id \
         GROUP BY t.tag ORDER BY t.tag",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as usize)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The condition "collection `d` is `?1` or nested under it": collections nest by name, a child
/// being named `Parent/Child` (compared by prefix, so no name needs escaping).
const IN_SUBTREE: &str = "(d.name = ?1 OR substr(d.name, 1, length(?1) + 1) = ?1 || '/')";

/// All collection names (paths) with their paper counts, sub-collections' papers included.
pub fn collection_counts(conn: &Connection) -> Result<Vec<(String, usize)>> {
    let mut stmt = conn.prepare(
        "SELECT c.name, (SELECT count(DISTINCT cp.paper_id) FROM collection_papers cp \
           JOIN collections d ON d.id = cp.collection_id JOIN papers p ON p.id = cp.paper_id \
           WHERE p.trashed_at IS NULL AND (d.name = c.name OR substr(d.name, 1, length(c.name) + 1) = c.name || '/')) \
         FROM collections c ORDER BY c.name",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as usize)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Ids of the papers in a collection (and its sub-collections, `with_children`), in id order;
/// `None` when no collection has that name.
pub fn collection_paper_ids(
    conn: &Connection,
    name: &str,
    with_children: bool,
) -> Result<Option<Vec<i64>>> {
    let exists: bool = conn.query_row(
        "SELECT count(*) FROM collections WHERE name = ?1",
        [name],
        |r| r.get::<_, i64>(0),
    )? > 0;
    if !exists {
        return Ok(None);
    }
    let which = if with_children {
        IN_SUBTREE
    } else {
        "d.name = ?1"
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT DISTINCT cp.paper_id FROM collection_papers cp JOIN collections d ON d.id = cp.collection_id \
         JOIN papers p ON p.id = cp.paper_id WHERE {which} AND p.trashed_at IS NULL ORDER BY cp.paper_id"
    ))?;
    let ids = stmt
        .query_map([name], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(ids))
}

/// The SQL condition on `p.id` for "in collection ?1 or one nested under it" (the list's view).
pub fn in_collection_subtree_sql() -> String {
    format!(
        "p.id IN (SELECT cp.paper_id FROM collection_papers cp JOIN collections d ON d.id = cp.collection_id WHERE {IN_SUBTREE})"
    )
}

/// A collection and everything nested under it, as (name, its own papers' ids): what a rename,
/// move or delete of the subtree changes, kept for undo.
pub type CollectionRows = Vec<(String, Vec<i64>)>;

/// The rows of the subtree at `name` (the trash's papers included), by name.
pub fn collection_subtree(conn: &Connection, name: &str) -> Result<CollectionRows> {
    let names: Vec<String> = conn
        .prepare(&format!(
            "SELECT d.name FROM collections d WHERE {IN_SUBTREE} ORDER BY d.name"
        ))?
        .query_map([name], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(names.len());
    for n in names {
        let ids: Vec<i64> = conn
            .prepare_cached(
                "SELECT cp.paper_id FROM collection_papers cp JOIN collections c ON c.id = cp.collection_id \
                 WHERE c.name = ?1 ORDER BY cp.paper_id",
            )?
            .query_map([&n], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        out.push((n, ids));
    }
    Ok(out)
}

/// Deletes the subtree at `name` (its papers stay in the library).
pub fn delete_collection_subtree(conn: &Connection, name: &str) -> Result<()> {
    conn.execute(
        &format!("DELETE FROM collections WHERE id IN (SELECT d.id FROM collections d WHERE {IN_SUBTREE})"),
        [name],
    )?;
    Ok(())
}

/// Creates the collections `rows` names (and every ancestor a path implies) with their papers.
pub fn put_collections(conn: &Connection, rows: &[(String, Vec<i64>)]) -> Result<()> {
    for (name, ids) in rows {
        create_collection(conn, name)?;
        collect_many(conn, ids, name, true)?;
    }
    Ok(())
}

/// Creates collection `name` and the ancestors its path implies (`A/B/C` → `A`, `A/B`).
pub fn create_collection(conn: &Connection, name: &str) -> Result<()> {
    let mut path = String::new();
    for part in name.split('/') {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str(part);
        conn.execute(
            "INSERT OR IGNORE INTO collections(name) VALUES (?1)",
            [&path],
        )?;
    }
    Ok(())
}

/// Whether a collection is named `name`.
pub fn collection_exists(conn: &Connection, name: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT count(*) FROM collections WHERE name = ?1",
        [name],
        |r| r.get::<_, i64>(0),
    )? > 0)
}

/// Ids of the papers carrying `tag`, in id order.
pub fn tag_paper_ids(conn: &Connection, tag: &str) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare(
        "SELECT t.paper_id FROM tags t JOIN papers p ON p.id = t.paper_id \
         WHERE t.tag = ?1 AND p.trashed_at IS NULL ORDER BY t.paper_id",
    )?;
    let ids = stmt
        .query_map([tag], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// Gives `tag` to the papers `ids` (`on`) or takes it from them; returns the papers that
/// changed (those that lacked it, or had it), in id order.
pub fn tag_many(conn: &Connection, ids: &[i64], tag: &str, on: bool) -> Result<Vec<i64>> {
    let wanted = serde_json::to_string(ids).expect("ids serialize");
    let changed: Vec<i64> = conn
        .prepare_cached(
            "SELECT p.id FROM papers p WHERE p.id IN (SELECT value FROM json_each(?1)) \
             AND EXISTS (SELECT 1 FROM tags t WHERE t.paper_id = p.id AND t.tag = ?2) = ?3 ORDER BY p.id",
        )?
        .query_map(params![wanted, tag, !on], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let changed_json = serde_json::to_string(&changed).expect("ids serialize");
    if on {
        conn.execute(
            "INSERT OR IGNORE INTO tags(paper_id, tag) SELECT value, ?2 FROM json_each(?1)",
            params![changed_json, tag],
        )?;
    } else {
        conn.execute(
            "DELETE FROM tags WHERE tag = ?2 AND paper_id IN (SELECT value FROM json_each(?1))",
            params![changed_json, tag],
        )?;
    }
    Ok(changed)
}

/// Puts the papers `ids` in collection `name` (`on`, creating it) or takes them out; returns
/// the papers that changed, in id order.
pub fn collect_many(conn: &Connection, ids: &[i64], name: &str, on: bool) -> Result<Vec<i64>> {
    if on {
        create_collection(conn, name)?;
    }
    let wanted = serde_json::to_string(ids).expect("ids serialize");
    let changed: Vec<i64> = conn
        .prepare_cached(
            "SELECT p.id FROM papers p WHERE p.id IN (SELECT value FROM json_each(?1)) \
             AND EXISTS (SELECT 1 FROM collection_papers cp JOIN collections c ON c.id = cp.collection_id \
                         WHERE cp.paper_id = p.id AND c.name = ?2) = ?3 ORDER BY p.id",
        )?
        .query_map(params![wanted, name, !on], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let changed_json = serde_json::to_string(&changed).expect("ids serialize");
    if on {
        conn.execute(
            "INSERT OR IGNORE INTO collection_papers(collection_id, paper_id) \
             SELECT c.id, j.value FROM collections c, json_each(?1) j WHERE c.name = ?2",
            params![changed_json, name],
        )?;
    } else {
        conn.execute(
            "DELETE FROM collection_papers WHERE paper_id IN (SELECT value FROM json_each(?1)) \
             AND collection_id = (SELECT id FROM collections WHERE name = ?2)",
            params![changed_json, name],
        )?;
    }
    Ok(changed)
}

/// (id, read, starred) of the papers `ids`, in id order.
pub fn flags_of(conn: &Connection, ids: &[i64]) -> Result<Vec<(i64, bool, bool)>> {
    let wanted = serde_json::to_string(ids).expect("ids serialize");
    Ok(conn
        .prepare_cached(
            "SELECT id, read, starred FROM papers WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id",
        )?
        .query_map([wanted], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Sets read and/or starred on many papers at once.
pub fn set_flags_many(
    conn: &Connection,
    ids: &[i64],
    read: Option<bool>,
    starred: Option<bool>,
) -> Result<()> {
    let wanted = serde_json::to_string(ids).expect("ids serialize");
    conn.execute(
        "UPDATE papers SET read = coalesce(?2, read), starred = coalesce(?3, starred) \
         WHERE id IN (SELECT value FROM json_each(?1))",
        params![wanted, read, starred],
    )?;
    Ok(())
}

/// Papers (the trash's too) that carry `tag`, in id order.
pub fn tagged(conn: &Connection, tag: &str) -> Result<Vec<i64>> {
    Ok(conn
        .prepare_cached("SELECT paper_id FROM tags WHERE tag = ?1 ORDER BY paper_id")?
        .query_map([tag], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Renames `from` to `to` on every paper (merging into `to` where a paper has both).
pub fn rename_tag(conn: &Connection, from: &str, to: &str) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO tags(paper_id, tag) SELECT paper_id, ?2 FROM tags WHERE tag = ?1",
        params![from, to],
    )?;
    conn.execute("DELETE FROM tags WHERE tag = ?1", [from])?;
    Ok(())
}

/// Gives `tag` to the papers `ids` (the trash's too), whatever they had.
pub fn put_tag(conn: &Connection, ids: &[i64], tag: &str) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO tags(paper_id, tag) SELECT value, ?2 FROM json_each(?1)",
        params![serde_json::to_string(ids).expect("ids serialize"), tag],
    )?;
    Ok(())
}

/// Takes `tag` from the papers `ids`.
pub fn take_tag(conn: &Connection, ids: &[i64], tag: &str) -> Result<()> {
    conn.execute(
        "DELETE FROM tags WHERE tag = ?2 AND paper_id IN (SELECT value FROM json_each(?1))",
        params![serde_json::to_string(ids).expect("ids serialize"), tag],
    )?;
    Ok(())
}

/// Tag colours as (tag, CSS colour), by tag.
pub fn tag_colors(conn: &Connection) -> Result<Vec<(String, String)>> {
    Ok(conn
        .prepare_cached("SELECT tag, color FROM tag_colors ORDER BY tag")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Gives `tag` a colour (`None`: takes it away). Returns the colour it had.
pub fn set_tag_color(conn: &Connection, tag: &str, color: Option<&str>) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    let before: Option<String> = conn
        .prepare_cached("SELECT color FROM tag_colors WHERE tag = ?1")?
        .query_row([tag], |r| r.get(0))
        .optional()?;
    match color {
        Some(c) => conn.execute(
            "INSERT INTO tag_colors(tag, color) VALUES (?1, ?2) \
             ON CONFLICT(tag) DO UPDATE SET color = excluded.color",
            params![tag, c],
        )?,
        None => conn.execute("DELETE FROM tag_colors WHERE tag = ?1", [tag])?,
    };
    Ok(before)
}
