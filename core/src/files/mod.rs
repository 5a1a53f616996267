//! Files attached to papers: PDFs above all, any file a researcher keeps with a paper.
//!
//! A file is **stored** (copied into the library folder's `files/`, named from the paper's
//! citation key and renamed when the key changes) or **linked** (left where the user keeps it,
//! never moved or deleted). Attaching and detaching are undoable; a detached file and the files
//! of a paper in the trash stay on disk until the trash is emptied, when stored copies go to the
//! system trash (never deleted outright). A PDF's text is read page by page (`reader`), kept in
//! the database and indexed as the paper's full text.

mod import;
mod names;
mod reader;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::Digest;

use crate::db::{self, files as file_store, papers, Connection};
use crate::library::now_rfc3339;
use crate::undo::Op;
use crate::{Error, Library, Result};

pub use import::{PdfImportReport, PdfOutcome, PdfResult};
pub use reader::{serve_pdf_worker_if_asked, PdfReader};
pub use topica_pdf::Limits as PdfLimits;

/// The folder of stored files inside a library.
pub const FILES_DIR: &str = "files";

/// How a file comes into the library.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum AttachMode {
    /// Copied into the library folder (`files/`): the library holds everything.
    #[default]
    Copy,
    /// Left where it is; the library points at it.
    Link,
}

/// A file attached to a paper.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct AttachedFile {
    pub id: i64,
    pub paper_id: i64,
    /// The file's name as the user had it.
    pub name: String,
    /// Where it is now (absolute).
    pub path: String,
    /// `true`: the user's own file, left where it was; `false`: a copy in the library folder.
    pub linked: bool,
    pub size: i64,
    #[ts(optional)]
    pub pages: Option<i64>,
    pub added_at: String,
    pub text: TextState,
    /// The file is not where the library says (moved or deleted behind its back): relink it.
    pub missing: bool,
}

/// Whether a file's text was read.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum TextState {
    /// Read; searchable.
    Read,
    /// Not read yet.
    Pending,
    /// A PDF whose pages hold no text (a scan without OCR).
    NoTextLayer,
    /// Not a PDF (an attachment of another kind): nothing to read.
    NotPdf,
    /// Could not be read, and why.
    Unreadable { reason: String },
}

/// Stored text states (`files.text_status`).
const TEXT_OK: &str = "ok";
const TEXT_NONE: &str = "none";
const TEXT_NOT_PDF: &str = "not-pdf";

impl TextState {
    fn from_status(status: Option<&str>) -> TextState {
        match status {
            None => TextState::Pending,
            Some(TEXT_OK) => TextState::Read,
            Some(TEXT_NONE) => TextState::NoTextLayer,
            Some(TEXT_NOT_PDF) => TextState::NotPdf,
            Some(reason) => TextState::Unreadable {
                reason: reason.to_string(),
            },
        }
    }

    /// What a user reads about it.
    pub fn describe(&self) -> String {
        match self {
            TextState::Read => "text read".into(),
            TextState::Pending => "text not read yet".into(),
            TextState::NoTextLayer => "no text layer — scanned?".into(),
            TextState::NotPdf => "not a PDF".into(),
            TextState::Unreadable { reason } => reason.clone(),
        }
    }
}

/// What attaching files did, file by file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct AttachReport {
    pub attached: Vec<AttachedFile>,
    pub failed: Vec<FileFailure>,
}

/// A file that was not attached (or imported), and why.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct FileFailure {
    pub path: String,
    pub reason: String,
}

/// Where a file is: `stored` (relative to the library folder) or `linked` (absolute).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FilePlace {
    pub kind: String,
    pub path: String,
}

/// One page of a paper's full text.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct FulltextPage {
    pub file_id: i64,
    /// 1-based.
    pub page: i64,
    pub text: String,
}

/// A file read, what it says, and (once placed) where it lives: ready to be written in a
/// transaction.
pub(crate) struct Prepared {
    /// The file as the user gave it.
    pub source: PathBuf,
    pub place: FilePlace,
    /// A copy made in `files/` for this attachment (removed again if the change fails).
    pub copied: Option<PathBuf>,
    /// The text as read, for finding its identifiers.
    pub document: Option<topica_pdf::Document>,
    pub name: String,
    pub size: i64,
    pub sha256: String,
    pub pages: Option<i64>,
    pub text: Vec<String>,
    pub status: String,
}

impl Library {
    /// How this library reads PDFs (in a worker process, with which limits).
    pub fn set_pdf_reader(&self, reader: PdfReader) {
        *self.pdf.lock().unwrap_or_else(|p| p.into_inner()) = reader;
    }

    pub(crate) fn pdf_reader(&self) -> PdfReader {
        self.pdf.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The files attached to a paper, oldest first, each checked on disk.
    pub fn files(&self, paper: i64) -> Result<Vec<AttachedFile>> {
        let conn = self.conn();
        if papers::get(&conn, paper)?.is_none() {
            return Err(Error::NotFound(paper.to_string()));
        }
        Ok(file_store::of_paper(&conn, paper)?
            .into_iter()
            .map(|r| self.describe(r))
            .collect())
    }

    /// One attached file by id.
    pub fn file(&self, id: i64) -> Result<AttachedFile> {
        let row = file_store::get(&self.conn(), id)?
            .filter(|r| r.removed_at.is_none())
            .ok_or_else(|| Error::NotFound(format!("file {id}")))?;
        Ok(self.describe(row))
    }

    fn describe(&self, r: file_store::FileRow) -> AttachedFile {
        let path = self.absolute(&r.kind, &r.path);
        AttachedFile {
            id: r.id,
            paper_id: r.paper_id,
            name: r.name,
            missing: !path.is_file(),
            path: path.to_string_lossy().into_owned(),
            linked: r.kind == "linked",
            size: r.size,
            pages: r.pages,
            added_at: r.added_at,
            text: TextState::from_status(r.text_status.as_deref()),
        }
    }

    /// Where a file row's file is on disk.
    pub(crate) fn absolute(&self, kind: &str, path: &str) -> PathBuf {
        if kind == "stored" {
            self.dir().join(path)
        } else {
            PathBuf::from(path)
        }
    }

    /// Attaches files to a paper, as one undoable step: each is copied into the library folder
    /// (or linked, by `mode`) and its text read. A file that cannot be attached (missing, a
    /// folder, attached already) is reported and the others come in; a PDF whose text cannot be
    /// read is attached all the same, with the reason.
    pub fn attach_files(
        &self,
        paper: i64,
        paths: &[PathBuf],
        mode: AttachMode,
    ) -> Result<AttachReport> {
        let p = self.paper(paper)?;
        if p.trashed_at.is_some() {
            return Err(Error::Invalid(format!(
                "paper {paper} is in the trash; restore it to attach files"
            )));
        }
        let mut report = AttachReport::default();
        let mut ready: Vec<Prepared> = Vec::new();
        for path in paths {
            let prepared = self.read_file(path, Some(paper), &ready).and_then(|mut f| {
                let conn = self.conn();
                self.place_file(
                    &conn,
                    &mut f,
                    p.citation_key.as_deref(),
                    paper,
                    mode,
                    &ready,
                )?;
                Ok(f)
            });
            match prepared {
                Ok(f) => ready.push(f),
                Err(reason) => report.failed.push(FileFailure {
                    path: path.to_string_lossy().into_owned(),
                    reason,
                }),
            }
        }
        if ready.is_empty() {
            return Ok(report);
        }
        let label = format!(
            "Attach {} file{}",
            ready.len(),
            if ready.len() == 1 { "" } else { "s" }
        );
        let copies: Vec<PathBuf> = ready.iter().filter_map(|f| f.copied.clone()).collect();
        let written = self.change(&label, |c| {
            let mut ids = Vec::new();
            for f in &ready {
                ids.push(write_file(c, paper, f)?);
            }
            let files = ids.iter().map(|&id| (id, paper)).collect();
            Ok((vec![Op::Files { files, on: true }], ids))
        });
        let ids = match written {
            Ok(ids) => ids,
            Err(e) => {
                // The copies were made for this change only.
                for c in copies {
                    let _ = std::fs::remove_file(c);
                }
                return Err(e);
            }
        };
        for id in ids {
            report.attached.push(self.file(id)?);
        }
        Ok(report)
    }

    /// Reads one file: its size, hash and text. `Err` is the reason, for the report; a file
    /// `paper` (or one of `others`) holds already is one.
    pub(crate) fn read_file(
        &self,
        path: &Path,
        paper: Option<i64>,
        others: &[Prepared],
    ) -> std::result::Result<Prepared, String> {
        let meta = std::fs::metadata(path).map_err(|e| format!("cannot read it: {e}"))?;
        if !meta.is_file() {
            return Err("not a file".into());
        }
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read it: {e}"))?;
        let sha256 = format!("{:x}", sha2::Sha256::digest(&bytes));
        let held = match paper {
            Some(p) => file_store::attached_with_hash(&self.conn(), p, &sha256)
                .map_err(|e| e.to_string())?
                .is_some(),
            None => false,
        };
        if held || others.iter().any(|o| o.sha256 == sha256) {
            return Err("this paper already has this file".into());
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".into());
        let (pages, document, status) = self.read_text(path, &bytes);
        Ok(Prepared {
            source: path.to_path_buf(),
            place: FilePlace {
                kind: String::new(),
                path: String::new(),
            },
            copied: None,
            text: document
                .as_ref()
                .map(|d| d.pages.clone())
                .unwrap_or_default(),
            document,
            name,
            size: meta.len() as i64,
            sha256,
            pages,
            status,
        })
    }

    /// Decides where a read file lives: linked where it is, or copied into `files/` under a
    /// name from `key` (none of `others`' names).
    pub(crate) fn place_file(
        &self,
        conn: &Connection,
        f: &mut Prepared,
        key: Option<&str>,
        paper: i64,
        mode: AttachMode,
        others: &[Prepared],
    ) -> std::result::Result<(), String> {
        match mode {
            AttachMode::Link => {
                let abs =
                    std::fs::canonicalize(&f.source).map_err(|e| format!("cannot read it: {e}"))?;
                f.place = FilePlace {
                    kind: "linked".into(),
                    path: abs.to_string_lossy().into_owned(),
                };
            }
            AttachMode::Copy => {
                let taken: Vec<&str> = others.iter().map(|o| o.place.path.as_str()).collect();
                let rel = names::free_name(conn, self.dir(), key, paper, &f.name, &taken)
                    .map_err(|e| e.to_string())?;
                let dest = self.dir().join(&rel);
                names::copy_new(&f.source, &dest).map_err(|e| format!("cannot copy it: {e}"))?;
                f.place = FilePlace {
                    kind: "stored".into(),
                    path: rel,
                };
                f.copied = Some(dest);
            }
        }
        Ok(())
    }

    /// A file's pages of text and its text state, read with this library's PDF reader. A file
    /// that neither is named `.pdf` nor starts like a PDF is an attachment of another kind.
    fn read_text(
        &self,
        path: &Path,
        bytes: &[u8],
    ) -> (Option<i64>, Option<topica_pdf::Document>, String) {
        let named_pdf = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
        if !named_pdf && !bytes.starts_with(b"%PDF-") {
            return (None, None, TEXT_NOT_PDF.into());
        }
        match self.pdf_reader().read(path) {
            Ok(doc) => {
                let n = doc.pages.len() as i64;
                let status = if doc.pages.iter().all(|p| p.trim().is_empty()) {
                    TEXT_NONE
                } else {
                    TEXT_OK
                };
                (Some(n), Some(doc), status.into())
            }
            Err(e) => (None, None, e.to_string()),
        }
    }

    /// Detaches files from their papers, as one undoable step. A stored copy stays in the
    /// library folder until the trash is emptied. Returns the ids detached.
    pub fn detach_files(&self, ids: &[i64]) -> Result<Vec<i64>> {
        let label = format!(
            "Remove {} file{}",
            ids.len(),
            if ids.len() == 1 { "" } else { "s" }
        );
        self.change(&label, |c| {
            let mut files = Vec::new();
            for &id in ids {
                let row =
                    file_store::get(c, id)?.ok_or_else(|| Error::NotFound(format!("file {id}")))?;
                if row.removed_at.is_none() {
                    files.push((id, row.paper_id));
                }
            }
            let only: Vec<i64> = files.iter().map(|(id, _)| *id).collect();
            file_store::set_removed(c, &only, Some(&now_rfc3339()))?;
            let ops = if files.is_empty() {
                vec![]
            } else {
                vec![Op::Files { files, on: false }]
            };
            Ok((ops, only))
        })
    }

    /// Points a file at `path` (a file that went missing, found again), as one undoable step.
    /// A stored file's new place is copied into the library folder; a linked one is linked
    /// there. Its text is read again.
    pub fn relink_file(&self, id: i64, path: &Path) -> Result<AttachedFile> {
        let row = file_store::get(&self.conn(), id)?
            .filter(|r| r.removed_at.is_none())
            .ok_or_else(|| Error::NotFound(format!("file {id}")))?;
        let paper = self.paper(row.paper_id)?;
        let mode = if row.kind == "linked" {
            AttachMode::Link
        } else {
            AttachMode::Copy
        };
        let mut f = self
            .read_file(path, None, &[])
            .and_then(|mut f| {
                let conn = self.conn();
                self.place_file(
                    &conn,
                    &mut f,
                    paper.citation_key.as_deref(),
                    paper.id,
                    mode,
                    &[],
                )?;
                Ok(f)
            })
            .map_err(|reason| Error::file(path, reason))?;
        f.document = None;
        let before = FilePlace {
            kind: row.kind.clone(),
            path: row.path.clone(),
        };
        let copied = f.copied.clone();
        let done = self.change("Relink file", |c| {
            file_store::set_path(c, id, &f.place.kind, &f.place.path)?;
            file_store::set_text(c, id, &f.text, f.pages, &f.status)?;
            Ok((
                vec![Op::FileRelinked {
                    file: id,
                    paper: row.paper_id,
                    before,
                    after: f.place.clone(),
                }],
                (),
            ))
        });
        if let (Err(_), Some(c)) = (&done, copied) {
            let _ = std::fs::remove_file(c);
        }
        done?;
        self.file(id)
    }

    /// The text read from a paper's files, page by page.
    pub fn fulltext(&self, paper: i64) -> Result<Vec<FulltextPage>> {
        self.paper(paper)?;
        Ok(file_store::pages(&self.conn(), paper)?
            .into_iter()
            .map(|p| FulltextPage {
                file_id: p.file_id,
                page: p.page,
                text: p.text,
            })
            .collect())
    }

    /// Gives stored files the names their papers' citation keys call for (after a key changed,
    /// or files changed hands in a merge). A file that cannot be renamed keeps its name: the
    /// database always says where it is.
    pub(crate) fn rename_files_for(&self, papers_touched: &[i64]) {
        let _ = names::follow_keys(self, papers_touched);
    }

    /// Lets go of the files the trash held (those of papers in it, and detached ones): stored
    /// copies go to the system trash, linked files are left alone. Runs before the rows go, so
    /// a copy that cannot be moved is reported, not lost. Returns the rows let go of, how many
    /// copies went to the system trash, and the ones that stayed.
    pub(crate) fn discard_files(
        &self,
        conn: &Connection,
    ) -> Result<(Vec<i64>, usize, Vec<FileFailure>)> {
        let rows = file_store::discarded(conn)?;
        let mut kept = Vec::new();
        let mut gone = Vec::new();
        let mut moved = 0;
        for r in rows {
            if r.kind == "stored" {
                let path = self.absolute(&r.kind, &r.path);
                if path.exists() {
                    match trash::delete(&path) {
                        Ok(()) => moved += 1,
                        Err(e) => kept.push(FileFailure {
                            path: path.to_string_lossy().into_owned(),
                            reason: format!(
                                "could not be moved to the system trash ({e}); it stays in the library folder"
                            ),
                        }),
                    }
                }
            }
            gone.push(r.id);
        }
        Ok((gone, moved, kept))
    }
}

/// Writes one prepared file's row and pages; returns its id.
pub(crate) fn write_file(c: &Connection, paper: i64, f: &Prepared) -> Result<i64> {
    let id = file_store::insert(
        c,
        &db::files::FileRow {
            id: 0,
            paper_id: paper,
            kind: f.place.kind.clone(),
            path: f.place.path.clone(),
            name: f.name.clone(),
            size: f.size,
            sha256: f.sha256.clone(),
            pages: f.pages,
            added_at: now_rfc3339(),
            removed_at: None,
            text_status: None,
        },
    )?;
    file_store::set_text(c, id, &f.text, f.pages, &f.status)?;
    Ok(id)
}
