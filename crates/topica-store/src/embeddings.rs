//! Semantic mode's cache (`embeddings`, migration 0012): one vector per paper and model, with the
//! hash of the text it was made from; and the dense centroids a semantic fit gives its topics.

use std::collections::HashMap;

use rusqlite::{params, Connection};

use crate::Result;

fn to_blob(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn from_blob(b: &[u8]) -> Vec<f32> {
    b.chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

/// The text hash each paper's vector under `model` was made from.
pub fn hashes(conn: &Connection, model: &str) -> Result<HashMap<i64, i64>> {
    Ok(conn
        .prepare_cached("SELECT paper_id, text_hash FROM embeddings WHERE model = ?1")?
        .query_map([model], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Stores vectors (paper, text hash, vector), replacing older ones of the same model.
pub fn put(conn: &Connection, model: &str, rows: &[(i64, i64, Vec<f32>)]) -> Result<()> {
    let mut st = conn.prepare_cached(
        "INSERT INTO embeddings(paper_id, model, text_hash, vector) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT(paper_id, model) DO UPDATE SET text_hash = excluded.text_hash, \
         vector = excluded.vector",
    )?;
    for (id, hash, v) in rows {
        st.execute(params![id, model, hash, to_blob(v)])?;
    }
    Ok(())
}

/// Every stored vector of `model`, by paper (papers that are gone included; callers pick theirs).
pub fn vectors(conn: &Connection, model: &str) -> Result<HashMap<i64, Vec<f32>>> {
    Ok(conn
        .prepare_cached("SELECT paper_id, vector FROM embeddings WHERE model = ?1")?
        .query_map([model], |r| {
            Ok((r.get::<_, i64>(0)?, from_blob(&r.get::<_, Vec<u8>>(1)?)))
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// The stored vectors of `model` of the papers `ids` that have one.
pub fn vectors_of(conn: &Connection, model: &str, ids: &[i64]) -> Result<HashMap<i64, Vec<f32>>> {
    let wanted = serde_json::to_string(ids).expect("ids serialize");
    Ok(conn
        .prepare_cached(
            "SELECT paper_id, vector FROM embeddings \
             WHERE model = ?1 AND paper_id IN (SELECT value FROM json_each(?2))",
        )?
        .query_map(params![model, wanted], |r| {
            Ok((r.get::<_, i64>(0)?, from_blob(&r.get::<_, Vec<u8>>(1)?)))
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// The text hash of one paper's vector under `model`.
pub fn hash_of(conn: &Connection, model: &str, paper: i64) -> Result<Option<i64>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached("SELECT text_hash FROM embeddings WHERE model = ?1 AND paper_id = ?2")?
        .query_row(params![model, paper], |r| r.get(0))
        .optional()?)
}

/// One paper's vector under `model`.
pub fn vector(conn: &Connection, model: &str, paper: i64) -> Result<Option<Vec<f32>>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached("SELECT vector FROM embeddings WHERE model = ?1 AND paper_id = ?2")?
        .query_row(params![model, paper], |r| r.get::<_, Vec<u8>>(0))
        .optional()?
        .map(|b| from_blob(&b)))
}

/// How many papers have a vector of `model`.
pub fn count(conn: &Connection, model: &str) -> Result<usize> {
    Ok(conn.query_row(
        "SELECT count(*) FROM embeddings e JOIN papers p ON p.id = e.paper_id WHERE e.model = ?1",
        [model],
        |r| r.get::<_, i64>(0),
    )? as usize)
}

/// Drops the vectors of papers that no longer exist and of other models.
pub fn prune(conn: &Connection, model: &str) -> Result<usize> {
    Ok(conn.execute(
        "DELETE FROM embeddings WHERE model <> ?1 \
         OR paper_id NOT IN (SELECT id FROM papers)",
        [model],
    )?)
}

/// Sets (or clears) a topic's dense centroid.
pub fn set_topic_centroid(conn: &Connection, topic: i64, v: Option<&[f32]>) -> Result<()> {
    conn.execute(
        "UPDATE topics SET embedding = ?2 WHERE id = ?1",
        params![topic, v.map(to_blob)],
    )?;
    Ok(())
}

/// The dense centroids of the leaf topics that have one (after a semantic fit), by topic.
pub fn leaf_centroids(conn: &Connection) -> Result<Vec<(i64, Vec<f32>)>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, embedding FROM topics WHERE level = 1 AND embedding IS NOT NULL ORDER BY id",
        )?
        .query_map([], |r| {
            Ok((r.get::<_, i64>(0)?, from_blob(&r.get::<_, Vec<u8>>(1)?)))
        })?
        .collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_round_trip_and_are_replaced_per_model() {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::open(&dir.path().join("t.sqlite")).unwrap();
        put(
            &conn,
            "m",
            &[(1, 10, vec![0.5, -0.25]), (2, 20, vec![1.0, 0.0])],
        )
        .unwrap();
        put(&conn, "m", &[(1, 11, vec![0.0, 1.0])]).unwrap();
        put(&conn, "other", &[(1, 99, vec![9.0])]).unwrap();
        assert_eq!(
            hashes(&conn, "m").unwrap(),
            HashMap::from([(1, 11), (2, 20)])
        );
        assert_eq!(vector(&conn, "m", 1).unwrap(), Some(vec![0.0, 1.0]));
        assert_eq!(vectors(&conn, "m").unwrap()[&2], vec![1.0, 0.0]);
        // No papers exist in this database: every row is an orphan.
        assert_eq!(prune(&conn, "m").unwrap(), 3);
        assert!(vectors(&conn, "m").unwrap().is_empty());
    }
}
