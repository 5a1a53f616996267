//! A quoted phrase found in `words` alone, scored by the phrase and by its words in one pass.
//!
//! `"phase transition"` must occur, and its words add to a match's score wherever they occur
//! (`query::fields_clause`): a Boolean query of the phrase (Must) and its words (Should,
//! [`SeekingSum`](super::seeking_sum::SeekingSum)). When the phrase and its words occur in no
//! field but `words` (a library without full text for them, and no author by those names),
//! every one of those scorers reads the same postings lists: the phrase's intersection reads
//! them for the positions, and each word's own scorer reads them again to seek to the phrase's
//! matches (at 1M papers, "phase transition" had 53,478 papers with both words and 27,515 with
//! the phrase). This query reads each list once: at a match, the words' frequencies are those
//! of the lists it already stands on. Its scores are the Boolean query's, summed in its order.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25Weight, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term, TERMINATED};

use super::in_part::align;

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
                Some((phrase, words))
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
    /// The phrase's weight and each word's.
    bm25: Option<(Bm25Weight, Vec<Bm25Weight>)>,
}

impl PhraseWordsWeight {
    /// On its first match; `None` when some term is not in the segment.
    fn phrase_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<PhraseWordsScorer>> {
        let terms = &self.query.terms;
        let mut postings = Vec::with_capacity(terms.len());
        for t in terms {
            let inverted = reader.inverted_index(t.field())?;
            match inverted.read_postings(t, IndexRecordOption::WithFreqsAndPositions)? {
                Some(p) => postings.push(p),
                None => return Ok(None),
            }
        }
        let fieldnorms = match reader.fieldnorms_readers().get_field(terms[0].field())? {
            Some(f) => f,
            None => FieldNormReader::constant(reader.max_doc(), 1),
        };
        // The rarest list leads the intersection.
        let lead = (0..postings.len())
            .min_by_key(|&i| postings[i].size_hint())
            .unwrap_or(0);
        let mut scorer = PhraseWordsScorer {
            positions: vec![Vec::new(); postings.len()],
            postings,
            lead,
            words: self.query.words.clone(),
            fieldnorms,
            bm25: self.bm25.as_ref().map(|(p, w)| {
                (
                    p.boost_by(boost),
                    w.iter().map(|w| w.boost_by(boost)).collect(),
                )
            }),
            doc: 0,
            freq: 0,
        };
        scorer.settle();
        Ok(Some(scorer))
    }
}

impl Weight for PhraseWordsWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.phrase_scorer(reader, boost)? {
            Some(s) => Box::new(s),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.phrase_scorer(reader, 1.0)?;
        let score = scorer
            .as_mut()
            .and_then(|s| (s.seek(doc) == doc).then(|| s.score()));
        match score {
            Some(score) => Ok(Explanation::new("the phrase and its words", score)),
            None => Err(TantivyError::InvalidArgument(format!(
                "{doc} does not match"
            ))),
        }
    }
}

struct PhraseWordsScorer {
    /// One per term, in the phrase's order.
    postings: Vec<SegmentPostings>,
    /// Reused buffers for the terms' positions in the current document.
    positions: Vec<Vec<u32>>,
    /// The list the intersection advances.
    lead: usize,
    words: Vec<usize>,
    fieldnorms: FieldNormReader,
    bm25: Option<(Bm25Weight, Vec<Bm25Weight>)>,
    doc: DocId,
    /// Occurrences of the phrase in the current document.
    freq: u32,
}

impl PhraseWordsScorer {
    /// Moves to the first document, from the lead's current one on, that holds the phrase.
    fn settle(&mut self) -> DocId {
        loop {
            let candidate = align(&mut self.postings, self.lead);
            if candidate == TERMINATED {
                self.doc = TERMINATED;
                return TERMINATED;
            }
            let freq = self.occurrences();
            if freq > 0 {
                self.doc = candidate;
                self.freq = freq;
                return candidate;
            }
            self.postings[self.lead].advance();
        }
    }

    /// How often the phrase occurs in the document every list stands on.
    fn occurrences(&mut self) -> u32 {
        for (p, out) in self.postings.iter_mut().zip(self.positions.iter_mut()) {
            p.positions(out);
        }
        let Some((first, rest)) = self.positions.split_first() else {
            return 0;
        };
        let mut n = 0;
        for &at in first {
            let follows = rest
                .iter()
                .enumerate()
                .all(|(i, positions)| positions.binary_search(&(at + 1 + i as u32)).is_ok());
            if follows {
                n += 1;
            }
        }
        n
    }
}

impl DocSet for PhraseWordsScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        self.postings[self.lead].advance();
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        self.postings[self.lead].seek(target);
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.postings
            .iter()
            .map(|p| p.size_hint())
            .min()
            .unwrap_or(0)
    }
}

impl Scorer for PhraseWordsScorer {
    fn score(&mut self) -> Score {
        let Some((phrase, words)) = &self.bm25 else {
            return 1.0;
        };
        let norm = self.fieldnorms.fieldnorm_id(self.doc);
        // The Boolean query's sum, in its order: the phrase, then its words' union, which sums
        // from zero.
        let mut of_words: Score = 0.0;
        for (w, &i) in words.iter().zip(&self.words) {
            of_words += w.score(norm, self.postings[i].term_freq());
        }
        let mut sum: Score = 0.0;
        sum += phrase.score(norm, self.freq);
        sum += of_words;
        sum
    }
}
