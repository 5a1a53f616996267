//! `topica-cli bench related --library DIR`: related papers on a library whose topics are
//! fitted. `--papers` papers spread over its ids, each asked for its ten related papers the way
//! the app asks (candidates only, in a large library) and with every paper scored (the
//! exhaustive yardstick), in the same run: per-call latency of both, their ratio, and how many of
//! the exhaustive top ten the candidates found.

use std::path::Path;
use std::time::Instant;

use topica_core::Library;

use super::measure::percentile;
use crate::outln;

const TOP: usize = 10;

pub fn run(library: &Path, papers: usize) -> anyhow::Result<()> {
    let lib = Library::open(library)?;
    let n = lib.stats()?.papers;
    anyhow::ensure!(n > 0, "{} holds no papers", library.display());
    // The first call fits topics if there are none: not what is measured.
    lib.topics_fitted()?;
    let wanted = papers.clamp(1, n);
    let ids: Vec<i64> = (0..wanted)
        .map(|i| 1 + (i * n / wanted) as i64)
        .filter(|&id| lib.paper(id).is_ok())
        .collect();
    outln!(
        "== related papers: {} of {n} papers, top {TOP}, candidates beside every paper scored",
        ids.len()
    );
    // What the app does as it opens a library, before any paper is opened.
    let t = Instant::now();
    if lib.warm_topics()? {
        outln!(
            "          leaf centroids read as the app reads them when it opens the library: {:.1} ms (not in the calls below)",
            t.elapsed().as_secs_f64() * 1000.0
        );
    }
    // The app's calls first, one after another as a user browsing would make them: scoring
    // every paper in between would leave SQLite's page cache holding only its last pages.
    let (mut fast, mut quick) = (Vec::new(), Vec::new());
    for &id in &ids {
        let t = Instant::now();
        quick.push(lib.related(id, TOP)?);
        fast.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let (mut full, mut found, mut asked) = (Vec::new(), 0usize, 0usize);
    for (&id, quick) in ids.iter().zip(&quick) {
        let t = Instant::now();
        let every = lib.related_scoring_all(id, TOP)?;
        full.push(t.elapsed().as_secs_f64() * 1000.0);
        asked += every.len();
        found += every
            .iter()
            .filter(|e| quick.iter().any(|q| q.id == e.id))
            .count();
    }
    // The process's first call meets SQLite's and the index's caches cold: said apart, since
    // with 16 calls it alone can be the p95.
    let first = fast.first().copied().unwrap_or_default();
    let mut rest = fast.get(1..).unwrap_or_default().to_vec();
    rest.sort_by(f64::total_cmp);
    fast.sort_by(f64::total_cmp);
    full.sort_by(f64::total_cmp);
    let (f50, f95) = (percentile(&fast, 50.0), percentile(&fast, 95.0));
    let (a50, a95) = (percentile(&full, 50.0), percentile(&full, 95.0));
    outln!("topica    related, as the app asks: p50 {f50:.1} ms  p95 {f95:.1} ms");
    if !rest.is_empty() {
        outln!(
            "          the first call {first:.1} ms; the {} after it p50 {:.1} ms  p95 {:.1} ms",
            rest.len(),
            percentile(&rest, 50.0),
            percentile(&rest, 95.0)
        );
    }
    outln!("baseline  every paper scored:       p50 {a50:.1} ms  p95 {a95:.1} ms");
    outln!(
        "ratio     {:.0}× faster at p50; {found} of the baseline's {asked} related papers found ({:.1} %)",
        a50 / f50,
        100.0 * found as f64 / asked.max(1) as f64
    );
    Ok(())
}
