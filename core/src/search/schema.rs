//! The index schema and its analyzers.

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenStream, SimpleTokenizer,
    Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer,
};
use tantivy::{doc, Index, TantivyDocument};

use crate::paper::Paper;
use crate::Result;

/// Stemmed English prose: title, abstract, notes.
pub(crate) const PROSE: &str = "topica_prose";
/// Names and tags: folded and lower-cased, not stemmed.
pub(crate) const NAMES: &str = "topica_names";

/// Tokens this long (in bytes, as written) are dropped by both analyzers.
const LONGEST: usize = 40;

/// The prose analyzer as a chain of tantivy filters: the definition of what `PROSE` produces.
/// `CachedProse` runs it once per distinct word and must produce exactly the same tokens.
fn prose_chain() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

pub(crate) fn register_tokenizers(index: &Index) {
    index
        .tokenizers()
        .register(PROSE, TextAnalyzer::from(CachedProse::default()));
    index.tokenizers().register(
        NAMES,
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
    );
}

/// Slots of a `CachedProse` cache (a power of two): a library's frequent words fit, and the
/// table (about 400 KB) stays in the processor's caches, which a hash map of boxed strings
/// did not: its lookups cost what stemming saved.
const SLOTS: usize = 1 << 13;
/// Longest word, and longest token, a slot holds inline; longer ones go through the chain.
const INLINE: usize = 23;

/// One remembered word: `key` as written, `token` its token's text, both inline.
#[derive(Clone, Copy)]
struct Slot {
    /// 0: empty (a word is never empty).
    key_len: u8,
    token_len: u8,
    key: [u8; INLINE],
    token: [u8; INLINE],
}

const EMPTY: Slot = Slot {
    key_len: 0,
    token_len: 0,
    key: [0; INLINE],
    token: [0; INLINE],
};

/// The `PROSE` analyzer, remembering words' tokens. Lower-casing, folding and above all
/// stemming every occurrence of a word was about a fifth of an import's CPU time, while a
/// library's prose repeats a small vocabulary. Each filter of `prose_chain` maps one token's
/// text to one token's text without looking at its neighbours, so running the chain on a word
/// alone gives what it gives that word inside a text; the tokenizer, the length limit and
/// hence offsets and positions stay tantivy's own.
pub(crate) struct CachedProse {
    words: SimpleTokenizer,
    chain: TextAnalyzer,
    /// Direct-mapped by the word's hash, a word evicting another; empty until first used, as
    /// tantivy makes an analyzer for every search that never indexes.
    cache: Vec<Slot>,
}

impl Default for CachedProse {
    fn default() -> CachedProse {
        CachedProse {
            words: SimpleTokenizer::default(),
            chain: prose_chain(),
            cache: Vec::new(),
        }
    }
}

impl Clone for CachedProse {
    /// A fresh, empty cache: tantivy clones the registered analyzer for every field and
    /// search, and copying a warm cache would cost more than it saves.
    fn clone(&self) -> CachedProse {
        CachedProse::default()
    }
}

impl Tokenizer for CachedProse {
    type TokenStream<'a> = CachedProseStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CachedProseStream<'a> {
        CachedProseStream {
            words: self.words.token_stream(text),
            chain: &mut self.chain,
            cache: &mut self.cache,
        }
    }
}

pub(crate) struct CachedProseStream<'a> {
    words: SimpleTokenStream<'a>,
    chain: &'a mut TextAnalyzer,
    cache: &'a mut Vec<Slot>,
}

fn slot_of(word: &str) -> usize {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(word.as_bytes());
    // The high bits are the well-mixed ones.
    (h.finish() >> (64 - SLOTS.trailing_zeros())) as usize
}

impl TokenStream for CachedProseStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            if !self.words.advance() {
                return false;
            }
            let token = self.words.token_mut();
            let len = token.text.len();
            // `RemoveLongFilter`: the word keeps its position, so the next one's skips it.
            if len >= LONGEST {
                continue;
            }
            let slot = if len <= INLINE {
                if self.cache.is_empty() {
                    self.cache.resize(SLOTS, EMPTY);
                }
                let i = slot_of(&token.text);
                let s = &self.cache[i];
                if usize::from(s.key_len) == len && &s.key[..len] == token.text.as_bytes() {
                    let known = std::str::from_utf8(&s.token[..usize::from(s.token_len)])
                        .expect("a slot holds the text of a token");
                    token.text.clear();
                    token.text.push_str(known);
                    return true;
                }
                Some(i)
            } else {
                None
            };
            let mut one = self.chain.token_stream(&token.text);
            // A word of the tokenizer is one token of the chain: a run of alphanumeric
            // characters, shorter than the limit.
            let produced = one.advance();
            debug_assert!(produced, "a word gives one token");
            let done = one.token().text.clone();
            drop(one);
            if let Some(i) = slot.filter(|_| done.len() <= INLINE) {
                let s = &mut self.cache[i];
                s.key_len = len as u8;
                s.key[..len].copy_from_slice(token.text.as_bytes());
                s.token_len = done.len() as u8;
                s.token[..done.len()].copy_from_slice(done.as_bytes());
            }
            token.text = done;
            return true;
        }
    }

    fn token(&self) -> &Token {
        self.words.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.words.token_mut()
    }
}

fn text(tokenizer: &str, stored: bool) -> TextOptions {
    let opts = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    if stored {
        opts.set_stored()
    } else {
        opts
    }
}

pub(crate) fn build() -> Schema {
    let mut b = Schema::builder();
    b.add_u64_field("paper_id", INDEXED | STORED | FAST);
    b.add_text_field("arxiv_id", STRING | STORED);
    b.add_text_field("display_title", STORED);
    b.add_text_field("title", text(PROSE, false));
    b.add_text_field("abstract", text(PROSE, true));
    b.add_text_field("authors", text(NAMES, false));
    b.add_text_field("notes", text(PROSE, false));
    b.add_text_field("tags", text(NAMES, false));
    b.add_text_field("topic", text(PROSE, false));
    // The typo-tolerance lexicon: the unstemmed words of titles, abstracts and notes, so typo
    // tolerance compares what was typed with what was written (a stemmer cuts a misspelling
    // differently: "trnsformer" keeps its "-er", "transformer" becomes "transform"). Papers do
    // not carry it: each commit that brings new words adds one lexicon document holding just
    // those (`search::lexicon`), so a word is indexed once, not once per paper that uses it.
    b.add_text_field(
        "lexicon",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(NAMES)
                .set_index_option(IndexRecordOption::Basic),
        ),
    );
    b.add_i64_field("year", INDEXED | STORED | FAST);
    b.build()
}

/// Handles to every field.
#[derive(Clone, Copy)]
pub(crate) struct Fields {
    pub paper_id: Field,
    pub arxiv_id: Field,
    pub display_title: Field,
    pub title: Field,
    pub abstract_text: Field,
    pub authors: Field,
    pub notes: Field,
    pub tags: Field,
    pub topic: Field,
    pub lexicon: Field,
    pub year: Field,
}

impl Fields {
    pub(crate) fn from_schema(s: &Schema) -> Result<Fields> {
        Ok(Fields {
            paper_id: s.get_field("paper_id")?,
            arxiv_id: s.get_field("arxiv_id")?,
            display_title: s.get_field("display_title")?,
            title: s.get_field("title")?,
            abstract_text: s.get_field("abstract")?,
            authors: s.get_field("authors")?,
            notes: s.get_field("notes")?,
            tags: s.get_field("tags")?,
            topic: s.get_field("topic")?,
            lexicon: s.get_field("lexicon")?,
            year: s.get_field("year")?,
        })
    }

    pub(crate) fn document(&self, p: &Paper) -> TantivyDocument {
        let mut d = doc!(
            self.paper_id => p.id as u64,
            self.display_title => p.display_title(),
        );
        if let Some(a) = &p.arxiv_id {
            d.add_text(self.arxiv_id, a);
        }
        if let Some(t) = &p.title {
            d.add_text(self.title, t);
        }
        if let Some(a) = &p.abstract_text {
            d.add_text(self.abstract_text, a);
        }
        for a in &p.authors {
            d.add_text(self.authors, a.display_name());
        }
        if !p.notes.is_empty() {
            d.add_text(self.notes, &p.notes);
        }
        for t in &p.tags {
            d.add_text(self.tags, t);
        }
        for t in &p.topics {
            d.add_text(self.topic, t);
        }
        if let Some(y) = p.year {
            d.add_i64(self.year, y as i64);
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            out.push(stream.token().clone());
        }
        out
    }

    /// `CachedProse` is `prose_chain` with a memory: same texts, offsets, positions, on first
    /// sight of a word and from the cache.
    #[test]
    fn cached_prose_matches_the_filter_chain() {
        let sample = include_str!("../../../tests/fixtures/arxiv/arxiv-metadata-sample-300.jsonl");
        let mut texts: Vec<String> = Vec::new();
        for line in sample.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line).expect("sample line");
            for key in ["title", "abstract", "comments", "authors"] {
                if let Some(s) = v[key].as_str() {
                    texts.push(s.to_owned());
                }
            }
        }
        assert!(texts.len() > 600);
        for s in [
            "Schrödinger équation naïve CAFÉ Ærø straße İstanbul ΣΊΣΥΦΟΣ σίσυφος",
            "Über-Übergänge: ﬁnite ﬂows, Ⅻ, ①②, ２０２４, x², 北京大学 の 研究",
            "transformers transformer Transformers TRANSFORMING trnsformer",
            "a-b_c.d,e;f:g!h?i(j)k[l]m{n}o'p\"q/r\\\\s@t#u$v%w^x&y*z~",
            "averyveryveryveryveryveryverylongwordthatisover40bytes short",
            "thirtyninebytesexactlyxxxxxxxxxxxxxxxxx fortybytesexactlyxxxxxxxxxxxxxxxxxxxxxxx",
            "ééééééééééééééééééééé ÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉ end",
            "\u{0130}\u{0307} \u{1E9E} ß ǅ ǆ Ǆ ﬀ",
            "",
            "   \n\t ",
        ] {
            texts.push(s.to_owned());
        }
        let mut chain = prose_chain();
        let mut cached = TextAnalyzer::from(CachedProse::default());
        // Twice: the second pass reads every word from the cache.
        for _ in 0..2 {
            for text in &texts {
                let want = tokens(&mut chain, text);
                let got = tokens(&mut cached, text);
                assert_eq!(want.len(), got.len(), "{text}");
                for (w, g) in want.iter().zip(&got) {
                    assert_eq!(
                        (
                            &w.text,
                            w.offset_from,
                            w.offset_to,
                            w.position,
                            w.position_length
                        ),
                        (
                            &g.text,
                            g.offset_from,
                            g.offset_to,
                            g.position,
                            g.position_length
                        ),
                        "{text}"
                    );
                }
            }
        }
    }
}
