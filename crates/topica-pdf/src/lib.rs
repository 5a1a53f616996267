//! `topica-pdf`: what Topica reads from a PDF, as pure functions over its bytes.
//!
//! - [`read`]: the text of every page, the document information and the first page's lines
//!   with their type sizes, within [`Limits`].
//! - [`identifiers`]: the arXiv id and DOI a paper names (document information, then the text
//!   of its first pages, before its references).
//! - [`title_guess`]: a title and authors when no identifier is found.
//!
//! No I/O beyond the bytes given, no database, no network: `topica-core` runs it (in a worker
//! process where it can, so a hostile file costs a process, not the app). Text comes from the
//! `pdf-extract` crate (chosen by measurement, see Cargo.toml) through our own output device
//! (`layout`), which also measures type sizes.

mod guess;
mod identifiers;
mod info;
mod layout;

use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

pub use guess::{title_guess, Guess, GuessSource};
pub use identifiers::{identifiers, Identifiers};

/// What one PDF holds for Topica.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// The text of each page, in reading order; an empty string for a page with no text layer.
    pub pages: Vec<String>,
    pub info: Info,
    /// The first page's lines with their type size, in reading order (for the title guess).
    #[serde(default)]
    pub first_page: Vec<Line>,
}

/// One line of text and the largest type size in it (points, as printed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    /// Runs of text far apart on the line (author names set side by side) are separated by a
    /// tab.
    pub text: String,
    pub size: f64,
}

/// The document information dictionary.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Info {
    pub title: Option<String>,
    pub author: Option<String>,
    pub subject: Option<String>,
    pub keywords: Option<String>,
}

/// How much one file may cost.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_bytes: u64,
    pub max_pages: usize,
    /// Extraction stops (with an error) once this much time has passed.
    pub time: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_bytes: 200 << 20,
            max_pages: 2_000,
            time: Duration::from_secs(60),
        }
    }
}

/// Why a PDF could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum PdfError {
    #[error("not a PDF (it does not start with %PDF-)")]
    NotPdf,
    #[error(
        "the PDF is encrypted; open it in a PDF reader, save an unencrypted copy and attach that"
    )]
    Encrypted,
    #[error("the PDF is damaged: {0}")]
    Damaged(String),
    #[error("the PDF is too large ({what}); the limit is {limit}")]
    TooLarge { what: String, limit: String },
    #[error("reading the PDF took longer than {0} s")]
    TimedOut(u64),
}

/// Where in its first bytes a file may start its `%PDF-` header: readers accept some junk
/// before it (a mail header, a BOM), as the PDF specification's implementation notes allow.
const HEADER_WITHIN: usize = 1024;

fn check_header(bytes: &[u8]) -> Result<(), PdfError> {
    let head = &bytes[..bytes.len().min(HEADER_WITHIN)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        Ok(())
    } else {
        Err(PdfError::NotPdf)
    }
}

/// Parses the document, decrypting one that is encrypted with an empty user password (only
/// its permissions are restricted: every reader opens it).
fn load(bytes: &[u8], limits: &Limits) -> Result<pdf_extract::Document, PdfError> {
    if bytes.len() as u64 > limits.max_bytes {
        return Err(PdfError::TooLarge {
            what: format!("{} MB", bytes.len() >> 20),
            limit: format!("{} MB", limits.max_bytes >> 20),
        });
    }
    check_header(bytes)?;
    let mut doc = pdf_extract::Document::load_mem(bytes).map_err(damaged)?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(PdfError::Encrypted);
    }
    Ok(doc)
}

fn damaged(e: impl std::fmt::Display) -> PdfError {
    PdfError::Damaged(e.to_string())
}

/// Reads the text of every page and the document information.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Document, PdfError> {
    // The parser panics on some malformed files (it unwraps what it expects to find): that is
    // a damaged file, not a crash.
    std::panic::catch_unwind(|| read_unguarded(bytes, limits))
        .unwrap_or_else(|_| Err(damaged("its structure could not be read")))
}

fn read_unguarded(bytes: &[u8], limits: &Limits) -> Result<Document, PdfError> {
    let started = Instant::now();
    let doc = load(bytes, limits)?;
    let numbers: Vec<u32> = doc.get_pages().keys().copied().collect();
    if numbers.len() > limits.max_pages {
        return Err(PdfError::TooLarge {
            what: format!("{} pages", numbers.len()),
            limit: format!("{} pages", limits.max_pages),
        });
    }
    let mut out = Document {
        info: info::read(&doc),
        ..Document::default()
    };
    for (i, &n) in numbers.iter().enumerate() {
        if started.elapsed() > limits.time {
            return Err(PdfError::TimedOut(limits.time.as_secs()));
        }
        let mut page = layout::Page::default();
        // A page that cannot be read is an empty page: the others still count.
        if pdf_extract::output_doc_page(&doc, &mut page, n).is_err() {
            out.pages.push(String::new());
            continue;
        }
        let (text, lines) = page.finish();
        out.pages.push(text);
        if i == 0 {
            out.first_page = lines;
        }
    }
    Ok(out)
}

/// The number of pages, without reading their text.
pub fn page_count(bytes: &[u8]) -> Result<usize, PdfError> {
    let limits = Limits {
        max_pages: usize::MAX,
        ..Limits::default()
    };
    std::panic::catch_unwind(|| load(bytes, &limits).map(|d| d.get_pages().len()))
        .unwrap_or_else(|_| Err(damaged("its structure could not be read")))
}
