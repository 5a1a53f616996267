//! CSL-JSON (Zotero, pandoc, citeproc): one item object or an array of them.
//!
//! Read through `serde_json::Value` rather than a typed struct because real files mix strings
//! and numbers freely (`"date-parts": [["2006"]]`, `"volume": 12`); a typed struct would refuse
//! items every CSL processor accepts.

use serde_json::{Map, Value};

use super::text::{collapse_ws, non_empty};
use super::{Record, Records};
use topica_model::ArxivId;
use topica_model::RecordError;
use topica_model::{normalize_doi, Author, Paper};

pub(super) fn parse(file: String, text: &str) -> Records<'static> {
    Box::new(parse_all(&file, text).into_iter())
}

fn parse_all(file: &str, text: &str) -> Vec<Result<Record, RecordError>> {
    let err = |line: usize, reason: String| RecordError {
        text: String::new(),
        file: file.to_string(),
        line,
        reason,
    };
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return vec![Err(err(e.line().max(1), format!("invalid JSON: {e}")))],
    };
    let starts = item_lines(text);
    let items: Vec<Value> = match value {
        Value::Array(a) => a,
        v @ Value::Object(_) => vec![v],
        _ => {
            return vec![Err(err(
                1,
                "CSL-JSON must be an item object or an array of items".into(),
            ))]
        }
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let line = starts.get(i).copied().unwrap_or(1);
            match item {
                Value::Object(map) => Ok(Record {
                    file: String::new(),
                    line,
                    paper: to_paper(&map),
                    warnings: type_warnings(&map)
                        .into_iter()
                        .map(|reason| RecordError {
                            text: String::new(),
                            file: file.to_string(),
                            line,
                            reason: format!("item {}: {reason}", i + 1),
                        })
                        .collect(),
                }),
                other => Err(err(
                    line,
                    format!("item {} is not an object but {}", i + 1, kind_name(&other)),
                )),
            }
        })
        .collect()
}

fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// 1-based lines where the top-level items start (the array's direct children, or the object).
fn item_lines(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let (mut depth, mut line, mut in_str, mut escaped) = (0usize, 1usize, false, false);
    let mut top_is_array = false;
    // At depth 1 of the top array, the next non-blank character starts an item.
    let mut expect_item = false;
    for c in text.chars() {
        if c == '\n' {
            line += 1;
        }
        if in_str {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_str = false,
                _ => {}
            }
            continue;
        }
        if c.is_whitespace() {
            continue;
        }
        if expect_item && c != ']' {
            out.push(line);
        }
        expect_item = false;
        match c {
            '"' => in_str = true,
            '[' | '{' => {
                if depth == 0 {
                    top_is_array = c == '[';
                    if top_is_array {
                        expect_item = true;
                    } else {
                        out.push(line);
                    }
                }
                depth += 1;
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            ',' if depth == 1 && top_is_array => expect_item = true,
            _ => {}
        }
    }
    out
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => non_empty(s),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn field(m: &Map<String, Value>, name: &str) -> Option<String> {
    m.get(name).and_then(text_of)
}

fn name(v: &Value) -> Option<Author> {
    let m = v.as_object()?;
    if let Some(lit) = field(m, "literal") {
        return Some(Author::literal(lit));
    }
    let family = field(m, "family").unwrap_or_default();
    let given = field(m, "given").unwrap_or_default();
    if family.is_empty() && given.is_empty() {
        return None;
    }
    // CSL keeps "van" either apart (non-dropping-particle) or inside `family` ("van Gogh");
    // both become our particle so sorting and keys agree.
    let mut particle: Vec<String> = ["dropping-particle", "non-dropping-particle"]
        .iter()
        .filter_map(|k| field(m, k))
        .collect();
    let mut family_words = family.clone();
    if particle.is_empty() {
        let words: Vec<&str> = family.split(' ').collect();
        let lower = words
            .iter()
            .take_while(|w| w.chars().next().is_some_and(char::is_lowercase))
            .count();
        if let Some((head, tail)) = words.split_at_checked(lower) {
            if !head.is_empty() && !tail.is_empty() {
                particle.push(head.join(" "));
                family_words = tail.join(" ");
            }
        }
    }
    Some(Author {
        family: family_words,
        given,
        particle: particle.join(" "),
        suffix: field(m, "suffix").unwrap_or_default(),
        literal: false,
    })
}

fn names(m: &Map<String, Value>, key: &str) -> Vec<Author> {
    m.get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(name).collect())
        .unwrap_or_default()
}

/// `{"date-parts": [[2005, 12, 15]]}`, `[["2006"]]`, or `{"raw": "2005-12"}` / `{"literal": …}`.
fn date(v: &Value) -> Option<(i32, Option<u8>)> {
    let m = v.as_object()?;
    if let Some(first) = m
        .get("date-parts")
        .and_then(Value::as_array)
        .and_then(|p| p.first())
        .and_then(Value::as_array)
    {
        let num = |v: &Value| -> Option<i64> {
            v.as_i64()
                .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
        };
        let year = first.first().and_then(num)?;
        let month = first
            .get(1)
            .and_then(num)
            .filter(|m| (1..=12).contains(m))
            .map(|m| m as u8);
        return Some((year as i32, month));
    }
    let raw = field(m, "raw").or_else(|| field(m, "literal"))?;
    let y: String = raw.chars().take_while(char::is_ascii_digit).collect();
    let month = raw
        .get(5..7)
        .and_then(|s| s.parse::<u8>().ok())
        .filter(|m| (1..=12).contains(m));
    (y.len() == 4).then(|| (y.parse().unwrap_or(0), month))
}

fn kind(csl: &str) -> &'static str {
    match csl {
        "article-journal" | "article-magazine" | "article-newspaper" | "article" | "review"
        | "review-book" => "article",
        "book" => "book",
        "chapter" | "entry-encyclopedia" | "entry-dictionary" | "entry" => "incollection",
        "paper-conference" => "inproceedings",
        "thesis" => "thesis",
        "report" => "report",
        "manuscript" => "unpublished",
        "webpage" | "post" | "post-weblog" => "online",
        "software" => "software",
        "dataset" => "dataset",
        "patent" => "patent",
        "legislation" | "legal_case" | "bill" => "legislation",
        _ => "misc",
    }
}

const MAPPED: &[&str] = &[
    "id",
    "type",
    "title",
    "author",
    "editor",
    "container-title",
    "volume",
    "issue",
    "page",
    "publisher",
    "URL",
    "DOI",
    "abstract",
    "issued",
    "keyword",
    "number",
];

/// The mapped fields whose value this reader cannot take (a list or an object where CSL-JSON
/// has text, a date that is not one, a year outside -9999–2100): each left out, and said.
fn type_warnings(m: &Map<String, Value>) -> Vec<String> {
    let mut out = Vec::new();
    for key in MAPPED {
        let Some(v) = m.get(*key) else { continue };
        let text_expected = !matches!(*key, "author" | "editor" | "issued" | "keyword");
        if text_expected && !matches!(v, Value::String(_) | Value::Number(_) | Value::Null) {
            out.push(format!("`{key}` is {}, not text; left out", kind_name(v)));
        }
    }
    for key in ["author", "editor"] {
        if let Some(v) = m.get(key).filter(|v| !v.is_array()) {
            out.push(format!(
                "`{key}` is {}, not a list of names; left out",
                kind_name(v)
            ));
        }
    }
    if let Some(v) = m.get("issued") {
        match date(v) {
            None => out.push("`issued` is not a date CSL-JSON allows; left out".to_string()),
            Some((y, _)) if !topica_model::YEARS.contains(&y) => out.push(format!(
                "`issued` year {y} is outside {}–{}; left out",
                topica_model::YEARS.start(),
                topica_model::YEARS.end()
            )),
            Some(_) => {}
        }
    }
    out
}

pub(super) fn to_paper(m: &Map<String, Value>) -> Paper {
    let mut p = Paper::default();
    let csl_type = field(m, "type").unwrap_or_default();
    p.kind = Some(kind(&csl_type).to_string());
    if !csl_type.is_empty() {
        p.extra.insert("csl_type".into(), csl_type.clone());
    }
    p.citation_key = field(m, "id").map(|s| collapse_ws(&s));
    p.title = field(m, "title");
    p.authors = names(m, "author");
    p.editors = names(m, "editor");
    p.container = field(m, "container-title");
    p.volume = field(m, "volume");
    // `number` is an issue number, unless it is the report number of a preprint
    // ("arXiv:1706.03762", as Zotero and Topica write it), which is the arXiv id below.
    p.issue = field(m, "issue")
        .or_else(|| field(m, "number").filter(|n| !n.to_lowercase().starts_with("arxiv:")));
    p.pages = field(m, "page").map(|s| s.replace(['–', '—'], "-"));
    p.publisher = field(m, "publisher");
    p.url = field(m, "URL");
    p.abstract_text = field(m, "abstract");
    p.doi = field(m, "DOI").and_then(|d| normalize_doi(&d));
    if let Some((y, mo)) = m
        .get("issued")
        .and_then(date)
        .filter(|(y, _)| topica_model::YEARS.contains(y))
    {
        p.year = Some(y);
        p.month = mo;
    }
    if let Some(k) = field(m, "keyword") {
        p.extra.insert("keywords".into(), k);
    }
    let arxiv = p
        .url
        .as_deref()
        .filter(|u| u.contains("arxiv.org/"))
        .and_then(ArxivId::parse)
        .or_else(|| {
            field(m, "number")
                .filter(|n| n.to_lowercase().starts_with("arxiv:"))
                .and_then(|n| ArxivId::parse(&n))
        });
    if let Some(a) = arxiv {
        p.arxiv_id = Some(a.id);
        p.arxiv_version = a.version;
    }
    for (k, v) in m {
        if MAPPED.contains(&k.as_str()) {
            continue;
        }
        let value = match v {
            Value::String(_) | Value::Number(_) => text_of(v),
            Value::Null => None,
            other => Some(other.to_string()), // names and dates of other roles, kept as JSON
        };
        if let Some(value) = value {
            p.extra.insert(k.clone(), value);
        }
    }
    p
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
    fn fields_of_the_wrong_type_and_impossible_years_are_left_out_and_said() {
        let text = r#"[{"id": "a", "title": ["A", "List"], "author": {"family": "Doe"},
  "issued": {"date-parts": [[99999]]}, "volume": 3},
 {"id": "b", "title": "Fine", "issued": {"date-parts": [[2020]]}}]"#;
        let recs = parse_all("c.json", text);
        let a = recs[0].as_ref().unwrap();
        let said: Vec<String> = a.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            said,
            [
                "c.json:1: item 1: `title` is an array, not text; left out",
                "c.json:1: item 1: `author` is an object, not a list of names; left out",
                "c.json:1: item 1: `issued` year 99999 is outside -9999–2100; left out",
            ]
        );
        assert_eq!((a.paper.title.as_deref(), a.paper.year), (None, None));
        assert_eq!(
            a.paper.volume.as_deref(),
            Some("3"),
            "a number is text enough"
        );
        let b = recs[1].as_ref().unwrap();
        assert!(b.warnings.is_empty());
        assert_eq!(b.paper.year, Some(2020));
    }

    #[test]
    fn items_names_and_dates() {
        let text = r#"[
  {"id": "ITEM-1", "type": "article-journal", "title": "T", "author": [{"family": "van Gogh", "given": "Vincent"}, {"literal": "Multi-National United"}, {"family": "Doe", "given": "J.", "suffix": "Jr."}],
   "issued": {"date-parts": [["2006", 7]]}, "container-title": "J", "DOI": "10.1/X", "page": "1-2"},
  {"id": "ITEM-2", "type": "book", "author": [{"family": "Humboldt", "given": "Alexander", "dropping-particle": "von"}]}
]"#;
        let recs = parse_all("t.json", text);
        assert_eq!(recs.len(), 2);
        let r = recs[0].as_ref().unwrap();
        assert_eq!(r.line, 2);
        let p = &r.paper;
        assert_eq!((p.year, p.month), (Some(2006), Some(7)));
        assert_eq!(
            (p.authors[0].particle.as_str(), p.authors[0].family.as_str()),
            ("van", "Gogh")
        );
        assert_eq!(p.authors[1], Author::literal("Multi-National United"));
        assert_eq!(p.authors[2].suffix, "Jr.");
        assert_eq!(p.kind.as_deref(), Some("article"));
        assert_eq!(p.citation_key.as_deref(), Some("ITEM-1"));
        assert_eq!(p.doi.as_deref(), Some("10.1/x"));
        let r2 = recs[1].as_ref().unwrap();
        assert_eq!(r2.line, 4);
        assert_eq!(r2.paper.authors[0].particle, "von");
    }

    #[test]
    fn syntax_error_names_line() {
        let recs = parse_all("bad.json", "[\n {\"id\": \"a\"},\n {\"id\": }\n]");
        let e = recs[0].as_ref().unwrap_err();
        assert_eq!(e.line, 3, "{e}");
    }
}
