//! Starting from PDFs: a folder of downloaded papers becomes papers with their files.
//!
//! Each PDF is read; the arXiv id or DOI it names (`topica_pdf::identifiers`) fetches its
//! metadata the way "Add by identifier" does, when online. Without one, or offline, the title
//! and authors come from the PDF itself (`topica_pdf::title_guess`), and the report says so.
//! Papers already in the library are merged by the import's rules (a user's edits are never
//! overwritten) and get the file. The whole import is one transaction and one undo step.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{write_file, AttachMode, Prepared};
use crate::add::{fetch, Wanted};
use crate::db::{files as file_store, papers};
use crate::import::Record;
use crate::online::Services;
use crate::undo::Op;
use crate::{Error, Library, Paper, Progress, ProgressFn, Result};

/// What importing PDFs did, file by file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PdfImportReport {
    pub files: Vec<PdfResult>,
    /// New papers.
    pub added: usize,
    /// Papers already in the library that got a file.
    pub merged: usize,
    pub failed: usize,
}

/// One PDF's fate.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PdfResult {
    pub path: String,
    pub outcome: PdfOutcome,
    /// The paper it is attached to.
    #[ts(optional)]
    pub paper_id: Option<i64>,
    #[ts(optional)]
    pub title: Option<String>,
    /// Where the metadata came from, or why it is thin ("no arXiv id or DOI found: title and
    /// authors read from the first page").
    pub note: String,
}

/// What became of one PDF.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum PdfOutcome {
    /// A new paper, with the file.
    Added,
    /// The file went to a paper the library had.
    Merged,
    /// The paper already had this very file: nothing changed.
    AlreadyThere,
    /// Not imported, and why.
    Failed { reason: String },
}

/// One PDF on its way in: the file read, and the paper it describes.
struct Pending {
    file: Prepared,
    paper: Paper,
    note: String,
}

impl Library {
    /// Imports PDFs (files, and folders searched recursively for `.pdf` files): each becomes a
    /// paper with its file, or goes to the paper it is already. `services`: where to fetch the
    /// metadata of the identifiers found (`None`: offline, the PDFs' own text only).
    pub fn import_pdfs(
        &self,
        paths: &[PathBuf],
        mode: AttachMode,
        services: Option<&Services>,
        progress: ProgressFn<'_>,
    ) -> Result<PdfImportReport> {
        let files = pdf_files(paths)?;
        let mut report = PdfImportReport::default();
        let mut pending: Vec<Pending> = Vec::new();
        let total = files.len() as u64;
        for (n, path) in files.iter().enumerate() {
            if !progress(&Progress {
                phase: "reading PDFs",
                done: n as u64,
                total: Some(total),
            }) {
                return Err(Error::Cancelled);
            }
            let read = self.read_pdf_for_import(path);
            let held = match &read {
                Ok(p) => {
                    let conn = self.conn();
                    file_store::paper_with_hash(&conn, &p.file.sha256)?
                }
                Err(_) => None,
            };
            match read {
                Ok(p) => match held {
                    // This very file is in the library already: nothing to do.
                    Some(id) => report.files.push(PdfResult {
                        path: path.to_string_lossy().into_owned(),
                        outcome: PdfOutcome::AlreadyThere,
                        paper_id: Some(id),
                        title: Some(self.paper(id)?.display_title()),
                        note: "this file is in the library already".into(),
                    }),
                    None => pending.push(p),
                },
                Err(reason) => report.files.push(failed(path, reason)),
            }
        }
        if let Some(services) = services {
            self.fetch_metadata(&mut pending, services);
        }
        if !progress(&Progress {
            phase: "adding papers",
            done: total,
            total: Some(total),
        }) {
            return Err(Error::Cancelled);
        }
        self.write_pdfs(pending, mode, &mut report)?;
        report.failed = report
            .files
            .iter()
            .filter(|f| matches!(f.outcome, PdfOutcome::Failed { .. }))
            .count();
        Ok(report)
    }

    /// Reads one PDF and makes the paper its own text describes.
    fn read_pdf_for_import(&self, path: &Path) -> std::result::Result<Pending, String> {
        let file = self.read_file(path, None, &[])?;
        let Some(doc) = &file.document else {
            return Err(match super::TextState::from_status(Some(&file.status)) {
                super::TextState::NotPdf => "not a PDF".into(),
                other => other.describe(),
            });
        };
        let found = topica_pdf::identifiers(doc);
        let mut paper = Paper {
            arxiv_id: found.arxiv_id.as_ref().map(|a| a.id.clone()),
            doi: found.doi.clone(),
            ..Paper::default()
        };
        let guess = topica_pdf::title_guess(doc);
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let note = match &guess {
            Some(g) => {
                paper.title = Some(g.title.clone());
                paper.authors = g.authors.iter().map(|a| crate::Author::parse(a)).collect();
                let from = match g.from {
                    topica_pdf::GuessSource::Info => "the PDF's document information",
                    topica_pdf::GuessSource::FirstPage => "the first page",
                };
                format!("title and authors read from {from}")
            }
            None => {
                paper.title = Some(stem.clone());
                "no title found in the PDF: named after the file".into()
            }
        };
        let note = match (&paper.arxiv_id, &paper.doi) {
            (None, None) if doc.pages.iter().all(|p| p.trim().is_empty()) => {
                format!("no text layer — scanned? {note}")
            }
            (None, None) => format!("no arXiv id or DOI found: {note}"),
            _ => format!("offline: {note}"),
        };
        Ok(Pending { file, paper, note })
    }

    /// Replaces the PDFs' own guesses with the metadata their identifiers fetch; a PDF whose
    /// fetch fails keeps its guess, and its note says why.
    fn fetch_metadata(&self, pending: &mut [Pending], services: &Services) {
        let wanted: Vec<(String, Wanted)> = pending
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                let w = match (&p.paper.arxiv_id, &p.paper.doi) {
                    (Some(a), _) => Wanted::Arxiv(a.clone()),
                    (None, Some(d)) => Wanted::Doi(d.clone()),
                    (None, None) => return None,
                };
                Some((i.to_string(), w))
            })
            .collect();
        if wanted.is_empty() {
            return;
        }
        let (fetched, failures) = fetch(&wanted, services);
        for (i, paper) in fetched {
            if let Some(p) = i.parse::<usize>().ok().and_then(|i| pending.get_mut(i)) {
                let source = match (&p.paper.arxiv_id, &p.paper.doi) {
                    (Some(a), _) => format!("arXiv {a}"),
                    (None, Some(d)) => format!("DOI {d}"),
                    _ => String::new(),
                };
                p.paper = paper;
                p.note = format!("metadata fetched for {source}");
            }
        }
        for f in failures {
            if let Some(p) = f
                .input
                .parse::<usize>()
                .ok()
                .and_then(|i| pending.get_mut(i))
            {
                let guessed = p.note.trim_start_matches("offline: ").to_string();
                p.note = format!("{}; {guessed}", f.reason);
            }
        }
    }

    /// Writes the papers and their files: one transaction, one undo step.
    fn write_pdfs(
        &self,
        pending: Vec<Pending>,
        mode: AttachMode,
        report: &mut PdfImportReport,
    ) -> Result<()> {
        if pending.is_empty() {
            return Ok(());
        }
        let mut words = self.index.words();
        for p in &pending {
            words.note(&p.paper);
        }
        self.index.stage_words(words);
        let label = format!(
            "Import {} PDF{}",
            pending.len(),
            if pending.len() == 1 { "" } else { "s" }
        );
        let mut copies: Vec<PathBuf> = Vec::new();
        let result = self.change(&label, |c| {
            let records = pending.iter().map(|p| Ok(Record::new(0, p.paper.clone())));
            let mut placed = Vec::new();
            // A PDF's identifier is its own (the information, the stamp, a labelled DOI before
            // the references: `topica_pdf::identifiers`), so a match by it is the same work
            // whatever the title read or fetched, as for "Add by identifier".
            let (imported, mut ops) = crate::library::write_records(
                c,
                &self.index,
                records,
                false,
                false,
                &mut |_| true,
                &mut placed,
            )?;
            let mut results = Vec::new();
            let mut attached = Vec::new();
            let mut new_papers = std::collections::HashSet::new();
            if let Some(Op::Restore { ids }) = ops.first() {
                new_papers.extend(ids.iter().copied());
            }
            let mut done: Vec<Prepared> = Vec::new();
            for (mut p, id) in pending.into_iter().zip(placed) {
                let path = p.file.source.to_string_lossy().into_owned();
                let Some(id) = id else {
                    let reason = imported
                        .skipped
                        .first()
                        .map_or_else(|| "could not be added".into(), |e| e.reason.clone());
                    results.push(failed(&p.file.source, reason));
                    continue;
                };
                let stored = papers::get(c, id)?.ok_or_else(|| Error::NotFound(id.to_string()))?;
                let title = Some(stored.display_title());
                let held = file_store::attached_with_hash(c, id, &p.file.sha256)?.is_some()
                    || done.iter().any(|d| d.sha256 == p.file.sha256);
                if held {
                    results.push(PdfResult {
                        path,
                        outcome: PdfOutcome::AlreadyThere,
                        paper_id: Some(id),
                        title,
                        note: "this paper already has this file".into(),
                    });
                    continue;
                }
                self.place_file(
                    c,
                    &mut p.file,
                    stored.citation_key.as_deref(),
                    id,
                    mode,
                    &done,
                )
                .map_err(|reason| Error::file(&p.file.source, reason))?;
                copies.extend(p.file.copied.clone());
                let file_id = write_file(c, id, &p.file)?;
                attached.push((file_id, id));
                let outcome = if new_papers.contains(&id) {
                    PdfOutcome::Added
                } else {
                    PdfOutcome::Merged
                };
                results.push(PdfResult {
                    path,
                    outcome,
                    paper_id: Some(id),
                    title,
                    note: p.note.clone(),
                });
                done.push(p.file);
            }
            if !attached.is_empty() {
                ops.push(Op::Files {
                    files: attached,
                    on: true,
                });
            }
            Ok((ops, results))
        });
        match result {
            Ok(results) => {
                let ids = |o: &PdfOutcome| {
                    let mut set = std::collections::BTreeSet::new();
                    for r in results.iter().filter(|r| &r.outcome == o) {
                        set.extend(r.paper_id);
                    }
                    set.len()
                };
                report.added += ids(&PdfOutcome::Added);
                report.merged += ids(&PdfOutcome::Merged);
                report.files.extend(results);
                // New papers join their nearest topic; derived data, so a failure is not the
                // import's.
                let _ = self.assign_new_papers();
                Ok(())
            }
            Err(e) => {
                for c in copies {
                    let _ = std::fs::remove_file(c);
                }
                Err(e)
            }
        }
    }
}

fn failed(path: &Path, reason: String) -> PdfResult {
    PdfResult {
        path: path.to_string_lossy().into_owned(),
        outcome: PdfOutcome::Failed { reason },
        paper_id: None,
        title: None,
        note: String::new(),
    }
}

/// The PDFs `paths` name: files as given, folders searched recursively for `*.pdf` (sorted, so
/// an import is the same every time). A path that does not exist is an error naming it.
fn pdf_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| Error::file(p, e))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found, 0)?;
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// Folders deeper than this are not searched (a link loop would never end).
const MAX_DEPTH: usize = 32;

fn walk(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) -> Result<()> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir).map_err(|e| Error::file(dir, e))? {
        let entry = entry.map_err(|e| Error::file(dir, e))?;
        let path = entry.path();
        let kind = entry.file_type().map_err(|e| Error::file(&path, e))?;
        if kind.is_dir() {
            walk(&path, out, depth + 1)?;
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
        {
            out.push(path);
        }
    }
    Ok(())
}
