//! Words and phrases in the title alone (`title:`) or the abstract alone (`abstract:`).
//!
//! Neither has an indexed field of its own: both are parts of `words`, the one field a plain
//! word searches (see `schema::build`), so each of their words is indexed once. Two fast fields
//! give, per paper, where the title's first copy ends (`title_end`: it starts at 0) and where
//! the abstract starts (`abstract_at`: it runs to the end), and this query keeps the
//! occurrences inside its part: the column read from the position list, as SQLite FTS5 does.

use tantivy::columnar::Column;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25Weight, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term, TERMINATED};

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
            } => Some(Bm25Weight::for_terms(statistics_provider, &self.terms)?),
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
    bm25: Option<Bm25Weight>,
}

impl InPartWeight {
    /// On its first match; `None` when some term is not in the segment.
    fn part_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<InPartScorer>> {
        let Some(first) = self.terms.first() else {
            return Ok(None);
        };
        let mut postings = Vec::with_capacity(self.terms.len());
        for t in &self.terms {
            let inverted = reader.inverted_index(t.field())?;
            match inverted.read_postings(t, IndexRecordOption::WithFreqsAndPositions)? {
                Some(p) => postings.push(p),
                None => return Ok(None),
            }
        }
        let fieldnorms = match reader.fieldnorms_readers().get_field(first.field())? {
            Some(f) => f,
            None => FieldNormReader::constant(reader.max_doc(), 1),
        };
        let mut scorer = InPartScorer {
            positions: vec![Vec::new(); postings.len()],
            postings,
            bounds: match self.part {
                Part::Title => Bounds::Before(reader.fast_fields().u64(TITLE_END)?),
                Part::Abstract => Bounds::From(reader.fast_fields().u64(ABSTRACT_AT)?),
            },
            fieldnorms,
            bm25: self.bm25.as_ref().map(|w| w.boost_by(boost)),
            doc: 0,
            freq: 0,
        };
        scorer.settle();
        Ok(Some(scorer))
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

struct InPartScorer {
    /// One per term, in the phrase's order.
    postings: Vec<SegmentPostings>,
    /// Reused buffers for the terms' positions in the current document.
    positions: Vec<Vec<u32>>,
    bounds: Bounds,
    fieldnorms: FieldNormReader,
    bm25: Option<Bm25Weight>,
    doc: DocId,
    /// Occurrences of the phrase in the current document's part.
    freq: u32,
}

impl InPartScorer {
    /// Moves to the first document, from the first term's current one on, that holds every
    /// term and the phrase in its part.
    fn settle(&mut self) -> DocId {
        loop {
            let candidate = align(&mut self.postings, 0);
            if candidate == TERMINATED {
                self.doc = TERMINATED;
                return TERMINATED;
            }
            let freq = self.occurrences(candidate);
            if freq > 0 {
                self.doc = candidate;
                self.freq = freq;
                return candidate;
            }
            self.postings[0].advance();
        }
    }

    /// How often the phrase lies inside the part in `doc`, where every postings list is.
    fn occurrences(&mut self, doc: DocId) -> u32 {
        let at = |column: &Column<u64>| {
            column
                .first(doc)
                .map_or(u32::MAX, |s| u32::try_from(s).unwrap_or(u32::MAX))
        };
        let (start, end) = match &self.bounds {
            Bounds::Before(end) => (0, at(end)),
            Bounds::From(start) => (at(start), u32::MAX),
        };
        for (p, out) in self.postings.iter_mut().zip(self.positions.iter_mut()) {
            p.positions(out);
        }
        let Some((first, rest)) = self.positions.split_first() else {
            return 0;
        };
        let mut n = 0;
        let last = rest.len() as u32;
        for &at in first
            .iter()
            .filter(|&&at| at >= start && at.saturating_add(last) < end)
        {
            let follows = rest.iter().enumerate().all(|(i, positions)| {
                let want = at + 1 + i as u32;
                positions.binary_search(&want).is_ok()
            });
            if follows {
                n += 1;
            }
        }
        n
    }
}

/// Moves every list to the first document, from the `lead` list's current one on, that all of
/// them hold (the leapfrog of an intersection), and returns it; `TERMINATED` when there is none
/// or no list.
pub(crate) fn align(postings: &mut [SegmentPostings], lead: usize) -> DocId {
    let Some(mut candidate) = postings.get(lead).map(|p| p.doc()) else {
        return TERMINATED;
    };
    loop {
        if candidate == TERMINATED {
            return TERMINATED;
        }
        let mut ahead = None;
        for (i, p) in postings.iter_mut().enumerate() {
            if i == lead {
                continue;
            }
            let d = if p.doc() < candidate {
                p.seek(candidate)
            } else {
                p.doc()
            };
            if d > candidate {
                ahead = Some(d);
                break;
            }
        }
        match (ahead, postings.get_mut(lead)) {
            (Some(d), Some(l)) => candidate = l.seek(d),
            _ => return candidate,
        }
    }
}

/// Where a part lies among a document's `words` positions.
enum Bounds {
    /// From 0 up to this position.
    Before(Column<u64>),
    /// From this position to the end.
    From(Column<u64>),
}

impl DocSet for InPartScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        self.postings[0].advance();
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        self.postings[0].seek(target);
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

impl Scorer for InPartScorer {
    fn score(&mut self) -> Score {
        match &self.bm25 {
            Some(w) => w.score(self.fieldnorms.fieldnorm_id(self.doc), self.freq),
            None => 1.0,
        }
    }
}
