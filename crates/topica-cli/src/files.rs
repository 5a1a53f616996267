//! Files and full text: `attach`, `files`, `detach`, `relink`, `import-pdfs`, `fulltext`.
//! Papers are named by library id, arXiv id or citation key.

use std::path::PathBuf;

use clap::Subcommand;
use topica_core::{AttachMode, Library, PdfOutcome, Services};

use crate::{outln, print_json};

#[derive(Subcommand)]
pub enum FilesCommand {
    /// Attach files to a paper: copied into the library folder (`files/`, named from the
    /// citation key), or with --link left where they are. PDFs' text is read and searchable.
    Attach {
        reference: String,
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Link the files where they are instead of copying them.
        #[arg(long)]
        link: bool,
        #[arg(long)]
        json: bool,
    },
    /// List a paper's files: id, pages, size, whether the text was read, where it is.
    Files {
        reference: String,
        #[arg(long)]
        json: bool,
    },
    /// Take files off their papers (by file id, as `files` lists them). Undoable; a stored
    /// copy stays until the trash is emptied.
    Detach {
        #[arg(required = true)]
        file_ids: Vec<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Point a missing file at where it is now.
    Relink {
        file_id: i64,
        path: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Import PDFs (files, or folders searched recursively): each becomes a paper with its
    /// file; an arXiv id or DOI found in it fetches the metadata (TOPICA_ARXIV_API,
    /// TOPICA_DOI_RESOLVER, TOPICA_CROSSREF_API) unless --offline.
    ImportPdfs {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Use only the PDFs' own text and information; ask no service.
        #[arg(long)]
        offline: bool,
        /// Link the files where they are instead of copying them.
        #[arg(long)]
        link: bool,
        #[arg(long)]
        json: bool,
    },
    /// Print the text read from a paper's files, page by page.
    Fulltext {
        reference: String,
        /// Only this page (1-based).
        #[arg(long)]
        page: Option<i64>,
        #[arg(long)]
        json: bool,
    },
}

fn mode(link: bool) -> AttachMode {
    if link {
        AttachMode::Link
    } else {
        AttachMode::Copy
    }
}

pub fn run(lib: &Library, command: FilesCommand) -> anyhow::Result<()> {
    match command {
        FilesCommand::Attach {
            reference,
            files,
            link,
            json,
        } => {
            let paper = lib.find(&reference)?;
            let r = lib.attach_files(paper.id, &files, mode(link))?;
            for f in &r.failed {
                eprintln!("not attached: {}: {}", f.path, f.reason);
            }
            if json {
                print_json(&r)?;
            } else {
                for f in &r.attached {
                    eprintln!("attached {} ({})", f.path, f.text.describe());
                }
            }
            if r.attached.is_empty() && !r.failed.is_empty() {
                anyhow::bail!("no file was attached");
            }
        }
        FilesCommand::Files { reference, json } => {
            let paper = lib.find(&reference)?;
            let files = lib.files(paper.id)?;
            if json {
                print_json(&files)?;
            } else {
                for f in files {
                    outln!(
                        "{:>6}  {:>5} {:>9}  {}{}  [{}]",
                        f.id,
                        f.pages.map_or("-".into(), |p| format!("{p}p")),
                        f.size,
                        f.path,
                        if f.missing { "  (missing)" } else { "" },
                        f.text.describe()
                    );
                }
            }
        }
        FilesCommand::Detach { file_ids, json } => {
            let ids = lib.detach_files(&file_ids)?;
            if json {
                print_json(&ids)?;
            } else {
                eprintln!("detached {} files", ids.len());
            }
        }
        FilesCommand::Relink {
            file_id,
            path,
            json,
        } => {
            let f = lib.relink_file(file_id, &path)?;
            if json {
                print_json(&f)?;
            } else {
                eprintln!("file {} is now {}", f.id, f.path);
            }
        }
        FilesCommand::ImportPdfs {
            paths,
            offline,
            link,
            json,
        } => {
            let services = Services::from_env();
            let r = lib.import_pdfs(
                &paths,
                mode(link),
                (!offline).then_some(&services),
                &mut |p| {
                    if let Some(total) = p.total {
                        eprint!("\r{} {}/{}", p.phase, p.done, total);
                    }
                    true
                },
            )?;
            eprintln!();
            if json {
                print_json(&r)?;
            } else {
                for f in &r.files {
                    match &f.outcome {
                        PdfOutcome::Failed { reason } => eprintln!("failed {}: {reason}", f.path),
                        outcome => eprintln!(
                            "{} {} → {} ({})",
                            match outcome {
                                PdfOutcome::Added => "added",
                                PdfOutcome::Merged => "merged",
                                _ => "already there",
                            },
                            f.path,
                            f.title.as_deref().unwrap_or_default(),
                            f.note
                        ),
                    }
                }
                eprintln!(
                    "added {}, merged {}, failed {}",
                    r.added, r.merged, r.failed
                );
            }
        }
        FilesCommand::Fulltext {
            reference,
            page,
            json,
        } => {
            let paper = lib.find(&reference)?;
            let mut pages = lib.fulltext(paper.id)?;
            if let Some(n) = page {
                pages.retain(|p| p.page == n);
            }
            if json {
                print_json(&pages)?;
            } else if pages.is_empty() {
                anyhow::bail!("paper {} has no text read from a file", paper.id);
            } else {
                for p in pages {
                    outln!("--- file {} page {} ---\n{}", p.file_id, p.page, p.text);
                }
            }
        }
    }
    Ok(())
}
