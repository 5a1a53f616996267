//! From documents to TF-IDF vectors over unigrams and phrases: vocabulary selection, weights,
//! and the surface forms labels are written with.

use std::collections::HashMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::text::{candidates, tokenize, Token};

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

    /// Dot product with a dense vector.
    pub fn dot_dense(&self, dense: &[f32]) -> f32 {
        self.idx
            .iter()
            .zip(&self.val)
            .map(|(&t, &w)| w * dense[t as usize])
            .sum()
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
        let mut v = SparseVec::default();
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
    df: Vec<u32>,
    docs: Vec<Vec<(u32, u32)>>,
    /// How each term was written, counted over the chunk's first `with_surfaces` documents.
    surfaces: Vec<FxHashMap<String, u32>>,
}

/// Documents whose spellings decide how terms are written (the first ones of the library).
const SURFACE_DOCS: usize = 20_000;

/// The term ids of one chunk. Phrases are looked up by the ids of their words rather than by
/// their text: string keys of a chunk's half-million terms missed the cache on every lookup and
/// made tokenizing the slowest step of a fit at 100k papers.
struct ChunkIndex {
    words: FxHashMap<String, u32>,
    /// (first word, second word, 1 for "X of Y" else 0) → term id.
    phrases: FxHashMap<(u32, u32, u8), u32>,
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

    /// The terms of one text, as [`candidates`] lists them, appended to `terms` with weight `w`.
    fn add_text(
        &mut self,
        index: &mut ChunkIndex,
        text: &str,
        w: u32,
        with_surface: bool,
        terms: &mut Vec<(u32, u32)>,
    ) {
        let tokens = tokenize(text);
        let ids: Vec<u32> = tokens
            .iter()
            .map(|t| match t {
                Token::Word { stem, weak, .. } => match index.words.get(stem.as_str()) {
                    Some(&id) => id,
                    None => {
                        let id = self.add_term(stem.clone(), !*weak);
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
        let is_word = |i: usize| matches!(tokens.get(i), Some(Token::Word { .. }));
        for i in 0..tokens.len() {
            if !is_word(i) {
                continue;
            }
            terms.push((ids[i], w));
            if with_surface {
                self.count_surface(ids[i], surface(i));
            }
            let mut phrase = |this: &mut ChunkTerms, j: usize, of: u8| {
                let key = (ids[i], ids[j], of);
                let sep = if of == 1 { " of " } else { " " };
                let id = match index.phrases.get(&key) {
                    Some(&id) => id,
                    None => {
                        let text = format!(
                            "{}{sep}{}",
                            this.keys[ids[i] as usize], this.keys[ids[j] as usize]
                        );
                        let id = this.add_term(text, true);
                        index.phrases.insert(key, id);
                        id
                    }
                };
                terms.push((id, w));
                if with_surface {
                    this.count_surface(id, &format!("{}{sep}{}", surface(i), surface(j)));
                }
            };
            if is_word(i + 1) {
                phrase(self, i + 1, 0);
            }
            if matches!(tokens.get(i + 1), Some(Token::Of)) && is_word(i + 2) {
                phrase(self, i + 2, 1);
            }
        }
    }
}

fn chunk_terms(docs: &[DocText], with_surfaces: usize) -> ChunkTerms {
    let mut index = ChunkIndex {
        words: FxHashMap::default(),
        phrases: FxHashMap::default(),
    };
    let mut out = ChunkTerms {
        keys: Vec::new(),
        strong: Vec::new(),
        df: Vec::new(),
        docs: Vec::with_capacity(docs.len()),
        surfaces: Vec::new(),
    };
    let mut terms: Vec<(u32, u32)> = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        terms.clear();
        let with_surface = i < with_surfaces;
        out.add_text(&mut index, &d.title, TITLE_WEIGHT, with_surface, &mut terms);
        out.add_text(&mut index, &d.body, 1, with_surface, &mut terms);
        terms.sort_unstable_by_key(|p| p.0);
        let mut merged: Vec<(u32, u32)> = Vec::with_capacity(terms.len());
        for &(id, w) in &terms {
            match merged.last_mut() {
                Some(last) if last.0 == id => last.1 += w,
                _ => merged.push((id, w)),
            }
        }
        merged.iter().for_each(|p| out.df[p.0 as usize] += 1);
        out.docs.push(merged);
    }
    out
}

/// Builds the vocabulary and the vectors. Deterministic: ties are broken by key, and the result
/// does not depend on how documents are split among threads.
pub fn vectorize(docs: &[DocText]) -> Corpus {
    let n = docs.len();
    // Pass 1: every document tokenized once, in chunks, in parallel.
    let chunk = (n / (4 * rayon::current_num_threads().max(1))).clamp(512, 8192);
    let mut step = crate::steps::Steps::new("tokenize");
    let chunks: Vec<ChunkTerms> = docs
        .par_chunks(chunk)
        .enumerate()
        .map(|(i, c)| chunk_terms(c, SURFACE_DOCS.saturating_sub(i * chunk)))
        .collect();
    step.next("document frequencies");
    // Document frequencies, merged in document order (the first occurrence decides `strong`).
    let mut df: FxHashMap<&str, (u32, bool)> = FxHashMap::default();
    for c in &chunks {
        for ((k, &f), &strong) in c.keys.iter().zip(&c.df).zip(&c.strong) {
            df.entry(k.as_str()).or_insert((0, strong)).0 += f;
        }
    }
    step.next("vocabulary");
    let lo = min_df(n);
    let hi = ((n as f64 * 0.5) as u32).max(lo + 1);
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
    vocab.surfaces = surfaces(&vocab, &fast_index, &chunks);
    step.next("vectors");
    let rows: Vec<(SparseVec, Vec<u16>)> = chunks
        .into_par_iter()
        .flat_map_iter(|c| {
            let to_vocab: Vec<Option<u32>> = c
                .keys
                .iter()
                .map(|k| fast_index.get(k.as_str()).copied())
                .collect();
            c.docs
                .into_iter()
                .map(|terms| {
                    let mut terms: Vec<(u32, u32)> = terms
                        .into_iter()
                        .filter_map(|(l, w)| to_vocab[l as usize].map(|t| (t, w)))
                        .collect();
                    terms.sort_unstable();
                    weigh(&vocab, terms)
                })
                .collect::<Vec<_>>()
        })
        .collect();
    step.done();
    let (vectors, counts) = rows.into_iter().unzip();
    Corpus {
        vocab,
        vectors,
        counts,
    }
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
fn surfaces(vocab: &Vocab, index: &FxHashMap<&str, u32>, chunks: &[ChunkTerms]) -> Vec<String> {
    let mut seen: Vec<FxHashMap<String, u32>> = vec![FxHashMap::default(); vocab.keys.len()];
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
                .unwrap_or_else(|| vocab.keys[t].clone())
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
        let c = vectorize(&docs);
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
}
