//! DOI metadata as the resolvers answer it: the CSL-JSON item doi.org sends for
//! `Accept: application/vnd.citationstyles.csl+json` (from Crossref, DataCite or mEDRA), and the
//! Crossref REST API's work (`GET /works/{doi}`: `{"status": "ok", "message": {…}}`), whose
//! fields are CSL's but with lists for titles and Crossref's own type names.
//!
//! Both answer far more than a reference needs (reference lists, licences, funders, links);
//! only bibliographic fields are kept, so a paper added by DOI exports as cleanly as one typed in.

use serde_json::{Map, Value};

use super::csl_json;
use topica_model::Paper;

/// Fields of a response kept in `Paper::extra` besides those with a column.
const KEPT_EXTRA: &[&str] = &[
    "ISSN",
    "ISBN",
    "publisher-place",
    "language",
    "edition",
    "event",
    "collection-title",
    "csl_type",
];

/// The paper in doi.org's CSL-JSON answer. The error says what was wrong with the body.
pub fn paper_from_csl(body: &str) -> Result<Paper, String> {
    let value: Value = serde_json::from_str(body).map_err(|e| format!("not JSON ({e})"))?;
    let Value::Object(item) = value else {
        return Err("not a CSL-JSON item".into());
    };
    finish(csl_json::to_paper(&flatten(item)))
}

/// The paper in a Crossref REST API work response.
pub fn paper_from_crossref(body: &str) -> Result<Paper, String> {
    let value: Value = serde_json::from_str(body).map_err(|e| format!("not JSON ({e})"))?;
    let Some(Value::Object(message)) = value.get("message").cloned() else {
        return Err("no work in the response (no \"message\" object)".into());
    };
    let mut item = flatten(message);
    if let Some(t) = item.get("type").and_then(Value::as_str) {
        item.insert("type".into(), Value::String(csl_type(t).into()));
    }
    if let Some(Value::String(a)) = item.get("abstract") {
        item.insert("abstract".into(), Value::String(strip_tags(a)));
    }
    finish(csl_json::to_paper(&item))
}

/// Crossref writes `title`, `container-title`, `subtitle`... as lists; CSL as one string.
fn flatten(mut item: Map<String, Value>) -> Map<String, Value> {
    for key in [
        "title",
        "container-title",
        "subtitle",
        "ISSN",
        "ISBN",
        "publisher-place",
    ] {
        if let Some(Value::Array(list)) = item.get(key) {
            match list.first().cloned() {
                Some(first) => item.insert(key.into(), first),
                None => item.remove(key),
            };
        }
    }
    // doi.org's CSL abstracts are JATS too.
    if let Some(Value::String(a)) = item.get("abstract") {
        item.insert("abstract".into(), Value::String(strip_tags(a)));
    }
    item
}

fn finish(mut p: Paper) -> Result<Paper, String> {
    // The response's `id` is the resolver's, not a citation key; Topica makes the key.
    p.citation_key = None;
    p.extra.retain(|k, _| KEPT_EXTRA.contains(&k.as_str()));
    if p.title.is_none() && p.doi.is_none() {
        return Err("the record has neither a title nor a DOI".into());
    }
    Ok(p)
}

/// Crossref's type names as CSL's.
fn csl_type(crossref: &str) -> &str {
    match crossref {
        "journal-article" => "article-journal",
        "proceedings-article" => "paper-conference",
        "book-chapter" | "book-section" | "book-part" | "reference-entry" => "chapter",
        "book" | "edited-book" | "monograph" | "reference-book" => "book",
        "posted-content" => "article",
        "dissertation" => "thesis",
        "report" | "report-series" => "report",
        "dataset" => "dataset",
        "standard" => "standard",
        other => other,
    }
}

/// `<jats:p>Text <jats:italic>here</jats:italic></jats:p>` → `Text here`.
fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice
)]
mod tests {
    use super::*;

    #[test]
    fn a_crossref_work_becomes_a_clean_paper() {
        let body = r#"{"status":"ok","message-type":"work","message":{
            "DOI":"10.1145/3442188.3445922","type":"proceedings-article",
            "title":["On the Dangers of Stochastic Parrots"],
            "container-title":["Proceedings of the 2021 ACM Conference on Fairness, Accountability, and Transparency"],
            "author":[{"given":"Emily M.","family":"Bender","sequence":"first","affiliation":[]}],
            "issued":{"date-parts":[[2021,3,3]]},"page":"610-623","publisher":"ACM",
            "abstract":"<jats:p>The past 3 years <jats:italic>of work</jats:italic></jats:p>",
            "reference":[{"key":"r1"}],"ISSN":["0000-0001"],"URL":"https://doi.org/10.1145/3442188.3445922"}}"#;
        let p = paper_from_crossref(body).unwrap();
        assert_eq!(
            p.title.as_deref(),
            Some("On the Dangers of Stochastic Parrots")
        );
        assert_eq!(p.kind.as_deref(), Some("inproceedings"));
        assert_eq!(p.doi.as_deref(), Some("10.1145/3442188.3445922"));
        assert_eq!((p.year, p.month), (Some(2021), Some(3)));
        assert_eq!(p.authors[0].family, "Bender");
        assert_eq!(p.abstract_text.as_deref(), Some("The past 3 years of work"));
        assert!(p
            .container
            .as_deref()
            .unwrap()
            .starts_with("Proceedings of the 2021"));
        assert_eq!(p.citation_key, None);
        let extra: Vec<&str> = p.extra.keys().map(String::as_str).collect();
        assert_eq!(extra, ["ISSN", "csl_type"]);
    }

    #[test]
    fn garbage_is_refused_with_a_reason() {
        assert!(paper_from_csl("<html>")
            .unwrap_err()
            .starts_with("not JSON"));
        assert_eq!(paper_from_csl("[1]").unwrap_err(), "not a CSL-JSON item");
        assert!(paper_from_crossref(r#"{"status":"ok"}"#)
            .unwrap_err()
            .contains("message"));
        assert!(paper_from_csl("{}")
            .unwrap_err()
            .contains("neither a title"));
    }
}
