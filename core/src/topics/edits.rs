//! The user's edits to topics (rename, pin, merge, move a paper, create, split): each one
//! transaction and one undo step, kept across refits, and searchable at once.

use super::facade::doc_of;
use super::model::{centroid_of, labels};
use super::vectorize::{vector_of, Corpus};
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
