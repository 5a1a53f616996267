//! Organising many papers at once: `tag add|remove|rename|merge|list`, `collection
//! put|take|list|add|rename|mv|rm`, `mark read|unread|star|unstar`, and duplicates:
//! `duplicates`, `merge`, `not-duplicates`. Each changing command is one undo step.

use clap::Subcommand;
use topica_core::Library;

use crate::{outln, print_json};

#[derive(Subcommand)]
pub enum TagCommand {
    /// Give TAG to papers.
    Add {
        tag: String,
        #[arg(required = true)]
        references: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Take TAG from papers.
    Remove {
        tag: String,
        #[arg(required = true)]
        references: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Rename a tag on every paper; onto an existing tag, the two merge.
    Rename {
        from: String,
        to: String,
        #[arg(long)]
        json: bool,
    },
    /// Merge tag FROM into the existing tag INTO (every paper with FROM gets INTO).
    Merge {
        from: String,
        into: String,
        #[arg(long)]
        json: bool,
    },
    /// Give TAG a colour (#rrggbb), or take it away with "none".
    Color { tag: String, color: String },
    /// Tags with their paper counts.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum CollectionCommand {
    /// Put papers in a collection (created if new).
    Put {
        name: String,
        #[arg(required = true)]
        references: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Take papers out of a collection.
    Take {
        name: String,
        #[arg(required = true)]
        references: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Collections with their paper counts (sub-collections' papers included).
    List {
        #[arg(long)]
        json: bool,
    },
    /// Create an empty collection; nested ones are written Parent/Child.
    Add { name: String },
    /// Rename a collection in place (its sub-collections follow).
    Rename { name: String, new_name: String },
    /// Move a collection under PARENT, or to the top with "/".
    Mv { name: String, parent: String },
    /// Delete a collection and its sub-collections (their papers stay in the library).
    Rm { name: String },
}

#[derive(clap::ValueEnum, Clone, Copy)]
pub enum Mark {
    Read,
    Unread,
    Star,
    Unstar,
}

fn ids_of(lib: &Library, references: &[String]) -> anyhow::Result<Vec<i64>> {
    references.iter().map(|r| Ok(lib.find(r)?.id)).collect()
}

fn report(r: &topica_core::BulkReport, json: bool, what: &str) -> anyhow::Result<()> {
    if json {
        print_json(r)
    } else {
        eprintln!("{what}: {} papers changed", r.changed.len());
        Ok(())
    }
}

fn counts(list: &[(String, usize)], json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(&list);
    }
    for (name, n) in list {
        outln!("{n:>6}  {name}");
    }
    Ok(())
}

pub fn tag(lib: &Library, command: TagCommand) -> anyhow::Result<()> {
    match command {
        TagCommand::Add {
            tag,
            references,
            json,
        } => report(
            &lib.tag_papers(&ids_of(lib, &references)?, &tag, true)?,
            json,
            "tagged",
        ),
        TagCommand::Remove {
            tag,
            references,
            json,
        } => report(
            &lib.tag_papers(&ids_of(lib, &references)?, &tag, false)?,
            json,
            "untagged",
        ),
        TagCommand::Rename { from, to, json } => {
            report(&lib.rename_tag(&from, &to)?, json, "renamed")
        }
        TagCommand::Merge { from, into, json } => {
            if !lib.stats()?.tags.iter().any(|(t, _)| *t == into) {
                anyhow::bail!("no paper has the tag “{into}” to merge into (to give “{from}” a new name, use `tag rename`)");
            }
            report(&lib.rename_tag(&from, &into)?, json, "merged")
        }
        TagCommand::Color { tag, color } => {
            let color = (color != "none").then_some(color.as_str());
            Ok(lib.set_tag_color(&tag, color)?)
        }
        TagCommand::List { json } => counts(&lib.stats()?.tags, json),
    }
}

pub fn collection(lib: &Library, command: CollectionCommand) -> anyhow::Result<()> {
    match command {
        CollectionCommand::Put {
            name,
            references,
            json,
        } => report(
            &lib.collect_papers(&ids_of(lib, &references)?, &name, true)?,
            json,
            "put",
        ),
        CollectionCommand::Take {
            name,
            references,
            json,
        } => report(
            &lib.collect_papers(&ids_of(lib, &references)?, &name, false)?,
            json,
            "taken out",
        ),
        CollectionCommand::List { json } => counts(&lib.stats()?.collections, json),
        CollectionCommand::Add { name } => Ok(lib.create_collection(&name)?),
        CollectionCommand::Rename { name, new_name } => {
            Ok(lib.rename_collection(&name, &new_name)?)
        }
        CollectionCommand::Mv { name, parent } => {
            let parent = (parent.trim() != "/").then_some(parent.as_str());
            Ok(lib.move_collection(&name, parent)?)
        }
        CollectionCommand::Rm { name } => Ok(lib.delete_collection(&name)?),
    }
}

pub fn mark(lib: &Library, mark: Mark, references: &[String], json: bool) -> anyhow::Result<()> {
    let ids = ids_of(lib, references)?;
    let (read, starred) = match mark {
        Mark::Read => (Some(true), None),
        Mark::Unread => (Some(false), None),
        Mark::Star => (None, Some(true)),
        Mark::Unstar => (None, Some(false)),
    };
    report(&lib.flag_papers(&ids, read, starred)?, json, "marked")
}

/// `duplicates`: the groups of possible duplicates, newest first.
pub fn duplicates(lib: &Library, json: bool) -> anyhow::Result<()> {
    let groups = lib.duplicates()?;
    if json {
        return print_json(&groups);
    }
    for g in &groups {
        outln!(
            "{} ({:.0}% title similarity):",
            g.reason,
            g.similarity * 100.0
        );
        for id in &g.ids {
            let p = lib.paper(*id)?;
            outln!(
                "  {:>6}  {:<24} {:>4}  {}",
                p.id,
                p.citation_key.as_deref().unwrap_or("-"),
                p.year.map_or("-".into(), |y| y.to_string()),
                p.display_title()
            );
        }
    }
    eprintln!("{} groups of possible duplicates", groups.len());
    Ok(())
}

/// `merge KEEP OTHER… [--take FIELD=REF]`: merges into the first paper named.
pub fn merge(
    lib: &Library,
    references: &[String],
    take: &[String],
    json: bool,
) -> anyhow::Result<()> {
    let ids = ids_of(lib, references)?;
    let mut choices = std::collections::BTreeMap::new();
    for t in take {
        let (field, reference) = t
            .split_once('=')
            .ok_or_else(|| anyhow::anyhow!("--take expects FIELD=REF, not “{t}”"))?;
        choices.insert(field.trim().to_string(), lib.find(reference.trim())?.id);
    }
    let report = lib.merge_papers(ids[0], &ids[1..], &choices)?;
    if json {
        print_json(&report)
    } else {
        eprintln!(
            "merged {} paper(s) into {} (the others are in the trash; `undo` reverts)",
            report.merged.len(),
            report.kept
        );
        Ok(())
    }
}

/// `not-duplicates REF REF…`: these papers are never proposed as duplicates of each other.
pub fn not_duplicates(lib: &Library, references: &[String], json: bool) -> anyhow::Result<()> {
    let n = lib.mark_not_duplicates(&ids_of(lib, references)?)?;
    if json {
        print_json(&serde_json::json!({ "marked": n }))
    } else {
        eprintln!("{n} pair(s) marked as not duplicates");
        Ok(())
    }
}
