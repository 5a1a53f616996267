//! Bulk actions over a selection: tag, untag, put in or take out of a collection, mark read or
//! starred. Each is one transaction and one undo step however many papers it touches, and
//! records only the papers it changed, so its undo touches no other.

use serde::Serialize;

use crate::db::{papers, user};
use crate::undo::Op;
use crate::{Error, Library, Result};

/// What a bulk action changed.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct BulkReport {
    /// Papers that changed (those that already were as asked are left out).
    pub changed: Vec<i64>,
}

fn check(conn: &crate::db::Connection, ids: &[i64], what: &str, name: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::Invalid(format!("a {what} name cannot be empty")));
    }
    let live = papers::ids_in_state(conn, ids, false)?;
    if live.len() != ids.iter().collect::<std::collections::HashSet<_>>().len() {
        let missing = ids
            .iter()
            .find(|id| !live.contains(id))
            .copied()
            .unwrap_or(0);
        return Err(Error::NotFound(missing.to_string()));
    }
    Ok(())
}

impl Library {
    /// Gives `tag` to papers (`on`), or takes it from them.
    pub fn tag_papers(&self, ids: &[i64], tag: &str, on: bool) -> Result<BulkReport> {
        let tag = tag.trim();
        let verb = if on { "Tag" } else { "Untag" };
        self.change(
            &format!("{verb} {} with “{tag}”", plural(ids.len())),
            |c| {
                check(c, ids, "tag", tag)?;
                let changed = user::tag_many(c, ids, tag, on)?;
                let ops = if changed.is_empty() {
                    vec![]
                } else {
                    vec![Op::Tag {
                        tag: tag.to_string(),
                        ids: changed.clone(),
                        on,
                    }]
                };
                Ok((ops, BulkReport { changed }))
            },
        )
    }

    /// Puts papers in collection `name` (`on`, creating it), or takes them out.
    pub fn collect_papers(&self, ids: &[i64], name: &str, on: bool) -> Result<BulkReport> {
        let name = name.trim();
        let label = if on {
            format!("Add {} to “{name}”", plural(ids.len()))
        } else {
            format!("Remove {} from “{name}”", plural(ids.len()))
        };
        self.change(&label, |c| {
            check(c, ids, "collection", name)?;
            let changed = user::collect_many(c, ids, name, on)?;
            let ops = if changed.is_empty() {
                vec![]
            } else {
                vec![Op::Collect {
                    name: name.to_string(),
                    ids: changed.clone(),
                    on,
                }]
            };
            Ok((ops, BulkReport { changed }))
        })
    }

    /// Marks papers read or unread and/or starred or not.
    pub fn flag_papers(
        &self,
        ids: &[i64],
        read: Option<bool>,
        starred: Option<bool>,
    ) -> Result<BulkReport> {
        let label = match (read, starred) {
            (Some(true), _) => format!("Mark {} as read", plural(ids.len())),
            (Some(false), _) => format!("Mark {} as unread", plural(ids.len())),
            (None, Some(true)) => format!("Star {}", plural(ids.len())),
            (None, Some(false)) => format!("Unstar {}", plural(ids.len())),
            (None, None) => return Ok(BulkReport { changed: vec![] }),
        };
        self.change(&label, |c| {
            check(c, ids, "flag", "-")?;
            let before: Vec<(i64, bool, bool)> = user::flags_of(c, ids)?
                .into_iter()
                .filter(|&(_, r, s)| {
                    read.is_some_and(|x| x != r) || starred.is_some_and(|x| x != s)
                })
                .collect();
            let changed: Vec<i64> = before.iter().map(|b| b.0).collect();
            user::set_flags_many(c, &changed, read, starred)?;
            let ops = if changed.is_empty() {
                vec![]
            } else {
                vec![Op::Flags {
                    before,
                    read,
                    starred,
                }]
            };
            Ok((ops, BulkReport { changed }))
        })
    }
}

impl Library {
    /// Renames a tag on every paper; renaming onto an existing tag merges the two. One undo step.
    pub fn rename_tag(&self, from: &str, to: &str) -> Result<BulkReport> {
        let (from, to) = (from.trim(), to.trim());
        if to.is_empty() {
            return Err(Error::Invalid("a tag name cannot be empty".into()));
        }
        if from == to {
            return Ok(BulkReport { changed: vec![] });
        }
        self.change(&format!("Rename tag “{from}” to “{to}”"), |c| {
            let had_from = user::tagged(c, from)?;
            if had_from.is_empty() {
                return Err(Error::NotFound(format!("tag {from}")));
            }
            let had_to = user::tagged(c, to)?;
            user::rename_tag(c, from, to)?;
            let op = Op::RenameTag {
                from: from.to_string(),
                to: to.to_string(),
                had_from: had_from.clone(),
                had_to,
            };
            Ok((vec![op], BulkReport { changed: had_from }))
        })
    }

    /// Gives a tag a colour (`#rrggbb`), or takes it away (`None`). One undo step.
    pub fn set_tag_color(&self, tag: &str, color: Option<&str>) -> Result<()> {
        let tag = tag.trim();
        let color = color.map(str::trim).filter(|c| !c.is_empty());
        if let Some(c) = color {
            let hex = c.strip_prefix('#').unwrap_or("");
            if hex.len() != 6 || !hex.chars().all(|ch| ch.is_ascii_hexdigit()) {
                return Err(Error::Invalid(format!(
                    "“{c}” is not a colour: write it as #rrggbb"
                )));
            }
        }
        let color = color.map(str::to_ascii_lowercase);
        self.change(&format!("Colour tag “{tag}”"), |c| {
            if user::tagged(c, tag)?.is_empty() {
                return Err(Error::NotFound(format!("tag {tag}")));
            }
            let before = user::set_tag_color(c, tag, color.as_deref())?;
            let ops = if before == color {
                vec![]
            } else {
                vec![Op::TagColor {
                    tag: tag.to_string(),
                    before,
                    after: color.clone(),
                }]
            };
            Ok((ops, ()))
        })
    }
}

fn plural(n: usize) -> String {
    format!("{n} paper{}", if n == 1 { "" } else { "s" })
}
