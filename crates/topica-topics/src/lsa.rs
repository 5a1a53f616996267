//! Latent semantic analysis: TF-IDF vectors projected onto their strongest singular directions.
//! Words that occur in the same papers ("speech", "acoustic", "spoken") fold into shared
//! coordinates, so two abstracts about one subject in different words are close, where their raw
//! TF-IDF vectors share few terms. The lexical mode clusters these coordinates (measured in
//! `bench-topics`, docs/benchmarks.md).
//!
//! A randomized truncated SVD (Halko, Martinsson & Tropp 2011, as scikit-learn's
//! `TruncatedSVD`): a random range is multiplied through the matrix a few times, orthonormalised,
//! and the small problem left is solved exactly (nalgebra's symmetric eigensolver).

use nalgebra::{DMatrix, SymmetricEigen};
use rayon::prelude::*;

use crate::cluster::Rng;
use crate::dense::dot;
use crate::vectorize::SparseVec;

/// Extra random directions beyond the ones kept: they catch what the top ones miss.
const OVERSAMPLES: usize = 10;
/// Power iterations (scikit-learn's default for `TruncatedSVD` is 5).
const POWER_ITERATIONS: usize = 5;

/// A fitted projection: term → coordinates.
#[derive(Debug, Clone)]
pub struct Lsa {
    /// Coordinates kept (fewer when the matrix has fewer rows).
    pub dim: usize,
    /// `terms × dim`, row-major: the right singular vectors, each term's row.
    projection: Vec<f32>,
}

impl Lsa {
    /// Fits `dim` directions on `rows` (unit TF-IDF vectors over `terms` terms).
    pub fn fit(rows: &[SparseVec], terms: usize, dim: usize, seed: u64) -> Lsa {
        let l = (dim + OVERSAMPLES).min(rows.len()).min(terms);
        if l == 0 {
            return Lsa {
                dim: 0,
                projection: Vec::new(),
            };
        }
        let dim = dim.min(l);
        let by_term = transpose(rows, terms);
        // Ω: terms × l, random signs.
        let mut rng = Rng::new(seed);
        let omega: Vec<f32> = (0..terms * l)
            .map(|_| if rng.unit() < 0.5 { -1.0 } else { 1.0 })
            .collect();
        let mut q = times(rows, &omega, l); // n × l
        orthonormalise(&mut q, rows.len(), l);
        for _ in 0..POWER_ITERATIONS {
            let mut z = times(&by_term, &q, l); // terms × l
            orthonormalise(&mut z, terms, l);
            q = times(rows, &z, l);
            orthonormalise(&mut q, rows.len(), l);
        }
        // B = Qᵀ X (l × terms); Z = Bᵀ. B Bᵀ = Zᵀ Z = W Λ Wᵀ; the right singular vectors are
        // V = Z W Λ^(-1/2).
        let z = times(&by_term, &q, l); // terms × l
        let mut gram = DMatrix::<f64>::zeros(l, l);
        let cols = columns(&z, terms, l);
        for i in 0..l {
            for j in i..l {
                let g = dot(&cols[i], &cols[j]) as f64;
                gram[(i, j)] = g;
                gram[(j, i)] = g;
            }
        }
        let eig = SymmetricEigen::new(gram);
        let mut order: Vec<usize> = (0..l).collect();
        order.sort_by(|&a, &b| eig.eigenvalues[b].total_cmp(&eig.eigenvalues[a]));
        // The coefficients taking a row of Z to a row of V, for the kept directions.
        let mut coef = vec![0f32; l * dim]; // l × dim
        for (c, &e) in order.iter().take(dim).enumerate() {
            let sigma = eig.eigenvalues[e].max(0.0).sqrt();
            let inv = if sigma > 1e-9 { 1.0 / sigma } else { 0.0 };
            for r in 0..l {
                coef[r * dim + c] = (eig.eigenvectors[(r, e)] * inv) as f32;
            }
        }
        let mut projection = vec![0f32; terms * dim];
        projection
            .par_chunks_mut(dim)
            .zip(z.par_chunks(l))
            .for_each(|(out, zr)| {
                for (r, &zv) in zr.iter().enumerate() {
                    if zv != 0.0 {
                        let c = &coef[r * dim..(r + 1) * dim];
                        out.iter_mut().zip(c).for_each(|(o, &cv)| *o += zv * cv);
                    }
                }
            });
        Lsa { dim, projection }
    }

    /// A vector's coordinates, scaled to unit length (zero when it has no known term).
    pub fn project(&self, v: &SparseVec) -> Vec<f32> {
        let mut out = vec![0f32; self.dim];
        for (&t, &w) in v.idx.iter().zip(&v.val) {
            let t = t as usize;
            if let Some(p) = self.projection.get(t * self.dim..(t + 1) * self.dim) {
                out.iter_mut().zip(p).for_each(|(o, &pv)| *o += w * pv);
            }
        }
        crate::dense::normalise(&mut out);
        out
    }

    /// [`Lsa::project`] of every vector, row-major `n × dim`.
    pub fn project_all(&self, vs: &[SparseVec]) -> Vec<f32> {
        let rows: Vec<Vec<f32>> = vs.par_iter().map(|v| self.project(v)).collect();
        rows.concat()
    }
}

/// The matrix by columns: term → (row, weight) pairs, as sparse vectors over rows.
fn transpose(rows: &[SparseVec], terms: usize) -> Vec<SparseVec> {
    let mut out = vec![SparseVec::default(); terms];
    for (r, v) in rows.iter().enumerate() {
        for (&t, &w) in v.idx.iter().zip(&v.val) {
            if let Some(col) = out.get_mut(t as usize) {
                col.idx.push(r as u32);
                col.val.push(w);
            }
        }
    }
    out
}

/// Sparse rows × a dense row-major matrix with `l` columns: one output row per sparse row.
fn times(rows: &[SparseVec], dense: &[f32], l: usize) -> Vec<f32> {
    let mut out = vec![0f32; rows.len() * l];
    out.par_chunks_mut(l).zip(rows).for_each(|(o, v)| {
        for (&t, &w) in v.idx.iter().zip(&v.val) {
            let d = &dense[t as usize * l..(t as usize + 1) * l];
            o.iter_mut().zip(d).for_each(|(x, &y)| *x += w * y);
        }
    });
    out
}

/// Columns of a row-major `n × l` matrix, each contiguous.
fn columns(m: &[f32], n: usize, l: usize) -> Vec<Vec<f32>> {
    (0..l)
        .into_par_iter()
        .map(|c| (0..n).map(|r| m[r * l + c]).collect())
        .collect()
}

/// Orthonormalises the columns of a row-major `n × l` matrix in place (modified Gram–Schmidt,
/// twice: once is not orthogonal enough when columns are nearly dependent). A column that
/// vanishes stays zero.
fn orthonormalise(m: &mut [f32], n: usize, l: usize) {
    let mut cols = columns(m, n, l);
    for _ in 0..2 {
        for c in 0..l {
            let (done, rest) = cols.split_at_mut(c);
            let col = &mut rest[0];
            for prev in done.iter() {
                let p = dot(col, prev);
                col.iter_mut().zip(prev).for_each(|(x, &y)| *x -= p * y);
            }
            let norm = dot(col, col).sqrt();
            if norm > 1e-6 {
                col.iter_mut().for_each(|x| *x /= norm);
            } else {
                col.iter_mut().for_each(|x| *x = 0.0);
            }
        }
    }
    m.par_chunks_mut(l).enumerate().for_each(|(r, row)| {
        for (c, x) in row.iter_mut().enumerate() {
            *x = cols[c][r];
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sv(pairs: &[(u32, f32)]) -> SparseVec {
        let norm = pairs.iter().map(|p| p.1 * p.1).sum::<f32>().sqrt();
        SparseVec {
            idx: pairs.iter().map(|p| p.0).collect(),
            val: pairs.iter().map(|p| p.1 / norm).collect(),
        }
    }

    #[test]
    fn words_used_together_fold_into_one_direction() {
        // Terms 0–2 are used together, terms 3–5 together; no paper shares a term across groups.
        let rows = vec![
            sv(&[(0, 1.0), (1, 1.0)]),
            sv(&[(1, 1.0), (2, 1.0)]),
            sv(&[(0, 1.0), (2, 1.0)]),
            sv(&[(3, 1.0), (4, 1.0)]),
            sv(&[(4, 1.0), (5, 1.0)]),
            sv(&[(3, 1.0), (5, 1.0)]),
        ];
        let lsa = Lsa::fit(&rows, 6, 2, 7);
        assert_eq!(lsa.dim, 2);
        // "0 alone" and "2 alone" share no term, yet land together; far from "4 alone".
        let a = lsa.project(&sv(&[(0, 1.0)]));
        let b = lsa.project(&sv(&[(2, 1.0)]));
        let c = lsa.project(&sv(&[(4, 1.0)]));
        assert!(dot(&a, &b) > 0.99, "same group: {}", dot(&a, &b));
        assert!(dot(&a, &c).abs() < 0.05, "other group: {}", dot(&a, &c));
        assert!((dot(&a, &a) - 1.0).abs() < 1e-5);
    }

    #[test]
    fn nothing_to_fit_projects_to_nothing() {
        let lsa = Lsa::fit(&[], 10, 100, 1);
        assert_eq!(lsa.dim, 0);
        assert!(lsa.project(&sv(&[(3, 1.0)])).is_empty());
    }

    #[test]
    fn singular_vectors_are_orthonormal() {
        let mut rng = Rng::new(3);
        let rows: Vec<SparseVec> = (0..200)
            .map(|_| {
                let mut t: Vec<u32> = (0..8).map(|_| rng.below(60) as u32).collect();
                t.sort();
                t.dedup();
                sv(&t
                    .iter()
                    .map(|&t| (t, 1.0 + rng.unit() as f32))
                    .collect::<Vec<_>>())
            })
            .collect();
        let lsa = Lsa::fit(&rows, 60, 20, 1);
        let cols = columns(&lsa.projection, 60, 20);
        for i in 0..20 {
            for j in 0..20 {
                let d = dot(&cols[i], &cols[j]);
                let want = if i == j { 1.0 } else { 0.0 };
                assert!((d - want).abs() < 1e-3, "V[{i}]·V[{j}] = {d}");
            }
        }
    }
}
