//! `topica-cli enrich`: fill in title, authors and metadata of arXiv-id-only papers from the arXiv API.

use crate::outln;
use std::time::Duration;

use topica_core::{EnrichOptions, Library};

/// Runs enrichment and prints the report (JSON on stdout with `--json`, a summary on stderr otherwise).
pub fn run(
    lib: &Library,
    base_url: Option<String>,
    interval_secs: Option<f64>,
    json: bool,
) -> anyhow::Result<()> {
    let mut opts = EnrichOptions {
        // TOPICA_ARXIV_API, as `add` reads it, unless --base-url says otherwise.
        base_url: base_url.unwrap_or_else(|| topica_core::Services::from_env().arxiv_api),
        ..EnrichOptions::default()
    };
    if let Some(s) = interval_secs {
        opts.interval = Duration::from_secs_f64(s.max(0.0));
    }
    let report = lib.enrich(&opts, &mut |p| {
        if let Some(total) = p.total {
            eprintln!("{} batch {}/{}", p.phase, p.done + 1, total);
        }
        true
    })?;
    if json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        eprintln!(
            "{} papers lacked metadata; {} enriched in {} requests; {} not found on arXiv",
            report.candidates,
            report.enriched,
            report.requests,
            report.not_found.len()
        );
        for id in &report.not_found {
            eprintln!("  not found: {id}");
        }
    }
    Ok(())
}
