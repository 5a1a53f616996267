//! Spherical k-means on sparse unit vectors: leaf topics from papers, parent topics from leaves.
//! Deterministic for a seed (own SplitMix64, fixed reduction order).

use rayon::prelude::*;

use crate::steps::Steps;
use crate::vectorize::SparseVec;

/// A clustering: unit centroids and each point's cluster and cosine to it.
#[derive(Debug, Clone)]
pub struct Clustering {
    pub k: usize,
    /// Row-major `k × dim`, each row of unit length.
    pub centroids: Vec<f32>,
    pub assign: Vec<u32>,
    pub sims: Vec<f32>,
}

/// SplitMix64: tiny, seedable, good enough for choosing seeds.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Centroids transposed (`dim × k`) so scoring a sparse vector reads contiguous rows.
pub struct Scorer {
    k: usize,
    t: Vec<f32>,
}

impl Scorer {
    pub fn new(centroids: &[f32], k: usize, dim: usize) -> Scorer {
        let mut t = vec![0.0f32; dim * k];
        for c in 0..k {
            for d in 0..dim {
                t[d * k + c] = centroids[c * dim + d];
            }
        }
        Scorer { k, t }
    }

    pub fn scores(&self, v: &SparseVec, out: &mut [f32]) {
        out.iter_mut().for_each(|s| *s = 0.0);
        for (&i, &w) in v.idx.iter().zip(&v.val) {
            let row = &self.t[i as usize * self.k..(i as usize + 1) * self.k];
            for (s, c) in out.iter_mut().zip(row) {
                *s += w * c;
            }
        }
    }

    /// The `m` best clusters and their cosines for every point, best first (ties: lower index).
    fn top(&self, points: &[SparseVec], m: usize) -> Vec<Vec<(u32, f32)>> {
        points
            .par_iter()
            .map_init(
                || (vec![0.0f32; self.k], Vec::with_capacity(self.k)),
                |(buf, s), v| {
                    self.scores(v, buf);
                    s.clear();
                    s.extend(buf.iter().enumerate().map(|(c, &x)| (c as u32, x)));
                    let order =
                        |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
                    if s.len() > m {
                        s.select_nth_unstable_by(m - 1, order);
                        s.truncate(m);
                    }
                    s.sort_by(order);
                    // A new vector of the m kept: the k-long scratch one truncated kept its whole
                    // capacity, k entries per point (1M papers, 400 leaves: 3.2 GB).
                    s.to_vec()
                },
            )
            .collect()
    }

    /// Best cluster and its cosine for every point.
    fn assign(&self, points: &[SparseVec]) -> Vec<(u32, f32)> {
        points
            .par_iter()
            .map_init(
                || vec![0.0f32; self.k],
                |buf, v| {
                    self.scores(v, buf);
                    argmax(buf)
                },
            )
            .collect()
    }
}

/// Centroids cut to their heaviest terms, as an inverted index (term → (cluster, weight)). At 100k
/// papers and 200 leaves the dense `dim × k` table is 50 MB and each Lloyd pass waits on memory;
/// this one fits in cache. Scores are slightly low (the dropped tail), so large inputs iterate with
/// it and take their final assignment from the exact [`Scorer`].
struct TruncatedScorer {
    k: usize,
    /// `start[t]..start[t + 1]` are term t's entries.
    start: Vec<u32>,
    cluster: Vec<u32>,
    weight: Vec<f32>,
}

/// Terms each centroid keeps in a [`TruncatedScorer`].
const TRUNCATED_TERMS: usize = 1000;

impl TruncatedScorer {
    fn new(centroids: &[f32], k: usize, dim: usize) -> TruncatedScorer {
        let mut entries: Vec<(u32, u32, f32)> = Vec::with_capacity(k * TRUNCATED_TERMS);
        for c in 0..k {
            let row = &centroids[c * dim..(c + 1) * dim];
            let mut nz: Vec<(u32, f32)> = row
                .iter()
                .enumerate()
                .filter(|p| *p.1 > 0.0)
                .map(|(t, &w)| (t as u32, w))
                .collect();
            if nz.len() > TRUNCATED_TERMS {
                nz.select_nth_unstable_by(TRUNCATED_TERMS - 1, |a, b| {
                    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
                });
                nz.truncate(TRUNCATED_TERMS);
            }
            entries.extend(nz.into_iter().map(|(t, w)| (t, c as u32, w)));
        }
        entries.sort_unstable_by_key(|e| (e.0, e.1));
        let mut start = vec![0u32; dim + 1];
        for e in &entries {
            start[e.0 as usize + 1] += 1;
        }
        for t in 0..dim {
            start[t + 1] += start[t];
        }
        TruncatedScorer {
            k,
            start,
            cluster: entries.iter().map(|e| e.1).collect(),
            weight: entries.iter().map(|e| e.2).collect(),
        }
    }

    fn assign(&self, points: &[SparseVec]) -> Vec<(u32, f32)> {
        points
            .par_iter()
            .map_init(
                || vec![0.0f32; self.k],
                |out, v| {
                    out.iter_mut().for_each(|s| *s = 0.0);
                    for (&t, &w) in v.idx.iter().zip(&v.val) {
                        let r =
                            self.start[t as usize] as usize..self.start[t as usize + 1] as usize;
                        for (&c, &x) in self.cluster[r.clone()].iter().zip(&self.weight[r]) {
                            out[c as usize] += w * x;
                        }
                    }
                    argmax(out)
                },
            )
            .collect()
    }
}

fn argmax(s: &[f32]) -> (u32, f32) {
    let mut best = (0u32, f32::NEG_INFINITY);
    for (i, &x) in s.iter().enumerate() {
        if x > best.1 {
            best = (i as u32, x);
        }
    }
    best
}

/// k-means++ seeding on cosine distance, over at most `sample` points.
fn seed_centroids(
    points: &[SparseVec],
    weights: Option<&[f32]>,
    k: usize,
    dim: usize,
    rng: &mut Rng,
) -> Vec<f32> {
    let n = points.len();
    let mut centroids = vec![0.0f32; k * dim];
    let mut dist = vec![1.0f64; n];
    let mut chosen = rng.below(n);
    for c in 0..k {
        let p = &points[chosen];
        for (&i, &w) in p.idx.iter().zip(&p.val) {
            centroids[c * dim + i as usize] = w;
        }
        if c + 1 == k {
            break;
        }
        // Against the new centroid held dense: same sums as a sparse merge (the extra terms add
        // exact zeros), without its branches; this was most of the seeding time at 100k papers.
        let row = &centroids[c * dim..(c + 1) * dim];
        let d: Vec<f64> = points
            .par_iter()
            .map(|q| (1.0 - q.dot_dense(row) as f64).max(0.0))
            .collect();
        for (a, b) in dist.iter_mut().zip(d) {
            *a = a.min(b);
        }
        let w = |i: usize| dist[i] * dist[i] * weights.map_or(1.0, |w| w[i] as f64);
        let total: f64 = (0..n).map(w).sum();
        if total <= 0.0 {
            chosen = rng.below(n);
            continue;
        }
        let mut r = rng.unit() * total;
        chosen = n - 1;
        for i in 0..n {
            r -= w(i);
            if r <= 0.0 {
                chosen = i;
                break;
            }
        }
    }
    centroids
}

/// Mean direction of each cluster (weighted), normalised; an empty cluster takes the point
/// worst served by its centroid.
fn update(
    points: &[SparseVec],
    weights: Option<&[f32]>,
    assign: &mut [(u32, f32)],
    k: usize,
    dim: usize,
) -> Vec<f32> {
    let mut c = vec![0.0f32; k * dim];
    let mut sizes = vec![0usize; k];
    for (p, (a, _)) in assign.iter().enumerate() {
        let w = weights.map_or(1.0, |w| w[p]);
        sizes[*a as usize] += 1;
        let row = &mut c[*a as usize * dim..(*a as usize + 1) * dim];
        for (&i, &x) in points[p].idx.iter().zip(&points[p].val) {
            row[i as usize] += w * x;
        }
    }
    for e in 0..k {
        if sizes[e] == 0 {
            // Reseed from the worst-served point of a cluster with more than one member.
            let worst = (0..assign.len())
                .filter(|&p| sizes[assign[p].0 as usize] > 1)
                .min_by(|&a, &b| assign[a].1.total_cmp(&assign[b].1).then(a.cmp(&b)));
            if let Some(p) = worst {
                sizes[assign[p].0 as usize] -= 1;
                assign[p] = (e as u32, 1.0);
                sizes[e] = 1;
                let row = &mut c[e * dim..(e + 1) * dim];
                for (&i, &x) in points[p].idx.iter().zip(&points[p].val) {
                    row[i as usize] = x;
                }
            }
        }
    }
    for e in 0..k {
        let row = &mut c[e * dim..(e + 1) * dim];
        let n = row.iter().map(|x| x * x).sum::<f32>().sqrt();
        if n > 0.0 {
            row.iter_mut().for_each(|x| *x /= n);
        }
    }
    c
}

/// One run of Lloyd iterations from the given centroids.
#[allow(clippy::too_many_arguments)] // the knobs differ between the sample fit and the refinement
fn lloyd(
    points: &[SparseVec],
    weights: Option<&[f32]>,
    mut centroids: Vec<f32>,
    k: usize,
    dim: usize,
    max_iter: usize,
    truncated: bool,
    final_assign: bool,
) -> (Vec<f32>, Vec<(u32, f32)>) {
    let mut assign: Vec<(u32, f32)> = Vec::new();
    let mut iterations = 0;
    for _ in 0..max_iter {
        iterations += 1;
        let next = if truncated {
            TruncatedScorer::new(&centroids, k, dim).assign(points)
        } else {
            Scorer::new(&centroids, k, dim).assign(points)
        };
        let changed = assign.is_empty()
            || next.iter().zip(&assign).filter(|(a, b)| a.0 != b.0).count() > points.len() / 1000;
        assign = next;
        centroids = update(points, weights, &mut assign, k, dim);
        if !changed {
            break;
        }
    }
    tracing::debug!(iterations, max_iter, points = points.len(), "Lloyd");
    if !final_assign {
        return (centroids, Vec::new());
    }
    let assign = Scorer::new(&centroids, k, dim).assign(points);
    (centroids, assign)
}

/// Spherical k-means. Small inputs take the best of several seeded restarts; large ones are
/// fitted on a sample and then refined on every point.
pub fn spherical_kmeans(
    points: &[SparseVec],
    weights: Option<&[f32]>,
    dim: usize,
    k: usize,
    seed: u64,
) -> Clustering {
    spherical_kmeans_top(points, weights, dim, k, seed, 1).0
}

/// [`spherical_kmeans`], also giving each point's `m` nearest clusters with their cosines, best
/// first, from the same final pass (a second pass over 100k papers cost several seconds).
pub fn spherical_kmeans_top(
    points: &[SparseVec],
    weights: Option<&[f32]>,
    dim: usize,
    k: usize,
    seed: u64,
    m: usize,
) -> (Clustering, Vec<Vec<(u32, f32)>>) {
    let n = points.len();
    let k = k.clamp(1, n.max(1));
    if n == 0 {
        let empty = Clustering {
            k: 0,
            centroids: Vec::new(),
            assign: Vec::new(),
            sims: Vec::new(),
        };
        return (empty, Vec::new());
    }
    const SAMPLE: usize = 20_000;
    let mut rng = Rng::new(seed);
    // Ten restarts (best objective kept) beat five on both benchmark files; they cost little below
    // 5,000 papers, and above that one run on a sample is refined on every paper instead.
    let restarts = if n <= 5_000 { 10 } else { 1 };
    // Above 5,000 papers Lloyd iterations score against truncated centroids (see
    // `TruncatedScorer`); the final assignment is always exact.
    let large = n > 5_000;
    let sample: Vec<SparseVec>;
    let sample_weights: Option<Vec<f32>>;
    let (fit_points, fit_weights) = if n > SAMPLE {
        // Every (n / SAMPLE)-th point: deterministic and spread over the library.
        let step = n as f64 / SAMPLE as f64;
        let picks: Vec<usize> = (0..SAMPLE).map(|i| (i as f64 * step) as usize).collect();
        sample = picks.iter().map(|&i| points[i].clone()).collect();
        sample_weights = weights.map(|w| picks.iter().map(|&i| w[i]).collect());
        (&sample[..], sample_weights.as_deref())
    } else {
        (points, weights)
    };
    let mut best: Option<(f64, Vec<f32>)> = None;
    let mut step = Steps::idle();
    for _ in 0..restarts {
        step.next("k-means++ seeding");
        let init = seed_centroids(fit_points, fit_weights, k, dim, &mut rng);
        step.next("Lloyd iterations");
        let (c, a) = lloyd(
            fit_points,
            fit_weights,
            init,
            k,
            dim,
            40,
            large,
            restarts > 1,
        );
        let objective: f64 = a
            .iter()
            .enumerate()
            .map(|(i, x)| x.1 as f64 * fit_weights.map_or(1.0, |w| w[i] as f64))
            .sum();
        if best.as_ref().is_none_or(|b| objective > b.0) {
            best = Some((objective, c));
        }
    }
    let mut centroids = best.expect("at least one restart").1;
    if n > SAMPLE {
        step.next("refinement on every point");
        centroids = lloyd(points, weights, centroids, k, dim, 3, large, false).0;
    }
    step.next("final assignment");
    // The final assignment: exact, and the same pass ranks each point's nearest clusters.
    let top = Scorer::new(&centroids, k, dim).top(points, m.clamp(1, k));
    step.done();
    let cl = Clustering {
        k,
        centroids,
        assign: top.iter().map(|t| t[0].0).collect(),
        sims: top.iter().map(|t| t[0].1).collect(),
    };
    (cl, top)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(pairs: &[(u32, f32)]) -> SparseVec {
        let n = pairs.iter().map(|p| p.1 * p.1).sum::<f32>().sqrt();
        SparseVec {
            idx: pairs.iter().map(|p| p.0).collect(),
            val: pairs.iter().map(|p| p.1 / n).collect(),
        }
    }

    #[test]
    fn separates_obvious_groups_deterministically() {
        let pts = vec![
            v(&[(0, 1.0), (1, 0.9)]),
            v(&[(0, 0.8), (1, 1.0)]),
            v(&[(0, 1.0), (1, 1.0), (2, 0.1)]),
            v(&[(3, 1.0), (4, 0.7)]),
            v(&[(3, 0.9), (4, 1.0)]),
            v(&[(4, 1.0), (5, 0.3)]),
        ];
        let a = spherical_kmeans(&pts, None, 6, 2, 7);
        assert_eq!(a.assign[0], a.assign[1]);
        assert_eq!(a.assign[1], a.assign[2]);
        assert_eq!(a.assign[3], a.assign[4]);
        assert_eq!(a.assign[4], a.assign[5]);
        assert_ne!(a.assign[0], a.assign[3]);
        let b = spherical_kmeans(&pts, None, 6, 2, 7);
        assert_eq!(a.assign, b.assign);
        assert_eq!(a.centroids, b.centroids);
    }
}
