//! The topic engine's part of the [`Library`] facade: the topics as front ends see them,
//! assigning new papers, related papers and per-topic search counts. Refitting is `refit`'s,
//! the user's edits are `edits`'.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::db::Connection;
use serde::Serialize;

use super::model::CentroidIndex;
use super::status;
use super::vectorize::{vector_of, DocText, SparseVec};
use crate::db::topics::{self as store, TopicRow};
use crate::db::{meta, papers};
use crate::{Error, Library, Result};
use topica_model::{title_key, Paper};

/// A topic as front ends show it.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Topic {
    pub id: i64,
    /// The user's label if they renamed it, else the model's.
    pub label: String,
    pub keyphrases: Vec<String>,
    pub size: usize,
    /// The broader topic of a leaf; `None` for a broader topic.
    pub parent: Option<i64>,
    /// "leaf" or "parent".
    pub level: &'static str,
    pub pinned: bool,
    pub renamed: bool,
}

/// How strongly a paper belongs to a leaf topic.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct TopicWeight {
    pub topic: i64,
    pub label: String,
    pub weight: f32,
    /// The leaf the paper is listed under.
    pub primary: bool,
}

/// A paper related to another.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct RelatedPaper {
    pub id: i64,
    pub arxiv_id: Option<String>,
    pub title: String,
    /// Cosine similarity of the topic-smoothed TF-IDF vectors (see `Library::related`).
    pub score: f32,
}

/// How many papers of a search result fall in one topic.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct TopicCount {
    pub topic: i64,
    pub label: String,
    pub parent: Option<i64>,
    pub count: usize,
}

/// Weight of a paper's leaf centroid in the vector `related` compares (its TF-IDF vector has
/// weight 1). Chosen on the sample library
/// (`prefix_tuning_is_related_to_p_tuning_v2`):
/// 0 ranks P-tuning v2 9th for prefix-tuning, 0.3 ranks it 4th after prompt tuning, LoRA and
/// P-tuning; from 0.5 up, loosely related papers of the same leaf start to crowd in.
const RELATED_TOPIC_BLEND: f32 = 0.3;

/// Libraries of up to this many papers score every paper when asked for related ones (reading a
/// few thousand vectors); larger ones score [`Library::related_candidates`].
const RELATED_EXHAUSTIVE: usize = 5_000;

/// Candidates `related` takes from each source in a large library: the papers sharing the most
/// distinctive words, the most central papers of the paper's own leaf, and (a third as many) of
/// each of the [`RELATED_NEAR_LEAVES`] leaves nearest it.
const RELATED_CANDIDATES: usize = 300;
const RELATED_NEAR_LEAVES: usize = 2;

/// Share of the embedding cosine in a related paper's score in semantic mode.
const RELATED_EMBEDDING_SHARE: f32 = 0.5;

pub(super) fn doc_of(p: &Paper) -> DocText {
    DocText {
        title: p.title.clone().unwrap_or_default(),
        body: p.abstract_text.clone().unwrap_or_default(),
    }
}

impl Library {
    /// The library's topics, parents first; fits them on first use and places papers added since.
    pub fn topics(&self) -> Result<Vec<Topic>> {
        if !store::has_model(&self.conn())? {
            return self.recompute_topics();
        }
        self.assign_new_papers()?;
        self.load_topics()
    }

    /// Sets (or with `None` clears) the user's choice of the number of leaf topics.
    pub fn set_topic_leaves(&self, leaves: Option<usize>) -> Result<()> {
        let conn = self.conn();
        match leaves {
            Some(0) => {
                return Err(Error::Invalid(
                    "the number of topics must be at least 1".into(),
                ))
            }
            Some(k) => meta::set(&conn, status::LEAVES_SETTING, &k.to_string())?,
            None => meta::remove(&conn, status::LEAVES_SETTING)?,
        }
        Ok(())
    }

    pub(super) fn load_topics(&self) -> Result<Vec<Topic>> {
        let conn = self.conn();
        let rows = store::topics(&conn)?;
        let sizes = store::leaf_sizes(&conn)?;
        let size_of = |t: &TopicRow| -> usize {
            if t.level == 1 {
                sizes.get(&t.id).copied().unwrap_or(0)
            } else {
                rows.iter()
                    .filter(|l| l.parent_id == Some(t.id))
                    .map(|l| sizes.get(&l.id).copied().unwrap_or(0))
                    .sum()
            }
        };
        let mut out = Vec::new();
        for t in &rows {
            let size = size_of(t);
            if t.level == 0 && size == 0 {
                continue;
            }
            out.push(Topic {
                id: t.id,
                label: t.shown_label().to_string(),
                keyphrases: t.keyphrases.clone(),
                size,
                parent: t.parent_id,
                level: if t.level == 0 { "parent" } else { "leaf" },
                pinned: t.pinned,
                renamed: t.user_label.is_some(),
            });
        }
        Ok(out)
    }

    /// The papers listed under `topic` (a leaf, or every leaf of a parent), most central first.
    /// Apart from the tree: a topic of a million-paper library lists thousands.
    pub fn topic_members(&self, topic: i64) -> Result<Vec<i64>> {
        Ok(store::members_central(&self.conn(), topic)?)
    }

    /// Of `ids`, those listed under `topic` (a leaf, or a parent's leaves), in their order: a
    /// search narrowed to one topic.
    pub fn in_topic(&self, ids: &[i64], topic: i64) -> Result<Vec<i64>> {
        let listed: HashSet<i64> = store::listed_among(&self.conn(), ids, topic)?
            .into_iter()
            .collect();
        Ok(ids
            .iter()
            .copied()
            .filter(|id| listed.contains(id))
            .collect())
    }

    /// Places papers that have no topic yet (new imports) in their nearest leaf, without refitting.
    /// Returns how many were placed. Does nothing before the first fit.
    /// After a semantic fit, papers are embedded first (when the model is at hand) and placed
    /// by meaning; else by their words.
    pub fn assign_new_papers(&self) -> Result<usize> {
        let semantic = meta::get(&self.conn(), status::FITTED_MODE)?.as_deref() == Some("semantic");
        if semantic {
            let unplaced = store::papers_without_leaf(&self.conn())?;
            if !unplaced.is_empty() {
                // Without the model (moved, deleted) the papers are placed by their words.
                match self.embed_these(&unplaced) {
                    Ok(()) | Err(Error::Semantic(_)) => {}
                    Err(e) => return Err(e),
                }
            }
        }
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let placed = place_unplaced(&tx, None)?;
        if placed.is_empty() {
            return Ok(0);
        }
        let generation = meta::bump_generation(&tx)?;
        tx.commit()?;
        drop(conn);
        self.reindex_papers(&placed, generation)?;
        Ok(placed.len())
    }

    fn reindex_papers(&self, ids: &[i64], generation: u64) -> Result<()> {
        let conn = self.conn();
        let shown = papers::get_many(&conn, ids)?.map_err(|id| Error::NotFound(id.to_string()))?;
        for p in &shown {
            self.index
                .upsert(p, crate::db::files::fulltext(&conn, p.id)?.as_deref())?;
        }
        drop(conn);
        Ok(self.index.commit(generation)?)
    }

    /// A paper's leaf topics with weights, its own leaf first.
    pub fn paper_topics(&self, paper: i64) -> Result<Vec<TopicWeight>> {
        self.topics_fitted()?;
        let conn = self.conn();
        let rows = store::topics(&conn)?;
        Ok(store::paper_weights(&conn, paper)?
            .into_iter()
            .map(|(t, w, primary)| TopicWeight {
                topic: t,
                label: rows
                    .iter()
                    .find(|r| r.id == t)
                    .map(|r| r.shown_label().to_string())
                    .unwrap_or_default(),
                weight: w,
                primary,
            })
            .collect())
    }

    /// The `limit` papers most similar to `paper`, leaving out the paper itself and its duplicates
    /// (same title, or near-identical text). Similarity is the cosine of topic-smoothed vectors:
    /// each paper's TF-IDF vector plus its leaf's centroid (weight [`RELATED_TOPIC_BLEND`]), so two
    /// papers on the same subject that word it differently ("prefix-tuning", "deep prompt tuning")
    /// still meet through their topic, while shared terms keep deciding the order within it.
    ///
    /// In semantic mode the score is the mean of that cosine and the papers' embedding cosine
    /// ([`RELATED_EMBEDDING_SHARE`]): meaning finds the paper that words it differently, the
    /// words keep a shared method or dataset close.
    pub fn related(&self, paper: i64, limit: usize) -> Result<Vec<RelatedPaper>> {
        self.related_scoring(paper, limit, None)
    }

    /// [`Library::related`] with every paper scored, however large the library: what a small
    /// library always gets, and the yardstick `topica-cli bench related` holds a large one's
    /// candidates against (time and overlap).
    pub fn related_scoring_all(&self, paper: i64, limit: usize) -> Result<Vec<RelatedPaper>> {
        self.related_scoring(paper, limit, Some(true))
    }

    /// [`Library::related`] with only the candidates scored, however small the library: what a
    /// large library gets, here where it can be compared with every paper scored.
    pub fn related_from_candidates(&self, paper: i64, limit: usize) -> Result<Vec<RelatedPaper>> {
        self.related_scoring(paper, limit, Some(false))
    }

    /// `every`: score every paper (`Some(true)`), only the candidates (`Some(false)`), or
    /// whichever the library's size calls for (`None`).
    fn related_scoring(
        &self,
        paper: i64,
        limit: usize,
        every: Option<bool>,
    ) -> Result<Vec<RelatedPaper>> {
        self.topics_fitted()?;
        let semantic = self.topic_mode()? == crate::TopicMode::Semantic;
        let conn = self.conn();
        let me = papers::get(&conn, paper)?.ok_or_else(|| Error::NotFound(paper.to_string()))?;
        if me.trashed_at.is_some() {
            return Ok(Vec::new());
        }
        let Some(v) = store::paper_vector(&conn, paper)? else {
            return Ok(Vec::new());
        };
        let centroids = self.leaf_centroids(&conn)?;
        let mine = store::primary_leaves_of(&conn, &[paper])?;
        let my_leaf = mine.get(&paper).map(|l| l.0);
        let my_centroid = my_leaf.and_then(|l| centroids.get(&l));
        // v·c_l and c_a·c_l for every leaf, once a call: the nearest leaves and every
        // candidate's score need them. A centroid holds hundreds of terms, so v and c_a are
        // spread into dense vectors and each product is one pass over the other's terms, not a
        // merge of two sorted lists (4 ms a call at 1M papers, 420 leaves).
        let dim = centroids
            .values()
            .chain([&v])
            .filter_map(|c| c.idx.last())
            .max()
            .map_or(0, |&t| t as usize + 1);
        let dense_v = v.to_dense(dim);
        let dense_mine = my_centroid.map(|m| m.to_dense(dim)).unwrap_or_default();
        let v_dot_c: HashMap<i64, f32> = centroids
            .iter()
            .map(|(&t, c)| (t, c.dot_dense(&dense_v)))
            .collect();
        let c_dot_c: HashMap<i64, f32> = match my_centroid {
            Some(_) => centroids
                .iter()
                .map(|(&t, c)| {
                    let cc = if Some(t) == my_leaf {
                        1.0
                    } else {
                        c.dot_dense(&dense_mine)
                    };
                    (t, cc)
                })
                .collect(),
            None => HashMap::new(),
        };
        // A small library scores every paper; a large one only the candidates, which hold the
        // best-scoring papers nearly always (`related_candidates`).
        let every = match every {
            Some(every) => every,
            None => meta::get(&conn, status::FITTED_PAPERS)?
                .and_then(|n| n.parse::<usize>().ok())
                .is_some_and(|n| n <= RELATED_EXHAUSTIVE),
        };
        let (vectors, leaf_of, embedded) = if every {
            let leaf_of: HashMap<i64, (i64, f32)> = store::primary_leaves(&conn)?
                .into_iter()
                .map(|(p, t, c)| (p, (t, c)))
                .collect();
            let embedded = if semantic {
                crate::db::embeddings::vectors(&conn, crate::semantic::CACHE_MODEL)?
            } else {
                HashMap::new()
            };
            (store::vectors(&conn)?, leaf_of, embedded)
        } else {
            let mut leaf_of = mine;
            let near = |t: i64| {
                v_dot_c.get(&t).copied().unwrap_or(0.0) + c_dot_c.get(&t).copied().unwrap_or(0.0)
            };
            let mut ids =
                self.related_candidates(&conn, &me, my_leaf, &centroids, near, &mut leaf_of)?;
            // The leaves of the candidates that did not come with theirs.
            let unknown: Vec<i64> = ids
                .iter()
                .copied()
                .filter(|id| !leaf_of.contains_key(id))
                .collect();
            leaf_of.extend(store::primary_leaves_of(&conn, &unknown)?);
            ids.push(paper);
            let embedded = if semantic {
                crate::db::embeddings::vectors_of(&conn, crate::semantic::CACHE_MODEL, &ids)?
            } else {
                HashMap::new()
            };
            (store::vectors_of(&conn, &ids)?, leaf_of, embedded)
        };
        let my_embedding = embedded.get(&paper);
        let meaning = |id: i64| Some(crate::topics::dense::dot(my_embedding?, embedded.get(&id)?));
        let lambda = RELATED_TOPIC_BLEND;
        let leaf = |p: i64| {
            leaf_of
                .get(&p)
                .and_then(|(t, c)| Some((*t, centroids.get(t)?, *c)))
        };
        let (my_leaf, my_cent) = leaf(paper).map_or((-1, 0.0), |(t, _, c)| (t, c));
        // a' = a + λ·c_a; |a'|² = 1 + 2λ·(a·c_a) + λ²·|c_a|², and a·c_a is the stored centrality.
        let norm = |cent: f32, has: bool| {
            let c2 = if has { 1.0 } else { 0.0 };
            (1.0 + 2.0 * lambda * cent + lambda * lambda * c2).sqrt()
        };
        let my_norm = norm(my_cent, my_leaf >= 0);
        let mut scored: Vec<(f32, i64)> = vectors
            .iter()
            .filter(|(&id, _)| id != paper)
            .map(|(&id, w)| {
                let direct = v.dot(w);
                let (s, n) = match leaf(id) {
                    Some((t, _, cent)) => {
                        let cc = c_dot_c.get(&t).copied().unwrap_or(0.0);
                        let s = direct
                            + lambda
                                * (v_dot_c.get(&t).copied().unwrap_or(0.0)
                                    + w.dot_dense(&dense_mine))
                            + lambda * lambda * cc;
                        (s, norm(cent, true))
                    }
                    None => (direct + lambda * w.dot_dense(&dense_mine), 1.0),
                };
                let lexical = s / (my_norm * n);
                match meaning(id) {
                    Some(m) => (
                        (1.0 - RELATED_EMBEDDING_SHARE) * lexical + RELATED_EMBEDDING_SHARE * m,
                        id,
                        direct.max(m),
                    ),
                    None => (lexical, id, direct),
                }
            })
            .filter(|s| s.2 > 0.0)
            .map(|s| (s.0, s.1))
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let my_key = me.title.as_deref().map(title_key).filter(|k| k.len() >= 8);
        let mut out = Vec::new();
        for (score, id) in scored {
            if out.len() >= limit {
                break;
            }
            let Some(p) = papers::get(&conn, id)? else {
                continue;
            };
            // Near-identical text or the same title: another copy of this paper, not a related one.
            let direct = v.dot(&vectors[&id]);
            if direct >= 0.95 || (my_key.is_some() && p.title.as_deref().map(title_key) == my_key) {
                continue;
            }
            out.push(RelatedPaper {
                id,
                arxiv_id: p.arxiv_id.clone(),
                title: p.display_title(),
                score,
            });
        }
        Ok(out)
    }

    /// The papers a large library's `related` scores for `me` (vector `v`, primary leaf `leaf`):
    /// the score is a cosine of TF-IDF vectors smoothed by leaf centroids, so the best come from
    /// the papers sharing `me`'s rarest words (the search index's more-like-this query) and from
    /// the leaves nearest it. Reads a few hundred vectors instead of every paper's (1M papers:
    /// 28 s a call).
    fn related_candidates(
        &self,
        conn: &Connection,
        me: &Paper,
        leaf: Option<i64>,
        centroids: &HashMap<i64, SparseVec>,
        near: impl Fn(i64) -> f32,
        leaf_of: &mut HashMap<i64, (i64, f32)>,
    ) -> Result<Vec<i64>> {
        let mut ids = self.index.similar_ids(
            me.title.as_deref().unwrap_or_default(),
            me.abstract_text.as_deref().unwrap_or_default(),
            RELATED_CANDIDATES,
        )?;
        if let Some(leaf) = leaf {
            for (id, centrality) in store::central_members(conn, leaf, RELATED_CANDIDATES)? {
                ids.push(id);
                leaf_of.insert(id, (leaf, centrality));
            }
        }
        // The leaves nearest the paper's smoothed vector (`near`: v·c + c_mine·c), its own left out.
        let mut nearest: Vec<(f32, i64)> = centroids
            .keys()
            .filter(|&&t| Some(t) != leaf)
            .map(|&t| (near(t), t))
            .collect();
        nearest.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, t) in nearest.into_iter().take(RELATED_NEAR_LEAVES) {
            for (id, centrality) in store::central_members(conn, t, RELATED_CANDIDATES / 3)? {
                ids.push(id);
                leaf_of.insert(id, (t, centrality));
            }
        }
        ids.sort_unstable();
        ids.dedup();
        ids.retain(|&id| id != me.id);
        Ok(ids)
    }

    /// Fits topics if the library has none yet: what a question about one paper's topics needs
    /// first. Papers added since the fit are not looked for (a scan of every paper: 2 s at 1M):
    /// each change places its own papers as it commits, and `topics()` places any left over.
    pub fn topics_fitted(&self) -> Result<()> {
        if !store::has_model(&self.conn())? {
            self.recompute_topics()?;
        }
        Ok(())
    }

    /// For a search query, how many matching papers fall in each leaf topic, largest first.
    pub fn topic_counts(&self, query: &str) -> Result<Vec<TopicCount>> {
        let ids = self.index.matching_ids(query)?;
        let leaf_of = self.primary_leaves()?;
        let rows = store::topics(&self.conn())?;
        let mut counts: HashMap<i64, usize> = HashMap::new();
        for id in ids {
            if let Some(&t) = leaf_of.get(&id) {
                *counts.entry(t).or_insert(0) += 1;
            }
        }
        let mut out: Vec<TopicCount> = counts
            .into_iter()
            .filter_map(|(t, count)| {
                rows.iter().find(|r| r.id == t).map(|r| TopicCount {
                    topic: t,
                    label: r.shown_label().to_string(),
                    parent: r.parent_id,
                    count,
                })
            })
            .collect();
        out.sort_by(|a, b| b.count.cmp(&a.count).then(a.topic.cmp(&b.topic)));
        Ok(out)
    }
}

/// A value read from the database, kept while the database is unchanged: `stamp` is the shared
/// connection's count of changed rows (any write here moves it) and SQLite's `data_version`
/// (which moves when another connection commits).
pub(crate) struct Stamped<T> {
    stamp: (i64, u64),
    value: Arc<T>,
}

/// Each paper's primary leaf: reading them all takes ≈ 90 ms at 100k papers (1 s at 1M), and
/// counts per topic need them at every search.
pub(crate) type PrimaryLeaves = Stamped<HashMap<i64, i64>>;

/// Every leaf's centroid: 2.7 MB to read and decode at 1M papers (2.3 ms), which each call for
/// related papers needed.
pub(crate) type LeafCentroids = Stamped<HashMap<i64, SparseVec>>;

fn stamp_of(conn: &Connection) -> Result<(i64, u64)> {
    Ok((crate::db::data_version(conn)?, conn.total_changes()))
}

/// The value `cache` holds if `stamp` is its stamp, else what `read` reads (kept for next time).
fn stamped<T>(
    cache: &std::sync::Mutex<Option<Stamped<T>>>,
    stamp: (i64, u64),
    read: impl FnOnce() -> Result<T>,
) -> Result<Arc<T>> {
    let mut cached = cache.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(c) = cached.as_ref().filter(|c| c.stamp == stamp) {
        return Ok(c.value.clone());
    }
    let value = Arc::new(read()?);
    *cached = Some(Stamped {
        stamp,
        value: value.clone(),
    });
    Ok(value)
}

impl Library {
    /// The primary leaves, read again only when the database changed since they were read.
    ///
    /// They are read through a connection of their own (1 s at a million papers): the shared
    /// one stays free for the search typed meanwhile. A write between the stamp and the read
    /// only makes the next call read them again.
    fn primary_leaves(&self) -> Result<Arc<HashMap<i64, i64>>> {
        let stamp = stamp_of(&self.conn())?;
        stamped(&self.primary_leaves, stamp, || {
            Ok(store::primary_leaf_of(&self.reader()?)?)
        })
    }

    /// Reads the leaves' centroids into memory where the library has topics. Related papers
    /// need all of them (2.5 MB at 1M papers, about 4 ms to read), so the app reads them as it
    /// opens a library: the first paper the user opens does not wait for them. Whether they
    /// were read.
    pub fn warm_topics(&self) -> Result<bool> {
        let conn = self.conn();
        if !store::has_model(&conn)? {
            return Ok(false);
        }
        self.leaf_centroids(&conn)?;
        Ok(true)
    }

    /// The leaves' centroids, read again only when the database changed since they were read.
    fn leaf_centroids(&self, conn: &Connection) -> Result<Arc<HashMap<i64, SparseVec>>> {
        stamped(&self.leaf_centroids, stamp_of(conn)?, || {
            Ok(store::leaf_centroids(conn)?.into_iter().collect())
        })
    }
}

/// Writes a paper's primary leaf and up to two more leaves by similarity.
/// Places the papers that have no leaf (new, restored, or edited) — every one in the library, or
/// those among `among` — in their nearest leaf, or in the leaf the user moved them to, inside the
/// caller's transaction. Returns the papers placed (their index documents need their new topic
/// labels). Nothing before the first fit.
pub(crate) fn place_unplaced(conn: &Connection, among: Option<&[i64]>) -> Result<Vec<i64>> {
    if !store::has_model(conn)? {
        return Ok(vec![]);
    }
    let new = match among {
        None => store::papers_without_leaf(conn)?,
        Some(ids) => store::unplaced_among(conn, ids)?,
    };
    if new.is_empty() {
        return Ok(new);
    }
    let vocab = store::vocab(conn)?;
    let leaves: Vec<TopicRow> = store::topics(conn)?
        .into_iter()
        .filter(|t| t.level == 1)
        .collect();
    let ids: Vec<i64> = leaves.iter().map(|t| t.id).collect();
    let centroids: Vec<SparseVec> = leaves.iter().map(|t| t.centroid.clone()).collect();
    let index = CentroidIndex::new(&centroids);
    // A paper the user moved (then trashed and restored, or edited) goes back where they put it.
    let moves = store::moves(conn)?;
    // A restored paper kept its vector; only new and edited papers are read and vectorized.
    let mut stored = store::vectors_of(conn, &new)?;
    let unread: Vec<i64> = new
        .iter()
        .copied()
        .filter(|id| !stored.contains_key(id))
        .collect();
    for chunk in unread.chunks(2000) {
        let chunk_papers =
            papers::get_many(conn, chunk)?.map_err(|id| Error::NotFound(id.to_string()))?;
        for p in &chunk_papers {
            let (v, _) = vector_of(&vocab, &doc_of(p));
            store::insert_vector(conn, p.id, &v)?;
            stored.insert(p.id, v);
        }
    }
    let dense = DenseLeaves::after_semantic_fit(conn)?;
    for &id in &new {
        let v = &stored[&id];
        let moved = moves
            .get(&id)
            .and_then(|t| ids.iter().position(|leaf| leaf == t));
        let embedding = match &dense {
            Some(_) => crate::db::embeddings::vector(conn, crate::semantic::CACHE_MODEL, id)?,
            None => None,
        };
        if let (Some(dense), Some(e)) = (&dense, embedding) {
            // Semantic topics place a paper by meaning, as the fit did, when it is embedded.
            dense.place(conn, id, &e, moved.map(|l| ids[l]))?;
            continue;
        }
        let leaf = match moved {
            Some(leaf) => leaf,
            None => index.nearest(v, 1).first().map_or(0, |b| b.0),
        };
        let centrality = v.dot(&centroids[leaf]);
        write_weights(conn, id, v, ids[leaf], centrality, &ids, &index)?;
    }
    let assigned = meta::get(conn, status::ASSIGNED_SINCE_FIT)?
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0);
    meta::set(
        conn,
        status::ASSIGNED_SINCE_FIT,
        &(assigned + new.len()).to_string(),
    )?;
    Ok(new)
}

/// The leaves' dense centroids after a semantic fit (the unit mean embedding of each leaf's
/// papers): a new paper with an embedding goes to the leaf nearest in meaning, weighted as the
/// fit weighs papers (`dense_fit::weights_from`).
struct DenseLeaves {
    ids: Vec<i64>,
    centroids: Vec<Vec<f32>>,
}

impl DenseLeaves {
    /// None after a lexical fit (or before any).
    fn after_semantic_fit(conn: &Connection) -> Result<Option<DenseLeaves>> {
        if meta::get(conn, status::FITTED_MODE)?.as_deref() != Some("semantic") {
            return Ok(None);
        }
        let (ids, centroids): (Vec<i64>, Vec<Vec<f32>>) =
            crate::db::embeddings::leaf_centroids(conn)?
                .into_iter()
                .unzip();
        Ok((!ids.is_empty()).then_some(DenseLeaves { ids, centroids }))
    }

    /// Writes `paper`'s leaves from its embedding; `primary` when the user put it somewhere.
    fn place(&self, conn: &Connection, paper: i64, e: &[f32], primary: Option<i64>) -> Result<()> {
        let cos: Vec<(usize, f32)> = self
            .centroids
            .iter()
            .enumerate()
            .map(|(c, cen)| (c, topica_topics::dense::dot(e, cen)))
            .collect();
        let best = cos
            .iter()
            .copied()
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            .map_or(0, |b| b.0);
        let primary = primary.unwrap_or(self.ids[best]);
        let centrality = self
            .ids
            .iter()
            .position(|&t| t == primary)
            .map_or(0.0, |c| cos[c].1);
        let near = topica_topics::dense_fit::weights_from(cos, 3);
        write_memberships(conn, paper, &near, primary, centrality, &self.ids)
    }
}

fn write_weights(
    conn: &Connection,
    paper: i64,
    v: &SparseVec,
    primary: i64,
    centrality: f32,
    leaf_ids: &[i64],
    centroids: &CentroidIndex,
) -> Result<()> {
    let near = centroids.nearest(v, 3);
    write_memberships(conn, paper, &near, primary, centrality, leaf_ids)
}

/// Writes a paper's leaves: `near` as (index into `leaf_ids`, weight), and `primary` (the leaf
/// it is listed under, with its centrality) even when it is not among them (moved by hand).
pub(super) fn write_memberships(
    conn: &Connection,
    paper: i64,
    near: &[(usize, f32)],
    primary: i64,
    centrality: f32,
    leaf_ids: &[i64],
) -> Result<()> {
    let mut wrote_primary = false;
    for &(c, w) in near {
        let is_primary = leaf_ids[c] == primary;
        wrote_primary |= is_primary;
        let central = if is_primary { centrality } else { 0.0 };
        store::set_membership(conn, paper, leaf_ids[c], w, central, is_primary)?;
    }
    if !wrote_primary {
        store::set_membership(conn, paper, primary, 0.0, centrality, true)?;
    }
    Ok(())
}
