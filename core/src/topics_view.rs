//! What a topic browser shows beyond the topic facade: whether a model exists yet, the papers of a
//! topic in list order, and a topic's papers per year (the map of papers is `paper_map`'s). Reads
//! the topic tables of migration 0002; writes nothing.

use std::collections::HashSet;

use crate::db;
use serde::Serialize;

use crate::browse::{SortBy, View};
use crate::{Library, Result};

/// How many papers of a topic (a leaf, or a parent's leaves together) appeared in one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct TopicYear {
    pub topic: i64,
    pub year: i32,
    pub papers: usize,
}

impl Library {
    /// True once the topic model has been fitted (the first [`Library::topics`] call fits it).
    pub fn has_topics(&self) -> Result<bool> {
        Ok(db::topics::has_model(&self.conn())?)
    }

    /// Ids of the papers listed under `topic` (a leaf, or every leaf of a parent) in `sort` order.
    pub fn topic_paper_ids(&self, topic: i64, sort: SortBy) -> Result<Vec<i64>> {
        let members: HashSet<i64> = db::topics::members_central(&self.conn(), topic)?
            .into_iter()
            .collect();
        // The list order is the browse module's; keep one definition of it.
        Ok(self
            .list_ids(&View::All, sort)?
            .into_iter()
            .filter(|id| members.contains(id))
            .collect())
    }

    /// Papers per year of the papers listed under `topic` (a leaf, or every leaf of a parent),
    /// oldest year first. Papers without a year are left out.
    pub fn topic_years(&self, topic: i64) -> Result<Vec<TopicYear>> {
        Ok(db::topics::papers_per_year(&self.conn(), topic)?
            .into_iter()
            .map(|(year, papers)| TopicYear {
                topic,
                year,
                papers: papers as usize,
            })
            .collect())
    }
}
