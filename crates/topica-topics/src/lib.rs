//! `topica-topics`: how a library organises itself, as pure functions over texts and vectors.
//! Text pipeline (`text`), TF-IDF vectors (`vectorize`), spherical k-means (`cluster`), the
//! fitted two-level model with its labels (`model`), quality measures for the benchmark
//! (`quality`); semantic mode clusters sentence embeddings instead (`dense`, `semantic`). No SQL and no index: `topica-core` stores the model and keeps user edits.

pub mod cluster;
pub mod dense;
pub mod dense_fit;
pub mod lsa;
pub mod model;
pub mod quality;
pub mod semantic;
pub mod steps;
pub mod text;
pub mod vectorize;

pub use model::{auto_leaves, auto_parents, fit, fit_vectorized, FitOptions, FittedTopic, Model};
pub use semantic::{fit_semantic, fit_semantic_vectorized};
pub use vectorize::{DocText, SparseVec};
