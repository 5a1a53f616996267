//! The user's edits to topics (rename, pin, merge, move a paper, create, split): each one
//! transaction and one undo step, kept across refits, and searchable at once.

use super::facade::doc_of;
use super::model::{centroid_of, labels};
use super::vectorize::{vector_of, Corpus, DocText, LongPhrases};
use crate::db::topics::{self as store, TopicRow, TopicScope};
use crate::db::{papers, Connection};
use crate::undo::Op;
use crate::{Error, Library, Result};

impl Library {
    /// Gives a topic the user's label; it survives recomputation.
    pub fn rename_topic(&self, topic: i64, label: &str) -> Result<()> {
        let label = label.trim();
        if label.is_empty() {
            return Err(Error::Invalid("a topic label cannot be empty".into()));
        }
        self.topics()?;
        self.change(&format!("Rename topic to “{label}”"), |c| {
            let t = existing(c, topic)?;
            store::set_user_label(c, t.id, Some(label))?;
            let op = Op::TopicLabel {
                topic,
                before: t.user_label,
                after: Some(label.to_string()),
            };
            Ok((vec![op], ()))
        })
    }

    /// Pins (or unpins) a leaf topic: a recomputation keeps its papers in it.
    pub fn pin_topic(&self, topic: i64, pinned: bool) -> Result<()> {
        self.topics()?;
        let label = if pinned { "Pin topic" } else { "Unpin topic" };
        self.change(label, |c| {
            let t = existing(c, topic)?;
            store::set_pinned(c, t.id, pinned)?;
            let op = Op::TopicPin {
                topic,
                before: t.pinned,
                after: pinned,
            };
            Ok((vec![op], ()))
        })
    }

    /// Merges topic `from` into `into` (both leaves or both parents); a recomputation keeps the
    /// merged papers together.
    pub fn merge_topics(&self, from: i64, into: i64) -> Result<()> {
        if from == into {
            return Err(Error::Invalid("cannot merge a topic into itself".into()));
        }
        self.topics()?;
        let scope = TopicScope::Topics(vec![from, into]);
        let label = {
            let conn = self.conn();
            let (a, b) = (existing(&conn, from)?, existing(&conn, into)?);
            format!("Merge “{}” into “{}”", a.shown_label(), b.shown_label())
        };
        self.change(&label, |c| {
            let (a, b) = (existing(c, from)?, existing(c, into)?);
            if a.level != b.level {
                return Err(Error::Invalid(format!(
                    "topic {from} and topic {into} are not at the same level"
                )));
            }
            let op = topic_rows_change(c, &scope, |c| {
                Ok(store::merge(c, from, into, a.level == 1)?)
            })?;
            Ok((vec![op], ()))
        })
    }

    /// Moves a paper into a leaf topic; it stays there across recomputations.
    pub fn move_paper(&self, paper: i64, topic: i64) -> Result<()> {
        self.move_papers(&[paper], topic)
    }

    /// Moves papers into a leaf topic as one undo step; they stay there across recomputations.
    pub fn move_papers(&self, ids: &[i64], topic: i64) -> Result<()> {
        self.topics()?;
        let label = if ids.len() == 1 {
            "Move paper to topic".to_string()
        } else {
            format!("Move {} papers to topic", ids.len())
        };
        self.change(&label, |c| {
            let t = existing(c, topic)?;
            if t.level != 1 {
                return Err(Error::Invalid(format!(
                    "topic {topic} is a broader topic; move papers into one of its leaves"
                )));
            }
            let mut ops = Vec::with_capacity(ids.len());
            for &paper in ids {
                papers::get(c, paper)?.ok_or_else(|| Error::NotFound(paper.to_string()))?;
                ops.push(topic_rows_change(c, &TopicScope::Paper(paper), |c| {
                    store::clear_primary_leaf(c, paper)?;
                    let v = store::paper_vector(c, paper)?.unwrap_or_default();
                    store::set_membership(c, paper, topic, 1.0, v.dot(&t.centroid), true)?;
                    Ok(store::record_move(c, paper, topic)?)
                })?);
            }
            Ok((ops, ()))
        })
    }
}

impl Library {
    /// Creates an empty leaf topic named `label` under the broader topic `parent` (by default
    /// the first one), for papers to be moved into. It is pinned: recomputations keep it, and
    /// the papers put in it. Returns its id.
    pub fn create_topic(&self, label: &str, parent: Option<i64>) -> Result<i64> {
        let label = label.trim();
        if label.is_empty() {
            return Err(Error::Invalid("a topic label cannot be empty".into()));
        }
        self.topics()?;
        self.change(&format!("New topic “{label}”"), |c| {
            let parent = match parent {
                Some(p) => {
                    let t = existing(c, p)?;
                    if t.level != 0 {
                        return Err(Error::Invalid(format!(
                            "topic {p} is a leaf; a new topic goes under a broader topic"
                        )));
                    }
                    Some(p)
                }
                None => store::topics(c)?
                    .iter()
                    .find(|t| t.level == 0)
                    .map(|t| t.id),
            };
            let op = topic_rows_growing(c, &[], |c| {
                let id = store::new_topic_id(c)?;
                store::upsert_topic(
                    c,
                    &TopicRow {
                        id,
                        parent_id: parent,
                        level: 1,
                        label: label.to_string(),
                        user_label: Some(label.to_string()),
                        pinned: true,
                        ..TopicRow::default()
                    },
                )?;
                Ok(vec![id])
            })?;
            let id = match &op {
                Op::TopicRows {
                    scope: TopicScope::Topics(ids),
                    ..
                } => ids[0],
                _ => unreachable!("topic_rows_growing gives topic rows"),
            };
            Ok((vec![op], id))
        })
    }

    /// Splits a leaf topic's papers into `parts` (2–4) topics by re-clustering them, each
    /// labelled from its own papers and pinned (a recomputation keeps them). The first part
    /// keeps the topic's id. Returns the parts' ids.
    pub fn split_topic(&self, topic: i64, parts: usize) -> Result<Vec<i64>> {
        if !(2..=4).contains(&parts) {
            return Err(Error::Invalid(format!(
                "a topic splits into 2 to 4 parts, not {parts}"
            )));
        }
        self.topics()?;
        let name = existing(&self.conn(), topic)?.shown_label().to_string();
        self.change(&format!("Split topic “{name}”"), |c| {
            let t = existing(c, topic)?;
            if t.level != 1 {
                return Err(Error::Invalid(format!(
                    "topic {topic} is a broader topic; split one of its leaves"
                )));
            }
            let mut members = store::members_central(c, topic)?;
            members.sort_unstable();
            if members.len() < parts * 2 {
                return Err(Error::Invalid(format!(
                    "“{name}” has {} papers: too few to split in {parts}",
                    members.len()
                )));
            }
            let vocab = store::vocab(c)?;
            let records =
                papers::get_many(c, &members)?.map_err(|id| Error::NotFound(id.to_string()))?;
            let docs: Vec<DocText> = records.iter().map(doc_of).collect();
            let (vectors, counts): (Vec<_>, Vec<_>) =
                docs.iter().map(|d| vector_of(&vocab, d)).unzip();
            let dim = vocab.keys.len();
            let clustering =
                topica_topics::cluster::spherical_kmeans(&vectors, None, dim, parts, topic as u64);
            // Parts numbered by first appearance, empty clusters left out.
            let mut part_of_cluster: Vec<Option<usize>> = vec![None; clustering.k];
            let mut k = 0;
            let assign: Vec<usize> = clustering
                .assign
                .iter()
                .map(|&a| {
                    *part_of_cluster[a as usize].get_or_insert_with(|| {
                        k += 1;
                        k - 1
                    })
                })
                .collect();
            if k < 2 {
                return Err(Error::Invalid(format!(
                    "the papers of “{name}” are too alike to split"
                )));
            }
            let corpus = Corpus {
                vocab,
                vectors,
                counts,
                long: LongPhrases::of(&docs),
                // Labels only: the library's glued words are the last full fit's.
                glued: Default::default(),
            };
            let names = labels(&corpus, &assign, k);
            let op = topic_rows_growing(c, &[topic], |c| {
                let mut ids = vec![topic];
                for _ in 1..k {
                    ids.push(store::new_topic_id(c)?);
                }
                for (part, id) in ids.iter().enumerate() {
                    let inside: Vec<usize> =
                        (0..members.len()).filter(|&d| assign[d] == part).collect();
                    let centroid = centroid_of(&corpus.vectors, &inside);
                    for &d in &inside {
                        let paper = members[d];
                        store::clear_primary_leaf(c, paper)?;
                        let v = &corpus.vectors[d];
                        store::set_membership(
                            c,
                            paper,
                            *id,
                            v.dot(&centroid),
                            v.dot(&centroid),
                            true,
                        )?;
                        // A paper the user had moved into the topic stays with its part.
                        if *id != topic && store::moved_to(c, paper)? == Some(topic) {
                            store::record_move(c, paper, *id)?;
                        }
                    }
                    store::upsert_topic(
                        c,
                        &TopicRow {
                            id: *id,
                            parent_id: t.parent_id,
                            level: 1,
                            label: names[part].0.clone(),
                            user_label: None,
                            keyphrases: names[part].1.clone(),
                            pinned: true,
                            merged: false,
                            centroid,
                        },
                    )?;
                }
                Ok(ids)
            })?;
            let ids = match &op {
                Op::TopicRows {
                    scope: TopicScope::Topics(ids),
                    ..
                } => ids.clone(),
                _ => unreachable!("topic_rows_growing gives topic rows"),
            };
            Ok((vec![op], ids))
        })
    }
}

/// Like [`topic_rows_change`] for a change that creates topics: `f` returns the topics it
/// wrote (`existing` and the new ones), and the op's scope covers them all (undo deletes the
/// new ones).
fn topic_rows_growing(
    c: &Connection,
    existing: &[i64],
    f: impl FnOnce(&Connection) -> Result<Vec<i64>>,
) -> Result<Op> {
    let before = store::topic_state(c, &TopicScope::Topics(existing.to_vec()))?;
    let ids = f(c)?;
    let scope = TopicScope::Topics(ids);
    Ok(Op::TopicRows {
        fit: super::status::fits(c)?,
        before: Box::new(before),
        after: Box::new(store::topic_state(c, &scope)?),
        scope,
    })
}

/// Runs `f`, a change to the topic rows `scope` covers, and returns it as an undo op: those
/// rows before and after, in the current fit.
fn topic_rows_change(
    c: &Connection,
    scope: &TopicScope,
    f: impl FnOnce(&Connection) -> Result<()>,
) -> Result<Op> {
    let before = store::topic_state(c, scope)?;
    f(c)?;
    Ok(Op::TopicRows {
        fit: super::status::fits(c)?,
        scope: scope.clone(),
        before: Box::new(before),
        after: Box::new(store::topic_state(c, scope)?),
    })
}

fn existing(conn: &Connection, topic: i64) -> Result<TopicRow> {
    store::topic(conn, topic)?.ok_or_else(|| Error::NotFound(format!("topic {topic}")))
}
