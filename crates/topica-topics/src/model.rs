//! Fitting a topic model: TF-IDF vectors → spherical k-means leaves → leaves clustered into
//! parents → class-based TF-IDF labels. Pure computation; persistence lives in `store`.

use rustc_hash::FxHashMap;

use crate::cluster::{spherical_kmeans, spherical_kmeans_top};
use crate::steps::Steps;
use crate::text::is_stop_word;
use crate::vectorize::{vectorize, Corpus, DocText, SparseVec};

/// Knobs of a fit; the defaults are what the app uses.
#[derive(Debug, Clone, Copy)]
pub struct FitOptions {
    /// Number of leaf topics; `None` = chosen from the library size.
    pub leaves: Option<usize>,
    /// Number of parent topics; `None` = about √leaves.
    pub parents: Option<usize>,
    pub seed: u64,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            leaves: None,
            parents: None,
            seed: 42,
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
    /// "speech enhancement · diffusion · restoration": three terms, no word repeated.
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

/// Fits leaves and parents.
pub fn fit(docs: &[DocText], opts: FitOptions) -> Model {
    let corpus = tracing::info_span!("topics", step = "vectorize").in_scope(|| vectorize(docs));
    fit_corpus(corpus, opts)
}

/// [`fit`] on an already vectorised corpus.
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
    let leaf_terms = class_terms(&corpus, &leaf_of, k);
    for (t, terms) in leaves.iter_mut().zip(&leaf_terms) {
        (t.label, t.keyphrases) = label_from(&corpus, terms);
    }
    step.next("parent members and labels");

    let parent_of_doc: Vec<usize> = leaf_of
        .iter()
        .map(|&l| parents_cl.assign[l] as usize)
        .collect();
    let parent_terms = class_terms(&corpus, &parent_of_doc, parents_cl.k);
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
            let (label, keyphrases) = label_from(&corpus, &parent_terms[c]);
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

/// Class-based TF-IDF (as BERTopic): for class c and term t, tf(t,c) · ln(1 + A / f(t)), with A the
/// average number of term occurrences per class and f(t) the term's count over all classes.
/// Returns each class's terms, best first.
fn class_terms(corpus: &Corpus, class_of: &[usize], k: usize) -> Vec<Vec<(u32, f32)>> {
    let mut tf: Vec<FxHashMap<u32, f32>> = vec![FxHashMap::default(); k];
    let mut total = vec![0f32; corpus.vocab.keys.len()];
    let mut all = 0f64;
    for (d, v) in corpus.vectors.iter().enumerate() {
        for (&t, &c) in v.idx.iter().zip(&corpus.counts[d]) {
            *tf[class_of[d]].entry(t).or_insert(0.0) += c as f32;
            total[t as usize] += c as f32;
            all += c as f64;
        }
    }
    let avg = (all / k.max(1) as f64) as f32;
    tf.into_iter()
        .map(|m| {
            let mut v: Vec<(u32, f32)> = m
                .into_iter()
                .map(|(t, c)| (t, c * (1.0 + avg / total[t as usize]).ln()))
                .collect();
            v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            v.truncate(200);
            v
        })
        .collect()
}

/// Content words of a term key ("chain of thought" → chain, thought).
fn words(key: &str) -> impl Iterator<Item = &str> {
    key.split(' ').filter(|w| !is_stop_word(w))
}

/// A readable label (three terms, no word repeated, phrases preferred over their parts) and up
/// to ten keyphrases (none a mere repeat of words already shown).
fn label_from(corpus: &Corpus, ranked: &[(u32, f32)]) -> (String, Vec<String>) {
    let keys = &corpus.vocab.keys;
    let score: FxHashMap<u32, f32> = ranked.iter().copied().collect();
    let mut label: Vec<u32> = Vec::new();
    let mut used: Vec<&str> = Vec::new();
    for &(t, s) in ranked {
        if label.len() == 3 {
            break;
        }
        // A phrase that contains this word and scores at least half as well says more.
        let key = keys[t as usize].as_str();
        let pick = if !key.contains(' ') {
            ranked
                .iter()
                .find(|&&(p, ps)| {
                    let pk = keys[p as usize].as_str();
                    pk.contains(' ') && words(pk).any(|w| w == key) && ps >= 0.5 * s
                })
                .map_or(t, |p| p.0)
        } else {
            t
        };
        let pk = keys[pick as usize].as_str();
        if label.contains(&pick) || words(pk).any(|w| used.contains(&w)) {
            continue;
        }
        used.extend(words(pk));
        label.push(pick);
    }
    let _ = score;
    let mut keyphrases: Vec<u32> = label.clone();
    let mut shown: Vec<&str> = used.clone();
    for &(t, _) in ranked {
        if keyphrases.len() >= 10 {
            break;
        }
        let k = keys[t as usize].as_str();
        if keyphrases.contains(&t) || words(k).all(|w| shown.contains(&w)) {
            continue;
        }
        shown.extend(words(k));
        keyphrases.push(t);
    }
    let surface = |t: &u32| corpus.vocab.surfaces[*t as usize].clone();
    let text = label.iter().map(surface).collect::<Vec<_>>().join(" · ");
    (text, keyphrases.iter().map(surface).collect())
}

/// Labels and keyphrases for any grouping of the corpus (`class_of[d]` < `k`): used after user
/// edits change the model's groups.
pub fn labels(corpus: &Corpus, class_of: &[usize], k: usize) -> Vec<(String, Vec<String>)> {
    class_terms(corpus, class_of, k)
        .iter()
        .map(|terms| label_from(corpus, terms))
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
}
