//! What searching and indexing can fail with.

/// Everything that can go wrong in `topica-search`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A search query the parser rejects.
    #[error("invalid query at character {position}: {reason}")]
    InvalidQuery { position: usize, reason: String },
    /// Another process holds the index's writer (the app, or another topica-cli): "PID 1234,
    /// topica-cli" when it left its note.
    #[error("the search index is being written by another Topica process")]
    Busy(Option<String>),
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// `Result` with the search's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
