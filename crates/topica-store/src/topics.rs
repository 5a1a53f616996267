//! SQLite tables of the topic engine (migration 0002): topics, memberships, moves, vocabulary and
//! paper vectors. SQL only; the decisions live in `facade`.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension};

use crate::Result;
use topica_topics::vectorize::{SparseVec, Vocab};

/// A topic row.
#[derive(Debug, Clone, Default)]
pub struct TopicRow {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub level: u8,
    pub label: String,
    pub user_label: Option<String>,
    pub keyphrases: Vec<String>,
    pub pinned: bool,
    pub merged: bool,
    pub centroid: SparseVec,
}

impl TopicRow {
    /// The label shown: the user's if they renamed the topic.
    pub fn shown_label(&self) -> &str {
        self.user_label.as_deref().unwrap_or(&self.label)
    }
}

pub fn topics(conn: &Connection) -> Result<Vec<TopicRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, parent_id, level, label, user_label, keyphrases, pinned, merged, centroid FROM topics ORDER BY level, id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(TopicRow {
            id: r.get(0)?,
            parent_id: r.get(1)?,
            level: r.get(2)?,
            label: r.get(3)?,
            user_label: r.get(4)?,
            keyphrases: serde_json::from_str(&r.get::<_, String>(5)?).unwrap_or_default(),
            pinned: r.get(6)?,
            merged: r.get(7)?,
            centroid: SparseVec::from_bytes(&r.get::<_, Vec<u8>>(8)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn topic(conn: &Connection, id: i64) -> Result<Option<TopicRow>> {
    Ok(topics(conn)?.into_iter().find(|t| t.id == id))
}

pub fn has_model(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM topics WHERE level = 1)",
        [],
        |r| r.get(0),
    )?)
}

/// (paper, leaf, centrality) of every paper's primary leaf, most central first within a leaf.
pub fn primary_leaves(conn: &Connection) -> Result<Vec<(i64, i64, f32)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT paper_id, topic_id, centrality FROM topic_papers WHERE primary_leaf = 1 ORDER BY topic_id, centrality DESC, paper_id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get::<_, f64>(2)? as f32))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// (leaf, centrality) of the primary leaf of each of `ids` that has one.
pub fn primary_leaves_of(conn: &Connection, ids: &[i64]) -> Result<HashMap<i64, (i64, f32)>> {
    let wanted = serde_json::to_string(ids).expect("ids serialize");
    let mut stmt = conn.prepare_cached(
        "SELECT paper_id, topic_id, centrality FROM topic_papers \
         WHERE paper_id IN (SELECT value FROM json_each(?1)) AND primary_leaf = 1",
    )?;
    let rows = stmt.query_map([wanted], |r| {
        Ok((r.get(0)?, (r.get(1)?, r.get::<_, f64>(2)? as f32)))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The `limit` most central papers listed under leaf `topic` with their centralities, most
/// central first.
pub fn central_members(conn: &Connection, topic: i64, limit: usize) -> Result<Vec<(i64, f32)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT paper_id, centrality FROM topic_papers WHERE topic_id = ?1 AND primary_leaf = 1 \
         ORDER BY centrality DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![topic, limit as i64], |r| {
        Ok((r.get(0)?, r.get::<_, f64>(1)? as f32))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Each paper's primary leaf, in no order: a scan of the covering index on `topic_id`, 20× cheaper
/// at 100k papers than [`primary_leaves`], whose order makes SQLite visit every row.
pub fn primary_leaf_of(conn: &Connection) -> Result<HashMap<i64, i64>> {
    let mut stmt =
        conn.prepare_cached("SELECT paper_id, topic_id FROM topic_papers WHERE primary_leaf = 1")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A paper's leaf weights, strongest first.
pub fn paper_weights(conn: &Connection, paper: i64) -> Result<Vec<(i64, f32, bool)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT topic_id, weight, primary_leaf FROM topic_papers WHERE paper_id = ?1 ORDER BY primary_leaf DESC, weight DESC, topic_id",
    )?;
    let rows = stmt.query_map([paper], |r| {
        Ok((r.get(0)?, r.get::<_, f64>(1)? as f32, r.get(2)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Shown labels of a paper's primary leaf and its parent (what `topic:` searches).
pub fn paper_topic_labels(conn: &Connection, paper: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT coalesce(l.user_label, l.label), coalesce(p.user_label, p.label) FROM topic_papers tp \
         JOIN topics l ON l.id = tp.topic_id LEFT JOIN topics p ON p.id = l.parent_id \
         WHERE tp.paper_id = ?1 AND tp.primary_leaf = 1",
    )?;
    let row: Option<(String, Option<String>)> = stmt
        .query_row([paper], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(row
        .map(|(l, p)| std::iter::once(l).chain(p).collect())
        .unwrap_or_default())
}

/// [`paper_topic_labels`] of every paper that has a primary leaf, in one query: loading a whole
/// library asked once per paper, which cost more than reading the papers themselves.
pub fn all_paper_topic_labels(conn: &Connection) -> Result<HashMap<i64, Vec<String>>> {
    topic_labels(conn, None)
}

/// [`paper_topic_labels`] of the papers `ids` (JSON array), in one query.
pub fn topic_labels_of(conn: &Connection, ids: &str) -> Result<HashMap<i64, Vec<String>>> {
    topic_labels(conn, Some(ids))
}

fn topic_labels(conn: &Connection, ids: Option<&str>) -> Result<HashMap<i64, Vec<String>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT tp.paper_id, coalesce(l.user_label, l.label), coalesce(p.user_label, p.label) FROM topic_papers tp \
         JOIN topics l ON l.id = tp.topic_id LEFT JOIN topics p ON p.id = l.parent_id \
         WHERE tp.primary_leaf = 1 AND (?1 IS NULL OR tp.paper_id IN (SELECT value FROM json_each(?1)))",
    )?;
    let rows = stmt.query_map([ids], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    let mut labels = HashMap::new();
    for row in rows {
        let (paper, leaf, parent) = row?;
        labels.insert(paper, std::iter::once(leaf).chain(parent).collect());
    }
    Ok(labels)
}

/// Of `ids`, the papers in the library that have no primary leaf, in id order (each checked
/// through the primary key: no scan of the library).
pub fn unplaced_among(conn: &Connection, ids: &[i64]) -> Result<Vec<i64>> {
    let wanted = serde_json::to_string(ids).expect("ids serialize");
    let mut stmt = conn.prepare_cached(
        "SELECT p.id FROM papers p WHERE p.id IN (SELECT value FROM json_each(?1)) AND p.trashed_at IS NULL \
         AND NOT EXISTS (SELECT 1 FROM topic_papers tp WHERE tp.paper_id = p.id AND tp.primary_leaf = 1) ORDER BY p.id",
    )?;
    let rows = stmt.query_map([wanted], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The papers in the library that have no primary leaf, in id order. Two counts first (0.14 s
/// at 1M papers): when every live paper is placed, the scan (1.7 s) is skipped. The counts agree
/// exactly then, since a trashed paper's memberships leave `topic_papers` with it.
pub fn papers_without_leaf(conn: &Connection) -> Result<Vec<i64>> {
    if crate::papers::count(conn)? as i64 == placed_papers(conn)? {
        return Ok(vec![]);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM papers WHERE trashed_at IS NULL \
         AND id NOT IN (SELECT paper_id FROM topic_papers WHERE primary_leaf = 1) ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn vocab(conn: &Connection) -> Result<Vocab> {
    let mut v = Vocab::default();
    let mut stmt =
        conn.prepare_cached("SELECT id, key, surface, idf FROM topic_terms ORDER BY id")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let key: String = r.get(1)?;
        v.index.insert(key.clone(), r.get::<_, i64>(0)? as u32);
        v.keys.push(key);
        v.surfaces.push(r.get(2)?);
        v.idf.push(r.get::<_, f64>(3)? as f32);
    }
    Ok(v)
}

/// Every paper's vector, the trash's left out (a trashed paper keeps its vector for its restore).
pub fn vectors(conn: &Connection) -> Result<HashMap<i64, SparseVec>> {
    let mut stmt = conn.prepare_cached(
        "SELECT v.paper_id, v.vector FROM topic_vectors v JOIN papers p ON p.id = v.paper_id \
         WHERE p.trashed_at IS NULL",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            SparseVec::from_bytes(&r.get::<_, Vec<u8>>(1)?),
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn moves(conn: &Connection) -> Result<HashMap<i64, i64>> {
    let mut stmt = conn.prepare_cached("SELECT paper_id, topic_id FROM topic_moves")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Replaces the vocabulary and all paper vectors.
pub fn write_vocab(conn: &Connection, vocab: &Vocab, vectors: &[(i64, &SparseVec)]) -> Result<()> {
    conn.execute("DELETE FROM topic_terms", [])?;
    conn.execute("DELETE FROM topic_vectors", [])?;
    let mut stmt = conn
        .prepare_cached("INSERT INTO topic_terms(id, key, surface, idf) VALUES (?1, ?2, ?3, ?4)")?;
    for (i, k) in vocab.keys.iter().enumerate() {
        stmt.execute(params![i as i64, k, vocab.surfaces[i], vocab.idf[i] as f64])?;
    }
    for (id, v) in vectors {
        insert_vector(conn, *id, v)?;
    }
    Ok(())
}

pub fn insert_vector(conn: &Connection, paper: i64, v: &SparseVec) -> Result<()> {
    conn.prepare_cached("INSERT OR REPLACE INTO topic_vectors(paper_id, vector) VALUES (?1, ?2)")?
        .execute(params![paper, v.to_bytes()])?;
    Ok(())
}

/// Inserts or replaces a topic row with its id.
pub fn upsert_topic(conn: &Connection, t: &TopicRow) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO topics(id, parent_id, level, label, user_label, keyphrases, pinned, merged, centroid) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(id) DO UPDATE SET parent_id = excluded.parent_id, \
         level = excluded.level, label = excluded.label, user_label = excluded.user_label, keyphrases = excluded.keyphrases, \
         pinned = excluded.pinned, merged = excluded.merged, centroid = excluded.centroid",
    )?
    .execute(params![
        t.id,
        t.parent_id,
        t.level,
        t.label,
        t.user_label,
        serde_json::to_string(&t.keyphrases).expect("keyphrases serialize"),
        t.pinned,
        t.merged,
        t.centroid.to_bytes()
    ])?;
    Ok(())
}

/// A fresh topic id (never reused: AUTOINCREMENT).
pub fn new_topic_id(conn: &Connection) -> Result<i64> {
    conn.execute("INSERT INTO topics(level, label) VALUES (1, '')", [])?;
    Ok(conn.last_insert_rowid())
}

pub fn delete_topics_except(conn: &Connection, keep: &[i64]) -> Result<()> {
    let keep: std::collections::HashSet<i64> = keep.iter().copied().collect();
    for t in topics(conn)? {
        if !keep.contains(&t.id) {
            conn.execute("DELETE FROM topics WHERE id = ?1", [t.id])?;
        }
    }
    Ok(())
}

/// Empties every paper's weights before a refit writes new ones (those set aside for trashed
/// papers too: the new model places them when they come back).
pub fn clear_memberships(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM topic_papers", [])?;
    conn.execute("DELETE FROM topic_papers_trashed", [])?;
    Ok(())
}

pub fn set_membership(
    conn: &Connection,
    paper: i64,
    topic: i64,
    weight: f32,
    centrality: f32,
    primary: bool,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO topic_papers(paper_id, topic_id, weight, centrality, primary_leaf) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT(paper_id, topic_id) DO UPDATE SET weight = excluded.weight, centrality = excluded.centrality, \
         primary_leaf = excluded.primary_leaf",
    )?
    .execute(params![paper, topic, weight as f64, centrality as f64, primary])?;
    Ok(())
}

/// Gives a topic the user's label (`None`: back to the model's).
pub fn set_user_label(conn: &Connection, topic: i64, label: Option<&str>) -> Result<()> {
    conn.execute(
        "UPDATE topics SET user_label = ?2 WHERE id = ?1",
        params![topic, label],
    )?;
    Ok(())
}

/// Pins or unpins a topic.
pub fn set_pinned(conn: &Connection, topic: i64, pinned: bool) -> Result<()> {
    conn.execute(
        "UPDATE topics SET pinned = ?2 WHERE id = ?1",
        params![topic, pinned],
    )?;
    Ok(())
}

/// Merges topic `from` into `into`: a leaf's papers and moves (papers keep their other weights;
/// the merged leaf becomes their primary one), or a parent's leaves; `into` is marked merged
/// and `from` deleted.
pub fn merge(conn: &Connection, from: i64, into: i64, leaves: bool) -> Result<()> {
    if leaves {
        conn.execute(
            "UPDATE OR REPLACE topic_papers SET topic_id = ?2 WHERE topic_id = ?1",
            params![from, into],
        )?;
        conn.execute(
            "UPDATE topic_moves SET topic_id = ?2 WHERE topic_id = ?1",
            params![from, into],
        )?;
    } else {
        conn.execute(
            "UPDATE topics SET parent_id = ?2 WHERE parent_id = ?1",
            params![from, into],
        )?;
    }
    conn.execute("UPDATE topics SET merged = 1 WHERE id = ?1", [into])?;
    conn.execute("DELETE FROM topics WHERE id = ?1", [from])?;
    Ok(())
}

/// Makes none of a paper's leaves its primary one (before it moves).
pub fn clear_primary_leaf(conn: &Connection, paper: i64) -> Result<()> {
    conn.execute(
        "UPDATE topic_papers SET primary_leaf = 0 WHERE paper_id = ?1",
        [paper],
    )?;
    Ok(())
}

/// A paper's stored TF-IDF vector, if it has one.
pub fn paper_vector(conn: &Connection, paper: i64) -> Result<Option<SparseVec>> {
    Ok(conn
        .query_row(
            "SELECT vector FROM topic_vectors WHERE paper_id = ?1",
            [paper],
            |r| r.get::<_, Vec<u8>>(0),
        )
        .optional()?
        .map(|b| SparseVec::from_bytes(&b)))
}

/// Remembers that the user moved `paper` into `topic` (it stays there across refits).
pub fn record_move(conn: &Connection, paper: i64, topic: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO topic_moves(paper_id, topic_id) VALUES (?1, ?2) ON CONFLICT(paper_id) DO UPDATE SET topic_id = excluded.topic_id",
        [paper, topic],
    )?;
    Ok(())
}

/// (year, papers) of the papers listed under `topic` (a leaf, or every leaf of a parent), for
/// each year with any, oldest first. One topic at a time: every topic's years at once join every
/// paper (2–10 s at 1M papers).
pub fn papers_per_year(conn: &Connection, topic: i64) -> Result<Vec<(i32, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.year, count(*) FROM topic_papers tp
         JOIN topics t ON t.id = tp.topic_id JOIN papers p ON p.id = tp.paper_id
         WHERE tp.primary_leaf = 1 AND (t.id = ?1 OR t.parent_id = ?1) AND p.year IS NOT NULL
         GROUP BY p.year ORDER BY p.year",
    )?;
    let rows = stmt.query_map([topic], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many papers each leaf lists, from the covering index (0.12 s at 1M papers).
pub fn leaf_sizes(conn: &Connection) -> Result<HashMap<i64, usize>> {
    let mut stmt = conn.prepare_cached(
        "SELECT topic_id, count(*) FROM topic_papers WHERE primary_leaf = 1 GROUP BY topic_id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as usize)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Of `ids`, those listed under `topic` (a leaf, or every leaf of a parent), in no order; each
/// paper's leaf is read through the primary key.
pub fn listed_among(conn: &Connection, ids: &[i64], topic: i64) -> Result<Vec<i64>> {
    let wanted = serde_json::to_string(ids).expect("ids serialize");
    let mut stmt = conn.prepare_cached(
        "SELECT tp.paper_id FROM topic_papers tp JOIN topics t ON t.id = tp.topic_id
         WHERE tp.paper_id IN (SELECT value FROM json_each(?1)) AND tp.primary_leaf = 1
         AND (t.id = ?2 OR t.parent_id = ?2)",
    )?;
    let rows = stmt.query_map(params![wanted, topic], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The papers listed under `topic` (a leaf, or every leaf of a parent), most central first.
pub fn members_central(conn: &Connection, topic: i64) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT tp.paper_id FROM topic_papers tp JOIN topics t ON t.id = tp.topic_id
         WHERE tp.primary_leaf = 1 AND (t.id = ?1 OR t.parent_id = ?1)
         ORDER BY tp.centrality DESC, tp.paper_id",
    )?;
    let rows = stmt.query_map([topic], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every leaf's id and centroid, by id.
pub fn leaf_centroids(conn: &Connection) -> Result<Vec<(i64, SparseVec)>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, centroid FROM topics WHERE level = 1 ORDER BY id")?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get(0)?, SparseVec::from_bytes(&r.get::<_, Vec<u8>>(1)?)))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One paper's weight on one leaf, as the paper map reads it.
pub struct MapWeight {
    pub paper: i64,
    pub topic: i64,
    pub weight: f32,
    pub centrality: f32,
    pub primary: bool,
}

/// Every row of `topic_papers` (live papers only: a trashed paper's rows are set aside), in no
/// order: one scan, the caller groups them.
pub fn map_weights(conn: &Connection) -> Result<Vec<MapWeight>> {
    let mut stmt = conn.prepare_cached(
        "SELECT paper_id, topic_id, weight, centrality, primary_leaf FROM topic_papers",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(MapWeight {
            paper: r.get(0)?,
            topic: r.get(1)?,
            weight: r.get::<_, f64>(2)? as f32,
            centrality: r.get::<_, f64>(3)? as f32,
            primary: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many papers have a primary leaf.
pub fn placed_papers(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM topic_papers WHERE primary_leaf = 1",
        [],
        |r| r.get(0),
    )?)
}

/// Takes papers leaving for the trash out of their topics: their weights are set aside in
/// `topic_papers_trashed` and their vectors stay, so a restore puts them back as they were. The
/// user's moves stay.
pub fn stash_memberships(conn: &Connection, ids: &[i64]) -> Result<()> {
    move_memberships(conn, ids, "topic_papers", "topic_papers_trashed", "REPLACE")
}

/// Puts back the weights set aside when these papers went to the trash (none after a refit:
/// those papers are placed like new ones).
pub fn unstash_memberships(conn: &Connection, ids: &[i64]) -> Result<()> {
    move_memberships(conn, ids, "topic_papers_trashed", "topic_papers", "IGNORE")
}

/// Moves the papers' rows from one of the two weight tables (same columns) to the other.
fn move_memberships(conn: &Connection, ids: &[i64], from: &str, to: &str, or: &str) -> Result<()> {
    let wanted = serde_json::to_string(ids).expect("ids serialize");
    let these = "paper_id IN (SELECT value FROM json_each(?1))";
    conn.execute(
        &format!("INSERT OR {or} INTO {to} SELECT * FROM {from} WHERE {these}"),
        [&wanted],
    )?;
    conn.execute(&format!("DELETE FROM {from} WHERE {these}"), [&wanted])?;
    Ok(())
}

/// Forgets papers' weights and vectors (their text changed): they are placed again like new ones.
pub fn forget_papers(conn: &Connection, ids: &[i64]) -> Result<()> {
    let wanted = serde_json::to_string(ids).expect("ids serialize");
    for table in ["topic_papers", "topic_papers_trashed", "topic_vectors"] {
        conn.execute(
            &format!("DELETE FROM {table} WHERE paper_id IN (SELECT value FROM json_each(?1))"),
            [&wanted],
        )?;
    }
    Ok(())
}

/// The stored vectors of the papers `ids` that have one and are not in the trash.
pub fn vectors_of(conn: &Connection, ids: &[i64]) -> Result<HashMap<i64, SparseVec>> {
    let wanted = serde_json::to_string(ids).expect("ids serialize");
    let mut stmt = conn.prepare_cached(
        // The trash from its partial index: a lookup in `papers` per id read its row's pages.
        "SELECT paper_id, vector FROM topic_vectors WHERE paper_id IN (SELECT value FROM json_each(?1)) \
         AND paper_id NOT IN (SELECT id FROM papers WHERE trashed_at IS NOT NULL)",
    )?;
    let rows = stmt.query_map([wanted], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            SparseVec::from_bytes(&r.get::<_, Vec<u8>>(1)?),
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The leaf the user moved `paper` into, if they did.
pub fn moved_to(conn: &Connection, paper: i64) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT topic_id FROM topic_moves WHERE paper_id = ?1")?
        .query_row([paper], |r| r.get(0))
        .optional()?)
}

/// Which topic rows a user's topic edit touches, so its state before and after can be kept
/// for undo: a merge touches two topics (their rows, their leaves' parents, their papers'
/// weights and moves); a moved paper touches that paper's weights and move.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TopicScope {
    Topics(Vec<i64>),
    Paper(i64),
}

/// The rows a [`TopicScope`] covers, as they are at one moment.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TopicState {
    /// (id, parent, level, label, user label, keyphrases JSON, pinned, merged, centroid bytes)
    #[allow(clippy::type_complexity)]
    topics: Vec<(
        i64,
        Option<i64>,
        i64,
        String,
        Option<String>,
        String,
        bool,
        bool,
        Vec<u8>,
    )>,
    /// (leaf, parent) of the leaves under the scope's topics.
    children: Vec<(i64, Option<i64>)>,
    /// (paper, topic, weight, centrality, primary)
    memberships: Vec<(i64, i64, f64, f64, bool)>,
    /// (paper, topic)
    moves: Vec<(i64, i64)>,
}

fn scope_filter(scope: &TopicScope) -> (&'static str, String) {
    match scope {
        TopicScope::Topics(ids) => (
            "topic_id IN (SELECT value FROM json_each(?1))",
            serde_json::to_string(ids).expect("ids serialize"),
        ),
        TopicScope::Paper(id) => ("paper_id = ?1", id.to_string()),
    }
}

/// The rows `scope` covers, now.
pub fn topic_state(conn: &Connection, scope: &TopicScope) -> Result<TopicState> {
    let (filter, arg) = scope_filter(scope);
    let mut state = TopicState {
        topics: Vec::new(),
        children: Vec::new(),
        memberships: Vec::new(),
        moves: Vec::new(),
    };
    if let TopicScope::Topics(ids) = scope {
        let ids = serde_json::to_string(ids).expect("ids serialize");
        let mut stmt = conn.prepare(
            "SELECT id, parent_id, level, label, user_label, keyphrases, pinned, merged, centroid FROM topics \
             WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id",
        )?;
        state.topics = stmt
            .query_map([&ids], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = conn.prepare(
            "SELECT id, parent_id FROM topics WHERE parent_id IN (SELECT value FROM json_each(?1)) ORDER BY id",
        )?;
        state.children = stmt
            .query_map([&ids], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
    }
    let mut stmt = conn.prepare(&format!(
        "SELECT paper_id, topic_id, weight, centrality, primary_leaf FROM topic_papers WHERE {filter} \
         ORDER BY paper_id, topic_id"
    ))?;
    state.memberships = stmt
        .query_map([&arg], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare(&format!(
        "SELECT paper_id, topic_id FROM topic_moves WHERE {filter} ORDER BY paper_id"
    ))?;
    state.moves = stmt
        .query_map([&arg], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(state)
}

/// Puts the rows `scope` covers back as `state` has them (undo and redo of a topic edit).
pub fn put_topic_state(conn: &Connection, scope: &TopicScope, state: &TopicState) -> Result<()> {
    let (filter, arg) = scope_filter(scope);
    for t in &state.topics {
        conn.execute(
            "INSERT INTO topics(id, parent_id, level, label, user_label, keyphrases, pinned, merged, centroid) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(id) DO UPDATE SET parent_id = excluded.parent_id, \
             level = excluded.level, label = excluded.label, user_label = excluded.user_label, \
             keyphrases = excluded.keyphrases, pinned = excluded.pinned, merged = excluded.merged, \
             centroid = excluded.centroid",
            params![t.0, t.1, t.2, t.3, t.4, t.5, t.6, t.7, t.8],
        )?;
    }
    if let TopicScope::Topics(ids) = scope {
        let gone: Vec<i64> = ids
            .iter()
            .copied()
            .filter(|id| !state.topics.iter().any(|t| t.0 == *id))
            .collect();
        conn.execute(
            "DELETE FROM topics WHERE id IN (SELECT value FROM json_each(?1))",
            [serde_json::to_string(&gone).expect("ids serialize")],
        )?;
        for (leaf, parent) in &state.children {
            conn.execute(
                "UPDATE topics SET parent_id = ?2 WHERE id = ?1",
                params![leaf, parent],
            )?;
        }
    }
    conn.execute(&format!("DELETE FROM topic_papers WHERE {filter}"), [&arg])?;
    for m in &state.memberships {
        conn.execute(
            "INSERT OR REPLACE INTO topic_papers(paper_id, topic_id, weight, centrality, primary_leaf) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![m.0, m.1, m.2, m.3, m.4],
        )?;
    }
    conn.execute(&format!("DELETE FROM topic_moves WHERE {filter}"), [&arg])?;
    for (paper, topic) in &state.moves {
        conn.execute(
            "INSERT OR REPLACE INTO topic_moves(paper_id, topic_id) VALUES (?1, ?2)",
            params![paper, topic],
        )?;
    }
    Ok(())
}

/// Replaces the glued words with a fit's (word → its words).
pub fn set_glued_words(conn: &Connection, glued: &topica_model::GluedWords) -> Result<()> {
    conn.execute("DELETE FROM glued_words", [])?;
    let mut stmt = conn.prepare_cached("INSERT INTO glued_words(word, parts) VALUES (?1, ?2)")?;
    for (word, parts) in glued {
        stmt.execute(params![word, parts.join(" ")])?;
    }
    Ok(())
}

/// The glued words the last fit found.
pub fn glued_words(conn: &Connection) -> Result<topica_model::GluedWords> {
    let mut stmt = conn.prepare_cached("SELECT word, parts FROM glued_words")?;
    let rows = stmt.query_map([], |r| {
        let parts: String = r.get(1)?;
        Ok((r.get(0)?, parts.split(' ').map(str::to_string).collect()))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
