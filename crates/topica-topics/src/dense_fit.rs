//! Where both modes' fits end: topics among dense unit rows, one per paper (sentence embeddings
//! in semantic mode, LSA coordinates of TF-IDF in the lexical one). Rows are smoothed over their
//! nearest neighbours, clustered by spherical k-means into leaves and the leaves into parents;
//! labels and sparse term centroids come from the TF-IDF corpus, so labels, user edits, `topic:`
//! search and everything downstream of a [`Model`] are the same in both modes.

use crate::dense::{self, kmeans, DenseClustering, Rows};
use crate::model::{
    auto_leaves, auto_parents, centroid_of, labels, parent_labels, FitOptions, FittedTopic, Model,
};
use crate::steps::Steps;
use crate::vectorize::Corpus;

/// How sharply a paper's weight falls off with its cosine to a further topic: a topic 0.05 less
/// similar than the best weighs 1/e as much. Embedding cosines crowd in 0.3–0.8, so normalising
/// raw cosines would give every paper three near-equal topics.
const WEIGHT_TEMPERATURE: f32 = 0.05;

/// Steps of the diffusion before k-means (see [`dense::diffuse`]), over the mutual pairs among
/// each paper's nearest neighbours ([`dense::mutual`]), at least [`AT_LEAST`] per paper.
const DIFFUSION_STEPS: usize = 2;
const AT_LEAST: usize = 3;

/// How many nearest neighbours a paper's mutual pairs are drawn from: 40 in a library of
/// thousands (NMI 0.563 / 0.546 on the combined / maths files, means of six seeds; 15 gave
/// 0.558 / 0.538), fewer in a small one, where 40 spans much of the library and merged the
/// sample library's language-model papers into one topic of 39.
fn neighbours_for(n: usize) -> usize {
    (n / 70).clamp(15, 40)
}

/// Libraries up to this size are smoothed: exact neighbours are n² work (about 30 s for 20,000
/// embeddings on two cores); above it k-means runs on the rows as they are.
pub const SMOOTH_LIMIT: usize = 20_000;

/// Topics found among dense unit rows (one per document of `corpus`), labelled from `corpus`.
pub(crate) fn fit_rows(corpus: Corpus, rows: &[f32], dim: usize, opts: FitOptions) -> Model {
    let x = Rows::new(rows, dim);
    let n = x.len();
    let mut step = Steps::new("neighbours");
    let smoothed;
    let xs = if n <= SMOOTH_LIMIT {
        let neighbours = dense::mutual(&dense::nearest_neighbours(x, neighbours_for(n)), AT_LEAST);
        step.next("diffusion");
        smoothed = dense::diffuse(x, &neighbours, DIFFUSION_STEPS);
        Rows::new(&smoothed, dim)
    } else {
        x
    };
    step.next("leaves (k-means)");
    let k = opts
        .leaves
        .unwrap_or_else(|| auto_leaves(n))
        .clamp(1, n.max(1));
    // Four restarts: above 20,000 papers they run on `kmeans`'s sample, so they cost the same.
    let leaves_cl = kmeans(xs, None, k, opts.seed, 4);
    let k = leaves_cl.k;
    step.next("weights");
    let weights: Vec<Vec<(usize, f32)>> = (0..n)
        .map(|d| topic_weights(&leaves_cl, xs.row(d), 3))
        .collect();
    step.next("parents (k-means)");
    let sizes: Vec<f32> = (0..k)
        .map(|c| leaves_cl.assign.iter().filter(|&&l| l == c).count() as f32)
        .collect();
    let p = opts
        .parents
        .unwrap_or_else(|| auto_parents(k))
        .clamp(1, k.max(1));
    let parents_cl = kmeans(
        Rows::new(&leaves_cl.centroids, dim),
        Some(&sizes),
        p,
        opts.seed ^ 0x5eed,
        4,
    );
    step.next("labels");
    let leaf_of = leaves_cl.assign.clone();
    let centrality = leaves_cl.sims.clone();
    let parent_of_doc: Vec<usize> = leaf_of.iter().map(|&l| parents_cl.assign[l]).collect();
    let leaf_labels = labels(&corpus, &leaf_of, k);
    let parent_names = parent_labels(
        &corpus,
        &leaf_of,
        &parents_cl.assign,
        parents_cl.k,
        &leaf_labels,
    );
    let members_by = |of: &[usize], c: usize, cen: &[f32]| {
        let mut m: Vec<usize> = (0..n).filter(|&d| of[d] == c).collect();
        let sim: Vec<f32> = m.iter().map(|&d| dense::dot(xs.row(d), cen)).collect();
        let mut order: Vec<usize> = (0..m.len()).collect();
        order.sort_by(|&a, &b| sim[b].total_cmp(&sim[a]).then(m[a].cmp(&m[b])));
        m = order.into_iter().map(|i| m[i]).collect();
        m
    };
    let leaves: Vec<FittedTopic> = leaf_labels
        .into_iter()
        .enumerate()
        .map(|(c, (label, keyphrases))| {
            let members = members_by(&leaf_of, c, leaves_cl.centroid(c));
            FittedTopic {
                label,
                keyphrases,
                centroid: centroid_of(&corpus.vectors, &members),
                members,
                parent: Some(parents_cl.assign[c]),
            }
        })
        .collect();
    let parents: Vec<FittedTopic> = parent_names
        .into_iter()
        .enumerate()
        .map(|(c, (label, keyphrases))| {
            let members = members_by(&parent_of_doc, c, parents_cl.centroid(c));
            FittedTopic {
                label,
                keyphrases,
                centroid: centroid_of(&corpus.vectors, &members),
                members,
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

/// A paper's `m` nearest topics with weights summing to 1 (see [`WEIGHT_TEMPERATURE`]); topics
/// under 5 % are left out.
pub fn topic_weights(cl: &DenseClustering, v: &[f32], m: usize) -> Vec<(usize, f32)> {
    weights_from(
        (0..cl.k)
            .map(|c| (c, dense::dot(v, cl.centroid(c))))
            .collect(),
        m,
    )
}

/// [`topic_weights`] from (topic, cosine) pairs.
pub fn weights_from(mut s: Vec<(usize, f32)>, m: usize) -> Vec<(usize, f32)> {
    s.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    s.truncate(m);
    let best = s.first().map_or(0.0, |p| p.1);
    s.iter_mut()
        .for_each(|p| p.1 = ((p.1 - best) / WEIGHT_TEMPERATURE).exp());
    let total: f32 = s.iter().map(|p| p.1).sum();
    s.iter_mut().for_each(|p| p.1 /= total);
    s.retain(|p| p.1 >= 0.05);
    let total: f32 = s.iter().map(|p| p.1).sum();
    s.iter_mut().for_each(|p| p.1 /= total);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_favour_the_nearest_topic_and_sum_to_one() {
        let w = weights_from(vec![(0, 0.40), (1, 0.62), (2, 0.60), (3, 0.1)], 3);
        assert_eq!(w[0].0, 1);
        assert_eq!(w[1].0, 2);
        assert!(w[0].1 > w[1].1);
        assert!(w.iter().all(|p| p.0 != 3), "{w:?}");
        assert!((w.iter().map(|p| p.1).sum::<f32>() - 1.0).abs() < 1e-5);
    }
}
