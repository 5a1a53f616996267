//! What reading a file or a style can fail with. Messages name the file and the reason; a bad
//! record inside a readable file is a `RecordError`, not one of these.

use std::path::PathBuf;

/// Everything that can go wrong in `topica-formats`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read at all.
    #[error("{path}: {reason}")]
    File { path: PathBuf, reason: String },
    /// The file's format could not be recognised.
    #[error("{path}: cannot tell the format of this file ({reason}); pass --format")]
    UnknownFormat { path: PathBuf, reason: String },
    /// An argument that makes no sense: a bad format or flavour name, a bad key pattern, a CSL
    /// style that does not parse.
    #[error("{0}")]
    Invalid(String),
    /// An arXiv API response that is not a feed we can read.
    #[error("{0}")]
    Response(String),
}

impl Error {
    pub(crate) fn file(path: impl Into<PathBuf>, reason: impl std::fmt::Display) -> Error {
        Error::File {
            path: path.into(),
            reason: reason.to_string(),
        }
    }
}

/// `Result` with the formats' [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
