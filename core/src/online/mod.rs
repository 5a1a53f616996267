//! The metadata services Topica asks over HTTP: the arXiv API, doi.org (content negotiation)
//! and the Crossref REST API. Their base URLs are settings ([`Services`]) so tests and mirrors
//! can point them elsewhere; every request goes through [`Http`], which names the service in
//! its errors and honours one short `Retry-After` on HTTP 429.

pub(crate) mod arxiv;
pub(crate) mod doi;
pub mod model_download;

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The public arXiv API query endpoint.
pub const DEFAULT_ARXIV_API: &str = "http://export.arxiv.org/api/query";
/// The DOI resolver.
pub const DEFAULT_DOI_RESOLVER: &str = "https://doi.org";
/// The Crossref REST API.
pub const DEFAULT_CROSSREF_API: &str = "https://api.crossref.org";

/// Where the metadata services are, and how long to wait for them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
pub struct Services {
    /// The arXiv API's query URL (`TOPICA_ARXIV_API`).
    pub arxiv_api: String,
    /// The DOI resolver's base URL (`TOPICA_DOI_RESOLVER`).
    pub doi_resolver: String,
    /// The Crossref REST API's base URL (`TOPICA_CROSSREF_API`).
    pub crossref_api: String,
    /// Seconds one request may take, connection to last byte.
    pub timeout_secs: u64,
    /// The longest `Retry-After` (seconds) waited out once before a 429 is an error.
    pub max_retry_wait_secs: u64,
}

impl Default for Services {
    fn default() -> Services {
        Services {
            arxiv_api: DEFAULT_ARXIV_API.into(),
            doi_resolver: DEFAULT_DOI_RESOLVER.into(),
            crossref_api: DEFAULT_CROSSREF_API.into(),
            timeout_secs: 30,
            max_retry_wait_secs: 10,
        }
    }
}

impl Services {
    /// The defaults, with each base URL replaced by its environment variable when set.
    pub fn from_env() -> Services {
        Services::default().with_env()
    }

    /// These services, with each base URL replaced by its environment variable when set.
    pub fn with_env(self) -> Services {
        let mut s = self;
        for (var, field) in [
            ("TOPICA_ARXIV_API", &mut s.arxiv_api),
            ("TOPICA_DOI_RESOLVER", &mut s.doi_resolver),
            ("TOPICA_CROSSREF_API", &mut s.crossref_api),
        ] {
            if let Some(v) = std::env::var(var).ok().filter(|v| !v.trim().is_empty()) {
                *field = v.trim().trim_end_matches('/').to_string();
            }
        }
        s
    }
}

const USER_AGENT: &str = concat!(
    "Topica/",
    env!("CARGO_PKG_VERSION"),
    " (personal reference manager; https://github.com/topica-app/topica)"
);

/// One answer: status and body text.
pub(crate) struct Answer {
    pub status: u16,
    pub body: String,
}

/// An HTTP client for the metadata services.
pub(crate) struct Http {
    agent: ureq::Agent,
    max_retry_wait: Duration,
}

impl Http {
    pub fn new(timeout: Duration, max_retry_wait: Duration) -> Http {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .user_agent(USER_AGENT)
            .timeout_global(Some(timeout))
            .build()
            .into();
        Http {
            agent,
            max_retry_wait,
        }
    }

    pub fn for_services(s: &Services) -> Http {
        Http::new(
            Duration::from_secs(s.timeout_secs.max(1)),
            Duration::from_secs(s.max_retry_wait_secs),
        )
    }

    /// GETs `url` asking for `accept`. A 429 whose `Retry-After` (seconds) is within the limit
    /// is waited out and asked once more; otherwise it is an error that says when to retry.
    /// Errors name `service` and are written for the user.
    pub fn get(&self, service: &str, url: &str, accept: &str) -> Result<Answer, String> {
        let mut retried = false;
        loop {
            let mut resp = self
                .agent
                .get(url)
                .header("Accept", accept)
                .call()
                .map_err(|e| match e {
                    ureq::Error::Timeout(_) => format!("{service} did not answer in time"),
                    e => format!("cannot reach {service} ({e})"),
                })?;
            let status = resp.status().as_u16();
            if status == 429 {
                let wait = resp
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok());
                match wait {
                    Some(w) if !retried && Duration::from_secs(w) <= self.max_retry_wait => {
                        std::thread::sleep(Duration::from_secs(w));
                        retried = true;
                        continue;
                    }
                    Some(w) => {
                        return Err(format!(
                            "{service} is limiting requests; try again in {w} s"
                        ))
                    }
                    None => return Err(format!("{service} is limiting requests; try again later")),
                }
            }
            let body = resp
                .body_mut()
                .with_config()
                .limit(MAX_BODY)
                .read_to_string()
                .map_err(|e| format!("reading the answer of {service}: {e}"))?;
            return Ok(Answer { status, body });
        }
    }
}

/// The largest answer read (a Crossref work with its reference list is ~100 KB).
const MAX_BODY: u64 = 10 * 1024 * 1024;
