//! Topics: the library organises itself. Text pipeline (`text`), vectors (`vectorize`), spherical
//! k-means (`cluster`), the fitted two-level model with labels (`model`), quality measures for the
//! benchmark (`quality`). Persistence, user edits and the `Library` facade come on top.

mod cluster;
mod facade;
pub mod model;
pub mod quality;
mod status;
mod steps;
mod store;
pub mod text;
pub mod vectorize;

pub(crate) use facade::PrimaryLeaves;
pub use facade::{RelatedPaper, Topic, TopicCount, TopicWeight};
pub use model::{auto_leaves, auto_parents, fit, FitOptions, FittedTopic, Model};
pub use status::{TopicsStatus, RECOMPUTE_SHARE};
pub use vectorize::{DocText, SparseVec};

/// The searchable labels of a paper's topic and broader topic (empty before the first fit).
pub(crate) fn labels_of_paper(
    conn: &rusqlite::Connection,
    paper: i64,
) -> crate::Result<Vec<String>> {
    store::paper_topic_labels(conn, paper)
}

/// [`labels_of_paper`] for every paper with a topic, in one query.
pub(crate) fn labels_by_paper(
    conn: &rusqlite::Connection,
) -> crate::Result<std::collections::HashMap<i64, Vec<String>>> {
    store::all_paper_topic_labels(conn)
}
