//! Collections, nested by name: `Thesis/Chapter 2` is `Chapter 2` inside `Thesis`. A collection
//! lists, counts and exports the papers of those nested under it. Creating, renaming, moving and
//! deleting one are each one undo step that puts the whole subtree back.

use crate::db::user::{self, CollectionRows};
use crate::undo::Op;
use crate::{Error, Library, Result};

/// A collection path with its parts trimmed; refused when a part is empty.
fn clean(path: &str) -> Result<String> {
    let parts: Vec<&str> = path.split('/').map(str::trim).collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(Error::Invalid(format!(
            "{path:?} is not a collection name (parts are separated by one /, none empty)"
        )));
    }
    Ok(parts.join("/"))
}

fn parent_of(path: &str) -> Option<&str> {
    path.rsplit_once('/').map(|(p, _)| p)
}

fn leaf_of(path: &str) -> &str {
    path.rsplit_once('/').map_or(path, |(_, l)| l)
}

impl Library {
    /// Creates an empty collection (and the parents its path names).
    pub fn create_collection(&self, path: &str) -> Result<()> {
        let path = clean(path)?;
        self.reshape_collections(&format!("New collection “{path}”"), &[&path], |c| {
            if user::collection_exists(c, &path)? {
                return Err(Error::Invalid(format!(
                    "a collection “{path}” exists already"
                )));
            }
            Ok(user::create_collection(c, &path)?)
        })
    }

    /// Renames a collection in place (its sub-collections follow).
    pub fn rename_collection(&self, path: &str, new_name: &str) -> Result<()> {
        let new_name = new_name.trim();
        if new_name.contains('/') || new_name.is_empty() {
            return Err(Error::Invalid(format!(
                "{new_name:?} is not a name for a collection (no /, not empty)"
            )));
        }
        let to = match parent_of(path) {
            Some(p) => format!("{p}/{new_name}"),
            None => new_name.to_string(),
        };
        self.move_subtree(path, &to, &format!("Rename collection to “{new_name}”"))
    }

    /// Moves a collection (with its sub-collections) under `parent`, or to the top (`None`).
    pub fn move_collection(&self, path: &str, parent: Option<&str>) -> Result<()> {
        let to = match parent {
            Some(p) => format!("{}/{}", clean(p)?, leaf_of(path)),
            None => leaf_of(path).to_string(),
        };
        if let Some(p) = parent {
            let p = clean(p)?;
            if p == path || p.starts_with(&format!("{path}/")) {
                return Err(Error::Invalid(format!(
                    "cannot move “{path}” into itself or one of its sub-collections"
                )));
            }
            if !user::collection_exists(&self.conn(), &p)? {
                return Err(Error::NotFound(format!("collection {p}")));
            }
        }
        self.move_subtree(path, &to, &format!("Move collection “{}”", leaf_of(path)))
    }

    /// Deletes a collection and those nested under it; their papers stay in the library.
    pub fn delete_collection(&self, path: &str) -> Result<()> {
        self.reshape_collections(&format!("Delete collection “{path}”"), &[path], |c| {
            if !user::collection_exists(c, path)? {
                return Err(Error::NotFound(format!("collection {path}")));
            }
            Ok(user::delete_collection_subtree(c, path)?)
        })
    }

    fn move_subtree(&self, from: &str, to: &str, label: &str) -> Result<()> {
        if from == to {
            return Ok(());
        }
        self.reshape_collections(label, &[from, to], |c| {
            if !user::collection_exists(c, from)? {
                return Err(Error::NotFound(format!("collection {from}")));
            }
            if user::collection_exists(c, to)? {
                return Err(Error::Invalid(format!(
                    "a collection “{to}” exists already"
                )));
            }
            let rows: CollectionRows = user::collection_subtree(c, from)?
                .into_iter()
                .map(|(name, ids)| (format!("{to}{}", &name[from.len()..]), ids))
                .collect();
            user::delete_collection_subtree(c, from)?;
            Ok(user::put_collections(c, &rows)?)
        })
    }

    /// Runs a change to the collection subtrees at `scopes`, logged with those subtrees before
    /// and after.
    fn reshape_collections(
        &self,
        label: &str,
        scopes: &[&str],
        f: impl FnOnce(&crate::db::Connection) -> Result<()>,
    ) -> Result<()> {
        self.change(label, |c| {
            let snapshot = |c: &crate::db::Connection| -> Result<CollectionRows> {
                let mut rows = Vec::new();
                for s in scopes {
                    rows.extend(user::collection_subtree(c, s)?);
                }
                Ok(rows)
            };
            let before = snapshot(c)?;
            f(c)?;
            let after = snapshot(c)?;
            let op = Op::Collections {
                scopes: scopes.iter().map(|s| s.to_string()).collect(),
                before,
                after,
            };
            Ok((vec![op], ()))
        })
    }
}
