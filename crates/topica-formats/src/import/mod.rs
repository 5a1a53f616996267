//! Importers: turning files into [`Record`]s, and telling formats apart by their content.
//!
//! Each format lives in its own module and exposes `parse(file, text_or_reader) -> records`.
//! Parsers never touch the database: `topica_core::Library::import_files` runs them, merges
//! duplicates and writes everything in one transaction.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice
)]

mod arxiv_atom;
mod arxiv_jsonl;
mod bibtex;
mod bibtex_graph;
mod bibtex_jabref;
mod bibtex_names;
mod bibtex_syntax;
mod csl_json;
mod doi_metadata;
mod file_field;
mod id_list;
pub mod latex;
pub(crate) mod latex_symbols;
mod ris;
mod seed;
pub mod text;

pub use arxiv_atom::parse_feed as parse_arxiv_feed;
pub use doi_metadata::{paper_from_crossref, paper_from_csl};
pub use file_field::paths as file_field_paths;

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde::Serialize;

use crate::{Error, Result};
use topica_model::Paper;
use topica_model::RecordError;

/// A paper read from a file, with where it was found.
#[derive(Debug, Clone)]
pub struct Record {
    /// The file the record came from (display form; set by [`read_file`] and [`read_str`]).
    pub file: String,
    /// 1-based line (or record number for formats without lines) where the record starts.
    pub line: usize,
    pub paper: Paper,
    /// What was read otherwise than written, though the record came in (a year that is not
    /// one, a field of the wrong type left out): the import report lists each.
    pub warnings: Vec<RecordError>,
}

impl Record {
    /// A record read as written.
    pub fn new(line: usize, paper: Paper) -> Record {
        Record {
            file: String::new(),
            line,
            paper,
            warnings: Vec::new(),
        }
    }
}

/// `records` with each record's `file` set to `name`, and each refused record's `text` taken
/// from `text` (the file, for formats read whole) so the report can show what was skipped.
fn named(
    name: String,
    records: Records<'static>,
    text: Option<std::sync::Arc<str>>,
) -> Records<'static> {
    Box::new(records.map(move |r| match r {
        Ok(mut rec) => {
            rec.file.clone_from(&name);
            Ok(rec)
        }
        Err(mut e) => {
            if let (true, Some(t)) = (e.text.is_empty(), &text) {
                e.text = excerpt(t, e.line);
            }
            Err(e)
        }
    }))
}

/// The record starting at 1-based `line`, as written: up to its end (a blank line, or a line
/// starting the next record), at most 12 lines and about 800 characters.
fn excerpt(text: &str, line: usize) -> String {
    let mut out = String::new();
    for (i, l) in text
        .lines()
        .skip(line.saturating_sub(1))
        .take(12)
        .enumerate()
    {
        let next_record = l.starts_with('@') || l.starts_with("TY  -");
        if i > 0 && (l.trim().is_empty() || next_record) {
            break;
        }
        if out.len() + l.len() > 800 {
            let cut = (0..=800usize.saturating_sub(out.len()))
                .rev()
                .find(|&k| l.is_char_boundary(k))
                .unwrap_or(0);
            out.push_str(l.get(..cut).unwrap_or_default());
            out.push('…');
            break;
        }
        out.push_str(l);
        out.push('\n');
    }
    out.trim_end().to_string()
}

/// A stream of records from one file; an `Err` item is one bad record (parsing goes on).
pub type Records<'a> =
    Box<dyn Iterator<Item = std::result::Result<Record, RecordError>> + Send + 'a>;

/// The formats Topica reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// The `id | abstract |` table of the embedded sample library.
    Seed,
    /// Kaggle `arxiv-metadata-oai-snapshot` JSON lines.
    ArxivJsonl,
    /// An arXiv API Atom feed.
    ArxivAtom,
    /// BibTeX or BibLaTeX.
    Bibtex,
    /// RIS (Zotero, EndNote, Web of Science...).
    Ris,
    /// CSL-JSON (Zotero, pandoc).
    CslJson,
    /// One arXiv id or URL per line.
    IdList,
}

impl Format {
    /// Every format, in the order `--format` documents them.
    pub const ALL: [Format; 7] = [
        Format::Seed,
        Format::ArxivJsonl,
        Format::ArxivAtom,
        Format::Bibtex,
        Format::Ris,
        Format::CslJson,
        Format::IdList,
    ];

    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Seed => "seed",
            Format::ArxivJsonl => "arxiv-jsonl",
            Format::ArxivAtom => "arxiv-atom",
            Format::Bibtex => "bibtex",
            Format::Ris => "ris",
            Format::CslJson => "csl-json",
            Format::IdList => "id-list",
        }
    }
}

impl std::str::FromStr for Format {
    type Err = Error;
    fn from_str(s: &str) -> Result<Format> {
        let s = s.to_ascii_lowercase();
        let alias = match s.as_str() {
            "bib" | "biblatex" => "bibtex",
            "jsonl" | "kaggle" => "arxiv-jsonl",
            "atom" | "xml" => "arxiv-atom",
            "csl" | "csljson" | "json" => "csl-json",
            "ids" | "txt" => "id-list",
            other => other,
        };
        Format::ALL
            .into_iter()
            .find(|f| f.name() == alias)
            .ok_or_else(|| {
                let names: Vec<_> = Format::ALL.iter().map(|f| f.name()).collect();
                Error::Invalid(format!(
                    "unknown format {s:?}; expected one of {}",
                    names.join(", ")
                ))
            })
    }
}

/// Tells the format from the first bytes of a file, falling back to its extension.
pub fn detect(path: &Path, head: &[u8]) -> Result<Format> {
    let (text, _) = decode(head);
    let t = text.trim_start_matches('\u{feff}').trim_start();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let unknown = |reason: &str| Error::UnknownFormat {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    };
    if t.is_empty() {
        return Err(unknown("the file is empty"));
    }
    if t.starts_with("<?xml") || t.starts_with("<feed") {
        return Ok(Format::ArxivAtom);
    }
    if t.starts_with('[') {
        return Ok(Format::CslJson);
    }
    if t.starts_with('{') {
        // One JSON object per line with arXiv's keys is the Kaggle dump; a lone object is CSL-JSON.
        let first_line = t.lines().next().unwrap_or("");
        if first_line.contains("\"id\"")
            && (first_line.contains("\"abstract\"") || first_line.contains("\"categories\""))
        {
            return Ok(Format::ArxivJsonl);
        }
        return Ok(Format::CslJson);
    }
    if t.lines().take(20).any(|l| {
        let l = l.trim_start();
        l.len() >= 6
            && l.as_bytes()
                .get(..2)
                .is_some_and(|tag| tag.iter().all(u8::is_ascii_uppercase))
            && l.get(2..).is_some_and(|rest| rest.starts_with("  -"))
    }) {
        return Ok(Format::Ris);
    }
    if t.lines().take(200).any(|l| l.trim_start().starts_with('@')) || ext == "bib" {
        return Ok(Format::Bibtex);
    }
    if t.starts_with("stringlengths") || t.lines().take(5).any(seed::is_record_start) {
        return Ok(Format::Seed);
    }
    if t.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .take(5)
        .all(|l| topica_model::ArxivId::parse(l.split_whitespace().next().unwrap_or("")).is_some())
    {
        return Ok(Format::IdList);
    }
    match ext.as_str() {
        "ris" => Ok(Format::Ris),
        "jsonl" => Ok(Format::ArxivJsonl),
        "json" => Ok(Format::CslJson),
        "xml" | "atom" => Ok(Format::ArxivAtom),
        _ => Err(unknown("not BibTeX, RIS, CSL-JSON, arXiv JSON lines, arXiv Atom, a seed table or a list of arXiv ids")),
    }
}

/// Opens `path` and streams its records in `format` (detected when `None`), with the warnings
/// reading it gave (lines that were not UTF-8; see [`decode`]).
///
/// Line-oriented formats (arXiv JSON lines, seed table, id lists) stream, so a multi-GB dump
/// imports in bounded memory; the others are read whole.
pub fn read_file(
    path: &Path,
    format: Option<Format>,
) -> Result<(Format, Records<'static>, Vec<RecordError>)> {
    let file = std::fs::File::open(path).map_err(|e| Error::file(path, e))?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let format = match format {
        Some(f) => f,
        None => {
            let head = reader.fill_buf().map_err(|e| Error::file(path, e))?;
            let head = head.get(..64 * 1024).unwrap_or(head);
            detect(path, head)?
        }
    };
    let name = path.display().to_string();
    let file_name = name.clone();
    let mut whole: Option<std::sync::Arc<str>> = None;
    let mut warnings = Vec::new();
    let records: Records<'static> = match format {
        Format::ArxivJsonl => arxiv_jsonl::parse(name, reader),
        Format::Seed => seed::parse(name, reader),
        Format::IdList => id_list::parse(name, reader),
        other => {
            let mut bytes = Vec::new();
            reader
                .read_to_end(&mut bytes)
                .map_err(|e| Error::file(path, e))?;
            let (text, notes) = decode(&bytes);
            drop(bytes);
            // One copy of the text: parsed from here, and kept for the skipped records' excerpts.
            let text: std::sync::Arc<str> = std::sync::Arc::from(text);
            whole = Some(text.clone());
            warnings.extend(notes.into_iter().map(|(line, reason)| RecordError {
                text: String::new(),
                file: name.clone(),
                line,
                reason,
            }));
            // Atom, BibTeX, RIS or CSL-JSON (the others streamed above).
            read_str_unnamed(&name, &text, other)
        }
    };
    Ok((format, named(file_name, records, whole), warnings))
}

/// Parses in-memory text (tests, drag-and-drop of pasted text).
pub fn read_str(name: &str, text: &str, format: Format) -> Records<'static> {
    named(
        name.to_string(),
        read_str_unnamed(name, text, format),
        Some(std::sync::Arc::from(text)),
    )
}

fn read_str_unnamed(name: &str, text: &str, format: Format) -> Records<'static> {
    let name = name.to_string();
    match format {
        Format::ArxivJsonl => {
            arxiv_jsonl::parse(name, std::io::Cursor::new(text.to_string().into_bytes()))
        }
        Format::Seed => seed::parse(name, std::io::Cursor::new(text.to_string().into_bytes())),
        Format::IdList => id_list::parse(name, std::io::Cursor::new(text.to_string().into_bytes())),
        Format::ArxivAtom => arxiv_atom::parse(name, text),
        Format::Bibtex => bibtex::parse(name, text),
        Format::Ris => ris::parse(name, text),
        Format::CslJson => csl_json::parse(name, text),
    }
}

/// UTF-8 with or without BOM, UTF-16 (with a BOM, or ASCII-heavy without one, as Windows tools
/// write .bib files). A file that is not valid UTF-8 is decoded line by line: a valid line as
/// UTF-8, a line with no UTF-8 in it at all as Windows-1252 (old .bib files are Latin-1), and a
/// line with both as UTF-8 with its bad bytes as U+FFFD. Each line read otherwise than as UTF-8
/// is noted (1-based line, what was done), so one stray byte neither turns every accent of the
/// file into mojibake nor goes unsaid.
pub fn decode(bytes: &[u8]) -> (String, Vec<(usize, String)>) {
    let (text, mut notes) = decode_text(bytes);
    if !text.contains('\0') {
        return (text, notes);
    }
    // NUL is no character of any bibliographic text (it once went to the database and into
    // exports as is): removed, and each line that had one said.
    let lines: Vec<usize> = text
        .split('\n')
        .enumerate()
        .filter(|(_, l)| l.contains('\0'))
        .map(|(i, _)| i + 1)
        .collect();
    for &line in lines.iter().take(20) {
        notes.push((line, "a NUL byte (\\0) was removed".to_string()));
    }
    if let Some(&line) = lines.get(20) {
        let more = lines.len() - 20;
        notes.push((
            line,
            format!("and {more} more lines with NUL bytes, removed the same way"),
        ));
    }
    notes.sort_by_key(|n| n.0);
    (text.replace('\0', ""), notes)
}

fn decode_text(bytes: &[u8]) -> (String, Vec<(usize, String)>) {
    if let Some(rest) = bytes.strip_prefix(b"\xff\xfe") {
        return (utf16(rest, false), Vec::new());
    }
    if let Some(rest) = bytes.strip_prefix(b"\xfe\xff") {
        return (utf16(rest, true), Vec::new());
    }
    if bytes.len() >= 4 {
        let head = bytes.get(..bytes.len().min(256) & !1).unwrap_or_default();
        let pairs = head.len() / 2;
        let nul_even = head.iter().step_by(2).filter(|&&b| b == 0).count();
        let nul_odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
        if nul_even * 4 >= pairs * 3 && nul_odd == 0 {
            return (utf16(bytes, true), Vec::new());
        }
        if nul_odd * 4 >= pairs * 3 && nul_even == 0 {
            return (utf16(bytes, false), Vec::new());
        }
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_string(), Vec::new());
    }
    // Past this many noted lines, one more note counts the rest (a Latin-1 file has a note on
    // every line with an accent).
    const NOTED_LINES: usize = 20;
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 8);
    let mut notes = Vec::new();
    let mut unnoted = 0usize;
    let mut first_unnoted = 0usize;
    for (i, line) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
        let note = match std::str::from_utf8(line) {
            Ok(s) => {
                text.push_str(s);
                continue;
            }
            Err(e) => {
                let (valid, bad) = line
                    .split_at_checked(e.valid_up_to())
                    .unwrap_or((line, &[]));
                let column = String::from_utf8_lossy(valid).chars().count() + 1;
                // An invalid line has a first bad byte.
                let byte = bad.first().copied().unwrap_or_default();
                let has_utf8 = line.utf8_chunks().any(|c| !c.valid().is_ascii());
                if has_utf8 {
                    text.push_str(&String::from_utf8_lossy(line));
                    format!("not valid UTF-8 (byte 0x{byte:02X} at column {column}); the bad bytes were replaced by \u{fffd}")
                } else {
                    let (s, _, _) = encoding_rs::WINDOWS_1252.decode(line);
                    text.push_str(&s);
                    format!("not UTF-8 (byte 0x{byte:02X} at column {column}); read as Windows-1252 (Latin-1)")
                }
            }
        };
        if notes.len() < NOTED_LINES {
            notes.push((i + 1, note));
        } else {
            if unnoted == 0 {
                first_unnoted = i + 1;
            }
            unnoted += 1;
        }
    }
    if unnoted > 0 {
        notes.push((
            first_unnoted,
            format!("and {unnoted} more lines from here on that are not UTF-8, read the same way"),
        ));
    }
    (text, notes)
}

fn utf16(bytes: &[u8], big_endian: bool) -> String {
    // Byte pairs; a last odd byte is dropped.
    let pairs = bytes.iter().step_by(2).zip(bytes.iter().skip(1).step_by(2));
    let units = pairs.map(|(&a, &b)| {
        if big_endian {
            u16::from_be_bytes([a, b])
        } else {
            u16::from_le_bytes([a, b])
        }
    });
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// Helper for line-based parsers: a reader's lines with 1-based numbers, I/O errors as record errors.
pub(crate) fn numbered_lines<R: BufRead>(
    file: String,
    reader: R,
) -> impl Iterator<Item = std::result::Result<(usize, String), RecordError>> {
    reader.lines().enumerate().map(move |(i, l)| {
        l.map(|l| (i + 1, l)).map_err(|e| RecordError {
            text: String::new(),
            file: file.clone(),
            line: i + 1,
            reason: e.to_string(),
        })
    })
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice
)]
mod tests {
    use super::*;

    /// NUL bytes went into the database and the exports as they were.
    #[test]
    fn nul_bytes_are_removed_and_their_lines_named() {
        let (text, notes) = decode(b"@misc{a,\n  title = {A\0B},\n  note = {\0}}\n");
        assert_eq!(text, "@misc{a,\n  title = {AB},\n  note = {}}\n");
        assert_eq!(
            notes,
            vec![
                (2, "a NUL byte (\\0) was removed".to_string()),
                (3, "a NUL byte (\\0) was removed".to_string()),
            ]
        );
        let (_, clean) = decode("Schrödinger".as_bytes());
        assert!(clean.is_empty());
    }
}
