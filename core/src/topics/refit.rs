//! Refitting the topics: a new model on every paper, with the user's edits (pins, merges, moves,
//! renames) mapped onto it by overlap, written in one transaction.

use std::collections::{HashMap, HashSet};

use super::facade::{doc_of, write_weights, Topic};
use super::model::{centroid_of, fit, labels, CentroidIndex, FitOptions};
use super::status;
use super::vectorize::{DocText, SparseVec};
use crate::db::meta;
use crate::db::topics::{self as store, TopicRow};
use crate::{Library, Result};

/// Two leaves are the same topic when their papers overlap at least this much (Jaccard).
const SAME_TOPIC: f64 = 0.2;

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
        let index = CentroidIndex::new(&centroids);
        for d in 0..n {
            write_weights(
                &tx,
                ids[d],
                &vectors[d],
                leaf_ids[leaf_of[d]],
                centrality[d],
                &leaf_ids,
                &index,
            )?;
        }
        let vec_rows: Vec<(i64, &SparseVec)> = ids.iter().copied().zip(vectors.iter()).collect();
        store::write_vocab(&tx, &model.corpus.vocab, &vec_rows)?;
        meta::set(&tx, status::FITTED_PAPERS, &n.to_string())?;
        meta::set(&tx, status::ASSIGNED_SINCE_FIT, "0")?;
        meta::set(&tx, status::FITS, &(status::fits(&tx)? + 1).to_string())?;
        meta::bump_generation(&tx)?;
        tx.commit()?;
        drop(conn);
        // Topic labels are searchable (`topic:`): the index is derived, rebuild it.
        self.rebuild_index()?;
        self.load_topics()
    }
}
