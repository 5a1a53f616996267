//! `topica-pdf`: what Topica reads from a PDF, as pure functions over its bytes.
//!
//! - [`read`]: the text of every page and the document information, within [`Limits`].
//! - [`identifiers`]: the arXiv id and DOI a paper names (document information, then the text
//!   of its first pages).
//! - [`title_guess`]: a title and authors when no identifier is found.
//!
//! No I/O beyond the bytes given, no database, no network: `topica-core` runs it (in a worker
//! process where it can, so a hostile file costs a process, not the app).

use serde::{Deserialize, Serialize};
use std::time::Duration;

/// What one PDF holds for Topica.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// The text of each page, in reading order; an empty string for a page with no text layer.
    pub pages: Vec<String>,
    pub info: Info,
}

/// The document information dictionary (and XMP where it says more).
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
    #[error("the PDF is encrypted; open it in a PDF reader, save an unencrypted copy and attach that")]
    Encrypted,
    #[error("the PDF is damaged: {0}")]
    Damaged(String),
    #[error("the PDF is too large ({what}); the limit is {limit}")]
    TooLarge { what: String, limit: String },
    #[error("reading the PDF took longer than {0} s")]
    TimedOut(u64),
}

/// Reads the text of every page and the document information.
pub fn read(_bytes: &[u8], _limits: &Limits) -> Result<Document, PdfError> {
    Err(PdfError::Damaged("not implemented yet".into()))
}
