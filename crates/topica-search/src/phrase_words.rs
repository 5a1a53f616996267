//! A quoted phrase found in `words` alone, scored by the phrase and by its words in one pass.
//!
//! `"phase transition"` must occur, and its words add to a match's score wherever they occur
//! (`query::fields_clause`): a Boolean query of the phrase (Must) and its words (Should,
//! [`SeekingSum`](super::seeking_sum::SeekingSum)). When the phrase and its words occur in no
//! field but `words` (a library without full text for them, and no author by those names),
//! every one of those scorers reads the same postings lists: the phrase's intersection reads
//! them for the positions, and each word's own scorer reads them again to seek to the phrase's
//! matches (at 1M papers, "phase transition" had 53,478 papers with both words and 27,515 with
//! the phrase). This query reads each list once (`positions::PositionsScorer`, over the whole
//! of `words`): at a match, the words' frequencies are those of the lists it already stands
//! on. Its scores are the Boolean query's, summed in its order.

use tantivy::query::{Bm25Weight, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term};

use super::positions::{Bounds, PositionsScorer, Weights};

/// `terms` one right after another in their field; each of `words` (each one of `terms`) adds
/// its own BM25 score at a match.
#[derive(Clone, Debug)]
pub(crate) struct PhraseWords {
    terms: Vec<Term>,
    /// Per word, the index in `terms` of the same term.
    words: Vec<usize>,
}

impl PhraseWords {
    /// `None` unless there are two terms or more, all of one field, and every word is one of
    /// them.
    pub(crate) fn new(terms: Vec<Term>, words: &[Term]) -> Option<PhraseWords> {
        let field = terms.first()?.field();
        if terms.len() < 2 || terms.iter().any(|t| t.field() != field) {
            return None;
        }
        let words = words
            .iter()
            .map(|w| terms.iter().position(|t| t == w))
            .collect::<Option<Vec<usize>>>()?;
        Some(PhraseWords { terms, words })
    }
}

impl Query for PhraseWords {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let bm25 = match scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => {
                // As tantivy weighs a phrase (all its terms) and a term query (its one term).
                let phrase = Bm25Weight::for_terms(statistics_provider, &self.terms)?;
                let words = self
                    .words
                    .iter()
                    .map(|&i| {
                        Bm25Weight::for_terms(
                            statistics_provider,
                            std::slice::from_ref(&self.terms[i]),
                        )
                    })
                    .collect::<tantivy::Result<Vec<_>>>()?;
                Some((phrase, self.words.iter().copied().zip(words).collect()))
            }
            EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(PhraseWordsWeight {
            query: self.clone(),
            bm25,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for t in &self.terms {
            visitor(t, true);
        }
    }
}

struct PhraseWordsWeight {
    query: PhraseWords,
    bm25: Option<Weights>,
}

impl Weight for PhraseWordsWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let terms = &self.query.terms;
        Ok(
            match PositionsScorer::open(reader, terms, Bounds::Whole, self.bm25.as_ref(), boost)? {
                Some(s) => Box::new(s),
                None => Box::new(EmptyScorer),
            },
        )
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "{doc} does not match"
            )));
        }
        Ok(Explanation::new("the phrase and its words", scorer.score()))
    }
}
