//! Every change a user makes is one transaction and one step of a persistent undo log (the
//! store's `undo_steps`), so Undo and Redo work across restarts.
//!
//! A step is a list of [`Op`]s, each holding what it needs to go both ways: ids for the trash
//! (trashing is its own inverse's inverse), a paper's fields before and after an edit or a
//! merge, a topic's label or pin before and after. Undo applies a step's ops backwards, newest
//! first; redo applies them forwards. Papers an undo would touch that are gone for good (the
//! trash was emptied) are skipped.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use topica_model::Paper;

use crate::db::{self, meta, papers, topics as topic_store, user, Connection};
use crate::library::now_rfc3339;
use crate::{Error, Library, Result};

/// One reversible part of a user's change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub(crate) enum Op {
    /// Papers moved to the trash.
    Trash { ids: Vec<i64> },
    /// Papers that came (back) into the library: restored from the trash or newly added.
    /// Undoing an addition moves the papers to the trash, where nothing is lost.
    Restore { ids: Vec<i64> },
    /// A paper's bibliographic fields, citation key and edited-field list, before and after.
    Fields {
        before: Box<Paper>,
        after: Box<Paper>,
    },
    /// A paper's user fields (notes, tags, collections, read, starred), before and after.
    User {
        before: Box<Paper>,
        after: Box<Paper>,
    },
    /// Files attached to (`on`) or detached from their papers, as (file id, paper id).
    Files { files: Vec<(i64, i64)>, on: bool },
    /// A file pointed at another place (a missing file relinked): its kind and path before
    /// and after.
    FileRelinked {
        file: i64,
        paper: i64,
        before: crate::files::FilePlace,
        after: crate::files::FilePlace,
    },
    /// Files given from one paper to another (a merge).
    FileOwner { files: Vec<i64>, from: i64, to: i64 },
    /// A topic's user label before and after (`None`: the model's label).
    TopicLabel {
        topic: i64,
        before: Option<String>,
        after: Option<String>,
    },
    /// A topic's pin before and after.
    TopicPin {
        topic: i64,
        before: bool,
        after: bool,
    },
    /// A tag given to (`on`) or taken from these papers (only those that changed).
    Tag {
        tag: String,
        ids: Vec<i64>,
        on: bool,
    },
    /// A tag renamed on every paper: who had the old name, who had the new one already.
    RenameTag {
        from: String,
        to: String,
        had_from: Vec<i64>,
        had_to: Vec<i64>,
    },
    /// Collection subtrees (their names and papers) before and after a create, rename, move or
    /// delete.
    Collections {
        scopes: Vec<String>,
        before: crate::db::user::CollectionRows,
        after: crate::db::user::CollectionRows,
    },
    /// A saved search's query before and after (`None`: no search under that name).
    SavedSearch {
        name: String,
        before: Option<String>,
        after: Option<String>,
    },
    /// Papers put in (`on`) or taken out of a collection (only those that changed).
    Collect {
        name: String,
        ids: Vec<i64>,
        on: bool,
    },
    /// Read and/or starred set on many papers: each one's flags before, and what was set.
    Flags {
        before: Vec<(i64, bool, bool)>,
        read: Option<bool>,
        starred: Option<bool>,
    },
    /// A tag's colour before and after (`None`: no colour).
    TagColor {
        tag: String,
        before: Option<String>,
        after: Option<String>,
    },
    /// Pairs of papers marked (`on`) or unmarked as not duplicates, each (smaller, larger).
    NotDuplicates { pairs: Vec<(i64, i64)>, on: bool },
    /// The topic rows a merge or a moved paper changed, before and after, in fit number `fit`
    /// (a refit since makes them meaningless: the step is then skipped).
    TopicRows {
        fit: u64,
        scope: topic_store::TopicScope,
        before: Box<topic_store::TopicState>,
        after: Box<topic_store::TopicState>,
    },
}

/// Which way a step is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Way {
    Undo,
    Redo,
}

/// What an undo or redo did.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct UndoReport {
    /// The step's label ("Delete 3 papers").
    pub label: String,
    /// Papers whose state changed (library ids).
    pub papers: Vec<i64>,
    /// What the next undo and redo would revert or apply, for the Edit menu.
    pub history: History,
}

/// The Edit menu's Undo and Redo entries.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct History {
    #[ts(optional)]
    pub undo: Option<String>,
    #[ts(optional)]
    pub redo: Option<String>,
}

impl Op {
    fn papers(&self, out: &mut BTreeSet<i64>) {
        match self {
            Op::Trash { ids } | Op::Restore { ids } => out.extend(ids),
            Op::Fields { after, .. } | Op::User { after, .. } => {
                out.insert(after.id);
            }
            // A paper's full text is in its search document.
            Op::Files { files, .. } => out.extend(files.iter().map(|(_, paper)| *paper)),
            Op::FileRelinked { paper, .. } => {
                out.insert(*paper);
            }
            Op::FileOwner { from, to, .. } => out.extend([*from, *to]),
            // Tags, collections and flags are not in the search documents: nothing to
            // re-index (tags are searched from memory: see `tagged`).
            Op::Tag { .. } | Op::RenameTag { .. } => {}
            Op::Collect { .. }
            | Op::Flags { .. }
            | Op::SavedSearch { .. }
            | Op::NotDuplicates { .. }
            | Op::TagColor { .. }
            | Op::Collections { .. } => {}
            Op::TopicLabel { .. } | Op::TopicPin { .. } | Op::TopicRows { .. } => {}
        }
    }

    /// Papers whose tags the op may change: the search index is given their tags again.
    fn tagged(&self, out: &mut BTreeSet<i64>) {
        match self {
            Op::Tag { ids, .. } => out.extend(ids),
            Op::RenameTag {
                had_from, had_to, ..
            } => out.extend(had_from.iter().chain(had_to)),
            Op::User { before, after } if before.tags != after.tags => {
                out.insert(after.id);
            }
            _ => {}
        }
    }

    fn touches_topics(&self) -> bool {
        matches!(
            self,
            Op::TopicLabel { .. } | Op::TopicPin { .. } | Op::TopicRows { .. }
        )
    }

    fn apply(&self, conn: &Connection, way: Way, now: &str) -> Result<()> {
        let pick = |before: &Paper, after: &Paper| -> Paper {
            match way {
                Way::Undo => before.clone(),
                Way::Redo => after.clone(),
            }
        };
        match (self, way) {
            (Op::Trash { ids }, Way::Redo) | (Op::Restore { ids }, Way::Undo) => {
                let live = papers::ids_in_state(conn, ids, false)?;
                papers::set_trashed(conn, &live, Some(now))?;
                topic_store::stash_memberships(conn, &live)?;
            }
            (Op::Trash { ids }, Way::Undo) | (Op::Restore { ids }, Way::Redo) => {
                let trashed = papers::ids_in_state(conn, ids, true)?;
                papers::set_trashed(conn, &trashed, None)?;
                topic_store::unstash_memberships(conn, &trashed)?;
            }
            (Op::Files { files, on }, _) => {
                let ids: Vec<i64> = files.iter().map(|(file, _)| *file).collect();
                let attach = *on == (way == Way::Redo);
                crate::db::files::set_removed(conn, &ids, (!attach).then_some(now))?;
            }
            (
                Op::FileRelinked {
                    file,
                    before,
                    after,
                    ..
                },
                _,
            ) => {
                let place = match way {
                    Way::Undo => before,
                    Way::Redo => after,
                };
                crate::db::files::set_path(conn, *file, &place.kind, &place.path)?;
            }
            (Op::FileOwner { files, from, to }, _) => {
                let owner = if way == Way::Undo { from } else { to };
                crate::db::files::set_paper(conn, files, *owner)?;
            }
            (Op::Fields { before, after }, _) => {
                let p = pick(before, after);
                if papers::get(conn, p.id)?.is_some() {
                    write_fields(conn, &p)?;
                }
            }
            (Op::User { before, after }, _) => {
                let p = pick(before, after);
                if papers::get(conn, p.id)?.is_some() {
                    write_user_fields(conn, &p)?;
                }
            }
            (
                Op::TopicLabel {
                    topic,
                    before,
                    after,
                },
                _,
            ) => {
                let label = if way == Way::Undo { before } else { after };
                if topic_store::topic(conn, *topic)?.is_some() {
                    topic_store::set_user_label(conn, *topic, label.as_deref())?;
                }
            }
            (Op::Tag { tag, ids, on }, _) => {
                let live = papers::ids_in_state(conn, ids, false)?;
                user::tag_many(conn, &live, tag, (way == Way::Redo) == *on)?;
            }
            (
                Op::RenameTag {
                    from,
                    to,
                    had_from,
                    had_to,
                },
                _,
            ) => match way {
                Way::Redo => user::rename_tag(conn, from, to)?,
                Way::Undo => {
                    let had_to: std::collections::HashSet<i64> = had_to.iter().copied().collect();
                    let gained: Vec<i64> = had_from
                        .iter()
                        .copied()
                        .filter(|id| !had_to.contains(id))
                        .collect();
                    user::take_tag(conn, &gained, to)?;
                    user::put_tag(conn, had_from, from)?;
                }
            },
            (
                Op::Collections {
                    scopes,
                    before,
                    after,
                },
                _,
            ) => {
                for s in scopes {
                    user::delete_collection_subtree(conn, s)?;
                }
                user::put_collections(conn, if way == Way::Undo { before } else { after })?;
            }
            (
                Op::SavedSearch {
                    name,
                    before,
                    after,
                },
                _,
            ) => {
                let query = if way == Way::Undo { before } else { after };
                crate::db::saved::put(conn, name, query.as_deref())?;
            }
            (Op::TagColor { tag, before, after }, _) => {
                let color = if way == Way::Undo { before } else { after };
                user::set_tag_color(conn, tag, color.as_deref())?;
            }
            (Op::NotDuplicates { pairs, on }, _) => {
                // Pairs whose papers were deleted for good are skipped.
                let ids: Vec<i64> = pairs.iter().flat_map(|&(a, b)| [a, b]).collect();
                let mut known: std::collections::HashSet<i64> =
                    papers::ids_in_state(conn, &ids, false)?
                        .into_iter()
                        .collect();
                known.extend(papers::ids_in_state(conn, &ids, true)?);
                let still: Vec<(i64, i64)> = pairs
                    .iter()
                    .copied()
                    .filter(|(a, b)| known.contains(a) && known.contains(b))
                    .collect();
                crate::db::duplicates::set_not_duplicates(conn, &still, (way == Way::Redo) == *on)?;
            }
            (Op::Collect { name, ids, on }, _) => {
                let live = papers::ids_in_state(conn, ids, false)?;
                user::collect_many(conn, &live, name, (way == Way::Redo) == *on)?;
            }
            (
                Op::Flags {
                    before,
                    read,
                    starred,
                },
                _,
            ) => match way {
                Way::Undo => {
                    for &(id, r, s) in before {
                        user::set_flags(conn, id, Some(r), Some(s))?;
                    }
                }
                Way::Redo => {
                    let ids: Vec<i64> = before.iter().map(|b| b.0).collect();
                    user::set_flags_many(conn, &ids, *read, *starred)?;
                }
            },
            (
                Op::TopicRows {
                    fit,
                    scope,
                    before,
                    after,
                },
                _,
            ) => {
                let state = if way == Way::Undo { before } else { after };
                if *fit == crate::topics::fits(conn)? {
                    topic_store::put_topic_state(conn, scope, state)?;
                }
            }
            (
                Op::TopicPin {
                    topic,
                    before,
                    after,
                },
                _,
            ) => {
                let pinned = if way == Way::Undo { before } else { after };
                if topic_store::topic(conn, *topic)?.is_some() {
                    topic_store::set_pinned(conn, *topic, *pinned)?;
                }
            }
        }
        Ok(())
    }
}

/// Writes a paper's bibliographic fields, citation key (none: cleared) and edited-field list.
pub(crate) fn write_fields(conn: &Connection, p: &Paper) -> Result<()> {
    papers::update_bibliographic(conn, p)?;
    match &p.citation_key {
        Some(key) => papers::set_citation_key(conn, p.id, key)?,
        None => {
            papers::take_citation_key(conn, p.id)?;
        }
    }
    papers::set_edited(conn, p.id, &p.edited)?;
    Ok(())
}

/// Writes a paper's user fields.
pub(crate) fn write_user_fields(conn: &Connection, p: &Paper) -> Result<()> {
    user::set_notes(conn, p.id, &p.notes)?;
    user::set_tags(conn, p.id, &p.tags)?;
    user::set_collections(conn, p.id, &p.collections)?;
    user::set_flags(conn, p.id, Some(p.read), Some(p.starred))?;
    Ok(())
}

impl Library {
    /// Runs one user change: `f` writes it in a transaction and returns its ops; the ops are
    /// logged as one undo step named `label`, the search index follows the papers they touch,
    /// and papers back in the library are placed in their topic. An error leaves everything as
    /// it was. A change with no ops logs nothing.
    pub(crate) fn change<T>(
        &self,
        label: &str,
        f: impl FnOnce(&Connection) -> Result<(Vec<Op>, T)>,
    ) -> Result<T> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let (ops, value) = f(&tx)?;
        if ops.is_empty() {
            return Ok(value);
        }
        let json = serde_json::to_string(&ops).expect("ops serialize");
        db::undo::push(&tx, label, &json, &now_rfc3339())?;
        self.follow(tx, &ops)?;
        drop(conn);
        self.after_change(&ops);
        Ok(value)
    }

    /// Reverts the newest step not undone. `None` when there is nothing to undo.
    pub fn undo(&self) -> Result<Option<UndoReport>> {
        self.step(Way::Undo)
    }

    /// Applies again the step undone last. `None` when there is nothing to redo.
    pub fn redo(&self) -> Result<Option<UndoReport>> {
        self.step(Way::Redo)
    }

    /// What Undo and Redo would do now.
    pub fn history(&self) -> Result<History> {
        let conn = self.conn();
        Ok(History {
            undo: db::undo::next_undo(&conn)?.map(|s| s.label),
            redo: db::undo::next_redo(&conn)?.map(|s| s.label),
        })
    }

    fn step(&self, way: Way) -> Result<Option<UndoReport>> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let step = match way {
            Way::Undo => db::undo::next_undo(&tx)?,
            Way::Redo => db::undo::next_redo(&tx)?,
        };
        let Some(step) = step else {
            return Ok(None);
        };
        let ops: Vec<Op> = serde_json::from_str(&step.ops)
            .map_err(|e| Error::Invalid(format!("undo step {} cannot be read: {e}", step.id)))?;
        let now = now_rfc3339();
        match way {
            Way::Undo => ops
                .iter()
                .rev()
                .try_for_each(|op| op.apply(&tx, way, &now))?,
            Way::Redo => ops.iter().try_for_each(|op| op.apply(&tx, way, &now))?,
        }
        db::undo::set_undone(&tx, step.id, way == Way::Undo)?;
        let touched = self.follow(tx, &ops)?;
        drop(conn);
        self.after_change(&ops);
        Ok(Some(UndoReport {
            label: step.label,
            papers: touched,
            history: self.history()?,
        }))
    }

    /// Brings the search index in line with the papers `ops` touched, then commits the
    /// database and the index together. Returns the touched papers.
    fn follow(&self, tx: db::Transaction<'_>, ops: &[Op]) -> Result<Vec<i64>> {
        let mut ids = BTreeSet::new();
        for op in ops {
            op.papers(&mut ids);
        }
        let staged = (|| -> Result<u64> {
            // Papers back in the library (or edited) join their topic in this same transaction,
            // so each is indexed once, with its topic's label.
            let all: Vec<i64> = ids.iter().copied().collect();
            crate::topics::place_unplaced(&tx, Some(&all))?;
            // Set-based reads: a bulk delete or restore touches thousands of papers.
            let live = papers::ids_in_state(&tx, &all, false)?;
            let live_set: std::collections::HashSet<i64> = live.iter().copied().collect();
            for id in all.iter().filter(|id| !live_set.contains(id)) {
                self.index.remove(*id)?;
            }
            let shown =
                papers::get_many(&tx, &live)?.map_err(|id| Error::NotFound(id.to_string()))?;
            for p in &shown {
                self.index
                    .upsert(p, db::files::fulltext(&tx, p.id)?.as_deref())?;
            }
            // Tags are searched from memory: the papers whose tags changed get theirs again.
            let mut tagged = BTreeSet::new();
            for op in ops {
                op.tagged(&mut tagged);
            }
            if !tagged.is_empty() {
                let ids: Vec<i64> = tagged.into_iter().collect();
                for (id, tags) in user::tags_of(&tx, &ids)? {
                    self.index.stage_tags(id, Some(tags));
                }
            }
            Ok(meta::bump_generation(&tx)?)
        })();
        match staged {
            Ok(generation) => {
                self.index
                    .commit_after(generation, || tx.commit().map_err(Error::from))?;
                Ok(ids.into_iter().collect())
            }
            Err(e) => {
                drop(tx);
                self.index.rollback()?;
                Err(e)
            }
        }
    }

    /// Derived data that follows a committed change: a topic edit re-labels the index's
    /// `topic:` field (rebuildable, so a failure here leaves the change standing).
    fn after_change(&self, ops: &[Op]) {
        if ops.iter().any(Op::touches_topics) {
            let _ = self.rebuild_index();
        }
        // Stored files are named from their paper's key: a key edited (or put back), or files
        // given to another paper, renames them.
        let mut renamed = BTreeSet::new();
        for op in ops {
            match op {
                Op::Fields { before, after } if before.citation_key != after.citation_key => {
                    renamed.insert(after.id);
                }
                Op::FileOwner { from, to, .. } => renamed.extend([*from, *to]),
                _ => {}
            }
        }
        if !renamed.is_empty() {
            self.rename_files_for(&renamed.into_iter().collect::<Vec<_>>());
        }
    }
}
