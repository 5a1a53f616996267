//! Benchmarks behind `topica-cli bench`: import throughput and search latency, each measured
//! beside a SQLite FTS5 baseline on the same corpus and queries in the same run, so the
//! figures are ratios that survive a noisy machine. Not tests: nothing here asserts.

use std::io::BufRead;
use std::path::Path;
use std::time::Instant;

use serde::Deserialize;
use topica_store::fts5_baseline::Fts5Baseline;

use topica_core::{Error, ImportOptions, Library, Result};

/// Import throughput of one corpus, ours and FTS5's.
#[derive(Debug, Clone)]
pub struct ImportFigures {
    pub papers: usize,
    pub topica_secs: f64,
    pub fts5_secs: f64,
    /// CPU seconds the process used (all threads) during each import, when the OS says
    /// (Linux): on a shared machine wall time measures the load as much as the code.
    pub topica_cpu_secs: Option<f64>,
    pub fts5_cpu_secs: Option<f64>,
}

impl ImportFigures {
    pub fn topica_per_sec(&self) -> f64 {
        self.papers as f64 / self.topica_secs
    }
    pub fn fts5_per_sec(&self) -> f64 {
        self.papers as f64 / self.fts5_secs
    }
}

/// Latency percentiles of a query set, ours and FTS5's, in milliseconds.
#[derive(Debug, Clone)]
pub struct SearchFigures {
    pub queries: usize,
    pub samples: usize,
    pub topica_p50: f64,
    pub topica_p99: f64,
    pub fts5_p50: f64,
    pub fts5_p99: f64,
    /// Mean number of matches per query (both engines count them).
    pub mean_total: f64,
    /// The slowest queries for Topica: the query, its median over the rounds (ms) and its
    /// matches, slowest first. The p99 is theirs.
    pub slowest: Vec<(String, f64, usize)>,
}

/// How many of the slowest queries the search bench names.
const SLOWEST: usize = 3;

/// A corpus imported both ways, ready for the search benchmark.
pub struct Imported {
    pub library: Library,
    pub fts5: Fts5Baseline,
    pub figures: ImportFigures,
}

/// The fields the baseline indexes, read from the same Kaggle JSON lines.
#[derive(Deserialize)]
struct Row {
    title: Option<String>,
    authors: Option<String>,
    #[serde(rename = "abstract")]
    abstract_text: Option<String>,
}

/// Imports `file` (arXiv JSON lines) into a fresh library in `work/library` and into an FTS5
/// table in `work/fts5.sqlite`, timing each.
pub fn import_both(file: &Path, work: &Path) -> Result<Imported> {
    for sub in [
        "library",
        "fts5.sqlite",
        "fts5.sqlite-wal",
        "fts5.sqlite-shm",
    ] {
        let p = work.join(sub);
        if p.is_dir() {
            std::fs::remove_dir_all(&p)?;
        } else if p.exists() {
            std::fs::remove_file(&p)?;
        }
    }
    std::fs::create_dir_all(work)?;

    let library = Library::open(work.join("library"))?;
    let (cpu, t) = (process_cpu_secs(), Instant::now());
    let report = library.import_files(&[file.to_path_buf()], &ImportOptions::default())?;
    let topica_secs = t.elapsed().as_secs_f64();
    let topica_cpu_secs = cpu.zip(process_cpu_secs()).map(|(a, b)| b - a);

    let (cpu, t) = (process_cpu_secs(), Instant::now());
    let fts5 = fts5_import(file, &work.join("fts5.sqlite"))?;
    let fts5_secs = t.elapsed().as_secs_f64();
    let fts5_cpu_secs = cpu.zip(process_cpu_secs()).map(|(a, b)| b - a);
    let figures = ImportFigures {
        papers: report.added + report.merged,
        topica_secs,
        fts5_secs,
        topica_cpu_secs,
        fts5_cpu_secs,
    };
    Ok(Imported {
        library,
        fts5,
        figures,
    })
}

/// User plus system CPU time of this process so far (every thread), from `/proc/self/stat`
/// (Linux; `None` elsewhere). Its fields 14 and 15 count clock ticks of 1/100 s.
fn process_cpu_secs() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) is in parentheses and may hold spaces: count after it.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// The baseline: the same JSON lines parsed with serde and inserted in one transaction into
/// an FTS5 table with a Porter stemmer, as a careful SQLite-only app would.
fn fts5_import(file: &Path, db: &Path) -> Result<Fts5Baseline> {
    let mut fts5 = Fts5Baseline::create(db)?;
    let reader = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(file)?);
    let rows = reader
        .lines()
        .filter(|l| l.as_ref().map_or(true, |l| !l.trim().is_empty()))
        .map(|line| -> Result<_> {
            let row: Row =
                serde_json::from_str(&line?).map_err(|e| Error::Invalid(e.to_string()))?;
            Ok((row.title, row.abstract_text, row.authors))
        });
    fts5.insert_all(rows)?;
    Ok(fts5)
}

/// The benchmark's query set: one query a line, `#` comments and blank lines skipped.
pub fn read_queries(path: &Path) -> Result<Vec<String>> {
    // TOPICA_BENCH_QUERIES names another query file: one slow query alone, to profile it.
    let over = std::env::var_os("TOPICA_BENCH_QUERIES").map(std::path::PathBuf::from);
    let path = over.as_deref().unwrap_or(path);
    let text = std::fs::read_to_string(path).map_err(|e| Error::File {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect())
}

/// Our query syntax (words and `"phrases"`, AND-ed) as an FTS5 MATCH expression.
pub fn to_fts5(query: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for (i, part) in query.split('"').enumerate() {
        if i % 2 == 1 {
            if !part.trim().is_empty() {
                out.push(format!("\"{}\"", part.trim()));
            }
        } else {
            out.extend(
                part.split_whitespace()
                    .map(|w| format!("\"{}\"", w.replace('"', ""))),
            );
        }
    }
    out.join(" ")
}

pub(super) fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Runs every query `rounds` times against both engines (top 10 with snippets, plus the total
/// count) after one warm-up round, interleaving the engines so noise hits both alike.
pub fn search_both(
    lib: &Library,
    fts5: &Fts5Baseline,
    queries: &[String],
    rounds: usize,
) -> Result<SearchFigures> {
    let mut ours: Vec<f64> = Vec::new();
    let mut theirs: Vec<f64> = Vec::new();
    let mut totals = 0usize;
    let mut per_query: Vec<(Vec<f64>, usize)> = vec![(Vec::new(), 0); queries.len()];
    for round in 0..=rounds {
        for (i, q) in queries.iter().enumerate() {
            let t = Instant::now();
            let r = lib.search(q, 10)?;
            let ours_ms = t.elapsed().as_secs_f64() * 1000.0;
            std::hint::black_box(&r);

            let m = to_fts5(q);
            let t = Instant::now();
            let answer = fts5.search(&m)?;
            let theirs_ms = t.elapsed().as_secs_f64() * 1000.0;
            std::hint::black_box(&answer);

            if round > 0 {
                ours.push(ours_ms);
                theirs.push(theirs_ms);
                totals += r.total;
                per_query[i].0.push(ours_ms);
                per_query[i].1 = r.total;
            }
        }
    }
    ours.sort_by(f64::total_cmp);
    theirs.sort_by(f64::total_cmp);
    let mut slowest: Vec<(String, f64, usize)> = queries
        .iter()
        .zip(per_query)
        .map(|(q, (mut ms, total))| {
            ms.sort_by(f64::total_cmp);
            (q.clone(), percentile(&ms, 50.0), total)
        })
        .collect();
    slowest.sort_by(|a, b| b.1.total_cmp(&a.1));
    slowest.truncate(SLOWEST);
    Ok(SearchFigures {
        queries: queries.len(),
        samples: ours.len(),
        topica_p50: percentile(&ours, 50.0),
        topica_p99: percentile(&ours, 99.0),
        fts5_p50: percentile(&theirs, 50.0),
        fts5_p99: percentile(&theirs, 99.0),
        mean_total: totals as f64 / ours.len().max(1) as f64,
        slowest,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_translate_to_fts5() {
        assert_eq!(to_fts5("black hole"), "\"black\" \"hole\"");
        assert_eq!(to_fts5("\"dark matter\" halo"), "\"dark matter\" \"halo\"");
    }

    #[test]
    fn cpu_time_is_read_and_grows() {
        let Some(before) = process_cpu_secs() else {
            #[cfg(target_os = "linux")]
            panic!("Linux has /proc/self/stat");
            #[cfg(not(target_os = "linux"))]
            return;
        };
        // Spin until a clock tick is counted (10 s at most, however loaded the machine).
        let t = Instant::now();
        let mut after = before;
        while after <= before && t.elapsed().as_secs() < 10 {
            let mut x = 0u64;
            for _ in 0..1_000_000 {
                x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(1));
            }
            after = process_cpu_secs().unwrap();
        }
        assert!(after > before, "{before} -> {after}");
    }

    #[test]
    fn percentiles() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 50.0), 50.0);
        assert_eq!(percentile(&v, 99.0), 99.0);
    }
}
