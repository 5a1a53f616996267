//! Semantic mode: topics found among sentence embeddings instead of LSA coordinates of TF-IDF.
//! Papers are grouped by meaning; the groups are labelled from the same TF-IDF corpus as the
//! lexical mode's (see `dense_fit`).

use crate::dense_fit::fit_rows;
use crate::model::{FitOptions, Model};
use crate::vectorize::{vectorize, DocText};

/// Fits leaves and parents on `embeddings` (row `d` is document `d`'s unit vector).
pub fn fit_semantic(docs: &[DocText], embeddings: &[f32], dim: usize, opts: FitOptions) -> Model {
    assert_eq!(
        embeddings.len(),
        docs.len() * dim,
        "one embedding per document"
    );
    let corpus = tracing::info_span!("topics", step = "vectorize").in_scope(|| vectorize(docs));
    fit_rows(corpus, embeddings, dim, opts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_library_fits_to_no_topics() {
        let m = fit_semantic(&[], &[], 384, FitOptions::default());
        assert!(m.leaves.is_empty() && m.parents.is_empty());
    }
}
