//! Managing the library by hand: `add`, `edit`, `rm`, `trash`, `restore`, `empty-trash`,
//! `undo`, `redo`. Papers are named by library id, arXiv id or citation key.

use std::io::Read;

use clap::Subcommand;
use topica_core::{Library, PaperEdit, Services, SortBy, View};

use crate::{outln, print_json};

#[derive(Subcommand)]
pub enum ManageCommand {
    /// Add papers by arXiv id or DOI (any spelling, URLs too); `-` reads pasted text from stdin
    /// (identifiers, BibTeX, RIS or CSL-JSON). Services: TOPICA_ARXIV_API, TOPICA_DOI_RESOLVER,
    /// TOPICA_CROSSREF_API.
    Add {
        #[arg(required = true)]
        ids: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Edit a paper's metadata: --set title=… --set authors="Doe, Jane and Roe, R." --set year=2021.
    Edit {
        reference: String,
        /// field=value; fields: title, authors, year, month, kind, container, volume, issue,
        /// pages, publisher, doi, url, arxiv_id, abstract, citation_key ("" clears).
        #[arg(long = "set", required = true)]
        set: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Move papers to the trash.
    Rm {
        #[arg(required = true)]
        references: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// List the papers in the trash.
    Trash {
        #[arg(long)]
        json: bool,
    },
    /// Bring papers back from the trash.
    Restore {
        #[arg(required = true)]
        references: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Delete every paper in the trash for good.
    EmptyTrash {
        #[arg(long)]
        json: bool,
    },
    /// Undo the last change.
    Undo {
        #[arg(long)]
        json: bool,
    },
    /// Redo the change undone last.
    Redo {
        #[arg(long)]
        json: bool,
    },
}

fn ids_of(lib: &Library, references: &[String]) -> anyhow::Result<Vec<i64>> {
    references.iter().map(|r| Ok(lib.find(r)?.id)).collect()
}

#[derive(serde::Serialize)]
struct Moved {
    ids: Vec<i64>,
}

pub fn run(lib: &Library, command: ManageCommand) -> anyhow::Result<()> {
    match command {
        ManageCommand::Add { ids, json } => {
            let services = Services::from_env();
            let text = if ids == ["-"] {
                let mut s = String::new();
                std::io::stdin().read_to_string(&mut s)?;
                s
            } else {
                ids.join("\n")
            };
            let report = lib.add_text(&text, &services)?;
            if json {
                print_json(&report)?;
            } else {
                for a in &report.identifiers.added {
                    let how = if a.new {
                        "added"
                    } else {
                        "already in the library"
                    };
                    outln!("{:>6}  {}  ({how}: {})", a.id, a.title, a.input);
                }
                for f in &report.identifiers.failed {
                    eprintln!("not added: {}: {}", f.input, f.reason);
                }
                if let Some(i) = &report.import {
                    for s in &i.skipped {
                        eprintln!("skipped {s}");
                    }
                    eprintln!(
                        "read as {}: added {}, merged {}, skipped {}",
                        report.format,
                        i.added,
                        i.merged,
                        i.skipped.len()
                    );
                }
            }
            let failed = !report.identifiers.failed.is_empty();
            if failed && report.identifiers.added.is_empty() {
                anyhow::bail!("nothing was added");
            }
        }
        ManageCommand::Edit {
            reference,
            set,
            json,
        } => {
            let id = lib.find(&reference)?.id;
            let edit = PaperEdit::from_assignments(set.iter().map(String::as_str))?;
            let p = lib.update_paper(id, &edit)?;
            if json {
                print_json(&p)?;
            } else {
                eprintln!("edited {}: {}", p.id, p.display_title());
            }
        }
        ManageCommand::Rm { references, json } => {
            let ids = lib.trash(&ids_of(lib, &references)?)?;
            if json {
                print_json(&Moved { ids })?;
            } else {
                eprintln!("moved {} to the trash", ids.len());
            }
        }
        ManageCommand::Trash { json } => {
            let ids = lib.list_ids(&View::Trash, SortBy::Added)?;
            let rows = lib.rows(&ids)?;
            if json {
                print_json(&rows)?;
            } else {
                for r in rows {
                    outln!(
                        "{:>6}  {:<14} {}",
                        r.id,
                        r.arxiv_id.as_deref().unwrap_or("-"),
                        r.title
                    );
                }
            }
        }
        ManageCommand::Restore { references, json } => {
            let ids = lib.restore(&ids_of(lib, &references)?)?;
            if json {
                print_json(&Moved { ids })?;
            } else {
                eprintln!("restored {}", ids.len());
            }
        }
        ManageCommand::EmptyTrash { json } => {
            let r = lib.empty_trash()?;
            if json {
                print_json(&r)?;
            } else {
                eprintln!("deleted {} papers for good", r.deleted);
                if r.files_trashed > 0 {
                    eprintln!("{} stored files moved to the system trash", r.files_trashed);
                }
                for f in &r.files_kept {
                    eprintln!("kept {}: {}", f.path, f.reason);
                }
            }
        }
        ManageCommand::Undo { json } => step(lib.undo()?, "undo", json)?,
        ManageCommand::Redo { json } => step(lib.redo()?, "redo", json)?,
    }
    Ok(())
}

fn step(report: Option<topica_core::UndoReport>, what: &str, json: bool) -> anyhow::Result<()> {
    match report {
        Some(r) if json => print_json(&r),
        Some(r) => {
            eprintln!("{what}: {}", r.label);
            Ok(())
        }
        None => anyhow::bail!("nothing to {what}"),
    }
}
