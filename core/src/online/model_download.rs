//! Semantic mode's model, downloaded from its public hub (Settings → Semantic topics → Download,
//! `topica-cli model download`). Each file of `model-files.sha256` is fetched into a `.part`
//! file beside its final name, resumed with a `Range` request when a `.part` is already there
//! (an interrupted or cancelled download), checked against its published SHA-256 and only then
//! renamed into place: a folder never holds a file that is partly written or not the model's.

use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::semantic::model_files;
use crate::{Error, Progress, ProgressFn, Result};

/// The model's files on its public hub (a setting; `TOPICA_MODEL_HUB` overrides it).
pub const DEFAULT_MODEL_HUB: &str =
    "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2/resolve/main";

/// What a download did.
#[derive(Debug, Clone, Default, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ModelDownload {
    /// Files fetched now (in whole or the rest of a partial one).
    pub downloaded: Vec<String>,
    /// Files already in place with the right checksum.
    pub present: Vec<String>,
    /// Bytes received.
    pub bytes: u64,
    /// Files resumed from an earlier partial download.
    pub resumed: Vec<String>,
}

/// The hub's base URL: `TOPICA_MODEL_HUB` when set, else `hub`.
pub fn model_hub(hub: &str) -> String {
    std::env::var("TOPICA_MODEL_HUB")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| hub.to_string())
        .trim_end_matches('/')
        .to_string()
}

fn sha256_of(path: &Path) -> std::io::Result<Sha256> {
    let mut h = Sha256::new();
    let mut f = std::fs::File::open(path)?;
    std::io::copy(&mut f, &mut h)?;
    Ok(h)
}

fn hex(d: &[u8]) -> String {
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// Downloads every model file missing from `dest` (or not matching its checksum) from `hub`.
/// `timeout` bounds connecting and waiting for an answer; the body may take as long as it
/// takes, and `progress` (bytes of the current file) may cancel it between reads, keeping the
/// `.part` file for the next attempt.
pub fn download_model(
    hub: &str,
    dest: &Path,
    timeout: Duration,
    progress: ProgressFn,
) -> Result<ModelDownload> {
    let hub = model_hub(hub);
    std::fs::create_dir_all(dest).map_err(|e| Error::file(dest, e))?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(timeout))
        .timeout_recv_response(Some(timeout))
        .build()
        .into();
    let mut report = ModelDownload::default();
    for f in model_files() {
        let target = dest.join(f.path);
        if target.is_file()
            && sha256_of(&target)
                .map(|h| hex(&h.finalize()))
                .ok()
                .as_deref()
                == Some(f.sha256)
        {
            report.present.push(f.path.to_string());
            continue;
        }
        let part = dest.join(format!("{}.part", f.path));
        let have = std::fs::metadata(&part).map(|m| m.len()).unwrap_or(0);
        let url = format!("{hub}/{}", f.path);
        let mut req = agent.get(&url);
        if have > 0 {
            req = req.header("Range", &format!("bytes={have}-"));
        }
        let mut resp = req.call().map_err(|e| match e {
            ureq::Error::Timeout(_) => {
                Error::Network(format!("the model hub did not answer in time ({url})"))
            }
            e => Error::Network(format!("cannot reach the model hub ({url}: {e})")),
        })?;
        let status = resp.status().as_u16();
        let (mut hasher, append) = match status {
            206 if have > 0 => {
                report.resumed.push(f.path.to_string());
                (sha256_of(&part).map_err(|e| Error::file(&part, e))?, true)
            }
            200 => (Sha256::new(), false),
            429 => {
                let wait = resp
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .map(|v| format!("; try again in {} s", v.trim()))
                    .unwrap_or_else(|| "; try again later".into());
                return Err(Error::Network(format!(
                    "the model hub is limiting requests{wait}"
                )));
            }
            s => {
                return Err(Error::Network(format!(
                    "the model hub answered HTTP {s} for {url}; nothing was installed"
                )))
            }
        };
        let total = resp
            .headers()
            .get("content-length")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok())
            .map(|n| n + if append { have } else { 0 });
        let mut out = std::fs::OpenOptions::new()
            .create(true)
            .write(true)
            .append(append)
            .truncate(!append)
            .open(&part)
            .map_err(|e| Error::file(&part, e))?;
        let mut done = if append { have } else { 0 };
        let mut body = resp.body_mut().with_config().limit(u64::MAX).reader();
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = body.read(&mut buf).map_err(|e| {
                Error::Network(format!(
                    "the download of {} broke off ({e}); it resumes where it stopped",
                    f.path
                ))
            })?;
            if n == 0 {
                break;
            }
            out.write_all(&buf[..n])
                .map_err(|e| Error::file(&part, e))?;
            hasher.update(&buf[..n]);
            done += n as u64;
            report.bytes += n as u64;
            if !progress(&Progress {
                phase: "downloading the model",
                done,
                total,
            }) {
                out.flush().map_err(|e| Error::file(&part, e))?;
                return Err(Error::Cancelled);
            }
        }
        out.sync_all().map_err(|e| Error::file(&part, e))?;
        drop(out);
        let got = hex(&hasher.finalize());
        if got != f.sha256 {
            let _ = std::fs::remove_file(&part);
            return Err(Error::Network(format!(
                "{} from {url} is not the model's file (SHA-256 {got}, expected {}); it was discarded and nothing was installed",
                f.path, f.sha256
            )));
        }
        std::fs::rename(&part, &target).map_err(|e| Error::file(&target, e))?;
        report.downloaded.push(f.path.to_string());
    }
    Ok(report)
}
