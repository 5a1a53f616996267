//! arXiv enrichment against a local HTTP server that replays real recorded arXiv API responses
//! (`tests/fixtures/arxiv_api/arxiv.py_recorded_json/`, including the HTTP 400 error feed).

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use topica_core::{EnrichOptions, Error, Format};

use crate::util;

/// One recorded response: the versionless ids its request asked for, status and body.
struct Recording {
    ids: BTreeSet<String>,
    status: u16,
    body: String,
}

fn recordings() -> Vec<Recording> {
    let dir = util::fixture("arxiv_api/arxiv.py_recorded_json");
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(e.unwrap().path()).unwrap()).unwrap();
        let url = v["url"].as_str().unwrap();
        let Some(list) = query_param(url, "id_list") else {
            continue;
        };
        out.push(Recording {
            ids: id_set(&list),
            status: v["status_code"].as_u64().unwrap() as u16,
            body: v["body"].as_str().unwrap().to_string(),
        });
    }
    out
}

fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
        .map(|v| v.replace("%2C", ",").replace("%2F", "/"))
}

/// Versionless ids: the API answers `2104.12255` and `2104.12255v1` with the same paper.
fn id_set(list: &str) -> BTreeSet<String> {
    list.split(',')
        .filter(|s| !s.is_empty())
        .map(|s| topica_core::ArxivId::parse(s).map_or(s.to_string(), |a| a.id))
        .collect()
}

/// A replay server: answers each request with the recording for the same id set (404 if none),
/// or with `force` for the ids listed there. Records the requests it saw.
struct Replay {
    url: String,
    requests: Arc<Mutex<Vec<(String, String)>>>,
}

fn serve(force: Vec<(&'static str, &'static str)>) -> Replay {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/api/query", listener.local_addr().unwrap());
    let recs = recordings();
    let requests: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let seen = requests.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            let mut agent = String::new();
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
                    break;
                }
                if let Some(v) = h.to_ascii_lowercase().strip_prefix("user-agent:") {
                    agent = v.trim().to_string();
                }
            }
            let target = request_line
                .split_whitespace()
                .nth(1)
                .unwrap_or("")
                .to_string();
            seen.lock().unwrap().push((target.clone(), agent));
            let ids = id_set(&query_param(&target, "id_list").unwrap_or_default());
            let forced = force
                .iter()
                .find(|(id, _)| ids.contains(*id))
                .map(|(_, rec)| id_set(rec));
            let wanted = forced.unwrap_or(ids);
            let (status, body) = match recs.iter().find(|r| r.ids == wanted) {
                Some(r) => (r.status, r.body.clone()),
                None => (404, "no recording".to_string()),
            };
            let reason = if status == 200 { "OK" } else { "Error" };
            let _ = write!(
                stream,
                "HTTP/1.1 {status} {reason}\r\nContent-Type: application/atom+xml; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    Replay { url, requests }
}

fn opts(url: &str, batch_size: usize) -> EnrichOptions {
    EnrichOptions {
        base_url: url.to_string(),
        interval: Duration::ZERO,
        batch_size,
        ..EnrichOptions::default()
    }
}

fn library_of(ids: &str) -> util::TestLibrary {
    let t = util::library();
    t.import_text("ids.txt", ids, Format::IdList, true).unwrap();
    t
}

#[test]
fn enrich_fills_metadata_keeps_user_fields_and_search_filters_find_it() {
    let t = library_of("1707.08567\n1605.08386\nastro-ph/0601001\n2104.12255\nquant-ph/0201082\n");
    let p = t.find("1707.08567").unwrap();
    assert!(p.title.is_none() && p.authors.is_empty());
    t.set_notes(p.id, "read for the AEW talk").unwrap();
    t.set_tags(p.id, &["workshop".to_string()]).unwrap();
    assert_eq!(t.search("author:Immink", 10).unwrap().total, 0);

    let server = serve(vec![]);
    let report = t.enrich(&opts(&server.url, 1), &mut |_| true).unwrap();
    assert_eq!(report.candidates, 5);
    assert_eq!(report.requests, 5, "one id per request with batch size 1");
    assert_eq!(report.enriched, 5, "{report:?}");
    assert!(report.not_found.is_empty());

    let p = t.find("1707.08567").unwrap();
    assert_eq!(
        p.title.as_deref(),
        Some("Proceedings of Workshop AEW10: Concepts in Information Theory and Communications")
    );
    assert_eq!(p.authors.len(), 34);
    assert_eq!(p.categories, vec!["cs.IT"]);
    assert_eq!(
        p.notes, "read for the AEW talk",
        "user fields are never touched"
    );
    assert_eq!(p.tags, vec!["workshop".to_string()]);
    assert_eq!(p.arxiv_version, Some(1));

    let hits = t.search("author:Immink", 10).unwrap();
    assert_eq!(hits.total, 1);
    assert_eq!(hits.hits[0].arxiv_id.as_deref(), Some("1707.08567"));
    let old = t.search("year:2006", 10).unwrap();
    assert!(
        old.hits
            .iter()
            .any(|h| h.arxiv_id.as_deref() == Some("astro-ph/0601001")),
        "{old:?}"
    );
    let both = t.search("author:Immink year:2017", 10).unwrap();
    assert_eq!(both.total, 1);
    assert_eq!(t.search("author:Immink year:2016", 10).unwrap().total, 0);

    let reqs = server.requests.lock().unwrap();
    assert!(
        reqs.iter()
            .all(|(target, agent)| target.contains("id_list=") && agent.starts_with("topica/")),
        "{reqs:?}"
    );

    // Nothing left to do: a second run makes no request.
    drop(reqs);
    let again = t.enrich(&opts(&server.url, 1), &mut |_| true).unwrap();
    assert_eq!((again.candidates, again.requests), (0, 0));
}

#[test]
fn enrich_batches_ids_and_reports_ids_arxiv_does_not_know() {
    let t = library_of("0808.05394\n1707.08567\n");
    let server = serve(vec![]);
    let report = t.enrich(&opts(&server.url, 100), &mut |_| true).unwrap();
    assert_eq!(report.requests, 1, "both ids in one id_list");
    assert_eq!(report.enriched, 1);
    assert_eq!(report.not_found, vec!["0808.05394".to_string()]);
    let reqs = server.requests.lock().unwrap();
    assert!(
        reqs[0].0.contains("id_list=0808.05394,1707.08567"),
        "{reqs:?}"
    );
}

#[test]
fn an_http_400_error_feed_changes_nothing() {
    let t = library_of("1707.08567\n1605.08386\n");
    let before = t.papers(0, 0).unwrap();
    // The first batch succeeds; the second is answered with arXiv's real HTTP 400 error feed.
    let server = serve(vec![("1605.08386", "abc")]);
    let err = t.enrich(&opts(&server.url, 1), &mut |_| true).unwrap_err();
    assert!(matches!(err, Error::Network(_)), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("400") && msg.contains("incorrect id format for abc"),
        "{msg}"
    );
    assert_eq!(t.papers(0, 0).unwrap(), before, "nothing was written");
    assert_eq!(t.search("author:Immink", 10).unwrap().total, 0);
}

#[test]
fn offline_changes_nothing() {
    let t = library_of("1707.08567\n");
    let before = t.papers(0, 0).unwrap();
    // A port nobody listens on: bind one, then close it.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = t
        .enrich(
            &opts(&format!("http://127.0.0.1:{port}/api/query"), 100),
            &mut |_| true,
        )
        .unwrap_err();
    assert!(matches!(err, Error::Network(_)), "{err:?}");
    assert_eq!(t.papers(0, 0).unwrap(), before);
}
