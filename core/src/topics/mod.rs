//! Topics in a library: the `Library` facade over the topic engine (`topica-topics`: text,
//! vectors, k-means, the two-level model, quality), with persistence, user edits that survive
//! refits, and status.

mod edits;
mod facade;
mod refit;
pub use topica_topics::{dense, dense_fit, model, quality, semantic, text, vectorize};
pub use topica_topics::{fit_semantic, fit_semantic_vectorized};
mod status;

pub(crate) use facade::{place_unplaced, LeafCentroids, PrimaryLeaves};
pub use facade::{RelatedPaper, Topic, TopicCount, TopicWeight};
pub use model::{auto_leaves, auto_parents, fit, fit_vectorized, FitOptions, FittedTopic, Model};
pub(crate) use status::{fits, FITTED_MODE};
pub use status::{TopicsStatus, RECOMPUTE_SHARE};
pub use vectorize::{DocText, SparseVec};

/// The searchable labels of a paper's topic and broader topic (empty before the first fit).
pub(crate) fn labels_of_paper(
    conn: &crate::db::Connection,
    paper: i64,
) -> crate::Result<Vec<String>> {
    Ok(crate::db::topics::paper_topic_labels(conn, paper)?)
}

/// [`labels_of_paper`] for every paper with a topic, in one query.
pub(crate) fn labels_by_paper(
    conn: &crate::db::Connection,
) -> crate::Result<std::collections::HashMap<i64, Vec<String>>> {
    Ok(crate::db::topics::all_paper_topic_labels(conn)?)
}
