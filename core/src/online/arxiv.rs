//! The arXiv API: metadata for a list of arXiv ids in one `id_list` request (Atom).

use topica_formats::import::parse_arxiv_feed;
use topica_model::Paper;

use super::Http;

/// One `id_list` request for `ids` (versionless). Errors carry the API's own message when it
/// sent an error feed.
pub(crate) fn fetch(http: &Http, base_url: &str, ids: &[String]) -> Result<Vec<Paper>, String> {
    let url = format!(
        "{base_url}?id_list={}&start=0&max_results={}",
        ids.join(","),
        ids.len()
    );
    let answer = http.get("the arXiv API", &url, "application/atom+xml")?;
    if answer.status != 200 {
        let detail = match parse_arxiv_feed(&answer.body) {
            Err(topica_formats::Error::Response(m)) => m,
            _ => answer.body.chars().take(200).collect(),
        };
        return Err(format!(
            "the arXiv API answered HTTP {}: {detail}",
            answer.status
        ));
    }
    parse_arxiv_feed(&answer.body)
        .map_err(|e| format!("the arXiv API sent an unreadable answer: {e}"))
}
