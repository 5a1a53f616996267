//! Importing into a library: what an import did and how to run one. Reading the formats is
//! `topica_formats::import`'s, re-exported here; merging and writing is `Library::import_*`'s.

use serde::Serialize;

pub use topica_formats::import::{
    detect, parse_arxiv_feed, read_file, read_str, Format, Record, Records,
};
use topica_model::RecordError;

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ts_rs::TS)]
pub struct ImportReport {
    /// Papers new to the library.
    pub added: usize,
    /// Papers already in the library that records were merged into.
    pub merged: usize,
    /// Records that duplicated a paper added earlier by the same import (the seed's versioned
    /// `2201.12288` / `2201.12288v2`, a dump listing a paper twice), merged into it. Without this
    /// count, a file's records would not add up to the report.
    pub duplicates: usize,
    /// Records that could not be read, each with file, line and reason (the rest came in).
    pub skipped: Vec<RecordError>,
    /// What was read otherwise than written, though nothing was refused (a line that was not
    /// UTF-8, for instance).
    pub warnings: Vec<RecordError>,
}

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Force a format instead of detecting it.
    pub format: Option<Format>,
    /// All or nothing (for scripts): refuse the whole import when any record cannot be read.
    /// By default every readable record comes in and each unreadable one is reported.
    pub strict: bool,
}
