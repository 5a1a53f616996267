//! arXiv enrichment: papers known only by their arXiv id (and perhaps an abstract) get title,
//! authors and the rest of their metadata from the arXiv API.
//!
//! Every batch is fetched before anything is written, then all of it is merged in one import
//! transaction with the ordinary merge rules (richest value wins, user fields untouched). So an
//! offline machine, an HTTP error or a refused request changes nothing.

use std::collections::HashSet;
use std::time::Duration;

use serde::Serialize;

use crate::import::Record;
use crate::library::{Progress, ProgressFn};
use crate::online::{arxiv, Http, DEFAULT_ARXIV_API};
use crate::{Error, Library, Result};

/// arXiv asks clients to send at most one request every three seconds.
pub const ARXIV_REQUEST_INTERVAL: Duration = Duration::from_secs(3);

/// How to enrich.
#[derive(Debug, Clone)]
pub struct EnrichOptions {
    /// The API's query URL (tests point it at a local server).
    pub base_url: String,
    /// Pause between two requests.
    pub interval: Duration,
    /// Ids per request (the API's `id_list`); at most 100.
    pub batch_size: usize,
    /// Per-request timeout.
    pub timeout: Duration,
}

impl Default for EnrichOptions {
    fn default() -> EnrichOptions {
        EnrichOptions {
            base_url: DEFAULT_ARXIV_API.to_string(),
            interval: ARXIV_REQUEST_INTERVAL,
            batch_size: 100,
            timeout: Duration::from_secs(60),
        }
    }
}

/// What an enrichment did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct EnrichReport {
    /// Papers with an arXiv id that lacked a title or authors.
    pub candidates: usize,
    /// Papers that received metadata.
    pub enriched: usize,
    /// Requested ids the API did not return.
    pub not_found: Vec<String>,
    /// HTTP requests made.
    pub requests: usize,
}

impl Library {
    /// Fills in papers that have an arXiv id but no title or authors from the arXiv API.
    /// Nothing is written unless every request succeeds.
    pub fn enrich(&self, opts: &EnrichOptions, progress: ProgressFn<'_>) -> Result<EnrichReport> {
        let wanted = self.enrichment_candidates()?;
        let mut report = EnrichReport {
            candidates: wanted.len(),
            ..EnrichReport::default()
        };
        if wanted.is_empty() {
            return Ok(report);
        }
        // Enrichment is a long batch job: a 429 is an error rather than a wait.
        let http = Http::new(opts.timeout, Duration::ZERO);
        let batch = opts.batch_size.clamp(1, 100);
        let batches: Vec<&[String]> = wanted.chunks(batch).collect();
        let mut fetched = Vec::new();
        for (n, ids) in batches.iter().enumerate() {
            if !progress(&Progress {
                phase: "enriching",
                done: n as u64,
                total: Some(batches.len() as u64),
            }) {
                return Err(Error::Cancelled);
            }
            if n > 0 && !opts.interval.is_zero() {
                std::thread::sleep(opts.interval);
            }
            fetched.extend(arxiv::fetch(&http, &opts.base_url, ids).map_err(Error::Network)?);
            report.requests += 1;
        }
        let asked: HashSet<&str> = wanted.iter().map(String::as_str).collect();
        fetched.retain(|p| p.arxiv_id.as_deref().is_some_and(|a| asked.contains(a)));
        let got: HashSet<String> = fetched.iter().filter_map(|p| p.arxiv_id.clone()).collect();
        report.not_found = wanted
            .iter()
            .filter(|a| !got.contains(*a))
            .cloned()
            .collect();
        let records = fetched.into_iter().map(|paper| Ok(Record::new(0, paper)));
        let imported =
            self.import_records(crate::library::Source::Enrich, records, true, progress)?;
        report.enriched = imported.merged;
        Ok(report)
    }

    /// Versionless arXiv ids of papers with no title or no authors, in library order.
    fn enrichment_candidates(&self) -> Result<Vec<String>> {
        Ok(crate::db::papers::arxiv_ids_missing_metadata(&self.conn())?)
    }
}
