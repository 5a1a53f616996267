//! The optional words beside a required phrase: a union scored by seeking each of its parts.
//!
//! `"phase transition"` finds the papers that hold the phrase and ranks them by it and by its
//! words wherever they occur (`query::fields_clause`). As a `BooleanQuery`'s Should clauses,
//! the words were a union that tantivy buffers (`BufferedUnionScorer`): to reach each paper the
//! phrase found, it read and scored every paper with either word up to there. At 1M papers
//! that union was a quarter of the query's time. Here each part's scorer seeks straight to the
//! papers asked about, so only those are read and scored.
//!
//! A match's score is the sum of its parts' scores in the parts' order, as tantivy's union sums
//! them: the ranking is the same.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term, TERMINATED};

/// Papers matching any of `parts`, scored with the sum of the parts they match. Meant for the
/// Should side of a query with a Must clause, where it is only sought to the Must's matches.
#[derive(Debug)]
pub(crate) struct SeekingSum {
    parts: Vec<Box<dyn Query>>,
}

impl SeekingSum {
    pub(crate) fn new(parts: Vec<Box<dyn Query>>) -> SeekingSum {
        SeekingSum { parts }
    }
}

impl Clone for SeekingSum {
    fn clone(&self) -> SeekingSum {
        SeekingSum {
            parts: self.parts.iter().map(|p| p.box_clone()).collect(),
        }
    }
}

impl Query for SeekingSum {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(SeekingSumWeight {
            parts: self
                .parts
                .iter()
                .map(|p| p.weight(scoring))
                .collect::<tantivy::Result<_>>()?,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for p in &self.parts {
            p.query_terms(visitor);
        }
    }
}

struct SeekingSumWeight {
    parts: Vec<Box<dyn Weight>>,
}

impl Weight for SeekingSumWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let parts = self
            .parts
            .iter()
            .map(|w| w.scorer(reader, boost))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(SeekingSumScorer::new(parts)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "{doc} does not match"
            )));
        }
        let mut explanation = Explanation::new("sum of", scorer.score());
        for w in &self.parts {
            // A part the paper does not match explains nothing, and adds nothing.
            if let Ok(e) = w.explain(reader, doc) {
                explanation.add_detail(e);
            }
        }
        Ok(explanation)
    }
}

struct SeekingSumScorer {
    /// Each on its first document at or after `doc` (or terminated).
    parts: Vec<Box<dyn Scorer>>,
    /// The least of the parts' documents.
    doc: DocId,
}

impl SeekingSumScorer {
    fn new(parts: Vec<Box<dyn Scorer>>) -> SeekingSumScorer {
        let mut s = SeekingSumScorer {
            parts,
            doc: TERMINATED,
        };
        s.doc = s.least();
        s
    }

    fn least(&self) -> DocId {
        self.parts
            .iter()
            .map(|p| p.doc())
            .min()
            .unwrap_or(TERMINATED)
    }
}

impl DocSet for SeekingSumScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        for p in &mut self.parts {
            if p.doc() == self.doc {
                p.advance();
            }
        }
        self.doc = self.least();
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for p in &mut self.parts {
            if p.doc() < target {
                p.seek(target);
            }
        }
        self.doc = self.least();
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.parts.iter().map(|p| p.size_hint()).max().unwrap_or(0)
    }

    fn cost(&self) -> u64 {
        self.parts.iter().map(|p| p.cost()).sum()
    }
}

impl Scorer for SeekingSumScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        let mut sum: Score = 0.0;
        for p in &mut self.parts {
            if p.doc() == doc {
                sum += p.score();
            }
        }
        sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A part: listed documents, each scored `score`.
    struct Listed {
        docs: Vec<DocId>,
        at: usize,
        score: Score,
    }

    impl DocSet for Listed {
        fn advance(&mut self) -> DocId {
            self.at += 1;
            self.doc()
        }
        fn doc(&self) -> DocId {
            self.docs.get(self.at).copied().unwrap_or(TERMINATED)
        }
        fn size_hint(&self) -> u32 {
            self.docs.len() as u32
        }
    }

    impl Scorer for Listed {
        fn score(&mut self) -> Score {
            self.score
        }
    }

    fn part(docs: &[DocId], score: Score) -> Box<dyn Scorer> {
        Box::new(Listed {
            docs: docs.to_vec(),
            at: 0,
            score,
        })
    }

    fn scorer() -> SeekingSumScorer {
        SeekingSumScorer::new(vec![
            part(&[1, 4, 9, 30], 1.0),
            part(&[], 8.0),
            part(&[4, 5, 30, 31], 2.0),
        ])
    }

    /// Advancing walks the union of the parts in order, each document scored with the sum of
    /// the parts holding it.
    #[test]
    fn advancing_gives_the_union_with_summed_scores() {
        let mut s = scorer();
        let mut seen = Vec::new();
        while s.doc() != TERMINATED {
            seen.push((s.doc(), s.score()));
            s.advance();
        }
        assert_eq!(
            seen,
            [(1, 1.0), (4, 3.0), (5, 2.0), (9, 1.0), (30, 3.0), (31, 2.0)]
        );
        assert_eq!(s.advance(), TERMINATED);
    }

    /// Seeking lands on the first document at or after the target and scores it from every
    /// part there; a target already passed leaves it where it is.
    #[test]
    fn seeking_lands_on_the_next_match() {
        let mut s = scorer();
        assert_eq!(s.seek(4), 4);
        assert_eq!(s.score(), 3.0);
        assert_eq!(s.seek(6), 9);
        assert_eq!(s.score(), 1.0);
        assert_eq!(s.seek(2), 9);
        assert_eq!(s.seek(30), 30);
        assert_eq!(s.score(), 3.0);
        assert_eq!(s.seek(32), TERMINATED);
        assert_eq!(SeekingSumScorer::new(Vec::new()).doc(), TERMINATED);
    }
}
