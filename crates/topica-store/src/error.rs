//! What storage can fail with.

use std::path::PathBuf;

/// Everything that can go wrong in `topica-store`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The database file cannot be used (not SQLite, not Topica's).
    #[error("{path}: {reason}")]
    File { path: PathBuf, reason: String },
    /// A database this build cannot open (written by a newer Topica).
    #[error("{0}")]
    Invalid(String),
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
}

impl Error {
    pub(crate) fn file(path: impl Into<PathBuf>, reason: impl std::fmt::Display) -> Error {
        Error::File {
            path: path.into(),
            reason: reason.to_string(),
        }
    }
}

/// `Result` with the store's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
