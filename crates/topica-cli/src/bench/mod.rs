//! `topica-cli bench import|search|manage|duplicates|map|pdf|zotero|related|all`: runs the engine's benchmarks (`measure`)
//! on the shared corpora and prints the figures beside SQLite FTS5's, as ratios.

use crate::outln;
use std::path::{Path, PathBuf};
use std::process::Command;

mod duplicates;
mod manage;
mod map;
mod measure;
mod pdf;
mod related;
mod zotero;

use measure::{ImportFigures, SearchFigures};

/// What to measure.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum What {
    Import,
    Search,
    /// Edits, deletes, restores and undo in a 100k library.
    Manage,
    /// Possible-duplicate finding at 100k with injected near-duplicates: time, memory,
    /// precision/recall beside exact-title grouping.
    Duplicates,
    /// The map of papers at 100k: computing it beside reading the topic tree, and its size.
    Map,
    /// PDFs: extraction beside pdftotext, importing `--papers` PDFs, search p50 with their
    /// full text beside without (use --papers 10000).
    Pdf,
    /// Importing a generated Zotero library of `--papers` items (use --papers 10000) beside the
    /// same records as BibTeX. Needs no shared data.
    Zotero,
    /// Related papers on the library `--library` names (topics fitted): `--papers` papers'
    /// related ones from candidates beside every paper scored; latency and overlap. Needs no
    /// shared data.
    Related,
    All,
}

const SAMPLE: &str = "data/arxiv_corpus/arxiv-metadata-oai-snapshot-sample-2000.jsonl";
const QUERIES: &str = "data/bench/queries.txt";
/// How much a benchmark does.
pub struct Runs {
    /// Timed rounds over the query set.
    pub rounds: usize,
    /// Size of the synthetic corpus.
    pub papers: usize,
    /// Imports of the synthetic corpus both ways (`bench import`).
    pub imports: usize,
}

pub fn run(what: What, runs: Runs, library: Option<&Path>) -> anyhow::Result<()> {
    let Runs {
        rounds,
        papers,
        imports,
    } = runs;
    if what == What::Related {
        let library = library.ok_or_else(|| anyhow::anyhow!("bench related needs --library"))?;
        return related::run(library, papers);
    }
    if what == What::Zotero {
        let work = crate::paths::bench_data_dir();
        std::fs::create_dir_all(&work)?;
        return zotero::run(&work, papers);
    }
    let shared = crate::paths::shared_dir();
    let Some(shared) = shared.is_dir().then_some(shared) else {
        eprintln!("bench: skipped, no shared data (../shared beside the repository, or set TOPICA_SHARED)");
        return Ok(());
    };
    let work = crate::paths::bench_data_dir();
    std::fs::create_dir_all(&work)?;
    outln!(
        "Topica benchmarks (debug assertions: {}; use --release), FTS5 baseline measured in the same run",
        if cfg!(debug_assertions) { "on, figures not representative" } else { "off" }
    );

    if matches!(what, What::Import | What::All) {
        let sample = shared.join(SAMPLE);
        let imported = measure::import_both(&sample, &work.join("scratch-2000"))?;
        print_import("arXiv JSON-lines sample", &imported.figures)?;
    }
    let corpus = synthetic_corpus(&shared, &work, papers)?;
    match what {
        What::Manage => return manage::run(&corpus, &work),
        What::Duplicates => return duplicates::run(&corpus, &work),
        What::Map => return map::run(&corpus, &work),
        What::Pdf => {
            let queries = measure::read_queries(&shared.join(QUERIES))?;
            return pdf::run(&corpus, &work, &queries, rounds);
        }
        _ => {}
    }
    let scratch = work.join(format!("scratch-{}k", papers / 1000));
    let last_library = scratch.join("library");
    if what == What::Search
        && std::env::var_os("TOPICA_BENCH_REUSE").is_some()
        && last_library.join(topica_core::DATABASE_FILE).exists()
        && scratch.join("fts5.sqlite").exists()
    {
        // Search alone on the libraries the last run imported (1M papers: 3.5 min saved a run).
        outln!(
            "(TOPICA_BENCH_REUSE: searching the libraries {} holds; nothing imported)",
            scratch.display()
        );
        let library = topica_core::Library::open(&last_library)?;
        let fts5 = topica_store::fts5_baseline::Fts5Baseline::open(&scratch.join("fts5.sqlite"))?;
        let queries = measure::read_queries(&shared.join(QUERIES))?;
        let f = measure::search_both(&library, &fts5, &queries, rounds)?;
        return print_search(library.stats()?.papers, &f);
    }
    let mut ratios = Vec::new();
    // The runs before the last one; the last is the one whose library a search would use.
    let earlier_runs = if what == What::Import {
        imports.saturating_sub(1)
    } else {
        0
    };
    for _ in 0..earlier_runs {
        let earlier = measure::import_both(&corpus, &scratch)?;
        print_import("synthetic corpus", &earlier.figures)?;
        ratios.push(earlier.figures.topica_per_sec() / earlier.figures.fts5_per_sec());
    }
    crate::timings::reset_peak_rss();
    let imported = measure::import_both(&corpus, &scratch)?;
    if what != What::Search {
        print_import("synthetic corpus", &imported.figures)?;
        if !ratios.is_empty() {
            ratios.push(imported.figures.topica_per_sec() / imported.figures.fts5_per_sec());
            ratios.sort_by(f64::total_cmp);
            outln!(
                "        {} imports: Topica/FTS5 throughput median {:.2}x (from {:.2}x to {:.2}x)",
                ratios.len(),
                median(&ratios),
                ratios.first().copied().unwrap_or_default(),
                ratios.last().copied().unwrap_or_default()
            );
        }
        let library = imported.library.dir();
        outln!(
            "        peak RSS (this process, both imports) {:.0} MB; on disk: database {:.0} MB, search index {:.0} MB; FTS5 database {:.0} MB",
            crate::timings::peak_rss_mb(),
            dir_mb(&library.join(topica_core::DATABASE_FILE)),
            dir_mb(&library.join(topica_core::DERIVED_DIR)),
            dir_mb(&scratch.join("fts5.sqlite"))
        );
    }
    if what != What::Import {
        let queries = measure::read_queries(&shared.join(QUERIES))?;
        let f = measure::search_both(&imported.library, &imported.fts5, &queries, rounds)?;
        print_search(imported.figures.papers, &f)?;
    }
    Ok(())
}

/// The scratch library `work/name`, and whether it is one a previous run left to be reused
/// (`TOPICA_BENCH_REUSE=1`, for profiling the timed steps alone); otherwise it starts empty.
fn scratch_library(work: &Path, name: &str) -> anyhow::Result<(topica_core::Library, bool)> {
    let dir = work.join(name);
    let reuse = std::env::var_os("TOPICA_BENCH_REUSE").is_some()
        && dir.join(topica_core::DATABASE_FILE).exists();
    if dir.exists() && !reuse {
        std::fs::remove_dir_all(&dir)?;
    }
    Ok((topica_core::Library::open(&dir)?, reuse))
}

/// The middle of `sorted`, or the mean of its two middle values.
fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    match (sorted.get(n / 2), n % 2) {
        (Some(&upper), 0) => (sorted[n / 2 - 1] + upper) / 2.0,
        (Some(&middle), _) => middle,
        (None, _) => f64::NAN,
    }
}

/// Megabytes a file, or a folder with everything in it, takes (a database with its WAL).
fn dir_mb(path: &Path) -> f64 {
    fn size(p: &Path) -> u64 {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => std::fs::read_dir(p)
                .map(|rd| rd.flatten().map(|e| size(&e.path())).sum())
                .unwrap_or(0),
            Ok(m) => m.len(),
            Err(_) => 0,
        }
    }
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    (size(path) + size(&wal)) as f64 / 1e6
}

/// `bench-data/corpus-{n}k.jsonl`, generated once by the shared synthesiser (it writes as it
/// goes, so a million papers never sit in memory).
fn synthetic_corpus(shared: &Path, work: &Path, papers: usize) -> anyhow::Result<PathBuf> {
    let path = work.join(format!("corpus-{}k.jsonl", papers / 1000));
    if !path.exists() {
        eprintln!("bench: generating {} ...", path.display());
        let out = std::fs::File::create(work.join("corpus.partial"))?;
        let status = Command::new("python3")
            .arg(shared.join("tools/synth_corpus.py"))
            .args(["--n", &papers.to_string()])
            .stdout(out)
            .status()?;
        anyhow::ensure!(status.success(), "synth_corpus.py failed ({status})");
        std::fs::rename(work.join("corpus.partial"), &path)?;
    }
    Ok(path)
}

fn print_import(name: &str, f: &ImportFigures) -> anyhow::Result<()> {
    outln!(
        "import  {name} ({} papers): Topica {:.0} papers/s ({:.2} s), FTS5 {:.0} papers/s ({:.2} s); Topica/FTS5 throughput = {:.2}x",
        f.papers,
        f.topica_per_sec(),
        f.topica_secs,
        f.fts5_per_sec(),
        f.fts5_secs,
        f.topica_per_sec() / f.fts5_per_sec()
    );
    if let (Some(ours), Some(theirs)) = (f.topica_cpu_secs, f.fts5_cpu_secs) {
        outln!(
            "        CPU time: Topica {ours:.2} s ({:.0} us/paper), FTS5 {theirs:.2} s ({:.0} us/paper); Topica/FTS5 CPU = {:.2}x",
            ours * 1e6 / f.papers as f64,
            theirs * 1e6 / f.papers as f64,
            ours / theirs
        );
    }
    Ok(())
}

fn print_search(papers: usize, f: &SearchFigures) -> anyhow::Result<()> {
    outln!(
        "search  {} queries x {} rounds at {papers} papers, top 10 with snippets + total count (mean {:.0} matches):",
        f.queries,
        f.samples / f.queries.max(1),
        f.mean_total
    );
    outln!(
        "        Topica p50 {:.3} ms, p99 {:.3} ms",
        f.topica_p50,
        f.topica_p99
    );
    outln!(
        "        FTS5   p50 {:.3} ms, p99 {:.3} ms",
        f.fts5_p50,
        f.fts5_p99
    );
    outln!(
        "        FTS5/Topica latency: p50 {:.1}x, p99 {:.1}x (higher = Topica faster)",
        f.fts5_p50 / f.topica_p50,
        f.fts5_p99 / f.topica_p99
    );
    for (q, ms, total) in &f.slowest {
        outln!("        slowest: {q}  median {ms:.3} ms, {total} matches");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[1.1, 1.2, 1.4]), 1.2);
        assert_eq!(median(&[1.0, 1.25, 1.5, 2.0]), 1.375);
        assert!(median(&[]).is_nan());
    }
}
