//! The paper map: every paper with a topic as a dot on a plane, near the papers it resembles, with
//! each topic's label at the centre of its papers (what BERTopic's `visualize_documents` or a data
//! map shows). Reads the topic tables of migration 0002; writes nothing.
//!
//! Where the dots go is decided in one place, [`paper_positions`]; which topic a dot belongs to
//! and where the labels go follow from its answer, so another projection can replace it alone.

use std::collections::HashMap;
use std::f64::consts::PI;

use serde::Serialize;

use crate::db::{self, Connection};
use crate::topics::SparseVec;
use crate::{Library, Result};

/// The whole map: a point per paper with a topic (by id) and a label per topic with papers.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PaperMap {
    pub points: Vec<PaperPoint>,
    /// Broader topics first, then leaves, each by id.
    pub topics: Vec<MapTopic>,
}

/// One paper on the map. Units are arbitrary (about one between neighbouring papers); only
/// distances mean something. `parent` is the leaf's broader topic, or the leaf itself when it has
/// none, so every point has a group to be coloured by.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PaperPoint {
    pub id: i64,
    pub x: f32,
    pub y: f32,
    pub leaf: i64,
    pub parent: i64,
}

/// A topic's label on the map, placed at the mean position of the papers listed under it.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct MapTopic {
    pub topic: i64,
    /// The user's label if they renamed the topic, else the model's.
    pub label: String,
    /// "leaf" or "parent", as in [`crate::Topic`].
    pub level: &'static str,
    pub x: f32,
    pub y: f32,
    pub papers: usize,
}

impl Library {
    /// Every paper listed under a topic, placed on a plane (see [`paper_positions`]), and the
    /// topics' labels at the centres of their papers. Deterministic; empty before the first fit.
    pub fn paper_map(&self) -> Result<PaperMap> {
        let conn = self.conn();
        let positions = paper_positions(&conn)?;
        let leaf_of = db::topics::primary_leaf_of(&conn)?;
        let rows = db::topics::topics(&conn)?;
        drop(conn);
        let parent_of: HashMap<i64, Option<i64>> =
            rows.iter().map(|t| (t.id, t.parent_id)).collect();
        let mut points: Vec<PaperPoint> = leaf_of
            .iter()
            .filter_map(|(&id, &leaf)| {
                let &(x, y) = positions.get(&id)?;
                let parent = parent_of.get(&leaf).copied().flatten().unwrap_or(leaf);
                Some(PaperPoint {
                    id,
                    x,
                    y,
                    leaf,
                    parent,
                })
            })
            .collect();
        points.sort_unstable_by_key(|p| p.id);

        // Sums in the points' (id) order, so the centres do not depend on a hash map's order.
        let mut sums: HashMap<i64, (f64, f64, usize)> = HashMap::new();
        for p in &points {
            let parent = (p.parent != p.leaf).then_some(p.parent);
            for t in std::iter::once(p.leaf).chain(parent) {
                let s = sums.entry(t).or_default();
                s.0 += p.x as f64;
                s.1 += p.y as f64;
                s.2 += 1;
            }
        }
        // `topics` lists parents (level 0) before leaves, each by id.
        let topics = rows
            .iter()
            .filter_map(|t| {
                let &(sx, sy, n) = sums.get(&t.id)?;
                Some(MapTopic {
                    topic: t.id,
                    label: t.shown_label().to_string(),
                    level: if t.level == 0 { "parent" } else { "leaf" },
                    x: (sx / n as f64) as f32,
                    y: (sy / n as f64) as f32,
                    papers: n,
                })
            })
            .collect();
        Ok(PaperMap { points, topics })
    }
}

/// Where each paper with a topic lies on the map, by paper id.
///
/// The only place that decides positions; colours, labels and hit-testing follow from it.
///
/// The leaves lie by classical MDS of their centroids, then each paper round its leaf's centre
/// (see [`layout`]). After a semantic fit both come from the papers' embeddings: the leaves'
/// mean embeddings give the MDS, and a paper's direction from its leaf's centre is its place on
/// the leaf's two principal axes of meaning (see [`embedding_directions`]).
fn paper_positions(conn: &Connection) -> Result<HashMap<i64, (f32, f32)>> {
    let mut weights = db::topics::map_weights(conn)?;
    weights.sort_unstable_by_key(|w| (w.paper, w.topic));
    let centroids: HashMap<i64, SparseVec> =
        db::topics::leaf_centroids(conn)?.into_iter().collect();

    // The leaves that list papers, by id; a paper's weights name leaves by their index here.
    let mut leaf_ids: Vec<i64> = weights
        .iter()
        .filter(|w| w.primary)
        .map(|w| w.topic)
        .collect();
    leaf_ids.sort_unstable();
    leaf_ids.dedup();
    let index: HashMap<i64, usize> = leaf_ids.iter().enumerate().map(|(i, &t)| (t, i)).collect();

    let mut members = Vec::new();
    for run in weights.chunk_by(|a, b| a.paper == b.paper) {
        let Some(primary) = run.iter().find(|w| w.primary) else {
            continue; // weights of a paper listed under no leaf: not on the map
        };
        members.push(Member {
            paper: primary.paper,
            leaf: index[&primary.topic],
            centrality: primary.centrality,
            weights: run
                .iter()
                .filter_map(|w| Some((*index.get(&w.topic)?, w.weight)))
                .collect(),
            direction: None,
        });
    }

    let semantic = db::meta::get(conn, crate::topics::FITTED_MODE)?.as_deref() == Some("semantic");
    let dense: HashMap<i64, Vec<f32>> = if semantic {
        db::embeddings::leaf_centroids(conn)?.into_iter().collect()
    } else {
        HashMap::new()
    };
    let n = leaf_ids.len();
    let sim = if !dense.is_empty() && leaf_ids.iter().all(|t| dense.contains_key(t)) {
        let vecs: Vec<&Vec<f32>> = leaf_ids.iter().map(|t| &dense[t]).collect();
        similarities(n, |i, j| crate::topics::dense::dot(vecs[i], vecs[j]))
    } else {
        let empty = SparseVec::default();
        let vecs: Vec<&SparseVec> = leaf_ids
            .iter()
            .map(|t| centroids.get(t).unwrap_or(&empty))
            .collect();
        similarities(n, |i, j| vecs[i].dot(vecs[j]))
    };
    if semantic {
        let embeddings = db::embeddings::vectors(conn, crate::semantic::CACHE_MODEL)?;
        let directions = embedding_directions(&members_view(&members), &embeddings);
        for (m, dir) in members.iter_mut().zip(directions) {
            m.direction = dir;
        }
    }
    let xy = layout(&sim, &members);
    Ok(members.iter().map(|m| m.paper).zip(xy).collect())
}

/// The `n × n` cosine matrix of the leaves, 1 on the diagonal.
fn similarities(n: usize, cos: impl Fn(usize, usize) -> f32) -> Vec<Vec<f64>> {
    (0..n)
        .map(|i| {
            (0..n)
                .map(|j| if i == j { 1.0 } else { cos(i, j) as f64 })
                .collect()
        })
        .collect()
}

/// (paper, leaf) of each member, for [`embedding_directions`].
fn members_view(members: &[Member]) -> Vec<(i64, usize)> {
    members.iter().map(|m| (m.paper, m.leaf)).collect()
}

/// Each paper's direction from its leaf's centre, from its embedding: the angle of its place on
/// the two principal axes of its leaf's embeddings (centred; power iteration with deflation from
/// a fixed start, so deterministic). Papers alike in meaning get alike angles and so lie side by
/// side. None for a paper without an embedding or in a leaf of fewer than three embedded papers.
fn embedding_directions(
    members: &[(i64, usize)],
    embeddings: &HashMap<i64, Vec<f32>>,
) -> Vec<Option<f64>> {
    let mut by_leaf: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, (paper, leaf)) in members.iter().enumerate() {
        if embeddings.contains_key(paper) {
            by_leaf.entry(*leaf).or_default().push(i);
        }
    }
    let mut out = vec![None; members.len()];
    for idx in by_leaf.values() {
        if idx.len() < 3 {
            continue;
        }
        let rows: Vec<&Vec<f32>> = idx.iter().map(|&i| &embeddings[&members[i].0]).collect();
        let dim = rows[0].len();
        if rows.iter().any(|r| r.len() != dim) {
            continue;
        }
        let mut mean = vec![0f64; dim];
        for r in &rows {
            mean.iter_mut()
                .zip(r.iter())
                .for_each(|(m, &x)| *m += x as f64);
        }
        mean.iter_mut().for_each(|m| *m /= rows.len() as f64);
        let centred: Vec<Vec<f64>> = rows
            .iter()
            .map(|r| r.iter().zip(&mean).map(|(&x, m)| x as f64 - m).collect())
            .collect();
        let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
        let mut axes: Vec<Vec<f64>> = Vec::new();
        for axis in 0..2 {
            let mut v: Vec<f64> = (0..dim)
                .map(|i| 1.0 + ((i * 7 + axis * 3) % 11) as f64 / 10.0)
                .collect();
            for _ in 0..50 {
                // Covariance times v, without forming it: Σ x (x·v), minus the axes found.
                let mut w = vec![0f64; dim];
                for x in &centred {
                    let p = dot(x, &v);
                    w.iter_mut().zip(x).for_each(|(a, b)| *a += p * b);
                }
                for a in &axes {
                    let p = dot(&w, a);
                    w.iter_mut().zip(a).for_each(|(x, y)| *x -= p * y);
                }
                let norm = dot(&w, &w).sqrt();
                if norm < 1e-12 {
                    break;
                }
                v = w.into_iter().map(|x| x / norm).collect();
            }
            axes.push(v);
        }
        for (&i, x) in idx.iter().zip(&centred) {
            out[i] = Some(dot(x, &axes[1]).atan2(dot(x, &axes[0])));
        }
    }
    out
}

/// A paper as [`layout`] sees it: its leaf (an index into the similarity matrix), how central it
/// is there, and its weights on leaves (its own among them, or not when moved there by hand).
struct Member {
    paper: i64,
    leaf: usize,
    centrality: f32,
    weights: Vec<(usize, f32)>,
    /// Its direction from the leaf's centre (radians) when its embedding gives one; else its
    /// rank on a golden-angle spiral decides.
    direction: Option<f64>,
}

/// The golden angle: successive papers of a spiral at this angle fill a disc evenly.
const GOLDEN_ANGLE: f64 = PI * 0.763_932_022_500_210_3; // π(3 − √5)

/// Weights are raised to this power before they pull a paper: the model's cosine weights are
/// flat (0.4 on its own leaf, 0.25 on the next is usual), and unsharpened every paper would
/// drift out of its cluster. Two equal weights stay equal, so a paper shared by two topics still
/// lands halfway between them.
const SHARPEN: i32 = 4;

/// Positions of `members` (in their order) given the similarities of the leaves' centroids.
///
/// Each leaf is a disc whose area is proportional to its papers (papers about one unit apart). The
/// discs' centres come from classical MDS of the centroids' cosine distances, spread over the room
/// the discs need and then pushed apart until no two overlap, so similar topics stay neighbours
/// and clusters stay readable. A leaf's papers fill its disc on a golden-angle spiral, most central
/// first (so the centre holds its most typical papers), then each paper is shifted towards the
/// weighted mean of the centres of the leaves it resembles. Deterministic: ties go by input order.
fn layout(sim: &[Vec<f64>], members: &[Member]) -> Vec<(f32, f32)> {
    let n = sim.len();
    let mut sizes = vec![0usize; n];
    for m in members {
        sizes[m.leaf] += 1;
    }
    let radii: Vec<f64> = sizes.iter().map(|&s| (s as f64).sqrt() + 0.5).collect();
    let centres = place_leaves(sim, &radii);

    // Rank within the leaf: most central first, then by paper id.
    let mut order: Vec<usize> = (0..members.len()).collect();
    order.sort_by(|&a, &b| {
        let (ma, mb) = (&members[a], &members[b]);
        ma.leaf
            .cmp(&mb.leaf)
            .then(mb.centrality.total_cmp(&ma.centrality))
            .then(ma.paper.cmp(&mb.paper))
    });
    let mut rank = vec![0usize; members.len()];
    let mut prev_leaf = usize::MAX;
    let mut r = 0;
    for i in order {
        if members[i].leaf != prev_leaf {
            prev_leaf = members[i].leaf;
            r = 0;
        }
        rank[i] = r;
        r += 1;
    }

    members
        .iter()
        .zip(rank)
        .map(|(m, rank)| {
            let (cx, cy) = centres[m.leaf];
            let radius = (rank as f64 + 0.5).sqrt();
            let angle = m.direction.unwrap_or(rank as f64 * GOLDEN_ANGLE);
            // Its own leaf weighs at least as much as any other: a paper moved there by hand
            // (weight 0 on it) belongs there by the user's word.
            let own = m
                .weights
                .iter()
                .map(|&(_, w)| w)
                .fold(0f32, f32::max)
                .max(1e-6) as f64;
            let mut total = own.powi(SHARPEN);
            let (mut px, mut py) = (0.0, 0.0);
            for &(leaf, w) in &m.weights {
                if leaf == m.leaf || w <= 0.0 {
                    continue;
                }
                let s = (w as f64).powi(SHARPEN);
                total += s;
                px += s * (centres[leaf].0 - cx);
                py += s * (centres[leaf].1 - cy);
            }
            // The spiral shrinks by the paper's own share, so a paper shared by two topics sits
            // between them rather than anywhere on a disc round the midpoint.
            let own_share = own.powi(SHARPEN) / total;
            let r = radius * own_share;
            (
                (cx + r * angle.cos() + px / total) as f32,
                (cy + r * angle.sin() + py / total) as f32,
            )
        })
        .collect()
}

/// Centres of discs of `radii` such that no two overlap (with a margin that keeps clusters
/// apart), starting from the MDS layout of `sim`.
fn place_leaves(sim: &[Vec<f64>], radii: &[f64]) -> Vec<(f64, f64)> {
    let n = radii.len();
    // The discs together need about Σr² of room: spread the MDS layout (in [-1, 1]) over that, so
    // the push below only settles local overlaps instead of building the layout.
    let spread = 1.6 * radii.iter().map(|r| r * r).sum::<f64>().sqrt();
    let mut c: Vec<(f64, f64)> = scale_to_plane(sim)
        .into_iter()
        .map(|(x, y)| (x as f64 * spread, y as f64 * spread))
        .collect();
    let need = |i: usize, j: usize| (radii[i] + radii[j]) * 1.15 + 2.0;
    for _ in 0..1000 {
        let mut moved = false;
        for i in 0..n {
            for j in i + 1..n {
                let (mut dx, mut dy) = (c[j].0 - c[i].0, c[j].1 - c[i].1);
                let mut d = dx.hypot(dy);
                let want = need(i, j);
                if d >= want {
                    continue;
                }
                if d < 1e-9 {
                    // Same spot: apart along a direction fixed by the pair.
                    let a = ((i * 31 + j * 17) % 360) as f64 * (PI / 180.0);
                    (dx, dy, d) = (a.cos(), a.sin(), 1.0);
                }
                // A little past the margin, so touching pairs do not keep the loop going.
                let push = (want - d) / 2.0 + 1e-6;
                let (ux, uy) = (dx / d, dy / d);
                c[i].0 -= ux * push;
                c[i].1 -= uy * push;
                c[j].0 += ux * push;
                c[j].1 += uy * push;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    c
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
        assert!(layout(&[], &[]).is_empty());
    }

    #[test]
    fn leaves_do_not_overlap_even_when_their_centroids_are_equal() {
        // Three identical centroids: MDS puts them on one spot; the push must separate them.
        let sim = vec![vec![1.0; 3]; 3];
        let radii = [10.0, 5.0, 1.0];
        let c = place_leaves(&sim, &radii);
        for i in 0..3 {
            for j in i + 1..3 {
                let d = (c[i].0 - c[j].0).hypot(c[i].1 - c[j].1);
                assert!(d >= radii[i] + radii[j], "{i} and {j} overlap: {c:?}");
            }
        }
    }

    fn member(paper: i64, leaf: usize, centrality: f32, weights: &[(usize, f32)]) -> Member {
        Member {
            paper,
            leaf,
            centrality,
            weights: weights.to_vec(),
            direction: None,
        }
    }

    #[test]
    fn papers_alike_in_meaning_point_the_same_way_from_their_leaf_centre() {
        // One leaf, two kinds of paper (along axis 0 and axis 1 of a 4-d space), alternating.
        let mut emb = HashMap::new();
        let mut members = Vec::new();
        for p in 0..12i64 {
            let mut v = vec![0.05 * (p % 3) as f32, 0.0, 0.0, 0.1];
            v[(p % 2) as usize] += 1.0;
            emb.insert(p, v);
            members.push((p, 0usize));
        }
        members.push((99, 0)); // no embedding
        let d = embedding_directions(&members, &emb);
        assert_eq!(d[12], None);
        let angle = |p: usize| d[p].unwrap();
        let apart = |a: f64, b: f64| {
            let x = (a - b).rem_euclid(2.0 * PI);
            x.min(2.0 * PI - x)
        };
        // Same kind: close; other kind: opposite sides.
        assert!(apart(angle(0), angle(2)) < 0.5, "{d:?}");
        assert!(apart(angle(1), angle(3)) < 0.5, "{d:?}");
        assert!(apart(angle(0), angle(1)) > 2.5, "{d:?}");
        // Deterministic.
        assert_eq!(d, embedding_directions(&members, &emb));
        // A leaf of two embedded papers has no axes to speak of.
        assert_eq!(embedding_directions(&members[..2], &emb), vec![None, None]);
    }

    #[test]
    fn papers_fill_their_leaf_central_first_and_a_shared_paper_lies_between() {
        let sim = vec![vec![1.0, 0.0], vec![0.0, 1.0]];
        let mut members: Vec<Member> = (0..50)
            .map(|i| {
                member(
                    i,
                    (i % 2) as usize,
                    i as f32 / 100.0,
                    &[((i % 2) as usize, 0.5)],
                )
            })
            .collect();
        // Paper 100 resembles both leaves equally; paper 101 is leaf 0's, a little like leaf 1.
        members.push(member(100, 0, 0.0, &[(0, 0.3), (1, 0.3)]));
        members.push(member(101, 0, 0.0, &[(0, 0.5), (1, 0.2)]));
        let xy = layout(&sim, &members);
        assert_eq!(xy, layout(&sim, &members), "deterministic");
        let centre = |leaf: usize| {
            let own: Vec<_> = (0..50).filter(|i| i % 2 == leaf).map(|i| xy[i]).collect();
            let n = own.len() as f32;
            (
                own.iter().map(|p| p.0).sum::<f32>() / n,
                own.iter().map(|p| p.1).sum::<f32>() / n,
            )
        };
        let (a, b) = (centre(0), centre(1));
        let dist = |p: (f32, f32), q: (f32, f32)| (p.0 - q.0).hypot(p.1 - q.1);
        let apart = dist(a, b);
        for (i, &p) in xy.iter().enumerate().take(50) {
            let (own, other) = if i % 2 == 0 { (a, b) } else { (b, a) };
            assert!(dist(p, own) < dist(p, other), "paper {i}");
        }
        // The most central paper of leaf 0 (paper 48) is nearer its centre than the least (0).
        assert!(dist(xy[48], a) < dist(xy[0], a));
        // The shared paper lies between the two leaves, well away from both centres.
        assert!(dist(xy[50], a) < 0.75 * apart && dist(xy[50], b) < 0.75 * apart);
        // The leaning one is nearer the other leaf than it would be without that weight.
        let mut alone = members;
        alone[51].weights = vec![(0, 0.5)];
        let unpulled = layout(&sim, &alone)[51];
        assert!(
            dist(xy[51], b) < dist(unpulled, b) - 0.1,
            "{:?} {unpulled:?}",
            xy[51]
        );
        assert!(dist(xy[51], a) < dist(xy[51], b), "still on its own side");
    }
}
