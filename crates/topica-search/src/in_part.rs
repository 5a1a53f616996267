//! Words and phrases in the title alone (`title:`) or the abstract alone (`abstract:`).
//!
//! Neither has an indexed field of its own: both are parts of `words`, the one field a plain
//! word searches (see `schema::build`), so each of their words is indexed once. Two fast fields
//! give, per paper, where the title's first copy ends (`title_end`: it starts at 0) and where
//! the abstract starts (`abstract_at`: it runs to the end), and this query keeps the
//! occurrences inside its part: the column read from the position list, as SQLite FTS5 does.

use tantivy::query::{Bm25Weight, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term};

use super::positions::{Bounds, PositionsScorer, Weights};

/// The fast field holding where a paper's title ends among its `words`.
pub(crate) const TITLE_END: &str = "title_end";
/// The fast field holding where a paper's abstract starts among its `words`.
pub(crate) const ABSTRACT_AT: &str = "abstract_at";

/// A part of `words` searched alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    Title,
    Abstract,
}

/// `terms`, one right after another, in one part of a paper: a word when there is one term, a
/// phrase when there are more. Scored with BM25 over the phrase's occurrences there.
#[derive(Clone, Debug)]
pub(crate) struct InPart {
    part: Part,
    terms: Vec<Term>,
}

impl InPart {
    /// `terms` must be of the `words` field and not empty.
    pub(crate) fn new(part: Part, terms: Vec<Term>) -> InPart {
        debug_assert!(!terms.is_empty());
        InPart { part, terms }
    }
}

impl Query for InPart {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let bm25 = match scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => Some((
                Bm25Weight::for_terms(statistics_provider, &self.terms)?,
                Vec::new(),
            )),
            EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(InPartWeight {
            part: self.part,
            terms: self.terms.clone(),
            bm25,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for t in &self.terms {
            visitor(t, true);
        }
    }
}

struct InPartWeight {
    part: Part,
    terms: Vec<Term>,
    bm25: Option<Weights>,
}

impl InPartWeight {
    /// On its first match; `None` when some term is not in the segment.
    fn part_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<PositionsScorer>> {
        let bounds = match self.part {
            Part::Title => Bounds::Before(reader.fast_fields().u64(TITLE_END)?),
            Part::Abstract => Bounds::From(reader.fast_fields().u64(ABSTRACT_AT)?),
        };
        PositionsScorer::open(reader, &self.terms, bounds, self.bm25.as_ref(), boost)
    }
}

impl Weight for InPartWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.part_scorer(reader, boost)? {
            Some(s) => Box::new(s),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let part = match self.part {
            Part::Title => "in the title",
            Part::Abstract => "in the abstract",
        };
        let mut scorer = self.part_scorer(reader, 1.0)?;
        let score = scorer
            .as_mut()
            .and_then(|s| (s.seek(doc) == doc).then(|| s.score()));
        match score {
            Some(score) => Ok(Explanation::new(part, score)),
            None => Err(TantivyError::InvalidArgument(format!(
                "{doc} does not match"
            ))),
        }
    }
}
