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
use tantivy::tokenizer::{SimpleTokenizer, TextAnalyzer, TokenStream, Tokenizer};
use tantivy::{Searcher, SegmentReader, TantivyDocument, Term};

use super::prose::slot_in;
use crate::Result;
use topica_model::Paper;

/// Shortest typed word typo tolerance corrects (in characters): shorter ones have too many
/// neighbours to guess from.
pub(crate) const SHORTEST_TYPO: usize = 4;
/// Shortest word the lexicon keeps: a typed word of [`SHORTEST_TYPO`] characters is corrected
/// at edit distance 1, so no shorter word is ever a candidate ("a", "of", "we": a fifth of
/// the words of prose).
const SHORTEST_WORD: usize = SHORTEST_TYPO - 1;

/// Slots of the table of words already noted (a power of two; 1.5 MB).
const SEEN_SLOTS: usize = 1 << 16;
/// Longest word (as written, in bytes) the table holds; longer words take the slow path.
const SEEN_INLINE: usize = 23;

/// A word as written that has been noted.
#[derive(Clone, Copy)]
struct Seen {
    /// 0: empty.
    len: u8,
    bytes: [u8; SEEN_INLINE],
}

/// Notes one word as written: its lexicon form joins `set` unless `seen` recognises the word.
fn note_word(
    seen: &mut [Seen],
    analyzer: &mut TextAnalyzer,
    set: &mut FxHashSet<String>,
    word: &str,
) {
    let slot = (word.len() <= SEEN_INLINE).then(|| slot_in(word, SEEN_SLOTS));
    if let Some(s) = slot.and_then(|i| seen.get(i)) {
        if usize::from(s.len) == word.len() && s.bytes.get(..word.len()) == Some(word.as_bytes()) {
            return;
        }
    }
    // The analyzer drops a word that is too long, and gives one token otherwise.
    let mut one = analyzer.token_stream(word);
    if one.advance() {
        let form = &one.token().text;
        if form.chars().count() >= SHORTEST_WORD && !set.contains(form.as_str()) {
            set.insert(form.clone());
        }
    }
    if let Some(s) = slot.and_then(|i| seen.get_mut(i)) {
        s.len = word.len() as u8;
        if let Some(b) = s.bytes.get_mut(..word.len()) {
            b.copy_from_slice(word.as_bytes());
        }
    }
}

/// Distinct words of papers, as the lexicon field's analyzer cuts them. An import collects
/// them on its parse thread (`SearchIndex::words`), off the writer's path.
pub struct Words {
    words: SimpleTokenizer,
    /// The lexicon field's analyzer, run on one word at a time.
    analyzer: TextAnalyzer,
    set: FxHashSet<String>,
    /// Words as written whose lexicon form is in `set` (or too short for it), direct-mapped
    /// by hash: most words of prose are ones seen before, and recognising them here skips
    /// lower-casing, folding and a hash-set probe with its string compare (a third of the
    /// lexicon's cost in a bulk import's profile). Empty until the first word.
    seen: Vec<Seen>,
}

impl Words {
    /// `analyzer` must be the lexicon field's own (the one typed words go through): the
    /// tokenizer splitting words and filters that map each word alone.
    pub(super) fn new(analyzer: TextAnalyzer) -> Words {
        Words {
            words: SimpleTokenizer::default(),
            analyzer,
            set: FxHashSet::default(),
            seen: Vec::new(),
        }
    }

    /// Notes the words of `p`'s title, abstract and notes.
    pub fn note(&mut self, p: &Paper) {
        let texts = [
            p.title.as_deref(),
            p.abstract_text.as_deref(),
            Some(p.notes.as_str()),
        ];
        if self.seen.is_empty() {
            self.seen.resize(
                SEEN_SLOTS,
                Seen {
                    len: 0,
                    bytes: [0; SEEN_INLINE],
                },
            );
        }
        for text in texts.into_iter().flatten() {
            if text.is_ascii() {
                // The tokenizer's words, without copying each into its token: in ASCII text
                // they are the runs of letters and digits.
                let mut start = None;
                for (i, b) in text.bytes().enumerate() {
                    if b.is_ascii_alphanumeric() {
                        start.get_or_insert(i);
                    } else if let Some(s) = start.take() {
                        let word = text.get(s..i).unwrap_or_default();
                        note_word(&mut self.seen, &mut self.analyzer, &mut self.set, word);
                    }
                }
                if let Some(s) = start {
                    let word = text.get(s..).unwrap_or_default();
                    note_word(&mut self.seen, &mut self.analyzer, &mut self.set, word);
                }
            } else {
                let mut stream = self.words.token_stream(text);
                while stream.advance() {
                    let word = stream.token().text.as_str();
                    note_word(&mut self.seen, &mut self.analyzer, &mut self.set, word);
                }
            }
        }
    }

    /// The words noted so far, leaving none: the table of seen words goes with them, since a
    /// word it holds must be in the set (a rolled-back word noted again is staged again).
    fn take(&mut self) -> FxHashSet<String> {
        self.seen.clear();
        std::mem::take(&mut self.set)
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
        self.words.take();
        self.cleared = false;
    }

    /// Every document, lexicon documents included, is being deleted: the next commit writes
    /// the whole lexicon of what is staged after this.
    pub(super) fn clear(&mut self) {
        self.words.take();
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
        for word in self.words.take() {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema;

    fn words() -> Words {
        let index = tantivy::Index::create_in_ram(schema::build());
        schema::register_tokenizers(&index);
        Words::new(index.tokenizers().get(schema::NAMES).expect("registered"))
    }

    fn paper(abstract_text: &str) -> Paper {
        Paper {
            abstract_text: Some(abstract_text.to_owned()),
            ..Paper::default()
        }
    }

    fn sorted(set: FxHashSet<String>) -> Vec<String> {
        let mut v: Vec<String> = set.into_iter().collect();
        v.sort();
        v
    }

    /// The lexicon analyzer's tokens of three characters or more in the sample's abstracts, each
    /// followed by `tail`, beside what `Words` noted of them.
    fn noted_and_wanted(tail: &str) -> (Vec<String>, Vec<String>) {
        let sample = include_str!("../../../tests/fixtures/arxiv/arxiv-metadata-sample-300.jsonl");
        let mut w = words();
        let mut analyzer = w.analyzer.clone();
        let mut want: FxHashSet<String> = FxHashSet::default();
        for line in sample.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line).expect("sample line");
            let text = v["abstract"].as_str().unwrap_or_default().to_owned() + tail;
            let mut stream = analyzer.token_stream(&text);
            while stream.advance() {
                if stream.token().text.chars().count() >= 3 {
                    want.insert(stream.token().text.clone());
                }
            }
            w.note(&paper(&text));
        }
        (sorted(w.take()), sorted(want))
    }

    /// The noted words are exactly the lexicon analyzer's tokens of three characters or more,
    /// whether a word is met for the first time or recognised as seen, in text with letters
    /// beyond ASCII (cut by the tokenizer) and in ASCII text (cut byte by byte).
    #[test]
    fn notes_the_analyzers_words_of_three_characters_or_more() {
        let (got, want) = noted_and_wanted(
            " Schrödinger ÉCOLE naïve İstanbul of a we averyveryveryverylongwordover23bytes",
        );
        assert!(got.len() > 3000, "{}", got.len());
        assert_eq!(got, want);
        assert!(got.contains(&"schrodinger".to_owned()) && got.contains(&"ecole".to_owned()));
        assert!(!got.contains(&"of".to_owned()) && !got.contains(&"we".to_owned()));

        let (got, want) = noted_and_wanted(
            " Snake_case x2y 3D 1e-5 a-b $\\alpha$ {Hilbert}'s of a we \
             averyveryveryverylongwordover23bytes anotherwordthatislongerthanfortybytesintotal.",
        );
        assert_eq!(got, want);
        for w in [
            "snake",
            "case",
            "x2y",
            "hilbert",
            "averyveryveryverylongwordover23bytes",
        ] {
            assert!(got.contains(&w.to_owned()), "{w}");
        }
        assert!(!got
            .iter()
            .any(|w| w.starts_with("anotherword") || w == "of"));
    }

    /// After the words are taken (a commit, or a rollback), a word noted again is staged again.
    #[test]
    fn words_taken_are_noted_again() {
        let mut w = words();
        w.note(&paper("Transformers transform transformers"));
        assert_eq!(sorted(w.take()), ["transform", "transformers"]);
        w.note(&paper("transformers"));
        assert_eq!(sorted(w.take()), ["transformers"]);
    }

    /// A rolled-back import's words come back when a later change brings them.
    #[test]
    fn rollback_forgets_words_yet_notes_them_again() {
        let w = words();
        let mut pending = Pending::new(w.analyzer.clone());
        pending.note(&paper("diffusion"));
        pending.rollback();
        assert!(pending.words.set.is_empty());
        pending.note(&paper("diffusion"));
        assert_eq!(sorted(pending.words.take()), ["diffusion"]);
    }
}
