//! Measures of a topic model for the benchmark: agreement with reference labels (NMI, ARI)
//! and coherence of top terms (NPMI over document co-occurrence).

use rustc_hash::FxHashMap;

use crate::vectorize::SparseVec;

/// Counts of each (a, b) label pair, of each a label and of each b label.
type Contingency = (
    FxHashMap<(usize, usize), f64>,
    FxHashMap<usize, f64>,
    FxHashMap<usize, f64>,
);

fn contingency(a: &[usize], b: &[usize]) -> Contingency {
    let mut nij = FxHashMap::default();
    let mut ai = FxHashMap::default();
    let mut bj = FxHashMap::default();
    for (&x, &y) in a.iter().zip(b) {
        *nij.entry((x, y)).or_insert(0.0) += 1.0;
        *ai.entry(x).or_insert(0.0) += 1.0;
        *bj.entry(y).or_insert(0.0) += 1.0;
    }
    (nij, ai, bj)
}

/// Normalised mutual information with arithmetic-mean normalisation (scikit-learn's default).
pub fn nmi(a: &[usize], b: &[usize]) -> f64 {
    let n = a.len() as f64;
    let (nij, ai, bj) = contingency(a, b);
    let h = |m: &FxHashMap<usize, f64>| -m.values().map(|&c| c / n * (c / n).ln()).sum::<f64>();
    let (ha, hb) = (h(&ai), h(&bj));
    let mi: f64 = nij
        .iter()
        .map(|(&(i, j), &c)| c / n * (c * n / (ai[&i] * bj[&j])).ln())
        .sum();
    if ha + hb == 0.0 {
        1.0
    } else {
        (mi / ((ha + hb) / 2.0)).max(0.0)
    }
}

/// Adjusted Rand index.
pub fn ari(a: &[usize], b: &[usize]) -> f64 {
    let n = a.len() as f64;
    let (nij, ai, bj) = contingency(a, b);
    let c2 = |x: f64| x * (x - 1.0) / 2.0;
    let index: f64 = nij.values().map(|&c| c2(c)).sum();
    let sa: f64 = ai.values().map(|&c| c2(c)).sum();
    let sb: f64 = bj.values().map(|&c| c2(c)).sum();
    let expected = sa * sb / c2(n);
    let max = (sa + sb) / 2.0;
    if max == expected {
        1.0
    } else {
        (index - expected) / (max - expected)
    }
}

/// Mean NPMI of each topic's top terms, counting co-occurrence within documents. Term pairs that
/// never co-occur score −1.
pub fn npmi(vectors: &[SparseVec], topics: &[Vec<u32>]) -> f64 {
    let n = vectors.len() as f64;
    let wanted: rustc_hash::FxHashSet<u32> = topics.iter().flatten().copied().collect();
    let mut df: FxHashMap<u32, f64> = FxHashMap::default();
    let mut co: FxHashMap<(u32, u32), f64> = FxHashMap::default();
    for v in vectors {
        let present: Vec<u32> = v
            .idx
            .iter()
            .copied()
            .filter(|t| wanted.contains(t))
            .collect();
        for (i, &a) in present.iter().enumerate() {
            *df.entry(a).or_insert(0.0) += 1.0;
            for &b in &present[i + 1..] {
                *co.entry((a.min(b), a.max(b))).or_insert(0.0) += 1.0;
            }
        }
    }
    let mut scores = Vec::new();
    for terms in topics {
        let mut s = Vec::new();
        for (i, &a) in terms.iter().enumerate() {
            for &b in &terms[i + 1..] {
                let pab = co.get(&(a.min(b), a.max(b))).copied().unwrap_or(0.0) / n;
                let pa = df.get(&a).copied().unwrap_or(0.0) / n;
                let pb = df.get(&b).copied().unwrap_or(0.0) / n;
                s.push(if pab <= 0.0 {
                    -1.0
                } else if pab >= 1.0 {
                    1.0
                } else {
                    (pab / (pa * pb)).ln() / -pab.ln()
                });
            }
        }
        if !s.is_empty() {
            scores.push(s.iter().sum::<f64>() / s.len() as f64);
        }
    }
    if scores.is_empty() {
        0.0
    } else {
        scores.iter().sum::<f64>() / scores.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agreement_measures_match_known_values() {
        let a = [0, 0, 0, 1, 1, 1];
        assert!((nmi(&a, &[5, 5, 5, 7, 7, 7]) - 1.0).abs() < 1e-12);
        assert!((ari(&a, &[5, 5, 5, 7, 7, 7]) - 1.0).abs() < 1e-12);
        // scikit-learn: normalized_mutual_info_score([0,0,0,1,1,1],[0,0,1,1,2,2]) = 0.5158037429793889
        assert!((nmi(&a, &[0, 0, 1, 1, 2, 2]) - 0.515_803_742_979_388_9).abs() < 1e-9);
        // adjusted_rand_score([0,0,0,1,1,1],[0,0,1,1,2,2]) = 0.24242424242424246
        assert!((ari(&a, &[0, 0, 1, 1, 2, 2]) - 0.242_424_242_424_242_46).abs() < 1e-9);
    }
}
