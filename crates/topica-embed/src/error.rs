use std::path::PathBuf;

/// Why a model could not be loaded or run.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    #[error("{}: the model folder has no {file} (expected a sentence-transformers all-MiniLM-L6-v2 folder)", dir.display())]
    MissingFile { dir: PathBuf, file: &'static str },
    #[error("{}: {reason}", path.display())]
    BadFile { path: PathBuf, reason: String },
    #[error("the sentence encoder failed: {0}")]
    Run(String),
}

impl From<candle_core::Error> for EmbedError {
    fn from(e: candle_core::Error) -> Self {
        EmbedError::Run(e.to_string())
    }
}
