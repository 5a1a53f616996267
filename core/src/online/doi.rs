//! A DOI's metadata: doi.org's content negotiation first (CSL-JSON, which Crossref, DataCite
//! and mEDRA DOIs all answer), the Crossref REST API for DOIs whose resolver does not.

use topica_formats::import::{paper_from_crossref, paper_from_csl};
use topica_model::Paper;

use super::{Http, Services};

const CSL_JSON: &str = "application/vnd.citationstyles.csl+json";

/// The paper `doi` (normalised) names, or why it could not be had.
pub(crate) fn fetch(http: &Http, services: &Services, doi: &str) -> Result<Paper, String> {
    let path = encode_path(doi);
    let resolver = format!("{}/{path}", services.doi_resolver.trim_end_matches('/'));
    let first = match http.get("doi.org", &resolver, CSL_JSON) {
        Ok(a) if a.status == 200 => match paper_from_csl(&a.body) {
            Ok(p) => return Ok(with_doi(p, doi)),
            Err(e) => format!("doi.org sent an unreadable answer ({e})"),
        },
        Ok(a) if a.status == 404 => "doi.org does not know this DOI".to_string(),
        Ok(a) => format!("doi.org answered HTTP {}", a.status),
        Err(e) => e,
    };
    let crossref = format!(
        "{}/works/{path}",
        services.crossref_api.trim_end_matches('/')
    );
    let second = match http.get("Crossref", &crossref, "application/json") {
        Ok(a) if a.status == 200 => match paper_from_crossref(&a.body) {
            Ok(p) => return Ok(with_doi(p, doi)),
            Err(e) => format!("Crossref sent an unreadable answer ({e})"),
        },
        Ok(a) if a.status == 404 => "Crossref does not know it either".to_string(),
        Ok(a) => format!("Crossref answered HTTP {}", a.status),
        Err(e) => e,
    };
    Err(format!("{first}; {second}"))
}

/// The DOI asked for is the paper's, whatever spelling the service echoed.
fn with_doi(mut p: Paper, doi: &str) -> Paper {
    p.doi = Some(doi.to_string());
    p
}

/// A DOI as a URL path: its `/` stay, anything outside RFC 3986's unreserved set and `/` is
/// percent-encoded (DOIs may hold `<`, `#`, `;`, spaces in old SICIs).
fn encode_path(doi: &str) -> String {
    let mut out = String::with_capacity(doi.len());
    for b in doi.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn dois_become_url_paths() {
        assert_eq!(
            super::encode_path("10.1000/a b<c>#1"),
            "10.1000/a%20b%3Cc%3E%231"
        );
        assert_eq!(
            super::encode_path("10.1002/(sici)1097"),
            "10.1002/%28sici%291097"
        );
    }
}
