//! The scorer behind [`InPart`](super::in_part::InPart) and
//! [`PhraseWords`](super::phrase_words::PhraseWords): papers whose `words` hold some terms one
//! right after another, read from the terms' position lists, scored with BM25 over those
//! occurrences (and, for `PhraseWords`, each word's own frequency).

use tantivy::columnar::Column;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25Weight, Scorer};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// Where the occurrences counted may lie among a paper's `words` positions.
pub(crate) enum Bounds {
    /// Anywhere.
    Whole,
    /// From 0 up to the position this column gives per paper.
    Before(Column<u64>),
    /// From the position this column gives per paper to the end.
    From(Column<u64>),
}

/// A scorer's BM25 weights: the occurrences', and per word the index of its term and its own.
pub(crate) type Weights = (Bm25Weight, Vec<(usize, Bm25Weight)>);

pub(crate) struct PositionsScorer {
    /// One per term, in the phrase's order.
    postings: Vec<SegmentPostings>,
    /// Reused buffers for the terms' positions in the current document.
    positions: Vec<Vec<u32>>,
    /// The list the intersection advances: the rarest.
    lead: usize,
    bounds: Bounds,
    fieldnorms: FieldNormReader,
    bm25: Option<Weights>,
    doc: DocId,
    /// Occurrences of the terms, in order and within the bounds, in the current document.
    freq: u32,
}

impl PositionsScorer {
    /// On its first match; `None` when there is no term or some term is not in the segment.
    /// `bm25` is boosted by `boost`.
    pub(crate) fn open(
        reader: &SegmentReader,
        terms: &[Term],
        bounds: Bounds,
        bm25: Option<&Weights>,
        boost: Score,
    ) -> tantivy::Result<Option<PositionsScorer>> {
        let Some(first) = terms.first() else {
            return Ok(None);
        };
        let mut postings = Vec::with_capacity(terms.len());
        for t in terms {
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
        let lead = (0..postings.len())
            .min_by_key(|&i| postings.get(i).map_or(u32::MAX, |p| p.size_hint()))
            .unwrap_or(0);
        let mut scorer = PositionsScorer {
            positions: vec![Vec::new(); postings.len()],
            postings,
            lead,
            bounds,
            fieldnorms,
            bm25: bm25.map(|(phrase, words)| {
                (
                    phrase.boost_by(boost),
                    words.iter().map(|(i, w)| (*i, w.boost_by(boost))).collect(),
                )
            }),
            doc: 0,
            freq: 0,
        };
        scorer.settle();
        Ok(Some(scorer))
    }

    /// Moves to the first document, from the lead's current one on, with an occurrence.
    fn settle(&mut self) -> DocId {
        loop {
            let candidate = align(&mut self.postings, self.lead);
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
            if let Some(lead) = self.postings.get_mut(self.lead) {
                lead.advance();
            }
        }
    }

    /// How often the terms follow one another within the bounds in `doc`, where every list is.
    fn occurrences(&mut self, doc: DocId) -> u32 {
        let at = |column: &Column<u64>| {
            column
                .first(doc)
                .map_or(u32::MAX, |s| u32::try_from(s).unwrap_or(u32::MAX))
        };
        let (start, end) = match &self.bounds {
            Bounds::Whole => (0, u32::MAX),
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
fn align(postings: &mut [SegmentPostings], lead: usize) -> DocId {
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

impl DocSet for PositionsScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        if let Some(lead) = self.postings.get_mut(self.lead) {
            lead.advance();
        }
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        if let Some(lead) = self.postings.get_mut(self.lead) {
            lead.seek(target);
        }
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

impl Scorer for PositionsScorer {
    fn score(&mut self) -> Score {
        let Some((phrase, words)) = &self.bm25 else {
            return 1.0;
        };
        let norm = self.fieldnorms.fieldnorm_id(self.doc);
        // As tantivy's Boolean query of the phrase (Must) and its words (Should) sums: the
        // phrase, then the words' union, which sums from zero.
        let mut of_words: Score = 0.0;
        for (i, w) in words {
            let tf = self.postings.get(*i).map_or(0, |p| p.term_freq());
            of_words += w.score(norm, tf);
        }
        let mut sum: Score = 0.0;
        sum += phrase.score(norm, self.freq);
        sum += of_words;
        sum
    }
}
