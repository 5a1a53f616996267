//! Finding papers that may be one, without comparing every pair.
//!
//! Blocking by MinHash LSH over character trigrams of the normalised title: two titles share a
//! band (and become a candidate pair) with a probability that rises steeply with the Jaccard
//! similarity of their trigram sets — near 1 for a typo or a changed capital, near 0 for two
//! different titles. Each candidate pair is then checked on the whole record (title
//! similarity, shared authors, years, identifiers). The work is linear in the library plus the
//! candidate pairs, which near-identical titles keep few.
//!
//! Written here rather than taken from a crate: the MinHash crates on crates.io are 0.0/0.1
//! one-author projects, and the part needed is a hash mix and a sort.

use std::collections::HashSet;

use topica_model::title_key;

use crate::db::duplicates::Probe;
use crate::db::papers::MIN_TITLE_KEY;

/// Bands × rows = the MinHash signature's length. 20 × 6: a pair at trigram Jaccard 0.85 (a
/// typo) becomes a candidate with p ≈ 0.9999, one at 0.6 with p ≈ 0.62, one at 0.2 (two
/// unrelated titles) with p ≈ 0.001. Measured at 100k (`bench duplicates`): 16 × 8 missed 8%
/// of the injected near-duplicates, 20 × 6 misses 1%, in the same time.
const BANDS: usize = 20;
const ROWS: usize = 6;

/// A band shared by more papers than this (the same short title over and over) is compared
/// with a sliding window instead of all pairs, so no title can make the work quadratic.
const BIG_BUCKET: usize = 64;
const WINDOW: usize = 8;

/// The least trigram Jaccard similarity of two titles proposed as one paper.
const MIN_SIMILARITY: f32 = 0.6;

/// Why two papers are proposed as one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Reason {
    /// The same normalised title (the automatic merge kept them apart: other first author or
    /// year).
    SameTitle,
    /// Titles a few letters apart.
    NearTitle,
    /// One has an arXiv id, the other a DOI, and their titles and authors agree: a preprint and
    /// its published version.
    PreprintAndPublished,
}

impl Reason {
    pub(crate) fn text(self) -> &'static str {
        match self {
            Reason::SameTitle => "same title",
            Reason::NearTitle => "titles a few letters apart",
            Reason::PreprintAndPublished => "a preprint and its published version",
        }
    }
}

/// One accepted pair: two paper ids (the smaller first), and why.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Pair {
    pub a: i64,
    pub b: i64,
    pub similarity: f32,
    pub reason: Reason,
}

/// A probe's derived features, computed once.
struct Features {
    /// Sorted, deduplicated trigram hashes of the title key.
    trigrams: Vec<u32>,
    /// Normalised family names.
    families: Vec<String>,
    /// The title's numbers ("4th", "Part 2", a year), in order.
    numbers: Vec<String>,
}

fn features(p: &Probe) -> Features {
    let mut trigrams = trigram_hashes(&p.title_key);
    trigrams.sort_unstable();
    trigrams.dedup();
    let mut families: Vec<String> = p
        .authors
        .iter()
        .map(|a| title_key(&a.family))
        .filter(|f| !f.is_empty())
        .collect();
    families.sort_unstable();
    families.dedup();
    let numbers = p
        .title_key
        .split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect();
    Features {
        trigrams,
        families,
        numbers,
    }
}

/// 64-bit finaliser (splitmix64): a strong mix for cheap.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d049bb133111eb);
    x ^ (x >> 31)
}

fn trigram_hashes(key: &str) -> Vec<u32> {
    let chars: Vec<u32> = key.chars().map(u32::from).collect();
    if chars.len() < 3 {
        return vec![mix(chars.iter().fold(7, |h, &c| h * 31 + u64::from(c))) as u32];
    }
    chars
        .windows(3)
        .map(|w| {
            let x = (u64::from(w[0]) << 42) ^ (u64::from(w[1]) << 21) ^ u64::from(w[2]);
            mix(x) as u32
        })
        .collect()
}

/// The MinHash signature: for each of BANDS × ROWS hash functions, the least hash over the
/// trigrams. The functions are `h1 + i·h2` of two independent hashes (Kirsch–Mitzenmacher).
fn signature(trigrams: &[u32]) -> [u32; BANDS * ROWS] {
    let mut sig = [u32::MAX; BANDS * ROWS];
    for &t in trigrams {
        let h = mix(u64::from(t) ^ 0x9e3779b97f4a7c15);
        let (h1, h2) = (h as u32, ((h >> 32) as u32) | 1);
        let mut v = h1;
        for s in sig.iter_mut() {
            *s = (*s).min(v);
            v = v.wrapping_add(h2);
        }
    }
    sig
}

/// Jaccard similarity of two sorted, deduplicated sets.
fn jaccard(a: &[u32], b: &[u32]) -> f32 {
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
    let union = a.len() + b.len() - both;
    if union == 0 {
        1.0
    } else {
        both as f32 / union as f32
    }
}

/// Candidate pairs (i < j) from the LSH bands, each once.
fn candidate_pairs(features: &[Features]) -> Vec<(u32, u32)> {
    let n = features.len();
    // One (band hash, paper) list per band, sorted: runs of equal hashes are the buckets.
    let mut keys: Vec<Vec<(u64, u32)>> = (0..BANDS).map(|_| Vec::with_capacity(n)).collect();
    for (i, f) in features.iter().enumerate() {
        let sig = signature(&f.trigrams);
        for (band, rows) in sig.chunks_exact(ROWS).enumerate() {
            let h = rows.iter().fold(band as u64, |h, &r| mix(h ^ u64::from(r)));
            keys[band].push((h, i as u32));
        }
    }
    let mut pairs = Vec::new();
    for mut band in keys {
        band.sort_unstable();
        for bucket in band.chunk_by(|x, y| x.0 == y.0) {
            if bucket.len() < 2 {
                continue;
            }
            let window = if bucket.len() > BIG_BUCKET {
                WINDOW
            } else {
                bucket.len()
            };
            for (k, &(_, i)) in bucket.iter().enumerate() {
                for &(_, j) in bucket.iter().skip(k + 1).take(window) {
                    pairs.push((i.min(j), i.max(j)));
                }
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// Whether a DOI is arXiv's own (10.48550/arXiv.…): it names the preprint, not a published
/// version, so it does not tell two records apart from an arXiv id.
fn arxiv_doi(doi: &str) -> bool {
    doi.starts_with("10.48550/")
}

/// The check of one candidate pair on the whole record.
fn judge(p: &Probe, q: &Probe, fp: &Features, fq: &Features) -> Option<(f32, Reason)> {
    // Two different identifiers of the same kind: two works.
    if let (Some(x), Some(y)) = (&p.arxiv_id, &q.arxiv_id) {
        if x != y {
            return None;
        }
    }
    if let (Some(x), Some(y)) = (&p.doi, &q.doi) {
        if x != y && !arxiv_doi(x) && !arxiv_doi(y) {
            return None;
        }
    }
    // "Proceedings of the 4th workshop" and "… 5th …", "Part 1" and "Part 2": other works.
    if fp.numbers != fq.numbers {
        return None;
    }
    let same_title = p.title_key == q.title_key;
    let similarity = if same_title {
        1.0
    } else {
        jaccard(&fp.trigrams, &fq.trigrams)
    };
    // Authors: the share of the shorter list found in the longer, in any order. Unknown on
    // either side counts as agreeing.
    let authors_agree = if fp.families.is_empty() || fq.families.is_empty() {
        true
    } else {
        let shared = fp
            .families
            .iter()
            .filter(|f| fq.families.binary_search(f).is_ok())
            .count();
        shared * 2 >= fp.families.len().min(fq.families.len())
    };
    if !authors_agree {
        return None;
    }
    let year_gap = match (p.year, q.year) {
        (Some(x), Some(y)) => (x - y).abs(),
        _ => 0,
    };
    let preprint_and_published = (p.arxiv_id.is_some() && q.arxiv_id.is_none() && q.doi.is_some())
        || (q.arxiv_id.is_some() && p.arxiv_id.is_none() && p.doi.is_some());
    // A published version comes out up to a few years after its preprint. Titles below 0.6
    // share too little: two typos in a five-word title are still above it.
    let max_gap = if preprint_and_published { 3 } else { 1 };
    if year_gap > max_gap || similarity < MIN_SIMILARITY {
        return None;
    }
    let reason = if preprint_and_published {
        Reason::PreprintAndPublished
    } else if same_title {
        Reason::SameTitle
    } else {
        Reason::NearTitle
    };
    Some((similarity, reason))
}

/// Every pair of probes that may be one paper, leaving out the pairs in `apart` (ids a user
/// said are not duplicates, as (smaller, larger)).
pub(crate) fn find(probes: &[Probe], apart: &HashSet<(i64, i64)>) -> Vec<Pair> {
    // Titles too short to tell papers apart ("Energy", "Reply") are left out, as the import's
    // automatic merge leaves them out.
    let probes: Vec<&Probe> = probes
        .iter()
        .filter(|p| p.title_key.chars().count() >= MIN_TITLE_KEY)
        .collect();
    let features: Vec<Features> = probes.iter().map(|p| features(p)).collect();
    candidate_pairs(&features)
        .into_iter()
        .filter_map(|(i, j)| {
            let (i, j) = (i as usize, j as usize);
            let (x, y) = (probes[i].id, probes[j].id);
            if apart.contains(&(x.min(y), x.max(y))) {
                return None;
            }
            judge(probes[i], probes[j], &features[i], &features[j]).map(|(similarity, reason)| {
                Pair {
                    a: x.min(y),
                    b: x.max(y),
                    similarity,
                    reason,
                }
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use topica_model::Author;

    fn probe(id: i64, title: &str, authors: &[&str], year: i32) -> Probe {
        Probe {
            id,
            title_key: title_key(title),
            authors: authors.iter().map(|a| Author::new(*a, "")).collect(),
            year: Some(year),
            doi: None,
            arxiv_id: None,
        }
    }

    #[test]
    fn signatures_estimate_jaccard() {
        let a = features(&probe(
            1,
            "Attention is all you need for sequence transduction",
            &[],
            2017,
        ));
        let b = features(&probe(
            2,
            "Attention is all you nede for sequence transduction",
            &[],
            2017,
        ));
        let exact = jaccard(&a.trigrams, &b.trigrams);
        let (sa, sb) = (signature(&a.trigrams), signature(&b.trigrams));
        let estimate = sa.iter().zip(&sb).filter(|(x, y)| x == y).count() as f32 / sa.len() as f32;
        assert!(exact > 0.75 && exact < 1.0, "{exact}");
        assert!(
            (estimate - exact).abs() < 0.15,
            "estimate {estimate}, exact {exact}"
        );
    }

    #[test]
    fn typos_reordered_authors_and_published_versions_are_found_and_strangers_are_not() {
        let mut published = probe(
            4,
            "Deep Residual Learning for Image Recognition",
            &["He", "Zhang"],
            2016,
        );
        published.doi = Some("10.1109/cvpr.2016.90".into());
        let mut preprint = probe(
            3,
            "Deep residual learning for image recognition",
            &["He", "Zhang"],
            2015,
        );
        preprint.arxiv_id = Some("1512.03385".into());
        let probes = vec![
            probe(
                1,
                "Neural machine translation by jointly learning to align and translate",
                &["Bahdanau", "Cho", "Bengio"],
                2014,
            ),
            probe(
                2,
                "Neural machine translaton by jointly learning to align and translate",
                &["Bengio", "Bahdanau", "Cho"],
                2015,
            ),
            preprint,
            published,
            probe(
                5,
                "Neural machine translation by jointly learning to align and translate",
                &["Smith"],
                2014,
            ),
            probe(
                6,
                "A completely different paper about protein folding",
                &["Bahdanau"],
                2014,
            ),
        ];
        let pairs = find(&probes, &HashSet::new());
        let found: Vec<(i64, i64, Reason)> = pairs.iter().map(|p| (p.a, p.b, p.reason)).collect();
        assert_eq!(
            found,
            vec![(1, 2, Reason::NearTitle), (3, 4, Reason::PreprintAndPublished)],
            "a typo with the authors reordered; a preprint and its DOI; not the same title by another author"
        );
        let apart = HashSet::from([(1, 2)]);
        assert_eq!(
            find(&probes, &apart).len(),
            1,
            "a pair marked apart is not proposed"
        );
    }

    #[test]
    fn different_identifiers_of_one_kind_are_two_works() {
        let mut a = probe(1, "Proceedings of the workshop on things", &["X"], 2020);
        let mut b = a.clone();
        b.id = 2;
        a.doi = Some("10.1/a".into());
        b.doi = Some("10.1/b".into());
        assert!(find(&[a.clone(), b.clone()], &HashSet::new()).is_empty());
        b.doi = Some("10.48550/arxiv.2001.00001".into());
        assert_eq!(
            find(&[a, b], &HashSet::new()).len(),
            1,
            "arXiv's DOI names the preprint"
        );
    }

    #[test]
    fn other_numbers_or_short_titles_are_not_proposed() {
        let a = probe(
            1,
            "Proceedings of the 4th Workshop on Services, 2012",
            &["Kopp"],
            2012,
        );
        let b = probe(
            2,
            "Proceedings of the 5th Workshop on Services, 2013",
            &["Kopp"],
            2013,
        );
        assert!(find(&[a, b], &HashSet::new()).is_empty(), "another edition");
        let c = probe(3, "Energy", &["Bar"], 2012);
        let d = probe(4, "energy", &["Bar"], 2012);
        assert!(
            find(&[c, d], &HashSet::new()).is_empty(),
            "too short to tell"
        );
    }

    #[test]
    fn one_title_repeated_thousands_of_times_stays_linear() {
        let probes: Vec<Probe> = (0..5000)
            .map(|i| probe(i, "Editorial introduction to this issue", &["Board"], 2020))
            .collect();
        let features: Vec<Features> = probes.iter().map(features).collect();
        let pairs = candidate_pairs(&features);
        assert!(pairs.len() <= 5000 * WINDOW, "{} pairs", pairs.len());
        assert!(
            pairs.len() >= 4999,
            "each paper is compared with its neighbours"
        );
    }
}
