//! `topica-cli styles`: list, add and remove citation styles (thin over `Library`).

use crate::outln;
use std::path::PathBuf;

use clap::Subcommand;
use topica_core::Library;

#[derive(Subcommand)]
pub enum StylesCommand {
    /// Bundled styles and the library's added ones, with their titles.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Add a .csl file to the library, under its file name (without .csl).
    Add {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Remove an added style.
    Rm { name: String },
}

pub fn run(lib: &Library, cmd: StylesCommand) -> anyhow::Result<()> {
    match cmd {
        StylesCommand::List { json } => {
            let styles = lib.styles()?;
            if json {
                crate::print_json(&styles)?;
            } else {
                for s in styles {
                    let origin = match (&s.parent, s.bundled) {
                        (_, true) => "bundled".to_string(),
                        (Some(p), false) => format!("added, renders as {p}"),
                        (None, false) => "added".to_string(),
                    };
                    outln!("{}\t{}\t({origin})", s.name, s.title);
                }
            }
        }
        StylesCommand::Add { file, json } => {
            let s = lib.add_style(&file)?;
            if json {
                crate::print_json(&s)?;
            } else {
                eprintln!(
                    "added style {} ({}); export with --format {}",
                    s.name, s.title, s.name
                );
            }
        }
        StylesCommand::Rm { name } => {
            lib.remove_style(&name)?;
            eprintln!("removed style {name}");
        }
    }
    Ok(())
}
