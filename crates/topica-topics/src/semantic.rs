//! Semantic mode: topics found among sentence embeddings instead of LSA coordinates of TF-IDF.
//! Papers are grouped by meaning; the groups are labelled from the same TF-IDF corpus as the
//! lexical mode's (see `dense_fit`).

use crate::dense_fit::fit_rows;
use crate::model::{FitOptions, Model};
use crate::vectorize::{vectorize, Corpus, DocText};

/// Fits leaves and parents on `embeddings` (row `d` is document `d`'s unit vector).
pub fn fit_semantic(
    docs: impl IntoIterator<Item = DocText, IntoIter: Send>,
    embeddings: &[f32],
    dim: usize,
    opts: FitOptions,
) -> Model {
    fit_semantic_vectorized(vectorize(docs), embeddings, dim, opts)
}

/// [`fit_semantic`] on documents already vectorized (with [`vectorize`]).
pub fn fit_semantic_vectorized(
    corpus: Corpus,
    embeddings: &[f32],
    dim: usize,
    opts: FitOptions,
) -> Model {
    assert_eq!(
        embeddings.len(),
        corpus.vectors.len() * dim,
        "one embedding per document"
    );
    fit_rows(corpus, embeddings, dim, opts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_library_fits_to_no_topics() {
        let m = fit_semantic(Vec::new(), &[], 384, FitOptions::default());
        assert!(m.leaves.is_empty() && m.parents.is_empty());
    }
}
