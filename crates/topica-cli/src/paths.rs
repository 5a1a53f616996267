//! Where the benchmarks find their inputs and keep their scratch data.

use std::path::{Path, PathBuf};

/// The repository's root (this crate lives in `crates/topica-cli/`).
pub fn repo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The shared data folder beside the repository, or `$TOPICA_SHARED`.
pub fn shared_dir() -> PathBuf {
    std::env::var_os("TOPICA_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_dir().join("../shared"))
}

/// Generated corpora, scratch libraries and baselines' environments (`bench-data/`, ignored by git).
pub fn bench_data_dir() -> PathBuf {
    repo_dir().join("bench-data")
}
