//! The prose analyzer (titles, abstracts, notes, topic labels): what it produces, and a
//! memoised version of it that the index registers.
//!
//! Lower-casing, folding and above all stemming every occurrence of every word was about a
//! fifth of an import's CPU time, while a library's prose repeats a small vocabulary. Each
//! filter of [`chain`] maps one token's text to one token's text without looking at its
//! neighbours, so running the chain on a word alone gives what it gives that word inside a
//! text: [`MemoProse`] runs it once per word and remembers the result. The tokenizer, the
//! length limit and hence offsets and positions stay tantivy's own.
//!
//! The memory is per thread, not per analyzer: tantivy clones the registered analyzer for
//! every search and snippet generator, and a per-analyzer table (tried first) cost each search
//! its allocation and a cold start, 0.4 ms of a 1.4 ms median. A thread keeps its table for
//! its life: tantivy's indexing threads for a writer's life, a search thread across searches.

use std::cell::RefCell;

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenStream, SimpleTokenizer,
    Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer,
};

/// Tokens this long (in bytes, as written) are dropped by the prose and names analyzers.
pub(crate) const LONGEST: usize = 40;

/// The prose analyzer as a chain of tantivy filters: the definition of what `PROSE` produces.
pub(crate) fn chain() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// How many positions `text` takes under the prose analyzer: one past its last token's (0 for
/// none). A word of [`LONGEST`] bytes or more keeps its position but gives no token, as in
/// [`chain`]; the stemmer and the folding never drop one.
pub(crate) fn span(text: &str) -> u32 {
    let mut words = SimpleTokenizer::default();
    let mut stream = words.token_stream(text);
    let mut end = 0;
    while stream.advance() {
        let t = stream.token();
        if t.text.len() < LONGEST {
            end = t.position + 1;
        }
    }
    end as u32
}

/// Slots of a thread's table at first (a power of two): 1.5 MB, quick to set up for a thread
/// that only runs searches, and a library's frequent words fit.
const SLOTS: usize = 1 << 15;
/// Slots once the thread has looked up [`GROW_AFTER`] words, as an indexing thread does early
/// in a bulk import: its vocabulary overflows the small table. Over the 100k-paper bench
/// corpus 9 % of the words missed the small table, each miss a trip through the stemmer, and
/// 2.6 % miss this one (6 MB): tokenizing the corpus's titles and abstracts on one thread took
/// 1.09-1.18 s against 1.37-1.48 s (alternated, 3 runs each; 1 << 18 slots was no better).
const BULK_SLOTS: usize = 1 << 17;
const GROW_AFTER: u32 = 1 << 20;
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

/// A thread's table, direct-mapped by the word's hash, a word evicting another.
struct Memo {
    /// Empty until the first word.
    slots: Vec<Slot>,
    /// Words looked up so far (saturating).
    words: u32,
}

impl Memo {
    /// The slot of `word`, after setting up or growing the table when due.
    fn slot(&mut self, word: &str) -> usize {
        if self.words >= GROW_AFTER && self.slots.len() < BULK_SLOTS {
            self.slots = vec![EMPTY; BULK_SLOTS];
        } else if self.slots.is_empty() {
            self.slots = vec![EMPTY; SLOTS];
        }
        self.words = self.words.saturating_add(1);
        slot_in(word, self.slots.len())
    }
}

thread_local! {
    static MEMO: RefCell<Memo> = const {
        RefCell::new(Memo {
            slots: Vec::new(),
            words: 0,
        })
    };
}

/// The slot of `word` in a direct-mapped table of `slots` entries (a power of two); shared
/// with the lexicon's table of words seen.
pub(super) fn slot_in(word: &str, slots: usize) -> usize {
    use std::hash::Hasher;
    debug_assert!(slots.is_power_of_two());
    let mut h = rustc_hash::FxHasher::default();
    h.write(word.as_bytes());
    // The high bits are the well-mixed ones.
    (h.finish() >> (64 - slots.trailing_zeros())) as usize
}

/// [`chain`] with a per-thread memory of words' tokens: the same tokens, cheaper.
#[derive(Clone)]
pub(crate) struct MemoProse {
    words: SimpleTokenizer,
    chain: TextAnalyzer,
}

impl Default for MemoProse {
    fn default() -> MemoProse {
        MemoProse {
            words: SimpleTokenizer::default(),
            chain: chain(),
        }
    }
}

impl Tokenizer for MemoProse {
    type TokenStream<'a> = MemoProseStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> MemoProseStream<'a> {
        MemoProseStream {
            words: self.words.token_stream(text),
            chain: &mut self.chain,
        }
    }
}

pub(crate) struct MemoProseStream<'a> {
    words: SimpleTokenStream<'a>,
    chain: &'a mut TextAnalyzer,
}

impl MemoProseStream<'_> {
    /// The chain's token for `word` (one word of the tokenizer, shorter than the limit).
    fn through_chain(&mut self, word: &str) -> String {
        let mut one = self.chain.token_stream(word);
        let produced = one.advance();
        debug_assert!(produced, "a word gives one token");
        std::mem::take(&mut one.token_mut().text)
    }
}

impl TokenStream for MemoProseStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            if !self.words.advance() {
                return false;
            }
            let len = self.words.token().text.len();
            // `RemoveLongFilter`: the word keeps its position, so the next one's skips it.
            if len >= LONGEST {
                continue;
            }
            if len > INLINE {
                let word = std::mem::take(&mut self.words.token_mut().text);
                self.words.token_mut().text = self.through_chain(&word);
                return true;
            }
            let found = MEMO.with(|memo| {
                let mut memo = memo.borrow_mut();
                let i = memo.slot(&self.words.token().text);
                let s = &memo.slots[i];
                let text = &mut self.words.token_mut().text;
                if usize::from(s.key_len) == len && &s.key[..len] == text.as_bytes() {
                    let known = std::str::from_utf8(&s.token[..usize::from(s.token_len)])
                        .expect("a slot holds the text of a token");
                    text.clear();
                    text.push_str(known);
                    Ok(())
                } else {
                    Err(i)
                }
            });
            let Err(i) = found else {
                return true;
            };
            let word = std::mem::take(&mut self.words.token_mut().text);
            let done = self.through_chain(&word);
            if done.len() <= INLINE {
                MEMO.with(|memo| {
                    let s = &mut memo.borrow_mut().slots[i];
                    s.key_len = len as u8;
                    s.key[..len].copy_from_slice(word.as_bytes());
                    s.token_len = done.len() as u8;
                    s.token[..done.len()].copy_from_slice(done.as_bytes());
                });
            }
            self.words.token_mut().text = done;
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

    fn texts() -> Vec<String> {
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
            "twentyfourbytesexactlyxx twentythreebytesexactlyx",
            "ééééééééééééééééééééé ÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉ end",
            "\u{0130}\u{0307} \u{1E9E} ß ǅ ǆ Ǆ ﬀ",
            "",
            "   \n\t ",
        ] {
            texts.push(s.to_owned());
        }
        texts
    }

    fn assert_same(want: &[Token], got: &[Token], text: &str) {
        assert_eq!(want.len(), got.len(), "{text}");
        for (w, g) in want.iter().zip(got) {
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

    /// `MemoProse` is `chain` with a memory: same texts, offsets, positions, on first sight of
    /// a word and from the memory, through one analyzer or many (as tantivy clones them).
    #[test]
    fn memo_prose_matches_the_filter_chain() {
        let texts = texts();
        let mut chain = chain();
        let mut memo = TextAnalyzer::from(MemoProse::default());
        // Twice: the second pass reads every remembered word from the memory.
        for _ in 0..2 {
            for text in &texts {
                assert_same(&tokens(&mut chain, text), &tokens(&mut memo, text), text);
                let mut fresh = memo.clone();
                assert_same(&tokens(&mut chain, text), &tokens(&mut fresh, text), text);
            }
        }
        assert_collisions_come_out_right(SLOTS, &mut chain, &mut memo);
    }

    /// Words that share a slot of a table of `slots` evict each other and still come out right.
    fn assert_collisions_come_out_right(
        slots: usize,
        chain: &mut TextAnalyzer,
        memo: &mut TextAnalyzer,
    ) {
        let colliding: Vec<String> = (0..2_000_000)
            .map(|n| format!("w{n}ing"))
            .filter(|w| slot_in(w, slots) == slot_in("running", slots))
            .take(3)
            .collect();
        assert!(colliding.len() == 3, "found {colliding:?}");
        for word in colliding
            .iter()
            .map(String::as_str)
            .chain(["running", colliding[0].as_str()])
        {
            let text = format!("{word} {word}");
            assert_same(&tokens(chain, &text), &tokens(memo, &text), &text);
        }
    }

    /// A thread that has looked up many words (an indexing thread) gets the bigger table, and
    /// its tokens stay the chain's: on first sight, from the table, and through collisions.
    #[test]
    fn memo_prose_grown_table_matches_the_filter_chain() {
        std::thread::spawn(|| {
            let texts = texts();
            let mut chain = chain();
            let mut memo = TextAnalyzer::from(MemoProse::default());
            tokens(&mut memo, "warm");
            MEMO.with(|m| m.borrow_mut().words = GROW_AFTER);
            for _ in 0..2 {
                for text in &texts {
                    assert_same(&tokens(&mut chain, text), &tokens(&mut memo, text), text);
                }
            }
            assert_eq!(MEMO.with(|m| m.borrow().slots.len()), BULK_SLOTS);
            assert_collisions_come_out_right(BULK_SLOTS, &mut chain, &mut memo);
        })
        .join()
        .expect("test thread");
    }

    /// Each thread has its own memory; they agree.
    #[test]
    fn memo_prose_agrees_across_threads() {
        let texts = texts();
        let want: Vec<Vec<Token>> = texts.iter().map(|t| tokens(&mut chain(), t)).collect();
        std::thread::scope(|s| {
            for _ in 0..2 {
                s.spawn(|| {
                    let mut memo = TextAnalyzer::from(MemoProse::default());
                    for (text, want) in texts.iter().zip(&want) {
                        assert_same(want, &tokens(&mut memo, text), text);
                    }
                });
            }
        });
    }
}
