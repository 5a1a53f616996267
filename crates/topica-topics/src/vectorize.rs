//! From documents to TF-IDF vectors over unigrams and phrases: vocabulary selection, weights,
//! and the surface forms labels are written with.

use std::collections::HashMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::text::{
    candidates, is_stop_word, spans, split_glued, stem_word, tokenize, tokenize_with, Glued, Token,
};

/// A document as the topic model sees it.
#[derive(Debug, Clone, Default)]
pub struct DocText {
    pub title: String,
    pub body: String,
}

/// Title words count this many times. Counting them twice lowered NMI on the combined arXiv file
/// (0.461 against 0.476 at once, `bench-topics`): a title repeats the abstract's words anyway.
const TITLE_WEIGHT: u32 = 1;

/// Weight of a phrase term ("speech enhancement") against a word in a vector. A phrase repeats
/// its words, so at full weight it counts them twice; half weight raised NMI on the combined arXiv
/// file from 0.443 to 0.476 and on the maths file from 0.400 to 0.424 (`bench-topics`). Labels
/// are made from counts and still prefer phrases.
const PHRASE_WEIGHT: f32 = 0.5;

/// A sparse vector sorted by term id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SparseVec {
    pub idx: Vec<u32>,
    pub val: Vec<f32>,
}

impl SparseVec {
    /// Dot product of two sparse vectors.
    pub fn dot(&self, other: &SparseVec) -> f32 {
        let (mut i, mut j, mut s) = (0, 0, 0.0);
        while i < self.idx.len() && j < other.idx.len() {
            match self.idx[i].cmp(&other.idx[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    s += self.val[i] * other.val[j];
                    i += 1;
                    j += 1;
                }
            }
        }
        s
    }

    /// Dot product with a dense vector, which may be shorter than the vocabulary: terms past
    /// its end count as zero.
    pub fn dot_dense(&self, dense: &[f32]) -> f32 {
        self.idx
            .iter()
            .zip(&self.val)
            .map(|(&t, &w)| w * dense.get(t as usize).copied().unwrap_or(0.0))
            .sum()
    }

    /// The vector as a dense one of `dim` entries; terms at or past `dim` are left out.
    pub fn to_dense(&self, dim: usize) -> Vec<f32> {
        let mut d = vec![0.0; dim];
        for (&t, &w) in self.idx.iter().zip(&self.val) {
            if let Some(x) = d.get_mut(t as usize) {
                *x = w;
            }
        }
        d
    }

    /// Serialises as little-endian (u32 id, f32 weight) pairs.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(self.idx.len() * 8);
        for (i, v) in self.idx.iter().zip(&self.val) {
            b.extend_from_slice(&i.to_le_bytes());
            b.extend_from_slice(&v.to_le_bytes());
        }
        b
    }

    /// Reads what [`SparseVec::to_bytes`] wrote.
    pub fn from_bytes(b: &[u8]) -> SparseVec {
        let n = b.len() / 8;
        let mut v = SparseVec {
            idx: Vec::with_capacity(n),
            val: Vec::with_capacity(n),
        };
        for c in b.chunks_exact(8) {
            v.idx.push(u32::from_le_bytes([c[0], c[1], c[2], c[3]]));
            v.val.push(f32::from_le_bytes([c[4], c[5], c[6], c[7]]));
        }
        v
    }

    fn normalize(&mut self) {
        let n = self.val.iter().map(|v| v * v).sum::<f32>().sqrt();
        if n > 0.0 {
            self.val.iter_mut().for_each(|v| *v /= n);
        }
    }
}

/// The terms a model knows: stem keys, how to write them, and their IDF.
#[derive(Debug, Clone, Default)]
pub struct Vocab {
    /// Stem keys ("speech enhanc", "chain of thought").
    pub keys: Vec<String>,
    /// The most frequent way the term is written ("speech enhancement").
    pub surfaces: Vec<String>,
    pub idf: Vec<f32>,
    pub index: HashMap<String, u32>,
}

/// Term counts of one document, as (term key, count, may stand alone).
fn doc_terms(doc: &DocText, mut visit: impl FnMut(&str, &str, bool, u32)) {
    candidates(&tokenize(&doc.title), |k, s, strong| {
        visit(k, s, strong, TITLE_WEIGHT)
    });
    candidates(&tokenize(&doc.body), |k, s, strong| visit(k, s, strong, 1));
}

/// Vectorised corpus: one L2-normalised TF-IDF vector and raw counts per document.
pub struct Corpus {
    pub vocab: Vocab,
    pub vectors: Vec<SparseVec>,
    /// Raw term counts, parallel to `vectors[i].idx`.
    pub counts: Vec<Vec<u16>>,
    /// Three-word phrases, for labels only.
    pub long: LongPhrases,
    /// The glued words found in the documents ("onshorttexts" → on, short, texts), whether or
    /// not they were split for the vectors: what display and search repair.
    pub glued: Glued,
}

/// Phrases of three content words ("neural machine translation", "mixture of experts layers")
/// seen in as many documents as vocabulary terms, among the library's first [`SURFACE_DOCS`].
/// They stay out of the vectors (a phrase repeats its words, and these add little to the
/// two-word phrases there) but a field names some of its topics with them.
#[derive(Debug, Clone, Default)]
pub struct LongPhrases {
    /// Stem keys ("neural machin translat").
    pub keys: Vec<String>,
    /// How each is written: as its first two words' phrase most often is, then its last word.
    pub surfaces: Vec<String>,
    /// Each document's (phrase, count) pairs, sorted by phrase.
    pub docs: Vec<Vec<(u32, u16)>>,
}

impl LongPhrases {
    /// The long phrases of `docs` seen in at least two of them: for a group of papers vectorised
    /// in a stored vocabulary, which keeps no long phrases.
    pub fn of(docs: &[DocText]) -> LongPhrases {
        let c = [chunk_terms(docs, docs.len(), &Glued::default())];
        let (mut long, maps) = long_phrases(&c, &frequencies(&c), 2, u32::MAX);
        long.docs = c[0]
            .long_docs
            .iter()
            .map(|terms| {
                let mut v: Vec<(u32, u16)> = terms
                    .iter()
                    .filter_map(|&(t, n)| {
                        maps[0][t as usize].map(|k| (k, n.min(u16::MAX as u32) as u16))
                    })
                    .collect();
                v.sort_unstable();
                v
            })
            .collect();
        long
    }
}

/// Fewest documents a term must appear in: 2 for small libraries, more for big ones so the
/// vocabulary stays near 50k terms.
fn min_df(n: usize) -> u32 {
    (2 + n / 5000) as u32
}

/// One run of documents after tokenizing: its own term table (first occurrence first) and each
/// document's (local term, count) pairs. Tokenizing is most of a fit's time at 100k papers, so each
/// document is tokenized once here and its counts are reused for the vectors.
struct ChunkTerms {
    keys: Vec<String>,
    /// Whether the term may stand alone, as at its first occurrence.
    strong: Vec<bool>,
    /// Each word's (term id, first spelling, lower-cased): how a glued word is split. Words only:
    /// a slot per term would be 24 bytes for each of a chunk's half-million phrases.
    spelling: Vec<(u32, String)>,
    /// Term ids while the chunk is tokenized. Emptied after: documents tokenized again for a
    /// glued word start a fresh one, and a key that so gets two ids is summed by key everywhere.
    index: ChunkIndex,
    df: Vec<u32>,
    docs: Vec<Vec<TermCount>>,
    /// How each term was written, counted over the chunk's first `with_surfaces` documents.
    surfaces: Vec<FxHashMap<String, u32>>,
    /// Three-word phrases of those documents (labels only): their two two-word phrases' local
    /// ids. No text of their own until [`long_phrases`] knows which are common: they are as many
    /// as all other terms together, and nearly all seen once.
    long_parts: Vec<[u32; 2]>,
    long_df: Vec<u32>,
    /// Each document's (long phrase, count) pairs; empty past the first `with_surfaces`.
    long_docs: Vec<Vec<(u32, u32)>>,
}

/// A term's id in its chunk and its count in one document: 6 bytes where a `(u32, u32)` took 8,
/// for every distinct term of every document until the vectors are made (1M papers: the peak of
/// tokenizing went from 2.02 to 1.81 GB).
#[derive(Clone, Copy)]
#[repr(C, packed(2))]
struct TermCount {
    term: u32,
    /// Saturates: no title and abstract repeat a word 65,535 times.
    count: u16,
}

/// `terms` packed, allocated to their number.
fn packed(terms: &[(u32, u32)]) -> Vec<TermCount> {
    terms
        .iter()
        .map(|&(term, count)| TermCount {
            term,
            count: count.min(u16::MAX as u32) as u16,
        })
        .collect()
}

/// Documents whose spellings decide how terms are written, and whose three-word phrases are label
/// candidates (the first ones of the library): bounds the memory both take at 100k papers.
const SURFACE_DOCS: usize = 20_000;

/// The term ids of one chunk. Phrases are looked up by the ids of their words rather than by
/// their text: string keys of a chunk's half-million terms missed the cache on every lookup and
/// made tokenizing the slowest step of a fit at 100k papers.
#[derive(Default)]
struct ChunkIndex {
    words: FxHashMap<String, u32>,
    /// (word ids, u32::MAX past the phrase's end; 1 when "of" joins them) → term id.
    phrases: FxHashMap<(u32, u32, u8), u32>,
    /// (two-word phrase ids) → long phrase id.
    long: FxHashMap<[u32; 2], u32>,
}

impl ChunkTerms {
    fn add_term(&mut self, key: String, strong: bool) -> u32 {
        let id = self.keys.len() as u32;
        self.keys.push(key);
        self.strong.push(strong);
        self.df.push(0);
        id
    }

    fn count_surface(&mut self, id: u32, surface: &str) {
        if self.surfaces.len() <= id as usize {
            self.surfaces
                .resize_with(id as usize + 1, FxHashMap::default);
        }
        match self.surfaces[id as usize].get_mut(surface) {
            Some(c) => *c += 1,
            None => {
                self.surfaces[id as usize].insert(surface.to_string(), 1);
            }
        }
    }

    /// The terms of one text, as [`candidates`] lists them, appended to `terms` with weight `w`,
    /// and its long phrases to `long` when `long_too`.
    #[allow(clippy::too_many_arguments)]
    fn add_text(
        &mut self,
        text: &str,
        glued: &Glued,
        w: u32,
        with_surface: bool,
        long_too: bool,
        terms: &mut Vec<(u32, u32)>,
        long: &mut Vec<(u32, u32)>,
    ) {
        let tokens = tokenize_with(text, glued);
        let mut index = std::mem::take(&mut self.index);
        let ids: Vec<u32> = tokens
            .iter()
            .map(|t| match t {
                Token::Word {
                    stem,
                    weak,
                    surface,
                } => match index.words.get(stem.as_str()) {
                    Some(&id) => id,
                    None => {
                        let id = self.add_term(stem.clone(), !*weak);
                        self.spelling.push((id, surface.to_lowercase()));
                        index.words.insert(stem.clone(), id);
                        id
                    }
                },
                _ => u32::MAX,
            })
            .collect();
        let surface = |i: usize| match &tokens[i] {
            Token::Word { surface, .. } => surface.as_str(),
            _ => "",
        };
        // A two-word phrase's id, made on first sight.
        let pair = |this: &mut ChunkTerms, index: &mut ChunkIndex, a: usize, b: usize| {
            let key = (ids[a], ids[b], u8::from(b != a + 1));
            match index.phrases.get(&key) {
                Some(&id) => id,
                None => {
                    let text = joined(&[a, b], |p| this.keys[ids[p] as usize].as_str());
                    let id = this.add_term(text, true);
                    index.phrases.insert(key, id);
                    id
                }
            }
        };
        spans(&tokens, |pos| {
            let id = match *pos {
                [a] => ids[a],
                [a, b] => pair(self, &mut index, a, b),
                [a, b, c] => {
                    // A long phrase is known by its first two words' phrase and its last two's.
                    if long_too {
                        let parts = [pair(self, &mut index, a, b), pair(self, &mut index, b, c)];
                        let id = *index.long.entry(parts).or_insert_with(|| {
                            self.long_parts.push(parts);
                            self.long_df.push(0);
                            self.long_parts.len() as u32 - 1
                        });
                        long.push((id, w));
                    }
                    return;
                }
                _ => unreachable!("spans are 1–3 words"),
            };
            terms.push((id, w));
            if with_surface {
                self.count_surface(id, &joined(pos, surface));
            }
        });
        self.index = index;
    }

    /// One document's terms and long phrases, merged by id and counted in the document
    /// frequencies.
    fn add_doc(&mut self, d: &DocText, glued: &Glued, first: bool) {
        let (mut terms, mut long) = (Vec::new(), Vec::new());
        let t = TITLE_WEIGHT;
        self.add_text(&d.title, glued, t, first, first, &mut terms, &mut long);
        self.add_text(&d.body, glued, 1, first, first, &mut terms, &mut long);
        let terms = merged(terms);
        let long = merged(long);
        terms.iter().for_each(|p| self.df[p.0 as usize] += 1);
        long.iter().for_each(|p| self.long_df[p.0 as usize] += 1);
        self.docs.push(packed(&terms));
        self.long_docs.push(long);
    }

    /// Tokenizes again the documents holding one of `glued`'s words, which it now splits.
    fn resplit(&mut self, docs: &[DocText], glued: &Glued, with_surfaces: usize) {
        let mut hit = vec![false; self.keys.len()];
        for (t, s) in &self.spelling {
            hit[*t as usize] = glued.contains_key(s);
        }
        for (i, d) in docs.iter().enumerate() {
            if !self.docs[i].iter().any(|p| hit[{ p.term } as usize]) {
                continue;
            }
            for p in std::mem::take(&mut self.docs[i]) {
                self.df[{ p.term } as usize] -= 1;
            }
            for p in std::mem::take(&mut self.long_docs[i]) {
                self.long_df[p.0 as usize] -= 1;
            }
            // Spellings were counted on the first pass; the parts' few are not worth a recount.
            let first = i < with_surfaces;
            let (mut terms, mut long) = (Vec::new(), Vec::new());
            let t = TITLE_WEIGHT;
            self.add_text(&d.title, glued, t, false, first, &mut terms, &mut long);
            self.add_text(&d.body, glued, 1, false, first, &mut terms, &mut long);
            let terms = merged(terms);
            let long = merged(long);
            terms.iter().for_each(|p| self.df[p.0 as usize] += 1);
            long.iter().for_each(|p| self.long_df[p.0 as usize] += 1);
            self.docs[i] = packed(&terms);
            self.long_docs[i] = long;
        }
        self.index = ChunkIndex::default();
    }
}

/// (id, count) pairs summed by id, sorted by id.
fn merged(mut terms: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    terms.sort_unstable_by_key(|p| p.0);
    let mut out: Vec<(u32, u32)> = Vec::with_capacity(terms.len());
    for (id, w) in terms {
        match out.last_mut() {
            Some(last) if last.0 == id => last.1 += w,
            _ => out.push((id, w)),
        }
    }
    out
}

/// The words at `pos` joined as a phrase: a space between adjacent words, " of " across a gap.
fn joined<'a>(pos: &[usize], word: impl Fn(usize) -> &'a str) -> String {
    let mut s = String::new();
    for (n, &p) in pos.iter().enumerate() {
        if n > 0 {
            s.push_str(if p == pos[n - 1] + 1 { " " } else { " of " });
        }
        s.push_str(word(p));
    }
    s
}

fn chunk_terms(docs: &[DocText], with_surfaces: usize, glued: &Glued) -> ChunkTerms {
    let mut out = ChunkTerms {
        keys: Vec::new(),
        strong: Vec::new(),
        spelling: Vec::new(),
        index: ChunkIndex::default(),
        df: Vec::new(),
        docs: Vec::with_capacity(docs.len()),
        surfaces: Vec::new(),
        long_parts: Vec::new(),
        long_df: Vec::new(),
        long_docs: Vec::with_capacity(docs.len()),
    };
    for (i, d) in docs.iter().enumerate() {
        out.add_doc(d, glued, i < with_surfaces);
    }
    out.index = ChunkIndex::default();
    out
}

/// Words glued in the text ("onshorttexts"): spellings of words seen in fewer than `lo` documents
/// that split into 2–3 words each seen in at least `lo.max(3)` (or stop words, which are common by
/// definition), with their parts.
fn glued_words(chunks: &[ChunkTerms], df: &Frequencies, lo: u32) -> Glued {
    let common = lo.max(3);
    let known = |w: &str| -> u32 {
        if is_stop_word(w) || w == "of" {
            return u32::MAX;
        }
        let (stem, _) = stem_word(w);
        df.get(stem.as_str())
            .map_or(0, |&(n, _)| if n >= common { n } else { 0 })
    };
    let mut glued = Glued::default();
    for c in chunks {
        for (t, spelling) in &c.spelling {
            if glued.contains_key(spelling) {
                continue;
            }
            if df
                .get(c.keys[*t as usize].as_str())
                .is_some_and(|&(n, _)| n >= lo)
            {
                continue;
            }
            if let Some(parts) = split_glued(spelling, known) {
                let parts = parts.into_iter().map(str::to_string).collect();
                glued.insert(spelling.clone(), parts);
            }
        }
    }
    glued
}

/// The long phrases of `chunks` seen in `lo..=hi` documents, sorted by key, with each chunk's
/// local ids mapped to theirs. A long phrase can be that common only if both its two-word phrases
/// are, so only those get a text to be counted by: the rest, nearly all, never do.
fn long_phrases(
    chunks: &[ChunkTerms],
    df: &Frequencies,
    lo: u32,
    hi: u32,
) -> (LongPhrases, Vec<Vec<Option<u32>>>) {
    let common = |c: &ChunkTerms, t: u32| df[c.keys[t as usize].as_str()].0 >= lo;
    let mut index: FxHashMap<String, usize> = FxHashMap::default();
    let mut found: Vec<(u32, String, String)> = Vec::new(); // df, first pair key, last pair key
    let local: Vec<Vec<Option<usize>>> = chunks
        .iter()
        .map(|c| {
            c.long_parts
                .iter()
                .zip(&c.long_df)
                .map(|(&[a, b], &n)| {
                    if n == 0 || !common(c, a) || !common(c, b) {
                        return None;
                    }
                    let (ka, kb) = (&c.keys[a as usize], &c.keys[b as usize]);
                    // "neural machin" + "machin translat" → "neural machin translat".
                    let key = format!("{ka} {}", kb.split_once(' ').map_or("", |p| p.1));
                    let g = *index.entry(key).or_insert_with(|| {
                        found.push((0, ka.clone(), kb.clone()));
                        found.len() - 1
                    });
                    found[g].0 += n;
                    Some(g)
                })
                .collect()
        })
        .collect();
    let mut kept: Vec<(&String, usize)> = index
        .iter()
        .filter(|(_, &g)| (lo..=hi).contains(&found[g].0))
        .map(|(k, &g)| (k, g))
        .collect();
    kept.sort_unstable();
    let mut final_id: Vec<Option<u32>> = vec![None; found.len()];
    for (i, &(_, g)) in kept.iter().enumerate() {
        final_id[g] = Some(i as u32);
    }
    // Written as its first pair is, then the rest of its last pair: "mixture of experts" +
    // "experts layers" → "mixture of experts layers".
    let mut pairs: Vec<String> = kept
        .iter()
        .flat_map(|&(_, g)| [found[g].1.clone(), found[g].2.clone()])
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let pair_index: FxHashMap<&str, u32> = pairs
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i as u32))
        .collect();
    let pair_surfaces = surfaces(&pairs, &pair_index, chunks);
    let surface_of = |k: &String| pair_surfaces[pair_index[k.as_str()] as usize].as_str();
    let long = LongPhrases {
        keys: kept.iter().map(|(k, _)| k.to_string()).collect(),
        surfaces: kept
            .iter()
            .map(|&(_, g)| {
                let (first, last) = (surface_of(&found[g].1), surface_of(&found[g].2));
                format!("{first} {}", last.split_once(' ').map_or("", |p| p.1))
            })
            .collect(),
        docs: Vec::new(),
    };
    let maps = local
        .into_iter()
        .map(|l| l.into_iter().map(|g| g.and_then(|g| final_id[g])).collect())
        .collect();
    (long, maps)
}

/// Builds the vocabulary and the vectors. Deterministic: ties are broken by key, and the result
/// does not depend on how documents are split among threads. The documents are consumed as they
/// are tokenized, a chunk at a time, so they need never all be in memory: a caller can stream
/// them (1M papers: a gigabyte of text). The iterator's size hint sizes the chunks.
pub fn vectorize(docs: impl IntoIterator<Item = DocText, IntoIter: Send>) -> Corpus {
    vectorize_with(docs, false)
}

/// [`vectorize`], with glued words ("onshorttexts") split into their words when `split_glued`.
pub fn vectorize_with(
    docs: impl IntoIterator<Item = DocText, IntoIter: Send>,
    split_glued: bool,
) -> Corpus {
    let _vectorize = tracing::info_span!("topics", step = "vectorize").entered();
    let mut docs = docs.into_iter();
    let (low, high) = docs.size_hint();
    let expected = high.unwrap_or(low);
    // Pass 1: every document tokenized once, in chunks, in parallel.
    let chunk = (expected / (4 * rayon::current_num_threads().max(1))).clamp(512, 8192);
    let mut step = crate::steps::Steps::new("tokenize");
    let with_surfaces = |i: usize| SURFACE_DOCS.saturating_sub(i * chunk);
    let chunks = std::iter::from_fn(move || {
        let c: Vec<DocText> = docs.by_ref().take(chunk).collect();
        (!c.is_empty()).then_some(c)
    });
    // Splitting glued words tokenizes some documents again, so only then is the text kept.
    let mut tokenized: Vec<(usize, usize, ChunkTerms, Option<Vec<DocText>>)> = chunks
        .enumerate()
        .par_bridge()
        .map(|(i, c)| {
            let terms = chunk_terms(&c, with_surfaces(i), &Glued::default());
            (i, c.len(), terms, split_glued.then_some(c))
        })
        .collect();
    tokenized.sort_unstable_by_key(|t| t.0);
    let n = tokenized.iter().map(|t| t.1).sum();
    let (mut chunks, texts): (Vec<ChunkTerms>, Vec<Option<Vec<DocText>>>) =
        tokenized.into_iter().map(|t| (t.2, t.3)).unzip();
    step.next("document frequencies");
    let lo = min_df(n);
    // Glued words are known only once every document is counted. They are always looked for
    // (for display and search); when they are split for the vectors too, the few documents
    // holding one are tokenized again, which is cheaper than a counting pass over all first.
    let counted = frequencies(&chunks);
    // For display and search only a word seen in at most two documents is taken for glued text:
    // a large library's `lo` (202 documents at 1M papers) would try millions of words.
    let glued = glued_words(&chunks, &counted, if split_glued { lo } else { lo.min(3) });
    let df = if split_glued && !glued.is_empty() {
        drop(counted);
        chunks
            .par_iter_mut()
            .zip(texts.into_par_iter())
            .enumerate()
            .for_each(|(i, (c, d))| c.resplit(&d.unwrap_or_default(), &glued, with_surfaces(i)));
        frequencies(&chunks)
    } else {
        counted
    };
    step.next("vocabulary");
    let hi = ((n as f64 * 0.5) as u32).max(lo + 1);
    let (mut long, long_maps) = long_phrases(&chunks, &df, lo, hi);
    let mut kept: Vec<(&str, u32)> = df
        .into_iter()
        .filter(|(_, (c, strong))| *strong && *c >= lo && *c <= hi)
        .map(|(k, (c, _))| (k, c))
        .collect();
    // Cap the vocabulary; the most frequent terms carry the structure.
    const MAX_TERMS: usize = 60_000;
    kept.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    kept.truncate(MAX_TERMS);
    kept.sort_by(|a, b| a.0.cmp(b.0));
    let mut vocab = Vocab::default();
    for (i, (k, c)) in kept.into_iter().enumerate() {
        vocab.index.insert(k.to_string(), i as u32);
        vocab.keys.push(k.to_string());
        vocab
            .idf
            .push(((1.0 + n as f64) / (1.0 + c as f64)).ln() as f32 + 1.0);
    }
    step.next("surfaces");
    // Pass 2: vectors from the counts pass 1 kept.
    let fast_index: FxHashMap<&str, u32> = vocab
        .keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i as u32))
        .collect();
    vocab.surfaces = surfaces(&vocab.keys, &fast_index, &chunks);
    step.next("vectors");
    type Row = (SparseVec, Vec<u16>, Vec<(u32, u16)>);
    // The chunks are consumed: each one's tables are freed as its vectors are made (borrowed, they
    // all stayed to the end: 72 MB more at the peak of a fit of 100k papers).
    let rows: Vec<Row> = chunks
        .into_par_iter()
        .zip(long_maps.into_par_iter())
        .flat_map_iter(|(c, to_long)| {
            let to_vocab: Vec<Option<u32>> = c
                .keys
                .iter()
                .map(|k| fast_index.get(k.as_str()).copied())
                .collect();
            let vocab = &vocab;
            c.docs
                .into_iter()
                .zip(c.long_docs)
                .map(move |(terms, long)| {
                    let mut in_vocab: Vec<(u32, u32)> = terms
                        .into_iter()
                        .filter_map(|p| to_vocab[{ p.term } as usize].map(|t| (t, p.count as u32)))
                        .collect();
                    in_vocab.sort_unstable();
                    let mut in_long: Vec<(u32, u16)> = long
                        .into_iter()
                        .filter_map(|(l, w)| {
                            to_long[l as usize].map(|t| (t, w.min(u16::MAX as u32) as u16))
                        })
                        .collect();
                    in_long.sort_unstable();
                    let (v, counts) = weigh(vocab, in_vocab);
                    (v, counts, in_long)
                })
        })
        .collect();
    step.done();
    let mut vectors = Vec::with_capacity(n);
    let mut counts = Vec::with_capacity(n);
    long.docs.reserve(n);
    for (v, c, l) in rows {
        vectors.push(v);
        counts.push(c);
        long.docs.push(l);
    }
    Corpus {
        vocab,
        vectors,
        counts,
        long,
        glued,
    }
}

/// Document frequencies by term key, and whether the term may stand alone.
type Frequencies<'a> = FxHashMap<&'a str, (u32, bool)>;

/// [`Frequencies`], merged in document order (the first occurrence decides whether a term may
/// stand alone).
fn frequencies(chunks: &[ChunkTerms]) -> Frequencies<'_> {
    let mut df: Frequencies = FxHashMap::default();
    for c in chunks {
        for (t, k) in c.keys.iter().enumerate() {
            df.entry(k.as_str()).or_insert((0, c.strong[t])).0 += c.df[t];
        }
    }
    df
}

/// The TF-IDF vector of one document in a fixed vocabulary (also used for new papers).
pub fn vector_of(vocab: &Vocab, doc: &DocText) -> (SparseVec, Vec<u16>) {
    let mut tf: FxHashMap<u32, u32> = FxHashMap::default();
    doc_terms(doc, |k, _, _, w| {
        if let Some(&t) = vocab.index.get(k) {
            *tf.entry(t).or_insert(0) += w;
        }
    });
    let mut terms: Vec<(u32, u32)> = tf.into_iter().collect();
    terms.sort_unstable();
    weigh(vocab, terms)
}

/// TF-IDF weights of (term, count) pairs sorted by term, L2-normalised, and the counts.
fn weigh(vocab: &Vocab, terms: Vec<(u32, u32)>) -> (SparseVec, Vec<u16>) {
    let mut v = SparseVec {
        idx: Vec::with_capacity(terms.len()),
        val: Vec::with_capacity(terms.len()),
    };
    let mut counts = Vec::with_capacity(terms.len());
    for (t, c) in terms {
        v.idx.push(t);
        let phrase = if vocab.keys[t as usize].contains(' ') {
            PHRASE_WEIGHT
        } else {
            1.0
        };
        v.val
            .push(phrase * (1.0 + (c as f32).ln()) * vocab.idf[t as usize]);
        counts.push(c.min(u16::MAX as u32) as u16);
    }
    v.normalize();
    (v, counts)
}

/// The most frequent way each term is written over the first [`SURFACE_DOCS`] documents; acronyms
/// keep their capitals, other words are lower-cased (sentence-initial capitals say nothing).
fn surfaces(keys: &[String], index: &FxHashMap<&str, u32>, chunks: &[ChunkTerms]) -> Vec<String> {
    let mut seen: Vec<FxHashMap<String, u32>> = vec![FxHashMap::default(); keys.len()];
    for c in chunks {
        for (local, spellings) in c.surfaces.iter().enumerate() {
            let Some(&t) = index.get(c.keys[local].as_str()) else {
                continue;
            };
            for (raw, n) in spellings {
                let s: String = raw
                    .split(' ')
                    .map(display_word)
                    .collect::<Vec<_>>()
                    .join(" ");
                *seen[t as usize].entry(s).or_insert(0) += n;
            }
        }
    }
    seen.into_iter()
        .enumerate()
        .map(|(t, m)| {
            m.into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
                .map(|(s, _)| s)
                .unwrap_or_else(|| keys[t].clone())
        })
        .collect()
}

fn display_word(w: &str) -> String {
    let upper = w.chars().filter(|c| c.is_uppercase()).count();
    if upper >= 2 {
        w.to_string() // "GPT", "BERT", "LLMs"
    } else {
        w.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_products_agree_with_the_sparse_one() {
        let a = SparseVec {
            idx: vec![1, 4, 7, 30],
            val: vec![0.5, -1.0, 2.0, 3.0],
        };
        let b = SparseVec {
            idx: vec![0, 4, 7, 9],
            val: vec![1.0, 2.0, 0.25, 4.0],
        };
        let want = a.dot(&b);
        assert_eq!(want, -1.5);
        assert_eq!(b.dot_dense(&a.to_dense(31)), want);
        assert_eq!(a.dot_dense(&b.to_dense(10)), want);
        // A dense vector shorter than the other's terms: those count as zero, nothing panics.
        assert_eq!(a.dot_dense(&b.to_dense(5)), -2.0);
        assert_eq!(a.to_dense(5), vec![0.0, 0.5, 0.0, 0.0, -1.0]);
        assert_eq!(SparseVec::from_bytes(&a.to_bytes()), a);
    }

    #[test]
    fn vectors_are_normalised_and_share_phrases() {
        let docs: Vec<DocText> = [
            "Speech enhancement with diffusion models",
            "Speech enhancement in noisy rooms",
            "Prompt tuning for language models",
            "Prompt tuning at scale",
        ]
        .iter()
        .map(|t| DocText {
            title: t.to_string(),
            body: String::new(),
        })
        .collect();
        let c = vectorize(docs);
        let se = c.vocab.index["speech enhanc"];
        assert_eq!(c.vocab.surfaces[se as usize], "speech enhancement");
        assert!(c.vocab.index.contains_key("prompt tune"));
        for v in &c.vectors {
            let n: f32 = v.val.iter().map(|x| x * x).sum();
            assert!((n - 1.0).abs() < 1e-4);
        }
        assert!(c.vectors[0].dot(&c.vectors[1]) > 0.3);
        assert_eq!(c.vectors[0].dot(&c.vectors[2]), 0.0);
        let v = SparseVec::from_bytes(&c.vectors[0].to_bytes());
        assert_eq!(v, c.vectors[0]);
    }

    fn docs(texts: &[&str]) -> Vec<DocText> {
        texts
            .iter()
            .map(|t| DocText {
                title: String::new(),
                body: t.to_string(),
            })
            .collect()
    }

    #[test]
    fn glued_words_count_as_their_parts() {
        let texts = [
            "Clustering short texts with topic models.",
            "Short texts are hard to cluster.",
            "Embeddings of short texts.",
            "We cluster onshorttexts and images.",
            "Images and captions.",
            "Graph neural networks.",
            "Protein folding.",
            "Weather forecasts.",
        ];
        let c = vectorize_with(docs(&texts), true);
        assert!(!c.vocab.keys.iter().any(|k| k.contains("onshort")));
        let short_text = c.vocab.index["short text"];
        assert!(c.vectors[3].idx.contains(&short_text), "{:?}", c.vocab.keys);
        // Unless asked, the text counts as written.
        let as_written = vectorize(docs(&texts));
        let short_text = as_written.vocab.index["short text"];
        assert!(!as_written.vectors[3].idx.contains(&short_text));
        // Either way the glued word is reported, for display and search to repair.
        for corpus in [&c, &as_written] {
            assert_eq!(corpus.glued["onshorttexts"], ["on", "short", "texts"]);
            assert_eq!(corpus.glued.len(), 1, "{:?}", corpus.glued);
        }
        // "on" was a stop word in the glued text too: no phrase spans it.
        assert!(!c.vocab.keys.iter().any(|k| k.starts_with("cluster short")));
    }

    #[test]
    fn long_phrases_serve_labels_not_vectors() {
        let c = vectorize(docs(&[
            "Neural machine translation with attention.",
            "Neural Machine Translation of rare words.",
            "Phrase tables for machine translation.",
            "Speech recognition.",
        ]));
        let t = c
            .long
            .keys
            .iter()
            .position(|k| k == "neural machin translat")
            .expect("long phrase");
        assert_eq!(c.long.surfaces[t], "neural machine translation");
        assert!(!c.vocab.index.contains_key("neural machin translat"));
        assert_eq!(c.long.docs[1], vec![(t as u32, 1)]);
        assert!(c.long.docs[2].is_empty());
        // The same phrases for a group vectorised apart.
        let alone = LongPhrases::of(&docs(&[
            "Neural machine translation with attention.",
            "Neural Machine Translation of rare words.",
        ]));
        assert_eq!(alone.keys, vec!["neural machin translat"]);
        assert_eq!(alone.docs, vec![vec![(0, 1)], vec![(0, 1)]]);
    }
}
