//! Refitting the topics: a new model on every paper, with the user's edits (pins, merges, moves,
//! renames) mapped onto it by overlap, written in one transaction.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::facade::{write_memberships, Topic};
use super::model::{
    centroid_of, fit_vectorized, labels, parent_labels, CentroidIndex, FitOptions, Model,
};
use super::status;
use super::vectorize::{vectorize_with, Corpus, DocText, SparseVec};
use crate::db::topics::{self as store, TopicRow};
use crate::db::{meta, Connection};
use crate::semantic::{TopicMode, DIMENSIONS};
use crate::topics::dense;
use crate::topics::fit_semantic_vectorized;
use crate::{Error, Library, Result};

/// Two leaves are the same topic when their papers overlap at least this much (Jaccard).
const SAME_TOPIC: f64 = 0.2;

/// Greedy one-to-one matching of new groups to old topics by Jaccard overlap, best pairs first.
/// The overlaps are counted in one pass over the new groups' papers, each looked up among the old
/// topics holding it, rather than by intersecting every new set with every old one (1M papers,
/// 400 leaves each way: carrying the user's edits took 18.8 s, now 14.6 s).
fn match_by_overlap(new: &[HashSet<i64>], old: &[(i64, HashSet<i64>)]) -> Vec<Option<i64>> {
    let mut holders: HashMap<i64, Vec<usize>> = HashMap::new();
    for (j, (_, o)) in old.iter().enumerate() {
        for &p in o {
            holders.entry(p).or_default().push(j);
        }
    }
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (i, n) in new.iter().enumerate() {
        let mut shared: HashMap<usize, usize> = HashMap::new();
        for p in n {
            for &j in holders.get(p).map_or(&[][..], Vec::as_slice) {
                *shared.entry(j).or_insert(0) += 1;
            }
        }
        for (j, both) in shared {
            let s = both as f64 / (n.len() + old[j].1.len() - both) as f64;
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
    /// Refits the topic model on every paper, then maps the user's edits (labels, pins, merges,
    /// moved papers) onto the new topics by overlap. Deterministic.
    pub fn recompute_topics(&self) -> Result<Vec<Topic>> {
        let leaves = meta::get(&self.conn(), status::LEAVES_SETTING)?.and_then(|v| v.parse().ok());
        let opts = FitOptions {
            leaves,
            ..FitOptions::default()
        };
        let mode = self.topic_mode()?;
        let split_glued = opts.split_glued && mode == TopicMode::Lexical;
        let (ids, mut corpus) = self.vectorize_streamed(split_glued)?;
        let glued: topica_model::GluedWords =
            std::mem::take(&mut corpus.glued).into_iter().collect();
        return_freed_memory();
        let embeddings = match mode {
            TopicMode::Semantic => Some(self.embeddings_of(&ids)?.ok_or(Error::Cancelled)?),
            TopicMode::Lexical => None,
        };
        let model = match &embeddings {
            Some(e) => fit_semantic_vectorized(corpus, e, DIMENSIONS, opts),
            None => fit_vectorized(corpus, opts),
        };

        let mut step = topica_topics::steps::Steps::new("carry the user's edits");
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let before = Before {
            topics: store::topics(&tx)?,
            members: {
                let mut m: HashMap<i64, HashSet<i64>> = HashMap::new();
                for (paper, topic, _) in store::primary_leaves(&tx)? {
                    m.entry(topic).or_default().insert(paper);
                }
                m
            },
            moves: store::moves(&tx)?,
        };
        let groups = carry_edits(&model, &ids, &before);
        let leaves = Leaves::of(&model, &groups, ids.len());
        let parents = Parents::of(&model, &ids, &groups, &leaves, &before);
        step.next("write topics, memberships and vectors");
        write_fit(
            &tx,
            &model,
            &ids,
            &groups,
            &leaves,
            &parents,
            &before.topics,
        )?;
        store_dense_centroids(&tx, &ids, embeddings.as_deref())?;
        store::set_glued_words(&tx, &glued)?;
        meta::set(&tx, status::FITTED_MODE, mode_name(mode))?;
        meta::set(&tx, status::FITTED_PAPERS, &ids.len().to_string())?;
        meta::set(&tx, status::ASSIGNED_SINCE_FIT, "0")?;
        meta::set(&tx, status::FITS, &(status::fits(&tx)? + 1).to_string())?;
        meta::bump_generation(&tx)?;
        tx.commit()?;
        drop(conn);
        // The fit's vectors are not needed to rebuild the index, which streams the papers.
        drop((model, embeddings, groups, leaves, parents));
        return_freed_memory();
        // Topic labels are searchable (`topic:`), and glued words by their words: the index is
        // derived, rebuild it.
        step.next("rebuild the search index");
        self.index.set_glued(glued);
        self.rebuild_index()?;
        step.next("load topics");
        self.load_topics()
    }

    /// Every live paper's id and the TF-IDF corpus of their titles and abstracts, in id order.
    /// The papers stream from SQLite into the vectorizer, which tokenizes them a chunk at a time
    /// on its own threads: the text never sits in memory whole (1M papers: a gigabyte of it,
    /// which the allocator kept after the fit had let it go).
    fn vectorize_streamed(&self, split_glued: bool) -> Result<(Vec<i64>, Corpus)> {
        let mut conn = self.conn();
        // One read transaction: the count sizing the vectorizer's chunks is the papers' count.
        let tx = conn.transaction()?;
        let n = crate::db::papers::count(&tx)?;
        let mut ids = Vec::with_capacity(n);
        let corpus = std::thread::scope(|s| -> Result<Corpus> {
            let (send, receive) = std::sync::mpsc::sync_channel::<DocText>(STREAMED_DOCS);
            let vectorizing =
                s.spawn(move || vectorize_with(Counted(receive.into_iter(), n), split_glued));
            let read = crate::db::papers::for_each(&tx, |p| {
                ids.push(p.id);
                // Only a vectorizer that panicked stops listening; its join says so below.
                let _ = send.send(DocText {
                    title: p.title.unwrap_or_default(),
                    body: p.abstract_text.unwrap_or_default(),
                });
                Ok::<(), Error>(())
            });
            drop(send);
            let corpus = vectorizing
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            read.map(|()| corpus)
        })?;
        tx.commit()?;
        Ok((ids, corpus))
    }
}

/// Hands back to the system the memory the allocator holds freed. glibc keeps what a thread frees
/// for that thread's next allocations: the vectorizer's threads freed their chunks' tables, which
/// the fit's later steps did not all reuse, and the process stayed that much larger to its end
/// (1M papers: 1.69 GB resident after vectorizing, 1.43 GB with this; the labels' peak went from
/// 2.08 to 1.85 GB).
fn return_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases memory that is free; it has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Documents the reader may get ahead of the vectorizer by: a few of its chunks.
const STREAMED_DOCS: usize = 16_384;

/// An iterator that yields `.1` items: its size hint sizes the vectorizer's chunks.
struct Counted<I>(I, usize);

impl<I: Iterator> Iterator for Counted<I> {
    type Item = I::Item;
    fn next(&mut self) -> Option<I::Item> {
        self.0.next()
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.1, Some(self.1))
    }
}

fn mode_name(m: TopicMode) -> &'static str {
    match m {
        TopicMode::Semantic => "semantic",
        TopicMode::Lexical => "lexical",
    }
}

/// After a semantic fit, each stored leaf's dense centroid (the unit mean of its papers'
/// embeddings, user moves included), which places new papers; after a lexical fit, none.
fn store_dense_centroids(tx: &Connection, ids: &[i64], embeddings: Option<&[f32]>) -> Result<()> {
    let leaves = store::topics(tx)?.into_iter().filter(|t| t.level == 1);
    let Some(e) = embeddings else {
        for t in leaves {
            crate::db::embeddings::set_topic_centroid(tx, t.id, None)?;
        }
        return Ok(());
    };
    let pos: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();
    let mut sums: HashMap<i64, Vec<f32>> = HashMap::new();
    for (paper, topic, _) in store::primary_leaves(tx)? {
        if let Some(&d) = pos.get(&paper) {
            let sum = sums.entry(topic).or_insert_with(|| vec![0.0; DIMENSIONS]);
            for (s, v) in sum.iter_mut().zip(&e[d * DIMENSIONS..(d + 1) * DIMENSIONS]) {
                *s += v;
            }
        }
    }
    for t in leaves {
        let c = sums.remove(&t.id).map(|mut v| {
            dense::normalise(&mut v);
            v
        });
        crate::db::embeddings::set_topic_centroid(tx, t.id, c.as_deref())?;
    }
    Ok(())
}

/// The topics as they were before a refit: rows, each leaf's papers, the user's moves.
struct Before {
    topics: Vec<TopicRow>,
    members: HashMap<i64, HashSet<i64>>,
    moves: HashMap<i64, i64>,
}

impl Before {
    fn members_of(&self, t: i64) -> HashSet<i64> {
        self.members.get(&t).cloned().unwrap_or_default()
    }
}

/// The new leaves: the model's, with the user's edits carried over (papers by position in `ids`).
fn carry_edits(model: &Model, ids: &[i64], before: &Before) -> Vec<Group> {
    let n = ids.len();
    let pos: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();
    let old = &before.topics;

    // 1. Pinned leaves keep their papers.
    let mut groups: Vec<Group> = Vec::new();
    let mut taken = vec![false; n];
    for t in old.iter().filter(|t| t.level == 1 && t.pinned) {
        let m: Vec<usize> = before
            .members_of(t.id)
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
        let s = before.members_of(t.id);
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
        .map(|t| (t.id, before.members_of(t.id)))
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
    // 5. Papers the user moved go where they were put. A topic that holds a moved paper is a
    //    user's choice too: when no new leaf continues it, it is kept for its moved papers.
    for (paper, topic) in &before.moves {
        let Some(&d) = pos.get(paper) else {
            continue;
        };
        let target = match groups
            .iter()
            .position(|g| g.old.as_ref().is_some_and(|o| o.id == *topic))
        {
            Some(g) => g,
            None => match old.iter().find(|t| t.id == *topic && t.level == 1) {
                Some(t) => {
                    groups.push(Group {
                        members: Vec::new(),
                        old: Some(t.clone()),
                    });
                    groups.len() - 1
                }
                None => continue,
            },
        };
        for g in groups.iter_mut() {
            g.members.retain(|&x| x != d);
        }
        groups[target].members.push(d);
    }
    // A leaf with no papers left goes, unless the user made or pinned it: an empty topic they
    // created is waiting for papers.
    groups.retain(|g| !g.members.is_empty() || g.old.as_ref().is_some_and(|o| o.pinned));
    groups
}

/// The final leaves: each paper's leaf, the leaves' centroids, each paper's centrality, labels.
struct Leaves {
    leaf_of: Vec<usize>,
    centroids: Vec<SparseVec>,
    centrality: Vec<f32>,
    labels: Vec<(String, Vec<String>)>,
}

impl Leaves {
    fn of(model: &Model, groups: &[Group], n: usize) -> Leaves {
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
        let labels = labels(&model.corpus, &leaf_of, groups.len());
        Leaves {
            leaf_of,
            centroids,
            centrality,
            labels,
        }
    }
}

/// The broader topics: for each leaf, the model's parent holding most of its papers (numbered
/// among the parents used); their labels, and the old parent each one continues, by overlap.
struct Parents {
    of_group: Vec<usize>,
    of_doc: Vec<usize>,
    labels: Vec<(String, Vec<String>)>,
    continues: Vec<Option<i64>>,
}

impl Parents {
    fn of(
        model: &Model,
        ids: &[i64],
        groups: &[Group],
        leaves: &Leaves,
        before: &Before,
    ) -> Parents {
        let n = ids.len();
        let model_parent_of_doc: Vec<usize> = model
            .leaf_of
            .iter()
            .map(|&l| model.leaves[l].parent.unwrap_or(0))
            .collect();
        let mut of_group: Vec<usize> = groups
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
        let mut used: Vec<usize> = of_group.clone();
        used.sort_unstable();
        used.dedup();
        of_group
            .iter_mut()
            .for_each(|p| *p = used.binary_search(p).expect("listed"));
        let of_doc: Vec<usize> = leaves.leaf_of.iter().map(|&g| of_group[g]).collect();
        let labels = parent_labels(
            &model.corpus,
            &leaves.leaf_of,
            &of_group,
            used.len(),
            &leaves.labels,
        );
        let sets: Vec<HashSet<i64>> = (0..used.len())
            .map(|p| (0..n).filter(|&d| of_doc[d] == p).map(|d| ids[d]).collect())
            .collect();
        let old = &before.topics;
        let old_parents: Vec<(i64, HashSet<i64>)> = old
            .iter()
            .filter(|t| t.level == 0)
            .map(|t| {
                let s: HashSet<i64> = old
                    .iter()
                    .filter(|l| l.parent_id == Some(t.id))
                    .flat_map(|l| before.members_of(l.id))
                    .collect();
                (t.id, s)
            })
            .collect();
        let continues = match_by_overlap(&sets, &old_parents);
        Parents {
            of_group,
            of_doc,
            labels,
            continues,
        }
    }
}

/// Papers whose nearest leaves [`write_fit`] scores in one parallel block.
const WEIGHED_AT_ONCE: usize = 16_384;

/// Writes the new topics (keeping the ids, user labels, pins and merges they continue), every
/// paper's weights, the vocabulary and the vectors, in the caller's transaction.
fn write_fit(
    tx: &Connection,
    model: &Model,
    ids: &[i64],
    groups: &[Group],
    leaves: &Leaves,
    parents: &Parents,
    old: &[TopicRow],
) -> Result<()> {
    let vectors = &model.corpus.vectors;
    let mut keep: Vec<i64> = Vec::new();
    let mut parent_ids = Vec::new();
    for (p, continues) in parents.continues.iter().enumerate() {
        let prev = continues.and_then(|id| old.iter().find(|t| t.id == id));
        let id = match prev {
            Some(t) => t.id,
            None => store::new_topic_id(tx)?,
        };
        let members: Vec<usize> = (0..ids.len()).filter(|&d| parents.of_doc[d] == p).collect();
        store::upsert_topic(
            tx,
            &TopicRow {
                id,
                parent_id: None,
                level: 0,
                label: parents.labels[p].0.clone(),
                user_label: prev.and_then(|t| t.user_label.clone()),
                keyphrases: parents.labels[p].1.clone(),
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
            None => store::new_topic_id(tx)?,
        };
        store::upsert_topic(
            tx,
            &TopicRow {
                id,
                parent_id: Some(parent_ids[parents.of_group[gi]]),
                level: 1,
                label: leaves.labels[gi].0.clone(),
                user_label: g.old.as_ref().and_then(|t| t.user_label.clone()),
                keyphrases: leaves.labels[gi].1.clone(),
                pinned: g.old.as_ref().is_some_and(|t| t.pinned),
                merged: g.old.as_ref().is_some_and(|t| t.merged),
                centroid: leaves.centroids[gi].clone(),
            },
        )?;
        keep.push(id);
        leaf_ids.push(id);
    }
    store::delete_topics_except(tx, &keep)?;
    store::clear_memberships(tx)?;
    let index = CentroidIndex::new(&leaves.centroids);
    // Each paper's nearest leaves are scored on every core, a block at a time, and written in
    // order: scored one by one beside the writes, they held the writing thread (1M papers).
    for start in (0..ids.len()).step_by(WEIGHED_AT_ONCE) {
        let block = start..(start + WEIGHED_AT_ONCE).min(ids.len());
        let near: Vec<Vec<(usize, f32)>> = block
            .clone()
            .into_par_iter()
            .map(|d| index.nearest(&vectors[d], 3))
            .collect();
        for (d, near) in block.zip(&near) {
            write_memberships(
                tx,
                ids[d],
                near,
                leaf_ids[leaves.leaf_of[d]],
                leaves.centrality[d],
                &leaf_ids,
            )?;
        }
    }
    let vec_rows: Vec<(i64, &SparseVec)> = ids.iter().copied().zip(vectors.iter()).collect();
    store::write_vocab(tx, &model.corpus.vocab, &vec_rows)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(ids: &[i64]) -> HashSet<i64> {
        ids.iter().copied().collect()
    }

    #[test]
    fn new_groups_take_the_old_topics_they_overlap_most() {
        let new = [set(&[1, 2, 3]), set(&[4, 5]), set(&[7, 8, 9, 10, 11])];
        let old = [
            (10, set(&[4, 5, 6])),
            (11, set(&[1, 2])),
            (12, set(&[3])),
            (13, set(&[7])),
        ];
        // {1,2,3}: 11 (2/3) before 12 (1/3); {4,5}: 10 (2/3); {7..11}: 13 is 1/5, at the threshold.
        assert_eq!(
            match_by_overlap(&new, &old),
            vec![Some(11), Some(10), Some(13)]
        );
        // One to one: a second group as close to 11 gets nothing once 11 is taken; below the
        // threshold nothing matches.
        let new = [set(&[1, 2]), set(&[1, 2, 3])];
        assert_eq!(match_by_overlap(&new, &old[1..2]), vec![Some(11), None]);
        assert_eq!(
            match_by_overlap(&[set(&[20, 21, 22, 23, 24, 25])], &old),
            vec![None]
        );
    }
}
