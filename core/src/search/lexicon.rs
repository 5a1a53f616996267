//! The typo-tolerance lexicon: every distinct unstemmed word of titles, abstracts and notes.
//!
//! Typo tolerance needs the words as written, which the stemmed fields do not hold. Indexing
//! them as a field of every paper cost a third of all indexing work; instead the writer
//! collects the words it stages, and each commit adds one lexicon document (no `paper_id`, no
//! other field) with the words the index does not know yet. A word stays in the lexicon after
//! the papers using it change or go (until a rebuild), so typo tolerance checks every
//! candidate against the searched fields before using it.

use rustc_hash::FxHashSet;
use tantivy::schema::Field;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::{Searcher, SegmentReader, TantivyDocument, Term};

use crate::paper::Paper;
use crate::Result;

/// Distinct words of papers, as the lexicon field's analyzer cuts them. An import collects
/// them on its parse thread (`SearchIndex::words`), off the writer's path.
pub(crate) struct Words {
    analyzer: TextAnalyzer,
    set: FxHashSet<String>,
}

impl Words {
    /// `analyzer` must be the lexicon field's own (the one typed words go through).
    pub(super) fn new(analyzer: TextAnalyzer) -> Words {
        Words {
            analyzer,
            set: FxHashSet::default(),
        }
    }

    /// Notes the words of `p`'s title, abstract and notes.
    pub(crate) fn note(&mut self, p: &Paper) {
        let texts = [
            p.title.as_deref(),
            p.abstract_text.as_deref(),
            Some(p.notes.as_str()),
        ];
        for text in texts.into_iter().flatten() {
            let mut stream = self.analyzer.token_stream(text);
            while stream.advance() {
                let word = &stream.token().text;
                // Look up before inserting: most words are known, and a lookup does not allocate.
                if !self.set.contains(word.as_str()) {
                    self.set.insert(word.clone());
                }
            }
        }
    }
}

/// Words staged since the last commit.
pub(super) struct Pending {
    words: Words,
    /// Everything was deleted since the last commit, the lexicon documents too: the words the
    /// searcher knows are no longer known.
    cleared: bool,
}

impl Pending {
    pub(super) fn new(analyzer: TextAnalyzer) -> Pending {
        Pending {
            words: Words::new(analyzer),
            cleared: false,
        }
    }

    /// Notes the words of `p`.
    pub(super) fn note(&mut self, p: &Paper) {
        self.words.note(p);
    }

    /// Adds words collected elsewhere.
    pub(super) fn add(&mut self, words: Words) {
        if self.words.set.is_empty() {
            self.words.set = words.set;
        } else {
            self.words.set.extend(words.set);
        }
    }

    /// Forgets the staged words after a rollback.
    pub(super) fn rollback(&mut self) {
        self.words.set.clear();
        self.cleared = false;
    }

    /// Every document, lexicon documents included, is being deleted: the next commit writes
    /// the whole lexicon of what is staged after this.
    pub(super) fn clear(&mut self) {
        self.words.set.clear();
        self.cleared = true;
    }

    /// The lexicon document for the staged words `searcher` does not know yet, if any; clears
    /// the staged words.
    pub(super) fn take_new(
        &mut self,
        searcher: &Searcher,
        field: Field,
    ) -> Result<Option<TantivyDocument>> {
        let mut new: Vec<String> = Vec::new();
        let segments: &[SegmentReader] = if std::mem::take(&mut self.cleared) {
            &[][..]
        } else {
            searcher.segment_readers()
        };
        let inverted = segments
            .iter()
            .map(|s| s.inverted_index(field))
            .collect::<tantivy::Result<Vec<_>>>()?;
        for word in self.words.set.drain() {
            let term = Term::from_field_text(field, &word);
            let mut known = false;
            for ix in &inverted {
                if ix.get_term_info(&term)?.is_some() {
                    known = true;
                    break;
                }
            }
            if !known {
                new.push(word);
            }
        }
        if new.is_empty() {
            return Ok(None);
        }
        // Sorted so the document is the same for the same words (tantivy sorts terms anyway).
        new.sort_unstable();
        let mut doc = TantivyDocument::default();
        doc.add_text(field, new.join(" "));
        Ok(Some(doc))
    }
}
