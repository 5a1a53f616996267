//! Whether the stored topics still describe the library: how much has been added since the last
//! full fit, and when a background recompute is due. Counting only; fitting lives in `facade`.

use serde::Serialize;

use crate::db::{meta, papers};
use crate::{Library, Result};

/// A full recompute is due once papers added since the last fit reach this share of the papers
/// that fit saw. New papers are placed in their nearest existing topic at once, but a topic the
/// library has grown into (a fifth more papers) only appears when the model is refitted.
pub const RECOMPUTE_SHARE: f64 = 0.2;

/// `meta` key: the user's number of leaf topics (unset: chosen from the data).
pub(crate) const LEAVES_SETTING: &str = "topics.leaves";
/// `meta` key: the mode of the last full fit ("semantic" or "lexical").
pub(crate) const FITTED_MODE: &str = "topics.fitted_mode";
/// `meta` key: how many papers the last full fit saw.
pub(crate) const FITTED_PAPERS: &str = "topics.fitted_papers";
/// `meta` key: papers placed in their nearest topic since the last full fit.
pub(crate) const ASSIGNED_SINCE_FIT: &str = "topics.assigned_since_fit";
/// Counts full fits: an undo step that puts topic rows back applies only to the fit it was made in.
pub(crate) const FITS: &str = "topics.fits";

/// How many full fits this library has had.
pub(crate) fn fits(conn: &crate::db::Connection) -> crate::Result<u64> {
    Ok(crate::db::meta::get(conn, FITS)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

/// How current the topics are.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct TopicsStatus {
    /// Papers the last full fit saw (0 before the first fit).
    pub fitted_papers: usize,
    /// Papers in the library now.
    pub papers: usize,
    /// Papers added since the last full fit: placed in their nearest topic, or not placed yet.
    pub added_since_fit: usize,
    /// `added_since_fit / fitted_papers` (1 before the first fit).
    pub changed_share: f64,
    /// No fit yet, or `changed_share` ≥ [`RECOMPUTE_SHARE`]: run `recompute_topics` in the background.
    pub needs_recompute: bool,
    /// The user's number of leaf topics (`set_topic_leaves`); `None`: chosen from the data.
    pub chosen_leaves: Option<usize>,
}

impl Library {
    /// How many papers were added since the last full topic fit, and whether a full recompute is
    /// due (see [`RECOMPUTE_SHARE`]). Cheap: three counts, no fitting.
    pub fn topics_status(&self) -> Result<TopicsStatus> {
        let conn = self.conn();
        let papers = papers::count(&conn)? as i64;
        let placed = crate::db::topics::placed_papers(&conn)?;
        let number = |key: &str| -> Result<Option<usize>> {
            Ok(meta::get(&conn, key)?.and_then(|v| v.parse().ok()))
        };
        let assigned = number(ASSIGNED_SINCE_FIT)?.unwrap_or(0);
        // Libraries fitted before the count was kept: every placed paper counts as fitted.
        let fitted = number(FITTED_PAPERS)?.unwrap_or((placed as usize).saturating_sub(assigned));
        let unplaced = (papers - placed).max(0) as usize;
        let added = assigned + unplaced;
        let changed_share = if fitted == 0 {
            1.0
        } else {
            added as f64 / fitted as f64
        };
        Ok(TopicsStatus {
            fitted_papers: fitted,
            papers: papers as usize,
            added_since_fit: added,
            changed_share,
            needs_recompute: (fitted == 0 && papers > 0) || changed_share >= RECOMPUTE_SHARE,
            chosen_leaves: number(LEAVES_SETTING)?,
        })
    }

    /// Whether enough has changed since the last full fit that topics should be recomputed in the
    /// background (`recompute_topics`); see [`Library::topics_status`].
    pub fn topics_need_recompute(&self) -> Result<bool> {
        Ok(self.topics_status()?.needs_recompute)
    }
}
