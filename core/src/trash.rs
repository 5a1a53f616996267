//! The trash: deleting a paper moves it there with everything the user gave it (notes, tags,
//! collections, pinned citation key); restoring brings it back as it was. Trashed papers are in
//! no list, search, topic, count or export. Only emptying the trash deletes for good.

use serde::Serialize;

use crate::db::{papers, topics as topic_store};
use crate::library::now_rfc3339;
use crate::undo::Op;
use crate::{Error, Library, Result};

/// What emptying the trash deleted.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct EmptiedTrash {
    pub deleted: usize,
    /// Stored files (of the papers deleted, or detached from theirs) moved to the system trash.
    pub files_trashed: usize,
    /// Stored files that could not be moved to the system trash, and why: they stay in the
    /// library folder.
    pub files_kept: Vec<crate::FileFailure>,
}

impl Library {
    /// Moves papers to the trash, as one undoable step. Ids already in the trash are left as
    /// they are; an id of no paper is an error and nothing moves. Returns the ids moved.
    pub fn trash(&self, ids: &[i64]) -> Result<Vec<i64>> {
        self.change(&papers_label("Delete", ids.len()), |c| {
            let (live, _) = states(c, ids)?;
            papers::set_trashed(c, &live, Some(&now_rfc3339()))?;
            topic_store::stash_memberships(c, &live)?;
            let ops = if live.is_empty() {
                vec![]
            } else {
                vec![Op::Trash { ids: live.clone() }]
            };
            Ok((ops, live))
        })
    }

    /// Brings papers back from the trash, as one undoable step. Returns the ids restored.
    pub fn restore(&self, ids: &[i64]) -> Result<Vec<i64>> {
        self.change(&papers_label("Restore", ids.len()), |c| {
            let (_, trashed) = states(c, ids)?;
            papers::set_trashed(c, &trashed, None)?;
            topic_store::unstash_memberships(c, &trashed)?;
            let ops = if trashed.is_empty() {
                vec![]
            } else {
                vec![Op::Restore {
                    ids: trashed.clone(),
                }]
            };
            Ok((ops, trashed))
        })
    }

    /// Ids of the papers in the trash, the most recently trashed first.
    pub fn trashed(&self) -> Result<Vec<i64>> {
        Ok(papers::trashed_ids(&self.conn())?)
    }

    /// Deletes every paper in the trash for good. This is the one change that cannot be undone:
    /// undo steps that name these papers skip them.
    pub fn empty_trash(&self) -> Result<EmptiedTrash> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let ids = papers::trashed_ids(&tx)?;
        // Their files go first, to the system trash: a file that cannot go stays, and is said.
        let (gone, files_trashed, files_kept) = self.discard_files(&tx)?;
        crate::db::files::delete(&tx, &gone)?;
        let deleted = papers::purge(&tx, &ids)?;
        crate::db::meta::bump_generation(&tx)?;
        tx.commit()?;
        drop(conn);
        // A deleted paper's id may be given to a new paper: its tags leave the search's memory.
        self.load_tags()?;
        Ok(EmptiedTrash {
            deleted,
            files_trashed,
            files_kept,
        })
    }
}

/// Of `ids`, those in the library and those in the trash; fails with the first id that is no
/// paper at all.
fn states(c: &crate::db::Connection, ids: &[i64]) -> Result<(Vec<i64>, Vec<i64>)> {
    let live = papers::ids_in_state(c, ids, false)?;
    let trashed = papers::ids_in_state(c, ids, true)?;
    let known: std::collections::HashSet<i64> = live.iter().chain(&trashed).copied().collect();
    match ids.iter().find(|id| !known.contains(id)) {
        Some(id) => Err(Error::NotFound(id.to_string())),
        None => Ok((live, trashed)),
    }
}

/// "Delete 1 paper", "Restore 3 papers".
pub(crate) fn papers_label(verb: &str, n: usize) -> String {
    format!("{verb} {n} paper{}", if n == 1 { "" } else { "s" })
}
