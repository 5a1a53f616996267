//! The lexical topic model: TF-IDF vectors → LSA coordinates → the shared dense fit
//! (`dense_fit`: leaves, parents), or spherical k-means on the TF-IDF vectors for small and
//! very large libraries → class-based TF-IDF labels, which both modes use. Pure computation;
//! persistence lives in `store`.

use rustc_hash::FxHashMap;

use crate::cluster::{spherical_kmeans, spherical_kmeans_top};
use crate::lsa::Lsa;
use crate::steps::Steps;
use crate::text::is_stop_word;
use crate::vectorize::{vectorize_with, Corpus, DocText, SparseVec};

/// Knobs of a fit; the defaults are what the app uses.
#[derive(Debug, Clone, Copy)]
pub struct FitOptions {
    /// Number of leaf topics; `None` = chosen from the library size.
    pub leaves: Option<usize>,
    /// Number of parent topics; `None` = about √leaves.
    pub parents: Option<usize>,
    pub seed: u64,
    /// Split glued words ("onshorttexts") into their words before vectorising. Off by default:
    /// it repairs 5,840 words of the combined arXiv file, but moved `bench-topics` NMI at seed 42
    /// from 0.476 to 0.455 (combined) and 0.424 to 0.397 (maths), though over seeds 1–6 and 42
    /// the means moved only −0.005 and +0.003 (k-means noise). The clustering stays as measured.
    pub split_glued: bool,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            leaves: None,
            parents: None,
            seed: 42,
            split_glued: false,
        }
    }
}

/// The number of leaf topics for `n` papers when the user has not chosen: about √(n/2)
/// (7 for 94 papers, 39 for 3,000, 224 for 100,000), at most 400.
pub fn auto_leaves(n: usize) -> usize {
    ((n as f64 / 2.0).sqrt().round() as usize)
        .clamp(1, 400)
        .min(n.max(1))
}

/// The number of parent topics for `leaves` leaf topics: about √leaves, one when there are few.
pub fn auto_parents(leaves: usize) -> usize {
    if leaves < 4 {
        1
    } else {
        ((leaves as f64).sqrt().round() as usize).clamp(2, leaves)
    }
}

/// A topic found by the model.
#[derive(Debug, Clone)]
pub struct FittedTopic {
    /// "speech enhancement · diffusion models · audio generation": 2–3 phrases, no word repeated.
    pub label: String,
    /// Up to ten distinctive terms, best first.
    pub keyphrases: Vec<String>,
    /// Member documents, most central first.
    pub members: Vec<usize>,
    /// Unit centroid (sparse, truncated to its heaviest terms).
    pub centroid: SparseVec,
    /// Index of the parent topic (leaves only).
    pub parent: Option<usize>,
}

/// A fitted model over a set of documents (indices are positions in the input).
pub struct Model {
    pub corpus: Corpus,
    pub leaves: Vec<FittedTopic>,
    pub parents: Vec<FittedTopic>,
    /// Leaf of each document.
    pub leaf_of: Vec<usize>,
    /// Cosine of each document to its leaf centroid: how central it is.
    pub centrality: Vec<f32>,
    /// Each document's strongest leaves with weights summing to 1, best first.
    pub weights: Vec<Vec<(usize, f32)>>,
}

/// Terms kept per stored centroid: enough for assignment, small enough to load fast.
const CENTROID_TERMS: usize = 800;

/// Coordinates of the lexical mode's LSA: scikit-learn's LSA default, and measured: TF-IDF →
/// LSA(100) → neighbour smoothing → k-means gave NMI 0.503 / 0.449 on the benchmark files where
/// k-means on the TF-IDF vectors gave 0.476 / 0.424 (`bench-topics`, docs/benchmarks.md).
pub const LSA_DIMENSIONS: usize = 100;

/// Library sizes clustered in LSA coordinates. Below, a library has about as many papers as
/// coordinates, LSA folds little and the neighbour smoothing reaches across topics (on the
/// 94-paper sample it pulled P-tuning v2 into the LLM-serving topic); above, exact neighbours
/// cost n² (`dense_fit::SMOOTH_LIMIT`) and LSA without them was not measured better. Both
/// ends cluster the TF-IDF vectors as before.
const LSA_PAPERS: std::ops::RangeInclusive<usize> = 1_000..=crate::dense_fit::SMOOTH_LIMIT;

/// Fits leaves and parents: the lexical mode. TF-IDF vectors, their LSA coordinates, then the
/// dense fit both modes share (`dense_fit`); outside [`LSA_PAPERS`], k-means on the TF-IDF
/// vectors themselves.
pub fn fit(docs: impl IntoIterator<Item = DocText, IntoIter: Send>, opts: FitOptions) -> Model {
    fit_vectorized(vectorize_with(docs, opts.split_glued), opts)
}

/// [`fit`] on documents already vectorized (with [`vectorize_with`] and `opts.split_glued`).
pub fn fit_vectorized(corpus: Corpus, opts: FitOptions) -> Model {
    if !LSA_PAPERS.contains(&corpus.vectors.len()) {
        return fit_corpus(corpus, opts);
    }
    let mut step = Steps::new("LSA");
    let rows = lsa_rows(&corpus, opts.seed);
    step.done();
    crate::dense_fit::fit_rows(corpus, &rows.0, rows.1, opts)
}

/// Every document's unit LSA coordinates (row-major) and their dimension (at least 1).
fn lsa_rows(corpus: &Corpus, seed: u64) -> (Vec<f32>, usize) {
    let lsa = Lsa::fit(
        &corpus.vectors,
        corpus.vocab.keys.len(),
        LSA_DIMENSIONS,
        seed,
    );
    if lsa.dim == 0 {
        // No vocabulary: one zero coordinate each, so the fit still runs.
        return (vec![0.0; corpus.vectors.len()], 1);
    }
    (lsa.project_all(&corpus.vectors), lsa.dim)
}

/// TF-IDF vectors clustered as they are: [`fit`] outside [`LSA_PAPERS`].
pub fn fit_corpus(corpus: Corpus, opts: FitOptions) -> Model {
    let n = corpus.vectors.len();
    let dim = corpus.vocab.keys.len();
    let k = opts
        .leaves
        .unwrap_or_else(|| auto_leaves(n))
        .clamp(1, n.max(1));
    let mut step = Steps::new("leaves (k-means)");
    let (leaves_cl, nearest_leaves) =
        spherical_kmeans_top(&corpus.vectors, None, dim, k, opts.seed, 3);
    step.next("weights");
    let k = leaves_cl.k;
    let leaf_of: Vec<usize> = leaves_cl.assign.iter().map(|&a| a as usize).collect();
    let centrality = leaves_cl.sims.clone();
    let weights: Vec<Vec<(usize, f32)>> = nearest_leaves
        .into_iter()
        .map(|t| top_normalised(t.into_iter().map(|(c, s)| (c as usize, s)).collect(), 3))
        .collect();
    step.next("parents (k-means)");

    // Parents: the leaf centroids, weighted by leaf size, clustered the same way.
    let leaf_centroids: Vec<SparseVec> = (0..k)
        .map(|c| dense_to_sparse(&leaves_cl.centroids[c * dim..(c + 1) * dim], usize::MAX))
        .collect();
    let sizes: Vec<f32> = (0..k)
        .map(|c| leaf_of.iter().filter(|&&l| l == c).count() as f32)
        .collect();
    let p = opts
        .parents
        .unwrap_or_else(|| auto_parents(k))
        .clamp(1, k.max(1));
    let parents_cl = spherical_kmeans(&leaf_centroids, Some(&sizes), dim, p, opts.seed ^ 0x5eed);
    step.next("leaf members and labels");

    let mut leaves: Vec<FittedTopic> = (0..k)
        .map(|c| {
            let mut members: Vec<usize> = (0..n).filter(|&d| leaf_of[d] == c).collect();
            members.sort_by(|&a, &b| centrality[b].total_cmp(&centrality[a]).then(a.cmp(&b)));
            FittedTopic {
                label: String::new(),
                keyphrases: Vec::new(),
                members,
                centroid: dense_to_sparse(
                    &leaves_cl.centroids[c * dim..(c + 1) * dim],
                    CENTROID_TERMS,
                ),
                parent: Some(parents_cl.assign[c] as usize),
            }
        })
        .collect();
    let leaf_labels = labels(&corpus, &leaf_of, k);
    for (t, l) in leaves.iter_mut().zip(&leaf_labels) {
        (t.label, t.keyphrases) = l.clone();
    }
    step.next("parent members and labels");

    let parent_of_doc: Vec<usize> = leaf_of
        .iter()
        .map(|&l| parents_cl.assign[l] as usize)
        .collect();
    let parent_of_leaf: Vec<usize> = parents_cl.assign.iter().map(|&p| p as usize).collect();
    let mut parent_names = parent_labels(
        &corpus,
        &leaf_of,
        &parent_of_leaf,
        parents_cl.k,
        &leaf_labels,
    )
    .into_iter();
    let parents: Vec<FittedTopic> = (0..parents_cl.k)
        .map(|c| {
            let mut members: Vec<usize> = (0..n).filter(|&d| parent_of_doc[d] == c).collect();
            let cen = &parents_cl.centroids[c * dim..(c + 1) * dim];
            let sim: Vec<f32> = members
                .iter()
                .map(|&d| corpus.vectors[d].dot_dense(cen))
                .collect();
            let mut order: Vec<usize> = (0..members.len()).collect();
            order.sort_by(|&a, &b| sim[b].total_cmp(&sim[a]).then(members[a].cmp(&members[b])));
            members = order.into_iter().map(|i| members[i]).collect();
            let (label, keyphrases) = parent_names.next().unwrap_or_default();
            FittedTopic {
                label,
                keyphrases,
                members,
                centroid: dense_to_sparse(cen, CENTROID_TERMS),
                parent: None,
            }
        })
        .collect();
    step.done();
    Model {
        corpus,
        leaves,
        parents,
        leaf_of,
        centrality,
        weights,
    }
}

fn dense_to_sparse(dense: &[f32], keep: usize) -> SparseVec {
    let nz: Vec<(u32, f32)> = dense
        .iter()
        .enumerate()
        .filter(|(_, &v)| v > 0.0)
        .map(|(i, &v)| (i as u32, v))
        .collect();
    strongest_unit(nz, keep)
}

/// The `keep` largest weights (ties by term id), in term order, scaled to unit length.
fn strongest_unit(mut nz: Vec<(u32, f32)>, keep: usize) -> SparseVec {
    if nz.len() > keep {
        nz.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        nz.truncate(keep);
    }
    nz.sort_by_key(|p| p.0);
    let norm = nz
        .iter()
        .map(|p| p.1 * p.1)
        .sum::<f32>()
        .sqrt()
        .max(f32::MIN_POSITIVE);
    SparseVec {
        idx: nz.iter().map(|p| p.0).collect(),
        val: nz.iter().map(|p| p.1 / norm).collect(),
    }
}

/// The `m` best (index, cosine) pairs, cosines normalised to sum to 1.
fn top_normalised(mut s: Vec<(usize, f32)>, m: usize) -> Vec<(usize, f32)> {
    s.iter_mut().for_each(|p| p.1 = p.1.max(0.0));
    s.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    s.truncate(m);
    let total: f32 = s.iter().map(|p| p.1).sum();
    if total > 0.0 {
        s.iter_mut().for_each(|p| p.1 /= total);
    } else if let Some(first) = s.first_mut() {
        first.1 = 1.0;
    }
    s.retain(|p| p.1 > 0.0);
    s
}

/// Centroids as an inverted index (term → the centroids holding it, in centroid order): a
/// vector's dot product with every centroid costs the postings of its own terms, where
/// [`nearest`] walks every centroid whole (hundreds of leaves of thousands of terms each: 10 s to
/// place 10,000 restored papers). The sums are [`SparseVec::dot`]'s, added in the same order.
pub struct CentroidIndex {
    postings: Vec<Vec<(u32, f32)>>,
    centroids: usize,
}

impl CentroidIndex {
    pub fn new(centroids: &[SparseVec]) -> CentroidIndex {
        let terms = centroids
            .iter()
            .filter_map(|c| c.idx.last())
            .max()
            .map_or(0, |&t| t as usize + 1);
        let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); terms];
        for (c, cen) in centroids.iter().enumerate() {
            for (&t, &w) in cen.idx.iter().zip(&cen.val) {
                postings[t as usize].push((c as u32, w));
            }
        }
        CentroidIndex {
            postings,
            centroids: centroids.len(),
        }
    }

    /// `v`'s dot product with every centroid, by centroid.
    pub fn dots(&self, v: &SparseVec) -> Vec<f32> {
        let mut s = vec![0f32; self.centroids];
        for (&t, &w) in v.idx.iter().zip(&v.val) {
            if let Some(list) = self.postings.get(t as usize) {
                for &(c, cw) in list {
                    s[c as usize] += w * cw;
                }
            }
        }
        s
    }

    /// [`nearest`], from the index.
    pub fn nearest(&self, v: &SparseVec, m: usize) -> Vec<(usize, f32)> {
        top_normalised(self.dots(v).into_iter().enumerate().collect(), m)
    }
}

/// The `m` nearest centroids to `v`, cosines normalised to sum to 1; used for new papers too.
pub fn nearest(centroids: &[SparseVec], v: &SparseVec, m: usize) -> Vec<(usize, f32)> {
    top_normalised(
        centroids
            .iter()
            .enumerate()
            .map(|(c, cen)| (c, v.dot(cen)))
            .collect(),
        m,
    )
}

/// A label candidate: a vocabulary term's id, or a long phrase's of [`Corpus::long`] past the
/// vocabulary's. One u32, not an enum: the per-class counts of a fit at 100k papers hold millions.
type Term = u32;

/// A candidate's standing in one class.
#[derive(Debug, Clone)]
struct ClassTerm {
    term: Term,
    /// Class-based TF-IDF.
    score: f32,
    /// The class's documents holding it.
    docs: Vec<u32>,
}

/// Candidates kept per class: more than a label and its keyphrases will ever use.
const CLASS_TERMS: usize = 60;

impl Corpus {
    /// Candidates in all: vocabulary terms, then long phrases.
    fn candidates(&self) -> usize {
        self.vocab.keys.len() + self.long.keys.len()
    }

    fn key(&self, t: Term) -> &str {
        let v = self.vocab.keys.len();
        match (t as usize).checked_sub(v) {
            None => &self.vocab.keys[t as usize],
            Some(l) => &self.long.keys[l],
        }
    }

    fn surface(&self, t: Term) -> &str {
        let v = self.vocab.keys.len();
        match (t as usize).checked_sub(v) {
            None => &self.vocab.surfaces[t as usize],
            Some(l) => &self.long.surfaces[l],
        }
    }

    /// Each (term, count) of document `d`: its vocabulary terms, then its long phrases.
    fn doc_terms(&self, d: usize) -> impl Iterator<Item = (Term, f32)> + '_ {
        let v = self.vectors[d]
            .idx
            .iter()
            .zip(&self.counts[d])
            .map(|(&t, &c)| (t, c as f32));
        let first_long = self.vocab.keys.len() as u32;
        let l = self
            .long
            .docs
            .get(d)
            .into_iter()
            .flatten()
            .map(move |&(t, c)| (first_long + t, c as f32));
        v.chain(l)
    }
}

/// Class-based TF-IDF (as BERTopic) over phrase candidates: for class c and candidate t,
/// tf(t,c) · ln(1 + A / f(t)), with A the average number of occurrences per class and f(t) the
/// candidate's count over all classes. A candidate must be seen in two documents of its class
/// (one in a class of one): a phrase one paper repeats names that paper, not a topic, and a glued
/// word of one paper's text never passes. Returns each class's best candidates, best first, with
/// the documents holding them.
fn class_terms(corpus: &Corpus, class_of: &[usize], k: usize) -> Vec<Vec<ClassTerm>> {
    let mut tf: Vec<FxHashMap<Term, (f32, u32)>> = vec![FxHashMap::default(); k];
    let mut total = vec![0f32; corpus.candidates()];
    let mut size = vec![0u32; k];
    let mut all = 0f64;
    for (d, &c) in class_of.iter().enumerate() {
        size[c] += 1;
        for (t, n) in corpus.doc_terms(d) {
            let e = tf[c].entry(t).or_insert((0.0, 0));
            e.0 += n;
            e.1 += 1;
            total[t as usize] += n;
            all += n as f64;
        }
    }
    let avg = (all / k.max(1) as f64) as f32;
    let mut classes: Vec<Vec<ClassTerm>> = tf
        .into_iter()
        .enumerate()
        .map(|(c, m)| {
            let seen = size[c].min(2);
            let mut v: Vec<ClassTerm> = m
                .into_iter()
                .filter(|&(_, (_, df))| df >= seen)
                .map(|(t, (n, _))| ClassTerm {
                    term: t,
                    score: n * (1.0 + avg / total[t as usize]).ln(),
                    docs: Vec::new(),
                })
                .collect();
            v.sort_by(|a, b| {
                b.score
                    .total_cmp(&a.score)
                    .then_with(|| corpus.key(a.term).cmp(corpus.key(b.term)))
            });
            v.truncate(CLASS_TERMS);
            v
        })
        .collect();
    // The documents holding each kept candidate, for the similarity of two candidates.
    let slots: Vec<FxHashMap<Term, usize>> = classes
        .iter()
        .map(|v| v.iter().enumerate().map(|(i, ct)| (ct.term, i)).collect())
        .collect();
    for (d, &c) in class_of.iter().enumerate() {
        for (t, _) in corpus.doc_terms(d) {
            if let Some(&i) = slots[c].get(&t) {
                classes[c][i].docs.push(d as u32);
            }
        }
    }
    classes
}

/// Content words of a term key ("mixtur of expert" → mixtur, expert).
fn words(key: &str) -> impl Iterator<Item = &str> {
    key.split(' ').filter(|w| *w != "of" && !is_stop_word(w))
}

/// Weight of relevance against novelty in [`mmr`]: mostly relevance, but a candidate found in the
/// same papers as one already chosen says little more.
const MMR_LAMBDA: f32 = 0.7;

/// A phrase takes the place of a shorter candidate it contains when at least this share of the
/// documents using the shorter one use the phrase: the field's own multi-word term. At a half,
/// the sample library's labels kept "attention" and "reasoning" where a third gives "self
/// attention" and "mathematical reasoning".
const PHRASE_SHARE: f32 = 0.34;

/// Cosine of two sorted document lists as sets.
fn overlap(a: &[u32], b: &[u32]) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    both as f32 / ((a.len() * b.len()) as f32).sqrt()
}

/// A candidate as [`mmr`] sees it: content words, relevance, documents.
struct Choice<'a> {
    words: Vec<&'a str>,
    rel: f32,
    docs: &'a [u32],
}

/// Maximal marginal relevance: repeatedly the candidate that best trades relevance (scaled to the
/// best one's) against its similarity to those already chosen, never one sharing a word with
/// them. Returns up to `m` indices into `cands`, in the order chosen; `skip` are never chosen.
fn mmr(cands: &[Choice], m: usize, skip: &[usize]) -> Vec<usize> {
    let top = cands.iter().map(|c| c.rel).fold(0f32, f32::max);
    if top <= 0.0 {
        return Vec::new();
    }
    let mut chosen: Vec<usize> = Vec::new();
    while chosen.len() < m {
        let mut best: Option<(f32, usize)> = None;
        for (i, c) in cands.iter().enumerate() {
            if c.rel <= 0.0 || skip.contains(&i) || chosen.contains(&i) {
                continue;
            }
            if chosen
                .iter()
                .any(|&s| cands[s].words.iter().any(|w| c.words.contains(w)))
            {
                continue;
            }
            let redundancy = chosen
                .iter()
                .map(|&s| overlap(c.docs, cands[s].docs))
                .fold(0f32, f32::max);
            let v = MMR_LAMBDA * c.rel / top - (1.0 - MMR_LAMBDA) * redundancy;
            if best.is_none_or(|b| v > b.0) {
                best = Some((v, i));
            }
        }
        match best {
            Some((_, i)) => chosen.push(i),
            None => break,
        }
    }
    chosen
}

/// Phrases a label shows: three, or two when a third would be a weak afterthought.
const LABEL_PHRASES: usize = 3;

/// A third phrase joins a label only when at least this relevant (against the best candidate).
const THIRD_PHRASE: f32 = 0.25;

/// A readable label (2–3 phrases, no word repeated, the field's multi-word terms preferred over
/// their parts) and up to ten keyphrases (none a mere repeat of words already shown). `spread`
/// scales each candidate's relevance (a parent's: how many of its leaves use it); a label equal
/// to one of `avoid` is chosen again without its first phrase.
fn label_from(
    corpus: &Corpus,
    ranked: &[ClassTerm],
    spread: impl Fn(&ClassTerm) -> f32,
    avoid: &[&str],
) -> (String, Vec<String>) {
    let mut cands: Vec<Choice> = ranked
        .iter()
        .map(|ct| Choice {
            words: words(corpus.key(ct.term)).collect(),
            rel: ct.score * spread(ct),
            docs: &ct.docs,
        })
        .collect();
    // A shorter candidate gives its relevance to the commonest longer one containing it, when
    // that phrase is how the class mostly writes it; shortest first, so "reinforcement" can pass
    // to "reinforcement learning" and that to "deep reinforcement learning".
    let mut order: Vec<usize> = (0..cands.len()).collect();
    order.sort_by_key(|&i| cands[i].words.len());
    for &u in &order {
        let host = (0..cands.len())
            .filter(|&p| {
                cands[p].words.len() > cands[u].words.len()
                    && cands[u].words.iter().all(|w| cands[p].words.contains(w))
                    && cands[p].docs.len() as f32 >= PHRASE_SHARE * cands[u].docs.len() as f32
            })
            .max_by(|&a, &b| {
                cands[a]
                    .docs
                    .len()
                    .cmp(&cands[b].docs.len())
                    .then(cands[a].rel.total_cmp(&cands[b].rel))
                    .then(b.cmp(&a))
            });
        if let Some(p) = host {
            cands[p].rel = cands[p].rel.max(cands[u].rel);
            cands[u].rel = 0.0;
        }
    }
    let top = cands.iter().map(|c| c.rel).fold(0f32, f32::max);
    let mut skip: Vec<usize> = Vec::new();
    let mut label: Vec<usize> = Vec::new();
    let mut text = String::new();
    for _ in 0..=avoid.len() {
        label = mmr(&cands, LABEL_PHRASES, &skip);
        if label.len() == LABEL_PHRASES && cands[label[2]].rel < THIRD_PHRASE * top {
            label.truncate(2);
        }
        text = label
            .iter()
            .map(|&i| corpus.surface(ranked[i].term))
            .collect::<Vec<_>>()
            .join(" · ");
        match label.first() {
            Some(&first) if avoid.contains(&text.as_str()) => skip.push(first),
            _ => break,
        }
    }
    // Keyphrases: the label's, then the most relevant others that add a word.
    let mut keyphrases: Vec<usize> = label.clone();
    let mut shown: Vec<&str> = label
        .iter()
        .flat_map(|&i| cands[i].words.iter().copied())
        .collect();
    let mut rest: Vec<usize> = (0..cands.len()).filter(|&i| cands[i].rel > 0.0).collect();
    rest.sort_by(|&a, &b| cands[b].rel.total_cmp(&cands[a].rel).then(a.cmp(&b)));
    for i in rest {
        if keyphrases.len() >= 10 {
            break;
        }
        if keyphrases.contains(&i) || cands[i].words.iter().all(|w| shown.contains(w)) {
            continue;
        }
        shown.extend(cands[i].words.iter().copied());
        keyphrases.push(i);
    }
    let surfaces = keyphrases
        .iter()
        .map(|&i| corpus.surface(ranked[i].term).to_string())
        .collect();
    (text, surfaces)
}

/// Labels and keyphrases for any grouping of the corpus (`class_of[d]` < `k`): used after user
/// edits change the model's groups, and for leaves.
pub fn labels(corpus: &Corpus, class_of: &[usize], k: usize) -> Vec<(String, Vec<String>)> {
    class_terms(corpus, class_of, k)
        .iter()
        .map(|terms| label_from(corpus, terms, |_| 1.0, &[]))
        .collect()
}

/// Labels and keyphrases for the parents of leaves (`leaf_of[d]`, `parent_of_leaf[l]` < `k`,
/// `leaf_labels[l]` as [`labels`] gave them). Computed from all of a parent's papers, a phrase
/// counting by the share of its leaves that use it, so the label names what its leaves share
/// rather than its biggest leaf; and never the same label as one of its leaves.
pub fn parent_labels(
    corpus: &Corpus,
    leaf_of: &[usize],
    parent_of_leaf: &[usize],
    k: usize,
    leaf_labels: &[(String, Vec<String>)],
) -> Vec<(String, Vec<String>)> {
    let parent_of_doc: Vec<usize> = leaf_of.iter().map(|&l| parent_of_leaf[l]).collect();
    let mut leaves_of: Vec<Vec<usize>> = vec![Vec::new(); k];
    let mut used = vec![false; parent_of_leaf.len()];
    leaf_of.iter().for_each(|&l| used[l] = true);
    for (l, &p) in parent_of_leaf.iter().enumerate() {
        if used[l] {
            leaves_of[p].push(l);
        }
    }
    class_terms(corpus, &parent_of_doc, k)
        .iter()
        .enumerate()
        .map(|(p, terms)| {
            let spread = |ct: &ClassTerm| {
                let mut seen: Vec<usize> = ct.docs.iter().map(|&d| leaf_of[d as usize]).collect();
                seen.sort_unstable();
                seen.dedup();
                seen.len() as f32 / leaves_of[p].len().max(1) as f32
            };
            let avoid: Vec<&str> = leaves_of[p]
                .iter()
                .filter_map(|&l| leaf_labels.get(l).map(|x| x.0.as_str()))
                .collect();
            label_from(corpus, terms, spread, &avoid)
        })
        .collect()
}

/// The unit mean direction of some documents, truncated like stored centroids.
pub fn centroid_of(vectors: &[SparseVec], members: &[usize]) -> SparseVec {
    let mut sum: FxHashMap<u32, f32> = FxHashMap::default();
    for &d in members {
        for (&t, &w) in vectors[d].idx.iter().zip(&vectors[d].val) {
            *sum.entry(t).or_insert(0.0) += w;
        }
    }
    strongest_unit(sum.into_iter().collect(), CENTROID_TERMS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vectorize::vectorize;

    #[test]
    fn the_centroid_index_gives_the_same_nearest_centroids() {
        let v = |pairs: &[(u32, f32)]| SparseVec {
            idx: pairs.iter().map(|p| p.0).collect(),
            val: pairs.iter().map(|p| p.1).collect(),
        };
        let centroids = vec![
            v(&[(0, 0.5), (2, 0.5), (7, 0.7)]),
            v(&[(1, 0.9), (2, 0.1)]),
            v(&[(3, 1.0)]),
            v(&[(0, 0.2), (1, 0.2), (2, 0.2), (9, 0.9)]),
        ];
        let index = CentroidIndex::new(&centroids);
        for paper in [
            v(&[(0, 0.6), (2, 0.8)]),
            v(&[(1, 1.0)]),
            v(&[(4, 1.0)]),
            v(&[(2, 0.3), (7, 0.4), (9, 0.5), (12, 0.7)]),
        ] {
            for m in 1..=4 {
                assert_eq!(index.nearest(&paper, m), nearest(&centroids, &paper, m));
            }
        }
    }

    fn choice<'a>(words: &[&'a str], rel: f32, docs: &'a [u32]) -> Choice<'a> {
        Choice {
            words: words.to_vec(),
            rel,
            docs,
        }
    }

    #[test]
    fn mmr_trades_relevance_for_novelty_and_repeats_no_word() {
        let cands = [
            choice(&["speech", "enhanc"], 1.0, &[0, 1, 2, 3]),
            choice(&["denois"], 0.9, &[0, 1, 2, 3]),
            choice(&["diffus", "model"], 0.7, &[4, 5, 6]),
            choice(&["speech"], 0.95, &[0, 1, 2, 3, 7]),
            choice(&["vocod"], 0.1, &[8, 9]),
        ];
        // "denoising" is found in the same papers as "speech enhancement": novelty wins.
        assert_eq!(mmr(&cands, 2, &[]), vec![0, 2]);
        // "speech" repeats a word of the first choice and is never taken.
        assert_eq!(mmr(&cands, 4, &[]), vec![0, 2, 1, 4]);
        assert_eq!(mmr(&cands, 2, &[0]), vec![3, 2]);
        // Without redundancy the order is relevance.
        let apart = [
            choice(&["a"], 0.5, &[0]),
            choice(&["b"], 0.9, &[1]),
            choice(&["c"], 0.7, &[2]),
        ];
        assert_eq!(mmr(&apart, 3, &[]), vec![1, 2, 0]);
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
    fn labels_prefer_the_fields_phrases_and_parents_differ_from_their_leaves() {
        let corpus = vectorize(docs(&[
            "Speech enhancement with diffusion models removes noise from speech.",
            "Diffusion models for speech enhancement in noisy rooms with neural networks.",
            "Speech enhancement by score based diffusion models and noise; neural networks.",
            "Prompt tuning of language models for text classification.",
            "Prompt tuning adapts frozen language models with soft prompts and neural networks.",
            "Language models learn from soft prompts: prompt tuning at scale.",
        ]));
        let class_of = [0, 0, 0, 1, 1, 1];
        let leaf = labels(&corpus, &class_of, 2);
        for (label, keyphrases) in &leaf {
            let phrases: Vec<&str> = label.split(" · ").collect();
            assert!((2..=3).contains(&phrases.len()), "{label}");
            assert_eq!(keyphrases[..phrases.len()], phrases[..]);
        }
        assert!(leaf[0].0.contains("speech enhancement"), "{leaf:?}");
        assert!(leaf[0].0.contains("diffusion models"), "{leaf:?}");
        assert!(leaf[1].0.contains("prompt tuning"), "{leaf:?}");
        // One parent over one leaf still names it differently.
        let parents = parent_labels(&corpus, &class_of, &[0, 1], 2, &leaf);
        for p in 0..2 {
            assert_ne!(parents[p].0, leaf[p].0);
            assert!(!parents[p].0.is_empty());
        }
        // A parent of both leaves prefers what both use.
        let both = parent_labels(&corpus, &class_of, &[0, 0], 1, &leaf);
        assert!(both[0].0.starts_with("neural networks"), "{both:?}");
    }
}
