//! The engine's one error type. Messages are written for a researcher, not a developer:
//! they name the file, the line and the reason where there is one.

use std::path::PathBuf;

pub use topica_model::RecordError;

/// Everything that can go wrong in `topica-core`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An import found bad records and was not asked to skip them; nothing was written.
    #[error("import failed, nothing was changed:\n{}", join_errors(.0))]
    ImportFailed(Vec<RecordError>),
    /// A file could not be read at all.
    #[error("{path}: {reason}")]
    File { path: PathBuf, reason: String },
    /// The file's format could not be recognised.
    #[error("{path}: cannot tell the format of this file ({reason}); pass --format")]
    UnknownFormat { path: PathBuf, reason: String },
    /// A search query the parser rejects.
    #[error("invalid query at character {position}: {reason}")]
    InvalidQuery { position: usize, reason: String },
    /// No paper with that id.
    #[error("no paper matches {0:?}")]
    NotFound(String),
    /// A user argument that makes no sense (bad format name, bad pattern...).
    #[error("{0}")]
    Invalid(String),
    /// An edit's values were refused, each with its field and reason; nothing was changed.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    InvalidFields(Vec<topica_model::FieldError>),
    /// A `.csl` file that is not a style Topica can use, with the file, line and column.
    #[error("{0}")]
    InvalidStyle(topica_formats::export::csl_style::StyleError),
    /// The network (arXiv API) failed; nothing was changed.
    #[error("network: {0}")]
    Network(String),
    /// Another Topica process (the app, or a topica-cli) is writing to this library; nothing
    /// was changed.
    #[error("the library is busy: another Topica process ({}) is writing to it ({what}); nothing was changed, try again when it has finished", holder.as_deref().unwrap_or("the app or topica-cli"))]
    Busy {
        /// What is locked: "its database", "its search index".
        what: &'static str,
        /// The process holding it, when known: "PID 1234, topica-cli".
        holder: Option<String>,
    },
    /// The operation was cancelled by the user; nothing was changed.
    #[error("cancelled; nothing was changed")]
    Cancelled,
    /// The database failed (its message says "database: …").
    #[error("{0}")]
    Db(topica_store::Error),
    /// The search index failed (its message says "search index: …").
    #[error("{0}")]
    Index(topica_search::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// Semantic mode cannot run: no model folder, an incomplete model, or the encoder failed.
    #[error("semantic topics: {0}")]
    Semantic(String),
}

impl From<topica_embed::EmbedError> for Error {
    fn from(e: topica_embed::EmbedError) -> Error {
        Error::Semantic(e.to_string())
    }
}

fn join_errors(errors: &[RecordError]) -> String {
    const SHOWN: usize = 20;
    let mut s: Vec<String> = errors
        .iter()
        .take(SHOWN)
        .map(|e| format!("  {e}"))
        .collect();
    if errors.len() > SHOWN {
        s.push(format!("  … and {} more", errors.len() - SHOWN));
    }
    s.join("\n")
}

/// The formats' errors keep their kind and their words: `File`, `UnknownFormat` and `Invalid`
/// are the same variants here, an unreadable arXiv API response is a network failure.
impl From<topica_formats::Error> for Error {
    fn from(e: topica_formats::Error) -> Error {
        match e {
            topica_formats::Error::File { path, reason } => Error::File { path, reason },
            topica_formats::Error::UnknownFormat { path, reason } => {
                Error::UnknownFormat { path, reason }
            }
            topica_formats::Error::Invalid(m) => Error::Invalid(m),
            topica_formats::Error::Response(m) => Error::Network(m),
            other => Error::Invalid(other.to_string()),
        }
    }
}

/// The store's file and version errors keep their kind and words; an SQLite error is `Db`.
impl From<topica_store::Error> for Error {
    fn from(e: topica_store::Error) -> Error {
        match e {
            topica_store::Error::File { path, reason } => Error::File { path, reason },
            topica_store::Error::Invalid(m) => Error::Invalid(m),
            topica_store::Error::Sql(e) if is_busy(&e) => Error::busy("its database"),
            other => Error::Db(other),
        }
    }
}

/// SQLite's own errors, from the transactions the engine opens and commits.
impl From<topica_store::SqlError> for Error {
    fn from(e: topica_store::SqlError) -> Error {
        if is_busy(&e) {
            return Error::busy("its database");
        }
        Error::Db(e.into())
    }
}

impl Error {
    /// Busy, with no holder known (SQLite does not say who holds its lock).
    fn busy(what: &'static str) -> Error {
        Error::Busy { what, holder: None }
    }
}

/// SQLite still locked by another process once the busy timeout ran out.
fn is_busy(e: &topica_store::SqlError) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(topica_store::ErrorCode::DatabaseBusy | topica_store::ErrorCode::DatabaseLocked)
    )
}

/// A query the parser rejects stays an `InvalidQuery` with its position; an I/O error stays
/// one; anything else the index says is `Index`.
impl From<topica_search::Error> for Error {
    fn from(e: topica_search::Error) -> Error {
        match e {
            topica_search::Error::InvalidQuery { position, reason } => {
                Error::InvalidQuery { position, reason }
            }
            topica_search::Error::Io(e) => Error::Io(e),
            topica_search::Error::Busy(holder) => Error::Busy {
                what: "its search index",
                holder,
            },
            other => Error::Index(other),
        }
    }
}

impl Error {
    /// A stable camelCase code for the error's kind, used by the IPC edge and `--json` output.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::ImportFailed(_) => "importFailed",
            Error::File { .. } | Error::Io(_) => "io",
            Error::UnknownFormat { .. } => "unknownFormat",
            Error::InvalidQuery { .. } => "invalidQuery",
            Error::NotFound(_) => "notFound",
            Error::Invalid(_) => "invalid",
            Error::InvalidStyle(_) => "invalidStyle",
            Error::InvalidFields(_) => "invalidFields",
            Error::Network(_) => "network",
            Error::Semantic(_) => "semantic",
            Error::Cancelled => "cancelled",
            Error::Busy { .. } => "busy",
            Error::Db(_) | Error::Index(_) => "internal",
        }
    }

    pub(crate) fn file(path: impl Into<PathBuf>, reason: impl std::fmt::Display) -> Error {
        Error::File {
            path: path.into(),
            reason: reason.to_string(),
        }
    }
}

/// `Result` with the engine's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
