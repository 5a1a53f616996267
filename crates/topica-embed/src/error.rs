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
