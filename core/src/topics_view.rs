//! What a topic browser shows beyond the topic facade: whether a model exists yet, the papers of a
//! topic in list order, papers per year per topic, and a 2-D map of the leaf topics placed by
//! similarity. Reads the topic tables of migration 0002; writes nothing.

use std::collections::{HashMap, HashSet};

use crate::db;
use serde::Serialize;

use crate::browse::{SortBy, View};
use crate::topics::SparseVec;
use crate::{Library, Result};

/// How many papers of a topic (a leaf, or a parent's leaves together) appeared in one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct TopicYear {
    pub topic: i64,
    pub year: i32,
    pub papers: usize,
}

/// A leaf topic's place on the topic map: similar topics lie close together. Coordinates are in
/// [-1, 1]; the scale is arbitrary, only distances mean something.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct TopicPoint {
    pub topic: i64,
    pub x: f32,
    pub y: f32,
}

impl Library {
    /// True once the topic model has been fitted (the first [`Library::topics`] call fits it).
    pub fn has_topics(&self) -> Result<bool> {
        Ok(db::topics::has_model(&self.conn())?)
    }

    /// Ids of the papers listed under `topic` (a leaf, or every leaf of a parent) in `sort` order.
    pub fn topic_paper_ids(&self, topic: i64, sort: SortBy) -> Result<Vec<i64>> {
        let members: HashSet<i64> = db::topics::listed_papers(&self.conn(), topic)?;
        // The list order is the browse module's; keep one definition of it.
        Ok(self
            .list_ids(&View::All, sort)?
            .into_iter()
            .filter(|id| members.contains(id))
            .collect())
    }

    /// Papers per year for every topic (leaves and parents), oldest year first. Papers without a
    /// year are left out.
    pub fn topic_years(&self) -> Result<Vec<TopicYear>> {
        let mut counts: HashMap<(i64, i32), usize> = HashMap::new();
        for row in db::topics::papers_per_leaf_and_year(&self.conn())? {
            let db::topics::LeafYear {
                leaf,
                parent,
                year,
                papers: n,
            } = row;
            *counts.entry((leaf, year)).or_default() += n as usize;
            if let Some(p) = parent {
                *counts.entry((p, year)).or_default() += n as usize;
            }
        }
        let mut out: Vec<TopicYear> = counts
            .into_iter()
            .map(|((topic, year), papers)| TopicYear {
                topic,
                year,
                papers,
            })
            .collect();
        out.sort_by_key(|t| (t.topic, t.year));
        Ok(out)
    }

    /// The leaf topics on a plane: classical multidimensional scaling of the cosine distances
    /// between their centroids. Deterministic; empty before the first fit.
    pub fn topic_map(&self) -> Result<Vec<TopicPoint>> {
        let leaves: Vec<(i64, SparseVec)> = db::topics::leaf_centroids(&self.conn())?;
        let n = leaves.len();
        let mut sim = vec![vec![0f64; n]; n];
        for i in 0..n {
            sim[i][i] = 1.0;
            for j in i + 1..n {
                let s = leaves[i].1.dot(&leaves[j].1) as f64;
                sim[i][j] = s;
                sim[j][i] = s;
            }
        }
        let xy = scale_to_plane(&sim);
        Ok(leaves
            .iter()
            .zip(xy)
            .map(|((id, _), (x, y))| TopicPoint { topic: *id, x, y })
            .collect())
    }
}

/// Classical MDS: squared distances of unit vectors are 2 − 2·cos; double-centre them and take the
/// two leading eigenvectors (power iteration with deflation), scaled into [-1, 1].
fn scale_to_plane(sim: &[Vec<f64>]) -> Vec<(f32, f32)> {
    let n = sim.len();
    if n == 0 {
        return Vec::new();
    }
    if n == 1 {
        return vec![(0.0, 0.0)];
    }
    let d2: Vec<Vec<f64>> = sim
        .iter()
        .map(|row| row.iter().map(|s| (2.0 - 2.0 * s).max(0.0)).collect())
        .collect();
    let row_mean: Vec<f64> = d2
        .iter()
        .map(|r| r.iter().sum::<f64>() / n as f64)
        .collect();
    let all_mean = row_mean.iter().sum::<f64>() / n as f64;
    let mut b: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            (0..n)
                .map(|j| -0.5 * (d2[i][j] - row_mean[i] - row_mean[j] + all_mean))
                .collect()
        })
        .collect();
    let mut axes = Vec::new();
    for axis in 0..2 {
        // A fixed, non-symmetric start vector keeps the result deterministic.
        let mut v: Vec<f64> = (0..n)
            .map(|i| 1.0 + ((i * 7 + axis * 3) % 11) as f64 / 10.0)
            .collect();
        let mut lambda = 0.0;
        for _ in 0..300 {
            let w: Vec<f64> = (0..n)
                .map(|i| (0..n).map(|j| b[i][j] * v[j]).sum())
                .collect();
            let norm = w.iter().map(|x| x * x).sum::<f64>().sqrt();
            if norm < 1e-12 {
                break;
            }
            lambda = norm;
            v = w.into_iter().map(|x| x / norm).collect();
        }
        let coords: Vec<f64> = v.iter().map(|x| x * lambda.max(0.0).sqrt()).collect();
        for i in 0..n {
            for j in 0..n {
                b[i][j] -= lambda * v[i] * v[j];
            }
        }
        axes.push(coords);
    }
    let extent = axes
        .iter()
        .flatten()
        .fold(0f64, |m, x| m.max(x.abs()))
        .max(1e-9);
    (0..n)
        .map(|i| ((axes[0][i] / extent) as f32, (axes[1][i] / extent) as f32))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similar_topics_lie_closer_than_dissimilar_ones() {
        // Topics 0 and 1 are near-duplicates, 2 is unrelated to both, 3 is halfway.
        let sim = vec![
            vec![1.0, 0.9, 0.0, 0.3],
            vec![0.9, 1.0, 0.0, 0.3],
            vec![0.0, 0.0, 1.0, 0.3],
            vec![0.3, 0.3, 0.3, 1.0],
        ];
        let p = scale_to_plane(&sim);
        let d = |a: usize, b: usize| ((p[a].0 - p[b].0).powi(2) + (p[a].1 - p[b].1).powi(2)).sqrt();
        assert!(d(0, 1) < d(0, 2) / 3.0, "{p:?}");
        assert!(d(0, 1) < d(0, 3) && d(0, 3) < d(0, 2), "{p:?}");
        assert!(p.iter().all(|(x, y)| x.abs() <= 1.0 && y.abs() <= 1.0));
        assert_eq!(p, scale_to_plane(&sim), "deterministic");
    }

    #[test]
    fn degenerate_maps() {
        assert!(scale_to_plane(&[]).is_empty());
        assert_eq!(scale_to_plane(&[vec![1.0]]), vec![(0.0, 0.0)]);
    }
}
