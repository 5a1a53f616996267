//! Backups: `backup` takes one now (into the library's backups/ folder, or `--to` a file),
//! `backup list` lists them, `backup restore FILE` puts the library back as one had it. (The
//! trash already has `restore`.)

use std::path::PathBuf;

use clap::{Args, Subcommand};
use topica_core::Library;

use crate::{outln, print_json};

#[derive(Args)]
pub struct BackupArgs {
    #[command(subcommand)]
    action: Option<BackupAction>,
    /// Write the backup to this file instead of the library's backups/ folder.
    #[arg(long)]
    to: Option<PathBuf>,
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Subcommand)]
enum BackupAction {
    /// The backups in the library's backups/ folder, newest first.
    List,
    /// Put the library back as it was in a backup. The library as it is now is backed up
    /// first, so the restore can itself be gone back on.
    Restore { file: PathBuf },
}

pub fn run(lib: &Library, args: BackupArgs) -> anyhow::Result<()> {
    let json = args.json;
    match args.action {
        None => {
            let b = lib.backup(args.to.as_deref())?;
            if json {
                print_json(&b)?;
            } else {
                eprintln!("backed up to {} ({} bytes)", b.path, b.bytes);
            }
        }
        Some(BackupAction::List) => {
            let all = lib.backups()?;
            if json {
                print_json(&all)?;
            } else {
                for b in all {
                    outln!(
                        "{}  {:>10}  {}{}",
                        b.taken_at,
                        b.bytes,
                        b.path,
                        if b.before_restore {
                            "  (before a restore)"
                        } else {
                            ""
                        }
                    );
                }
            }
        }
        Some(BackupAction::Restore { file }) => {
            let r = lib.restore_backup(&file)?;
            if json {
                print_json(&r)?;
            } else {
                eprintln!(
                    "restored {} ({} papers); the library as it was is in {}",
                    r.restored, r.papers, r.previous.path
                );
            }
        }
    }
    Ok(())
}
