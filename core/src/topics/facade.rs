//! The topic engine's part of the [`Library`] facade: fitting and storing topics, mapping user
//! edits onto a new fit, assigning new papers, related papers and per-topic search counts.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::db::Connection;
use serde::Serialize;

use super::model::{centroid_of, fit, labels, nearest, FitOptions};
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
    /// Paper ids, most central first.
    pub papers: Vec<i64>,
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
/// Two leaves are the same topic when their papers overlap at least this much (Jaccard).
const SAME_TOPIC: f64 = 0.2;

fn doc_of(p: &Paper) -> DocText {
    DocText {
        title: p.title.clone().unwrap_or_default(),
        body: p.abstract_text.clone().unwrap_or_default(),
    }
}

fn jaccard(a: &HashSet<i64>, b: &HashSet<i64>) -> f64 {
    let i = a.intersection(b).count();
    if i == 0 {
        0.0
    } else {
        i as f64 / (a.len() + b.len() - i) as f64
    }
}

/// Greedy one-to-one matching of new groups to old topics by Jaccard overlap, best pairs first.
fn match_by_overlap(new: &[HashSet<i64>], old: &[(i64, HashSet<i64>)]) -> Vec<Option<i64>> {
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (i, n) in new.iter().enumerate() {
        for (j, (_, o)) in old.iter().enumerate() {
            let s = jaccard(n, o);
            if s >= SAME_TOPIC {
                pairs.push((s, i, j));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut out = vec![None; new.len()];
    let mut used = vec![false; old.len()];
    for (_, i, j) in pairs {
        if out[i].is_none() && !used[j] {
            out[i] = Some(old[j].0);
            used[j] = true;
        }
    }
    out
}

/// A leaf being built during a recompute.
struct Group {
    members: Vec<usize>,
    old: Option<TopicRow>,
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

    /// Refits the topic model on every paper, then maps the user's edits (labels, pins, merges,
    /// moved papers) onto the new topics by overlap. Deterministic.
    pub fn recompute_topics(&self) -> Result<Vec<Topic>> {
        let all = self.papers(0, 0)?;
        let ids: Vec<i64> = all.iter().map(|p| p.id).collect();
        let docs: Vec<DocText> = all.iter().map(doc_of).collect();
        drop(all);
        let leaves = meta::get(&self.conn(), status::LEAVES_SETTING)?.and_then(|v| v.parse().ok());
        let model = fit(
            &docs,
            FitOptions {
                leaves,
                ..FitOptions::default()
            },
        );
        let n = ids.len();
        let pos: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();

        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let old = store::topics(&tx)?;
        let mut old_members: HashMap<i64, HashSet<i64>> = HashMap::new();
        for (paper, topic, _) in store::primary_leaves(&tx)? {
            old_members.entry(topic).or_default().insert(paper);
        }
        let members_of = |t: i64| old_members.get(&t).cloned().unwrap_or_default();

        // 1. Pinned leaves keep their papers.
        let mut groups: Vec<Group> = Vec::new();
        let mut taken = vec![false; n];
        for t in old.iter().filter(|t| t.level == 1 && t.pinned) {
            let m: Vec<usize> = members_of(t.id)
                .iter()
                .filter_map(|p| pos.get(p).copied())
                .collect();
            m.iter().for_each(|&d| taken[d] = true);
            groups.push(Group {
                members: m,
                old: Some(t.clone()),
            });
        }
        // 2. The model's leaves, without pinned papers.
        let model_groups: Vec<Vec<usize>> = model
            .leaves
            .iter()
            .map(|l| l.members.iter().copied().filter(|&d| !taken[d]).collect())
            .collect();
        let mut consumed = vec![false; model_groups.len()];
        // 3. Topics the user merged: every new leaf mostly inside one stays together.
        for t in old.iter().filter(|t| t.level == 1 && t.merged && !t.pinned) {
            let s = members_of(t.id);
            let mut m = Vec::new();
            for (g, mg) in model_groups.iter().enumerate() {
                let inside = mg.iter().filter(|&&d| s.contains(&ids[d])).count();
                if !consumed[g] && !mg.is_empty() && inside * 2 > mg.len() {
                    consumed[g] = true;
                    m.extend(mg.iter().copied());
                }
            }
            if !m.is_empty() {
                groups.push(Group {
                    members: m,
                    old: Some(t.clone()),
                });
            }
        }
        // 4. The rest map onto old leaves by overlap, keeping ids and user labels.
        let rest: Vec<usize> = (0..model_groups.len())
            .filter(|&g| !consumed[g] && !model_groups[g].is_empty())
            .collect();
        let matched_ids: HashSet<i64> = groups
            .iter()
            .filter_map(|g| g.old.as_ref().map(|o| o.id))
            .collect();
        let candidates: Vec<(i64, HashSet<i64>)> = old
            .iter()
            .filter(|t| t.level == 1 && !matched_ids.contains(&t.id))
            .map(|t| (t.id, members_of(t.id)))
            .collect();
        let new_sets: Vec<HashSet<i64>> = rest
            .iter()
            .map(|&g| model_groups[g].iter().map(|&d| ids[d]).collect())
            .collect();
        let mapping = match_by_overlap(&new_sets, &candidates);
        for (r, &g) in rest.iter().enumerate() {
            let o = mapping[r].and_then(|id| old.iter().find(|t| t.id == id).cloned());
            groups.push(Group {
                members: model_groups[g].clone(),
                old: o,
            });
        }
        // 5. Papers the user moved go where they were put.
        let moves = store::moves(&tx)?;
        for (paper, topic) in &moves {
            let (Some(&d), Some(target)) = (
                pos.get(paper),
                groups
                    .iter()
                    .position(|g| g.old.as_ref().is_some_and(|o| o.id == *topic)),
            ) else {
                continue;
            };
            for g in groups.iter_mut() {
                g.members.retain(|&x| x != d);
            }
            groups[target].members.push(d);
        }
        groups.retain(|g| !g.members.is_empty());

        // Final leaves: centroids, centrality, labels.
        let vectors = &model.corpus.vectors;
        let mut leaf_of = vec![0usize; n];
        for (gi, g) in groups.iter().enumerate() {
            g.members.iter().for_each(|&d| leaf_of[d] = gi);
        }
        let centroids: Vec<SparseVec> = groups
            .iter()
            .map(|g| centroid_of(vectors, &g.members))
            .collect();
        let centrality: Vec<f32> = (0..n)
            .map(|d| vectors[d].dot(&centroids[leaf_of[d]]))
            .collect();
        let leaf_labels = labels(&model.corpus, &leaf_of, groups.len());

        // Parents: the model's parent holding most of each leaf's papers; ids kept by overlap.
        let model_parent_of_doc: Vec<usize> = model
            .leaf_of
            .iter()
            .map(|&l| model.leaves[l].parent.unwrap_or(0))
            .collect();
        let mut parent_of_group: Vec<usize> = groups
            .iter()
            .map(|g| {
                let mut votes = vec![0usize; model.parents.len().max(1)];
                g.members
                    .iter()
                    .for_each(|&d| votes[model_parent_of_doc[d]] += 1);
                (0..votes.len())
                    .max_by(|&a, &b| votes[a].cmp(&votes[b]).then(b.cmp(&a)))
                    .unwrap_or(0)
            })
            .collect();
        let mut used_parents: Vec<usize> = parent_of_group.clone();
        used_parents.sort_unstable();
        used_parents.dedup();
        parent_of_group
            .iter_mut()
            .for_each(|p| *p = used_parents.binary_search(p).expect("listed"));
        let parent_of_doc: Vec<usize> = leaf_of.iter().map(|&g| parent_of_group[g]).collect();
        let parent_labels = labels(&model.corpus, &parent_of_doc, used_parents.len());
        let parent_sets: Vec<HashSet<i64>> = (0..used_parents.len())
            .map(|p| {
                (0..n)
                    .filter(|&d| parent_of_doc[d] == p)
                    .map(|d| ids[d])
                    .collect()
            })
            .collect();
        let old_parents: Vec<(i64, HashSet<i64>)> = old
            .iter()
            .filter(|t| t.level == 0)
            .map(|t| {
                let s: HashSet<i64> = old
                    .iter()
                    .filter(|l| l.parent_id == Some(t.id))
                    .flat_map(|l| members_of(l.id))
                    .collect();
                (t.id, s)
            })
            .collect();
        let parent_map = match_by_overlap(&parent_sets, &old_parents);

        // Write everything in one transaction.
        let mut keep: Vec<i64> = Vec::new();
        let mut parent_ids = Vec::new();
        for p in 0..used_parents.len() {
            let prev = parent_map[p].and_then(|id| old.iter().find(|t| t.id == id));
            let id = match prev {
                Some(t) => t.id,
                None => store::new_topic_id(&tx)?,
            };
            let members: Vec<usize> = (0..n).filter(|&d| parent_of_doc[d] == p).collect();
            store::upsert_topic(
                &tx,
                &TopicRow {
                    id,
                    parent_id: None,
                    level: 0,
                    label: parent_labels[p].0.clone(),
                    user_label: prev.and_then(|t| t.user_label.clone()),
                    keyphrases: parent_labels[p].1.clone(),
                    pinned: prev.is_some_and(|t| t.pinned),
                    merged: prev.is_some_and(|t| t.merged),
                    centroid: centroid_of(vectors, &members),
                },
            )?;
            keep.push(id);
            parent_ids.push(id);
        }
        let mut leaf_ids = Vec::new();
        for (gi, g) in groups.iter().enumerate() {
            let id = match &g.old {
                Some(t) => t.id,
                None => store::new_topic_id(&tx)?,
            };
            store::upsert_topic(
                &tx,
                &TopicRow {
                    id,
                    parent_id: Some(parent_ids[parent_of_group[gi]]),
                    level: 1,
                    label: leaf_labels[gi].0.clone(),
                    user_label: g.old.as_ref().and_then(|t| t.user_label.clone()),
                    keyphrases: leaf_labels[gi].1.clone(),
                    pinned: g.old.as_ref().is_some_and(|t| t.pinned),
                    merged: g.old.as_ref().is_some_and(|t| t.merged),
                    centroid: centroids[gi].clone(),
                },
            )?;
            keep.push(id);
            leaf_ids.push(id);
        }
        store::delete_topics_except(&tx, &keep)?;
        store::clear_memberships(&tx)?;
        for d in 0..n {
            write_weights(
                &tx,
                ids[d],
                &vectors[d],
                leaf_ids[leaf_of[d]],
                centrality[d],
                &leaf_ids,
                &centroids,
            )?;
        }
        let vec_rows: Vec<(i64, &SparseVec)> = ids.iter().copied().zip(vectors.iter()).collect();
        store::write_vocab(&tx, &model.corpus.vocab, &vec_rows)?;
        meta::set(&tx, status::FITTED_PAPERS, &n.to_string())?;
        meta::set(&tx, status::ASSIGNED_SINCE_FIT, "0")?;
        meta::bump_generation(&tx)?;
        tx.commit()?;
        drop(conn);
        // Topic labels are searchable (`topic:`): the index is derived, rebuild it.
        self.rebuild_index()?;
        self.load_topics()
    }

    fn load_topics(&self) -> Result<Vec<Topic>> {
        let conn = self.conn();
        let rows = store::topics(&conn)?;
        let mut papers_of: HashMap<i64, Vec<(i64, f32)>> = HashMap::new();
        for (paper, topic, c) in store::primary_leaves(&conn)? {
            papers_of.entry(topic).or_default().push((paper, c));
        }
        let mut out = Vec::new();
        for t in &rows {
            let mut papers: Vec<(i64, f32)> = if t.level == 1 {
                papers_of.get(&t.id).cloned().unwrap_or_default()
            } else {
                rows.iter()
                    .filter(|l| l.parent_id == Some(t.id))
                    .flat_map(|l| papers_of.get(&l.id).cloned().unwrap_or_default())
                    .collect()
            };
            papers.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            if t.level == 0 && papers.is_empty() {
                continue;
            }
            out.push(Topic {
                id: t.id,
                label: t.shown_label().to_string(),
                keyphrases: t.keyphrases.clone(),
                size: papers.len(),
                parent: t.parent_id,
                level: if t.level == 0 { "parent" } else { "leaf" },
                pinned: t.pinned,
                renamed: t.user_label.is_some(),
                papers: papers.into_iter().map(|p| p.0).collect(),
            });
        }
        Ok(out)
    }

    /// Places papers that have no topic yet (new imports) in their nearest leaf, without refitting.
    /// Returns how many were placed. Does nothing before the first fit.
    pub fn assign_new_papers(&self) -> Result<usize> {
        let mut conn = self.conn();
        if !store::has_model(&conn)? {
            return Ok(0);
        }
        let new = store::papers_without_leaf(&conn)?;
        if new.is_empty() {
            return Ok(0);
        }
        let vocab = store::vocab(&conn)?;
        let leaves: Vec<TopicRow> = store::topics(&conn)?
            .into_iter()
            .filter(|t| t.level == 1)
            .collect();
        let ids: Vec<i64> = leaves.iter().map(|t| t.id).collect();
        let centroids: Vec<SparseVec> = leaves.iter().map(|t| t.centroid.clone()).collect();
        let tx = conn.transaction()?;
        for &id in &new {
            let p = papers::get(&tx, id)?.ok_or_else(|| Error::NotFound(id.to_string()))?;
            let (v, _) = vector_of(&vocab, &doc_of(&p));
            let best = nearest(&centroids, &v, 1);
            let leaf = best.first().map_or(0, |b| b.0);
            let centrality = v.dot(&centroids[leaf]);
            write_weights(&tx, id, &v, ids[leaf], centrality, &ids, &centroids)?;
            store::insert_vector(&tx, id, &v)?;
        }
        let assigned = meta::get(&tx, status::ASSIGNED_SINCE_FIT)?
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(0);
        meta::set(
            &tx,
            status::ASSIGNED_SINCE_FIT,
            &(assigned + new.len()).to_string(),
        )?;
        let generation = meta::bump_generation(&tx)?;
        tx.commit()?;
        drop(conn);
        self.reindex_papers(&new, generation)?;
        Ok(new.len())
    }

    fn reindex_papers(&self, ids: &[i64], generation: u64) -> Result<()> {
        let conn = self.conn();
        for &id in ids {
            if let Some(p) = papers::get(&conn, id)? {
                self.index.upsert(&p)?;
            }
        }
        drop(conn);
        Ok(self.index.commit(generation)?)
    }

    /// A paper's leaf topics with weights, its own leaf first.
    pub fn paper_topics(&self, paper: i64) -> Result<Vec<TopicWeight>> {
        self.topics()?;
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
    pub fn related(&self, paper: i64, limit: usize) -> Result<Vec<RelatedPaper>> {
        self.topics()?;
        let conn = self.conn();
        let me = papers::get(&conn, paper)?.ok_or_else(|| Error::NotFound(paper.to_string()))?;
        let vectors = store::vectors(&conn)?;
        let Some(v) = vectors.get(&paper) else {
            return Ok(Vec::new());
        };
        let centroids: HashMap<i64, SparseVec> = store::topics(&conn)?
            .into_iter()
            .filter(|t| t.level == 1)
            .map(|t| (t.id, t.centroid))
            .collect();
        let leaf_of: HashMap<i64, (i64, f32)> = store::primary_leaves(&conn)?
            .into_iter()
            .map(|(p, t, c)| (p, (t, c)))
            .collect();
        let lambda = RELATED_TOPIC_BLEND;
        let empty = SparseVec::default();
        let leaf = |p: i64| {
            leaf_of
                .get(&p)
                .and_then(|(t, c)| Some((*t, centroids.get(t)?, *c)))
        };
        let (my_leaf, my_c, my_cent) = leaf(paper).unwrap_or((-1, &empty, 0.0));
        // a' = a + λ·c_a; |a'|² = 1 + 2λ·(a·c_a) + λ²·|c_a|², and a·c_a is the stored centrality.
        let norm = |cent: f32, has: bool| {
            let c2 = if has { 1.0 } else { 0.0 };
            (1.0 + 2.0 * lambda * cent + lambda * lambda * c2).sqrt()
        };
        let my_norm = norm(my_cent, my_leaf >= 0);
        // v·c_l for every leaf, once.
        let v_dot_c: HashMap<i64, f32> = centroids.iter().map(|(&t, c)| (t, v.dot(c))).collect();
        let mut scored: Vec<(f32, i64)> = vectors
            .iter()
            .filter(|(&id, _)| id != paper)
            .map(|(&id, w)| {
                let direct = v.dot(w);
                let (s, n) = match leaf(id) {
                    Some((t, c, cent)) => {
                        let cc = if t == my_leaf { 1.0 } else { my_c.dot(c) };
                        let s = direct
                            + lambda * (v_dot_c.get(&t).copied().unwrap_or(0.0) + my_c.dot(w))
                            + lambda * lambda * cc;
                        (s, norm(cent, true))
                    }
                    None => (direct + lambda * my_c.dot(w), 1.0),
                };
                (s / (my_norm * n), id, direct)
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

    /// Gives a topic the user's label; it survives recomputation.
    pub fn rename_topic(&self, topic: i64, label: &str) -> Result<()> {
        let label = label.trim();
        if label.is_empty() {
            return Err(Error::Invalid("a topic label cannot be empty".into()));
        }
        self.edit_topics(|c| {
            let t = existing(c, topic)?;
            Ok(store::set_user_label(c, t.id, label)?)
        })
    }

    /// Pins (or unpins) a leaf topic: a recomputation keeps its papers in it.
    pub fn pin_topic(&self, topic: i64, pinned: bool) -> Result<()> {
        self.edit_topics(|c| {
            let t = existing(c, topic)?;
            Ok(store::set_pinned(c, t.id, pinned)?)
        })
    }

    /// Merges topic `from` into `into` (both leaves or both parents); a recomputation keeps the
    /// merged papers together.
    pub fn merge_topics(&self, from: i64, into: i64) -> Result<()> {
        if from == into {
            return Err(Error::Invalid("cannot merge a topic into itself".into()));
        }
        self.edit_topics(|c| {
            let (a, b) = (existing(c, from)?, existing(c, into)?);
            if a.level != b.level {
                return Err(Error::Invalid(format!(
                    "topic {from} and topic {into} are not at the same level"
                )));
            }
            Ok(store::merge(c, from, into, a.level == 1)?)
        })
    }

    /// Moves a paper into a leaf topic; it stays there across recomputations.
    pub fn move_paper(&self, paper: i64, topic: i64) -> Result<()> {
        self.edit_topics(|c| {
            let t = existing(c, topic)?;
            if t.level != 1 {
                return Err(Error::Invalid(format!(
                    "topic {topic} is a broader topic; move papers into one of its leaves"
                )));
            }
            papers::get(c, paper)?.ok_or_else(|| Error::NotFound(paper.to_string()))?;
            store::clear_primary_leaf(c, paper)?;
            let v = store::paper_vector(c, paper)?.unwrap_or_default();
            store::set_membership(c, paper, topic, 1.0, v.dot(&t.centroid), true)?;
            Ok(store::record_move(c, paper, topic)?)
        })
    }

    /// Applies a topic edit in a transaction, then refreshes the search index (labels are searchable).
    fn edit_topics(&self, f: impl FnOnce(&Connection) -> Result<()>) -> Result<()> {
        self.topics()?;
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        f(&tx)?;
        meta::bump_generation(&tx)?;
        tx.commit()?;
        drop(conn);
        self.rebuild_index()?;
        Ok(())
    }

    /// For a search query, how many matching papers fall in each leaf topic, largest first.
    pub fn topic_counts(&self, query: &str) -> Result<Vec<TopicCount>> {
        let ids = self.index.matching_ids(query)?;
        let conn = self.conn();
        let rows = store::topics(&conn)?;
        let leaf_of = self.primary_leaves(&conn)?;
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

/// Each paper's primary leaf, as of a state of the database: reading them all takes ≈ 90 ms at
/// 100k papers, and counts per topic need them at every search.
pub(crate) struct PrimaryLeaves {
    stamp: (i64, u64),
    leaf_of: Arc<HashMap<i64, i64>>,
}

impl Library {
    /// The primary leaves, read again only when the database changed since they were read: by
    /// this connection (its count of changed rows, which any write moves) or by another process
    /// (SQLite's `data_version`, which moves when another connection commits).
    fn primary_leaves(&self, conn: &Connection) -> Result<Arc<HashMap<i64, i64>>> {
        let version = crate::db::data_version(conn)?;
        let stamp = (version, conn.total_changes());
        let mut cached = self
            .primary_leaves
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(c) = cached.as_ref().filter(|c| c.stamp == stamp) {
            return Ok(c.leaf_of.clone());
        }
        let leaf_of = Arc::new(store::primary_leaf_of(conn)?);
        *cached = Some(PrimaryLeaves {
            stamp,
            leaf_of: leaf_of.clone(),
        });
        Ok(leaf_of)
    }
}

fn existing(conn: &Connection, topic: i64) -> Result<TopicRow> {
    store::topic(conn, topic)?.ok_or_else(|| Error::NotFound(format!("topic {topic}")))
}

/// Writes a paper's primary leaf and up to two more leaves by similarity.
fn write_weights(
    conn: &Connection,
    paper: i64,
    v: &SparseVec,
    primary: i64,
    centrality: f32,
    leaf_ids: &[i64],
    centroids: &[SparseVec],
) -> Result<()> {
    let near = nearest(centroids, v, 3);
    let mut wrote_primary = false;
    for (c, w) in &near {
        let is_primary = leaf_ids[*c] == primary;
        wrote_primary |= is_primary;
        store::set_membership(
            conn,
            paper,
            leaf_ids[*c],
            *w,
            if is_primary { centrality } else { 0.0 },
            is_primary,
        )?;
    }
    if !wrote_primary {
        store::set_membership(conn, paper, primary, 0.0, centrality, true)?;
    }
    Ok(())
}
