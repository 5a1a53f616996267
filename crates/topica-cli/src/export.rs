//! `topica-cli export`, `keys` and `bench export`: argument types and their thin runners.

use crate::outln;
use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, Subcommand};
use topica_core::export::{ExportFormat, ExportOptions, Flavor, Scope, SortOrder};
use topica_core::{Format, Library};

#[derive(Args)]
pub struct ExportArgs {
    /// bibtex, biblatex, ris, csl-json, a bundled style (apa, ieee, chicago, chicago-notes,
    /// harvard, vancouver, nature, acm, acl, mla, springer, …: see `styles list`), a style
    /// added with `styles add`, or the path of a .csl file.
    #[arg(long)]
    format: String,
    /// For styles: the locale of the references' terms and dates (de-DE, fr-FR, …); default:
    /// the style's own, else en-US.
    #[arg(long)]
    locale: Option<String>,
    /// For styles: text, html or markdown.
    #[arg(long = "as", default_value = "text")]
    flavor: Flavor,
    /// Library ids, arXiv ids or citation keys (comma or space separated).
    #[arg(long, num_args = 1.., value_delimiter = ',', conflicts_with_all = ["topic", "collection", "tag", "query"])]
    ids: Vec<String>,
    #[arg(long, conflicts_with_all = ["collection", "tag", "query"])]
    topic: Option<String>,
    /// A collection, with the collections inside it (see --no-subcollections).
    #[arg(long, conflicts_with_all = ["tag", "query"])]
    collection: Option<String>,
    /// With --collection: only its own papers, not those of the collections inside it.
    #[arg(long, requires = "collection")]
    no_subcollections: bool,
    #[arg(long, conflicts_with = "query")]
    tag: Option<String>,
    /// A search query (same syntax as `search`).
    #[arg(long)]
    query: Option<String>,
    /// key (default) or style (the style's own order; scope order for bibtex/ris/csl-json).
    #[arg(long, default_value = "key")]
    sort: String,
    /// Write here (atomically) instead of stdout.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Replace an existing output file.
    #[arg(long)]
    force: bool,
    /// bibtex/biblatex: attached files in a `file` field (JabRef's format, which Zotero reads),
    /// paths relative to the output file's folder (to the library folder on stdout).
    #[arg(long)]
    files: bool,
}

pub fn run_export(lib: &Library, a: ExportArgs) -> anyhow::Result<()> {
    let scope = if !a.ids.is_empty() {
        Scope::Ids(
            a.ids
                .iter()
                .flat_map(|s| s.split_whitespace().map(String::from))
                .collect(),
        )
    } else if let Some(t) = a.topic {
        Scope::Topic(t)
    } else if let Some(c) = a.collection {
        if a.no_subcollections {
            Scope::CollectionOnly(c)
        } else {
            Scope::Collection(c)
        }
    } else if let Some(t) = a.tag {
        Scope::Tag(t)
    } else if let Some(q) = a.query {
        Scope::Query(q)
    } else {
        Scope::All
    };
    let sort = match a.sort.as_str() {
        "key" | "citation-key" => SortOrder::CitationKey,
        "style" => SortOrder::Style,
        other => anyhow::bail!("unknown --sort {other:?}; expected key or style"),
    };
    let opts = ExportOptions {
        format: Some(lib.export_format(&a.format)?),
        flavor: a.flavor,
        scope,
        sort,
        files: a.files,
        locale: a.locale,
    };
    match a.output {
        Some(path) => {
            let r = lib.export_to_file(&opts, &path, a.force)?;
            eprintln!(
                "wrote {} references to {} ({} bytes)",
                r.papers,
                path.display(),
                r.bytes
            );
        }
        None => print!("{}", lib.export(&opts)?),
    }
    Ok(())
}

#[derive(Subcommand)]
pub enum KeysCommand {
    /// Show the citation key pattern, or set it (existing keys stay until regenerated).
    Pattern { pattern: Option<String> },
    /// Regenerate keys from the pattern (all papers when no ids are given).
    Regenerate { ids: Vec<String> },
    /// Set one paper's key by hand.
    Set { id: String, key: String },
}

pub fn run_keys(lib: &Library, cmd: KeysCommand) -> anyhow::Result<()> {
    match cmd {
        KeysCommand::Pattern { pattern: None } => outln!("{}", lib.citation_key_pattern()?),
        KeysCommand::Pattern { pattern: Some(p) } => {
            let p = lib.set_citation_key_pattern(&p)?;
            eprintln!("pattern set to {p}; existing keys are unchanged (use `keys regenerate`)");
        }
        KeysCommand::Regenerate { ids } => {
            lib.ensure_citation_keys()?;
            let changed = lib.regenerate_citation_keys(&ids)?;
            for (id, old, new) in &changed {
                outln!("{id}\t{}\t{new}", old.as_deref().unwrap_or("-"));
            }
            eprintln!("{} keys changed", changed.len());
        }
        KeysCommand::Set { id, key } => {
            let p = lib.find(&id)?;
            let p = lib.set_citation_key(p.id, &key)?;
            outln!("{}", p.citation_key.unwrap_or_default());
        }
    }
    Ok(())
}

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Export N papers (the 2,000-paper arXiv JSONL sample, repeated with fresh ids) to BibTeX and APA.
    Export {
        #[arg(long, default_value_t = 10_000)]
        papers: usize,
        /// Only these formats (e.g. `--only apa`), for profiling one of them.
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
    },
}

pub fn run_bench(cmd: BenchCommand) -> anyhow::Result<()> {
    let BenchCommand::Export { papers, only } = cmd;
    let sample = crate::paths::shared_dir()
        .join("data/arxiv_corpus/arxiv-metadata-oai-snapshot-sample-2000.jsonl");
    if !sample.exists() {
        eprintln!(
            "bench export: skipped, {} is absent (set TOPICA_SHARED)",
            sample.display()
        );
        return Ok(());
    }
    let text = std::fs::read_to_string(&sample)?;
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    // Copies get fresh ids (yymm 29xx, never a real arXiv month) so they are distinct papers
    // rather than duplicates merged into the first copy.
    let mut jsonl = String::with_capacity(text.len() * papers.div_ceil(lines.len().max(1)));
    for i in 0..papers {
        let line = lines[i % lines.len()];
        let round = i / lines.len();
        if round == 0 {
            jsonl.push_str(line);
        } else {
            let mut v: serde_json::Value = serde_json::from_str(line)?;
            v["id"] = format!("29{:02}.{:05}", round, i % lines.len()).into();
            v["doi"] = serde_json::Value::Null;
            let title = v["title"].as_str().unwrap_or("").to_string();
            v["title"] = format!("{title} (copy {round})").into();
            jsonl.push_str(&v.to_string());
        }
        jsonl.push('\n');
    }
    let dir = tempfile::tempdir()?;
    let lib = Library::open(dir.path())?;
    let t = Instant::now();
    let report = lib.import_text("bench.jsonl", &jsonl, Format::ArxivJsonl, false)?;
    let import_s = t.elapsed().as_secs_f64();
    outln!(
        "library: {} papers (import {:.2} s)",
        report.added,
        import_s
    );

    // Baseline: loading every paper from SQLite and serialising it as JSON, the floor any
    // export pays.
    outln!("load average: {}", load_average());
    let (mut baseline, mut baseline_cpu, mut all, mut baseline_bytes) =
        (f64::MAX, f64::MAX, Vec::new(), 0);
    for _ in 0..3 {
        let (t, cpu) = (Instant::now(), cpu_seconds());
        all = lib.papers(0, 0)?;
        baseline_bytes = serde_json::to_string(&all)?.len();
        baseline = baseline.min(t.elapsed().as_secs_f64());
        baseline_cpu = baseline_cpu.min(cpu_seconds() - cpu);
    }
    outln!(
        "baseline (load {} papers + serde_json): {:.3} s, CPU {:.2} s (best of 3; {} bytes)",
        all.len(),
        baseline,
        baseline_cpu,
        baseline_bytes
    );

    for (format, budget) in [
        (ExportFormat::Bibtex, 0.3),
        (ExportFormat::Biblatex, 0.3),
        (ExportFormat::Ris, 0.3),
        (ExportFormat::CslJson, 0.3),
        (topica_core::export::CslStyle::Apa.into(), 2.0),
        (topica_core::export::CslStyle::Ieee.into(), 2.0),
    ] {
        if !only.is_empty() && !only.iter().any(|f| f == format.name()) {
            continue;
        }
        let styled = matches!(format, ExportFormat::Style(_));
        let opts = ExportOptions {
            format: Some(format.clone()),
            ..ExportOptions::default()
        };
        lib.export(&opts)?; // warm-up: keys assigned, styles parsed
                            // Styles: "cold" renders every reference (the cache emptied before each run), "warm"
                            // re-exports the unchanged library from the cache of rendered references.
        let passes: &[&str] = if styled { &["cold", "warm"] } else { &[""] };
        for pass in passes {
            let (mut best, mut best_cpu, mut bytes) = (f64::MAX, f64::MAX, 0);
            for _ in 0..3 {
                if *pass == "cold" {
                    lib.clear_reference_cache()?;
                } else if *pass == "warm" {
                    lib.export(&opts)?;
                }
                let (t, cpu) = (Instant::now(), cpu_seconds());
                bytes = lib.export(&opts)?.len();
                best = best.min(t.elapsed().as_secs_f64());
                best_cpu = best_cpu.min(cpu_seconds() - cpu);
            }
            outln!(
                "export {:<9}{:<5} {:>6} papers: {:.3} s, CPU {:.2} s (best of 3; {:.1}x baseline; budget {budget} s: {}) {} bytes",
                format.name(),
                pass,
                all.len(),
                best,
                best_cpu,
                best / baseline,
                if best <= budget { "ok" } else { "OVER" },
                bytes
            );
        }
    }
    outln!("load average: {}", load_average());
    Ok(())
}

/// CPU time of this process so far, all threads (Linux; 0 elsewhere).
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

/// The 1, 5 and 15 minute load averages (Linux), to read figures from a shared machine by.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}
