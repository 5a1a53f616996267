//! arXiv metadata as JSON lines, in the Kaggle `arxiv-metadata-oai-snapshot` schema.
//! Streamed line by line, so a multi-GB dump imports in bounded memory.

use std::io::BufRead;

use serde::Deserialize;

use super::latex::latex_to_unicode;
use super::text::non_empty;
use super::{numbered_lines, Record, Records};
use topica_model::ArxivId;
use topica_model::RecordError;
use topica_model::{normalize_doi, Author, Paper};

#[derive(Deserialize)]
struct Row {
    id: String,
    title: Option<String>,
    authors: Option<String>,
    #[serde(default)]
    authors_parsed: Vec<Vec<String>>,
    #[serde(rename = "abstract")]
    abstract_text: Option<String>,
    categories: Option<Categories>,
    /// Exports made from the arXiv API (not the Kaggle dump) name the primary category apart.
    primary_category: Option<String>,
    comments: Option<String>,
    #[serde(rename = "journal-ref", alias = "journal_ref")]
    journal_ref: Option<String>,
    doi: Option<String>,
    #[serde(rename = "report-no")]
    report_no: Option<String>,
    license: Option<String>,
    #[serde(default)]
    versions: Vec<Version>,
}

/// The Kaggle dump writes categories as one space-separated string; other exports of arXiv
/// metadata (the API's, datasets rebuilt from it) as a list.
#[derive(Deserialize)]
#[serde(untagged)]
enum Categories {
    Text(String),
    List(Vec<String>),
}

impl Categories {
    fn into_vec(self) -> Vec<String> {
        match self {
            Categories::Text(t) => t.split_whitespace().map(String::from).collect(),
            Categories::List(l) => l
                .into_iter()
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
                .collect(),
        }
    }
}

#[derive(Deserialize)]
struct Version {
    version: String,
}

pub(super) fn parse<R: BufRead + Send + 'static>(file: String, reader: R) -> Records<'static> {
    Box::new(numbered_lines(file.clone(), reader).filter_map(move |l| {
        let (line, text) = match l {
            Ok(x) => x,
            Err(e) => return Some(Err(e)),
        };
        if text.trim().is_empty() {
            return None;
        }
        let err = |reason: String| RecordError {
            text: String::new(),
            file: file.clone(),
            line,
            reason,
        };
        let row: Row = match serde_json::from_str(&text) {
            Ok(r) => r,
            Err(e) => return Some(Err(err(format!("not an arXiv metadata record: {e}")))),
        };
        Some(to_paper(row).map_err(err).map(|mut paper| {
            // A JSON `\u0000` decodes to NUL: removed, and said (the streamed formats' share of
            // what `decode` does for the others).
            let nul = super::text::strip_nul(&mut paper);
            let mut rec = Record::new(line, paper);
            if nul {
                rec.warnings.push(RecordError {
                    text: String::new(),
                    file: file.clone(),
                    line,
                    reason: "a NUL character (\\u0000) was removed".into(),
                });
            }
            rec
        }))
    }))
}

fn to_paper(row: Row) -> Result<Paper, String> {
    let id = ArxivId::parse(&row.id).ok_or_else(|| format!("{:?} is not an arXiv id", row.id))?;
    let version = row
        .versions
        .iter()
        .filter_map(|v| v.version.trim_start_matches('v').parse::<u32>().ok())
        .max()
        .or(id.version);
    let authors = if !row.authors_parsed.is_empty() {
        row.authors_parsed
            .iter()
            .filter_map(|parts| {
                let family = latex_to_unicode(parts.first()?.trim());
                let given = latex_to_unicode(parts.get(1).map_or("", |s| s.trim()));
                let suffix = parts.get(2).map_or(String::new(), |s| s.trim().to_string());
                (!family.is_empty()).then(|| Author {
                    family,
                    given,
                    suffix,
                    ..Author::default()
                })
            })
            .collect()
    } else {
        row.authors
            .as_deref()
            .map(split_author_list)
            .unwrap_or_default()
    };
    let (year, month) = id
        .year_month()
        .map_or((None, None), |(y, m)| (Some(y), Some(m)));
    let mut extra = std::collections::BTreeMap::new();
    if let Some(r) = row.report_no.as_deref().and_then(non_empty) {
        extra.insert("number".to_string(), r);
    }
    if let Some(l) = row.license.as_deref().and_then(non_empty) {
        extra.insert("license".to_string(), l);
    }
    Ok(Paper {
        arxiv_id: Some(id.id.clone()),
        arxiv_version: version,
        doi: row
            .doi
            .as_deref()
            .and_then(|d| normalize_doi(d.split_whitespace().next().unwrap_or(""))),
        title: row
            .title
            .as_deref()
            .and_then(non_empty)
            .map(|t| latex_to_unicode(&t)),
        authors,
        year,
        month,
        abstract_text: row.abstract_text.as_deref().and_then(non_empty),
        categories: {
            let mut c = row.categories.map(Categories::into_vec).unwrap_or_default();
            if let Some(p) = row.primary_category.filter(|p| !p.trim().is_empty()) {
                c.retain(|x| x != p.trim());
                c.insert(0, p.trim().to_string());
            }
            c
        },
        journal_ref: row.journal_ref.as_deref().and_then(non_empty),
        comments: row.comments.as_deref().and_then(non_empty),
        kind: Some("article".into()),
        url: Some(format!("https://arxiv.org/abs/{}", id.id)),
        extra,
        ..Paper::default()
    })
}

/// "A. One, B. Two and C. Three" → authors (used when `authors_parsed` is missing).
pub(crate) fn split_author_list(s: &str) -> Vec<Author> {
    let s = latex_to_unicode(&super::text::collapse_ws(s));
    s.split(',')
        .flat_map(|part| part.split(" and "))
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| match n.rsplit_once(' ') {
            Some((given, family)) => Author::new(family, given),
            None => Author::new(n, ""),
        })
        .collect()
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
    fn an_escaped_nul_is_removed_and_said() {
        let text =
            "{\"id\": \"2101.00001\", \"title\": \"Nul\\u0000led title\", \"abstract\": \"x\"}\n";
        let recs: Vec<_> = parse(
            "n.jsonl".into(),
            std::io::Cursor::new(text.as_bytes().to_vec()),
        )
        .collect();
        let r = recs[0].as_ref().unwrap();
        assert_eq!(r.paper.title.as_deref(), Some("Nulled title"));
        assert_eq!(
            r.warnings[0].to_string(),
            "n.jsonl:1: a NUL character (\\u0000) was removed"
        );
    }

    #[test]
    fn kaggle_row() {
        let line = r#"{"id": "0704.0001", "authors": "C. Bal\\'azs, E. L. Berger", "title": "Calculation of prompt\n  diphoton", "doi": "10.1103/PhysRevD.76.013009", "categories": "hep-ph math.CO", "abstract": "  A fully\ndifferential calculation.\n", "versions": [{"version": "v1"}, {"version": "v2"}], "authors_parsed": [["Bal\\'azs", "C.", ""], ["Berger", "E. L.", ""]]}"#;
        let recs: Vec<_> = parse(
            "x.jsonl".into(),
            std::io::Cursor::new(line.as_bytes().to_vec()),
        )
        .collect();
        let p = &recs[0].as_ref().unwrap().paper;
        assert_eq!(p.arxiv_id.as_deref(), Some("0704.0001"));
        assert_eq!(p.arxiv_version, Some(2));
        assert_eq!(p.title.as_deref(), Some("Calculation of prompt diphoton"));
        assert_eq!(p.authors[0].family, "Balázs");
        assert_eq!(p.categories, vec!["hep-ph", "math.CO"]);
        assert_eq!((p.year, p.month), (Some(2007), Some(4)));
        assert_eq!(p.doi.as_deref(), Some("10.1103/physrevd.76.013009"));
    }

    #[test]
    fn categories_may_be_a_list_with_the_primary_named_apart() {
        let line = r#"{"id": "0704.0001", "title": "T", "authors": "A. B", "abstract": "x", "categories": ["math.CO", "hep-ph"], "primary_category": "hep-ph", "journal_ref": "Phys. Rev. D 76 (2007)"}"#;
        let p = to_paper(serde_json::from_str(line).unwrap()).unwrap();
        assert_eq!(p.categories, vec!["hep-ph", "math.CO"]);
        assert_eq!(p.journal_ref.as_deref(), Some("Phys. Rev. D 76 (2007)"));
    }

    #[test]
    fn bad_line_is_named() {
        let text = "{\"id\": \"0704.0001\"}\nnot json\n";
        let recs: Vec<_> = parse(
            "x.jsonl".into(),
            std::io::Cursor::new(text.as_bytes().to_vec()),
        )
        .collect();
        assert!(recs[0].is_ok());
        assert_eq!(recs[1].as_ref().unwrap_err().line, 2);
    }
}
