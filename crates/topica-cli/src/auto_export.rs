//! `auto-export add|list|rm`: keep-updated exports. Every command that changes the library
//! brings them up to date before it exits (see `main::run`).

use std::path::PathBuf;

use clap::Subcommand;
use topica_core::{AutoExport, AutoScope, Library};

use crate::{outln, print_json};

#[derive(Subcommand)]
pub enum AutoExportCommand {
    /// Keep FILE updated with the library (or one collection, tag, topic, search or saved
    /// search): it is written now and rewritten whenever what it holds changes.
    Add {
        /// bibtex, biblatex, csl-json, ris, or a style by name (bundled or added)
        #[arg(long)]
        format: String,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        #[arg(long, group = "scope")]
        collection: Option<String>,
        #[arg(long, group = "scope")]
        tag: Option<String>,
        #[arg(long, group = "scope")]
        topic: Option<String>,
        #[arg(long, group = "scope")]
        query: Option<String>,
        /// A saved search by name (its query as it is at each rewrite).
        #[arg(long, group = "scope")]
        saved: Option<String>,
        /// Replace an existing file with the export.
        #[arg(long)]
        force: bool,
        #[arg(long)]
        json: bool,
    },
    /// The keep-updated exports, with when each was last written and its last error.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Stop keeping FILE updated (the file stays as it is).
    Rm { file: PathBuf },
}

fn describe(e: &AutoExport) -> String {
    let scope = match &e.scope {
        AutoScope::All => "the library".to_string(),
        AutoScope::Collection(c) => format!("collection {c:?}"),
        AutoScope::Tag(t) => format!("tag {t:?}"),
        AutoScope::Topic(t) => format!("topic {t:?}"),
        AutoScope::Query(q) => format!("search {q:?}"),
        AutoScope::Saved(s) => format!("saved search {s:?}"),
    };
    let state = match (&e.error, &e.written_at) {
        (Some(err), _) => format!("last attempt failed: {err}"),
        (None, Some(at)) => format!("written {at}"),
        (None, None) => "not written yet".to_string(),
    };
    format!("{}\t{}\t{scope}\t{state}", e.path, e.format)
}

pub fn run(lib: &Library, command: AutoExportCommand) -> anyhow::Result<()> {
    match command {
        AutoExportCommand::Add {
            format,
            output,
            collection,
            tag,
            topic,
            query,
            saved,
            force,
            json,
        } => {
            let scope = match (collection, tag, topic, query, saved) {
                (Some(c), ..) => AutoScope::Collection(c),
                (_, Some(t), ..) => AutoScope::Tag(t),
                (_, _, Some(t), ..) => AutoScope::Topic(t),
                (_, _, _, Some(q), _) => AutoScope::Query(q),
                (_, _, _, _, Some(s)) => AutoScope::Saved(s),
                _ => AutoScope::All,
            };
            let added = lib.add_auto_export(&output, &format, scope, force)?;
            if json {
                print_json(&added)?;
            } else {
                eprintln!("keeping {} updated", added.path);
            }
        }
        AutoExportCommand::List { json } => {
            let all = lib.auto_exports()?;
            if json {
                print_json(&all)?;
            } else {
                for e in &all {
                    outln!("{}", describe(e));
                }
            }
        }
        AutoExportCommand::Rm { file } => {
            lib.remove_auto_export(&file)?;
            eprintln!("no longer keeping {} updated", file.display());
        }
    }
    Ok(())
}

/// Brings the keep-updated exports up to date; a failed one is said on stderr, not fatal
/// (the command that changed the library did its work).
pub fn refresh(lib: &Library) -> anyhow::Result<()> {
    for e in lib.refresh_auto_exports()? {
        if let Some(err) = &e.error {
            eprintln!("warning: keep-updated export {}: {err}", e.path);
        }
    }
    Ok(())
}
