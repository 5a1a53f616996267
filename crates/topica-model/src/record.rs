//! What an importer says about a record it could not take.

/// A problem found in one record of an input file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct RecordError {
    /// The file the record came from (display form).
    pub file: String,
    /// 1-based line where the record starts (or the record number where a format has no lines).
    pub line: usize,
    /// Why the record was refused.
    pub reason: String,
    /// The record as written (its first lines), so the import report can show what was
    /// skipped; empty when the format has no text to show.
    #[serde(default)]
    pub text: String,
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.reason)
    }
}
