//! Saved searches (smart collections): a query kept under a name. Opening one runs its query,
//! so it always shows what the library holds now. Saving, replacing, renaming and deleting are
//! undoable.

use serde::Serialize;

use crate::db::saved;
use crate::undo::Op;
use crate::{Error, Library, Result};

/// A saved search and how many papers it matches now.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SavedSearch {
    pub name: String,
    pub query: String,
    pub count: usize,
}

impl Library {
    /// Saves `query` under `name`, replacing what that name held. The query must parse.
    pub fn save_search(&self, name: &str, query: &str) -> Result<()> {
        let (name, query) = (name.trim(), query.trim());
        if name.is_empty() {
            return Err(Error::Invalid("a saved search needs a name".into()));
        }
        if query.is_empty() {
            return Err(Error::Invalid("a saved search needs a query".into()));
        }
        self.search(query, 1)?; // refuses a query that does not parse, with its position
        self.change(&format!("Save search “{name}”"), |c| {
            let before = saved::get(c, name)?;
            saved::put(c, name, Some(query))?;
            Ok((vec![saved_op(name, before, Some(query.to_string()))], ()))
        })
    }

    /// Deletes the saved search `name` (the papers it matched are untouched).
    pub fn delete_saved_search(&self, name: &str) -> Result<()> {
        self.change(&format!("Delete saved search “{name}”"), |c| {
            let before = saved::get(c, name)?
                .ok_or_else(|| Error::NotFound(format!("saved search {name}")))?;
            saved::put(c, name, None)?;
            Ok((vec![saved_op(name, Some(before), None)], ()))
        })
    }

    /// Renames the saved search `from` to `to` (refused when `to` names another one). One undo
    /// step.
    pub fn rename_saved_search(&self, from: &str, to: &str) -> Result<()> {
        let (from, to) = (from.trim(), to.trim());
        if to.is_empty() {
            return Err(Error::Invalid("a saved search needs a name".into()));
        }
        if from == to {
            return Ok(());
        }
        self.change(
            &format!("Rename saved search “{from}” to “{to}”"),
            |c| {
                let query = saved::get(c, from)?
                    .ok_or_else(|| Error::NotFound(format!("saved search {from}")))?;
                if saved::get(c, to)?.is_some() {
                    return Err(Error::Invalid(format!(
                        "a saved search is already called “{to}”"
                    )));
                }
                saved::put(c, from, None)?;
                saved::put(c, to, Some(&query))?;
                Ok((
                    vec![
                        saved_op(from, Some(query.clone()), None),
                        saved_op(to, None, Some(query)),
                    ],
                    (),
                ))
            },
        )
    }

    /// Every saved search with its current count, by name.
    pub fn saved_searches(&self) -> Result<Vec<SavedSearch>> {
        let list = saved::list(&self.conn())?;
        list.into_iter()
            .map(|(name, query)| {
                // A query an older build accepted may no longer parse: it shows with 0.
                let count = self.search(&query, 1).map_or(0, |r| r.total);
                Ok(SavedSearch { name, query, count })
            })
            .collect()
    }
}

fn saved_op(name: &str, before: Option<String>, after: Option<String>) -> Op {
    Op::SavedSearch {
        name: name.to_string(),
        before,
        after,
    }
}
