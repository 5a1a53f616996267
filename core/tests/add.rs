//! Adding papers by identifier, against a real HTTP server on 127.0.0.1 that plays arXiv
//! (recorded API responses), doi.org (CSL-JSON) and Crossref (REST works), with their errors:
//! 404, 406, 429 with Retry-After, a reply held past the timeout, and a garbage body.

use std::time::Duration;

use topica_core::{Services, View};

use crate::util::{self, http};

/// The recorded arXiv answer for exactly these ids (`id_list`), if there is one.
fn arxiv_recording(id_list: &str) -> Option<(u16, String)> {
    let dir = util::fixture("arxiv_api/arxiv.py_recorded_json");
    for e in std::fs::read_dir(dir).unwrap() {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(e.unwrap().path()).unwrap()).unwrap();
        let url = v["url"]
            .as_str()
            .unwrap()
            .replace("%2C", ",")
            .replace("%2F", "/");
        if url.contains(&format!("id_list={id_list}&")) {
            return Some((
                v["status_code"].as_u64().unwrap() as u16,
                v["body"].as_str().unwrap().to_string(),
            ));
        }
    }
    None
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(util::fixture(&format!("doi/{name}"))).unwrap()
}

/// The three services behind one server. DOIs under `10.9999/` misbehave by their suffix.
fn services() -> (http::Server, Services) {
    let server = http::serve(|r| {
        let t = r.target.as_str();
        if let Some(q) = t.strip_prefix("/arxiv/query?id_list=") {
            let ids = q.split('&').next().unwrap();
            return match arxiv_recording(ids) {
                Some((status, body)) => http::Reply::new(status, "application/atom+xml", body),
                // arXiv answers an id it does not have with an empty feed, as recorded for 0000.0000.
                None => {
                    let (status, body) = arxiv_recording("0000.0000").unwrap();
                    http::Reply::new(status, "application/atom+xml", body)
                }
            };
        }
        if let Some(doi) = t.strip_prefix("/doi/") {
            return match doi {
                "10.1038/nature14539" if r.accept.contains("csl+json") => http::Reply::new(
                    200,
                    "application/vnd.citationstyles.csl+json",
                    fixture("10.1038_nature14539.csl.json"),
                ),
                // A resolver that cannot answer CSL for this DOI.
                "10.1145/3442188.3445922" => http::Reply::new(406, "text/html", "Not Acceptable"),
                "10.9999/garbage" => http::Reply::new(200, "application/json", "<html>oops"),
                "10.9999/slow" => http::Reply {
                    delay: Duration::from_secs(3),
                    ..http::Reply::new(200, "application/json", "{}")
                },
                _ => http::Reply::new(404, "text/html", "DOI Not Found"),
            };
        }
        if let Some(doi) = t.strip_prefix("/crossref/works/") {
            return match doi {
                "10.1145/3442188.3445922" => http::Reply::new(
                    200,
                    "application/json",
                    fixture("10.1145_3442188.3445922.crossref.json"),
                ),
                "10.9999/limited" => http::Reply {
                    headers: vec![("Retry-After", "120".into())],
                    ..http::Reply::new(429, "text/plain", "slow down")
                },
                "10.9999/garbage" | "10.9999/slow" => {
                    http::Reply::new(500, "text/plain", "Internal Server Error")
                }
                _ => http::Reply::new(404, "text/plain", "Resource not found."),
            };
        }
        http::Reply::new(400, "text/plain", "unexpected")
    });
    let s = Services {
        arxiv_api: format!("{}/arxiv/query", server.base),
        doi_resolver: format!("{}/doi", server.base),
        crossref_api: format!("{}/crossref", server.base),
        timeout_secs: 1,
        max_retry_wait_secs: 2,
    };
    (server, s)
}

#[test]
fn arxiv_ids_in_any_spelling_and_dois_are_added_and_searchable() {
    let t = util::library();
    let (server, s) = services();
    let report = t
        .add_identifiers(
            "https://arxiv.org/abs/1605.08386v1\n doi:10.1038/NATURE14539 \n\
             https://doi.org/10.1145/3442188.3445922",
            &s,
        )
        .unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    let titles: Vec<&str> = report.added.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Heat-bath random walks with Markov bases",
            "Deep learning",
            "On the Dangers of Stochastic Parrots: Can Language Models Be Too Big? 🦜"
        ]
    );
    assert!(report.added.iter().all(|a| a.new));
    assert_eq!(t.len().unwrap(), 3);

    let nature = t.paper(report.added[1].id).unwrap();
    assert_eq!(nature.doi.as_deref(), Some("10.1038/nature14539"));
    assert_eq!(nature.container.as_deref(), Some("Nature"));
    assert_eq!(
        (nature.volume.as_deref(), nature.pages.as_deref()),
        (Some("521"), Some("436-444"))
    );
    assert_eq!(nature.authors.len(), 3);
    assert_eq!(nature.year, Some(2015));
    assert!(
        !nature.extra.contains_key("reference"),
        "{:?}",
        nature.extra
    );
    assert!(nature
        .citation_key
        .as_deref()
        .is_some_and(|k| !k.contains("doi.org")));
    let parrots = t.paper(report.added[2].id).unwrap();
    assert_eq!(parrots.kind.as_deref(), Some("inproceedings"));
    assert_eq!(parrots.authors[0].family, "Bender");

    assert_eq!(t.search("author:Hinton", 10).unwrap().total, 1);
    assert_eq!(t.search("parrots", 10).unwrap().total, 1);
    // doi.org was asked for CSL-JSON; the DOI it could not answer went to Crossref.
    let seen = server.seen();
    assert!(seen.iter().any(|r| r.target == "/doi/10.1038/nature14539"
        && r.accept == "application/vnd.citationstyles.csl+json"));
    assert!(seen
        .iter()
        .any(|r| r.target == "/crossref/works/10.1145/3442188.3445922"));

    // One undo step takes the three away (to the trash).
    assert_eq!(t.history().unwrap().undo.as_deref(), Some("Add 3 papers"));
    t.undo().unwrap();
    assert_eq!(t.len().unwrap(), 0);

    // Adding again brings them back from the trash: not new, same ids.
    let again = t.add_identifiers("1605.08386", &s).unwrap();
    assert_eq!(again.added[0].id, report.added[0].id);
    assert!(!again.added[0].new);
    assert_eq!(t.len().unwrap(), 1);
}

#[test]
fn each_failure_is_named_and_adds_nothing_while_the_rest_comes_in() {
    let t = util::library();
    let (_server, s) = services();
    let report = t
        .add_identifiers(
            "10.9999/missing\nnot-an-id\n10.9999/limited\n10.9999/garbage\n10.9999/slow\n10.1038/nature14539",
            &s,
        )
        .unwrap();
    assert_eq!(report.added.len(), 1);
    assert_eq!(report.added[0].title, "Deep learning");
    let failed: Vec<(&str, &str)> = report
        .failed
        .iter()
        .map(|f| (f.input.as_str(), f.reason.as_str()))
        .collect();
    assert_eq!(failed.len(), 5, "{failed:#?}");
    assert_eq!(
        failed[0],
        (
            "10.9999/missing",
            "doi.org does not know this DOI; Crossref does not know it either"
        )
    );
    assert_eq!(failed[1], ("not-an-id", "not an arXiv id or a DOI"));
    assert_eq!(
        failed[2],
        (
            "10.9999/limited",
            "doi.org does not know this DOI; Crossref is limiting requests; try again in 120 s"
        )
    );
    assert!(
        failed[3]
            .1
            .starts_with("doi.org sent an unreadable answer (not JSON"),
        "{}",
        failed[3].1
    );
    assert!(
        failed[3].1.ends_with("; Crossref answered HTTP 500"),
        "{}",
        failed[3].1
    );
    assert_eq!(
        failed[4],
        (
            "10.9999/slow",
            "doi.org did not answer in time; Crossref answered HTTP 500"
        )
    );
    assert_eq!(t.len().unwrap(), 1);
}

#[test]
fn a_rate_limit_within_the_wait_is_waited_out_once() {
    let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let c = calls.clone();
    let server = http::serve(move |_| {
        if c.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
            http::Reply {
                headers: vec![("Retry-After", "1".into())],
                ..http::Reply::new(429, "text/plain", "slow down")
            }
        } else {
            http::Reply::new(
                200,
                "application/vnd.citationstyles.csl+json",
                fixture("10.1038_nature14539.csl.json"),
            )
        }
    });
    let s = Services {
        doi_resolver: server.base.clone(),
        crossref_api: server.base.clone(),
        timeout_secs: 5,
        max_retry_wait_secs: 2,
        ..Services::default()
    };
    let t = util::library();
    let report = t.add_identifiers("10.1038/nature14539", &s).unwrap();
    assert_eq!(report.added.len(), 1, "{:?}", report.failed);
    assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 2);
}

#[test]
fn an_arxiv_error_and_an_unknown_id_are_reported_per_identifier() {
    let t = util::sample_library();
    let n = t.len().unwrap();
    let (_server, s) = services();
    // `abc` is not an id, so it never reaches the API; arXiv answers 2101.99999 with no entry.
    let report = t.add_identifiers("2101.99999 abc", &s).unwrap();
    assert!(report.added.is_empty());
    let reasons: Vec<&str> = report.failed.iter().map(|f| f.reason.as_str()).collect();
    assert_eq!(
        reasons,
        ["arXiv has no paper 2101.99999", "not an arXiv id or a DOI"]
    );
    // An unreachable service: every identifier says so, nothing is written.
    let offline = Services {
        arxiv_api: "http://127.0.0.1:9/api/query".into(),
        ..s
    };
    let report = t
        .add_identifiers("1605.08386\n1707.08567", &offline)
        .unwrap();
    assert_eq!(report.failed.len(), 2);
    assert!(
        report.failed[0]
            .reason
            .starts_with("cannot reach the arXiv API"),
        "{:?}",
        report.failed
    );
    assert_eq!(t.len().unwrap(), n);
    assert!(t
        .list_ids(&View::Trash, topica_core::SortBy::Added)
        .unwrap()
        .is_empty());
}
