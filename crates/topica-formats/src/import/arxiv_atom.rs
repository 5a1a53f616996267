//! arXiv API Atom feeds (`export.arxiv.org/api/query`), read with quick-xml.
//!
//! One `<entry>` is one paper. The API reports a bad request as a feed whose single entry has
//! an id under `arxiv.org/api/errors` and the message in `<summary>`; that becomes an error,
//! never a paper.

use quick_xml::events::Event;
use quick_xml::Reader;

use super::text::{collapse_ws, non_empty};
use super::{Record, Records};
use topica_model::ArxivId;
use topica_model::RecordError;
use topica_model::{normalize_doi, Author, Paper};

pub(super) fn parse(file: String, text: &str) -> Records<'static> {
    let results: Vec<Result<Record, RecordError>> = match read_entries(text) {
        Ok(entries) => entries
            .into_iter()
            .map(|(line, e)| match e {
                Ok(paper) => Ok(Record::new(line, paper)),
                Err(reason) => Err(RecordError {
                    text: String::new(),
                    file: file.clone(),
                    line,
                    reason,
                }),
            })
            .collect(),
        Err((line, reason)) => vec![Err(RecordError {
            text: String::new(),
            file,
            line,
            reason,
        })],
    };
    Box::new(results.into_iter())
}

/// Parses an arXiv API response into papers (used by enrichment). An error feed or malformed
/// XML is an error.
pub fn parse_feed(text: &str) -> crate::Result<Vec<Paper>> {
    let entries = read_entries(text).map_err(|(line, reason)| {
        crate::Error::Response(format!("arXiv API response, line {line}: {reason}"))
    })?;
    entries
        .into_iter()
        .map(|(_, e)| e.map_err(|reason| crate::Error::Response(format!("arXiv API: {reason}"))))
        .collect()
}

/// Fields of one `<entry>` as they are read.
#[derive(Default)]
struct EntryFields {
    id: String,
    title: String,
    summary: String,
    published: String,
    authors: Vec<String>,
    categories: Vec<String>,
    primary: Option<String>,
    doi: Option<String>,
    journal_ref: Option<String>,
    comment: Option<String>,
}

type Entries = Vec<(usize, Result<Paper, String>)>;

fn newlines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

/// Entries with the 1-based line where each starts; `Err((line, reason))` for malformed XML.
fn read_entries(text: &str) -> Result<Entries, (usize, String)> {
    // Lines counted incrementally: positions only grow, so each byte is counted once (counting
    // from the start for every entry made a 20,000-entry feed take 17 s; #21 finding 6).
    let mut counted = (0usize, 1usize); // (bytes counted, line at that byte)
    let mut line_of = |pos: u64| {
        let pos = (pos as usize).min(text.len());
        if pos < counted.0 {
            counted = (0, 1);
        }
        counted.1 += text.as_bytes().get(counted.0..pos).map_or(0, newlines);
        counted.0 = pos;
        counted.1
    };
    let mut reader = Reader::from_str(text);
    let mut out = Vec::new();
    let mut entry: Option<(usize, EntryFields)> = None;
    // The element whose text we are collecting (local name), and the collected text.
    let mut path: Vec<String> = Vec::new();
    let mut buf = String::new();
    let mut saw_feed = false;
    loop {
        let pos = reader.buffer_position();
        let ev = reader.read_event().map_err(|e| {
            (
                line_of(reader.error_position()),
                format!("malformed XML: {e}"),
            )
        })?;
        match ev {
            Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                if name == "feed" {
                    saw_feed = true;
                }
                if name == "entry" {
                    entry = Some((line_of(pos), EntryFields::default()));
                }
                buf.clear();
                path.push(name);
            }
            Event::Empty(e) => {
                let name = e.name().as_ref().to_string();
                if let Some((_, f)) = entry.as_mut() {
                    let term = e.try_get_attribute("term").ok().flatten().and_then(|a| {
                        a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                            .ok()
                            .map(|v| v.into_owned())
                    });
                    match (name.as_str(), term) {
                        ("category", Some(t)) => f.categories.push(t),
                        ("arxiv:primary_category", Some(t)) => f.primary = Some(t),
                        _ => {}
                    }
                }
            }
            Event::Text(t) => buf.push_str(&t.xml10_content()),
            Event::CData(t) => buf.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let name = r.xml10_content();
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    buf.push(c);
                } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&name) {
                    buf.push_str(s);
                } else {
                    buf.push('&');
                    buf.push_str(&name);
                    buf.push(';');
                }
            }
            Event::End(e) => {
                let name = e.name().as_ref().to_string();
                path.pop();
                let parent = path.last().map(String::as_str);
                if name == "entry" {
                    if let Some((line, f)) = entry.take() {
                        out.push((line, to_paper(f)));
                    }
                } else if let Some((_, f)) = entry.as_mut() {
                    let value = std::mem::take(&mut buf);
                    match (parent, name.as_str()) {
                        (Some("entry"), "id") => f.id = value.trim().to_string(),
                        (Some("entry"), "title") => f.title = value,
                        (Some("entry"), "summary") => f.summary = value,
                        (Some("entry"), "published") => f.published = value.trim().to_string(),
                        (Some("author"), "name") => f.authors.push(value),
                        (Some("entry"), "arxiv:doi") => f.doi = non_empty(&value),
                        (Some("entry"), "arxiv:journal_ref") => f.journal_ref = non_empty(&value),
                        (Some("entry"), "arxiv:comment") => f.comment = non_empty(&value),
                        (Some("entry"), "arxiv:primary_category") => {}
                        _ => {}
                    }
                }
                buf.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_feed {
        return Err((1, "not an Atom feed (no <feed> element)".into()));
    }
    Ok(out)
}

fn to_paper(f: EntryFields) -> Result<Paper, String> {
    if f.id.contains("/api/errors") {
        let msg = collapse_ws(&f.summary);
        return Err(format!(
            "the arXiv API refused the request: {}",
            if msg.is_empty() { f.id } else { msg }
        ));
    }
    let id =
        ArxivId::parse(&f.id).ok_or_else(|| format!("entry id {:?} is not an arXiv id", f.id))?;
    let mut categories = Vec::new();
    if let Some(p) = f.primary {
        categories.push(p);
    }
    for c in f.categories {
        if !categories.contains(&c) {
            categories.push(c);
        }
    }
    let (year, month) = match (
        f.published.get(0..4).and_then(|y| y.parse().ok()),
        f.published.get(5..7).and_then(|m| m.parse::<u8>().ok()),
    ) {
        (Some(y), m) => (Some(y), m.filter(|m| (1..=12).contains(m))),
        _ => id
            .year_month()
            .map_or((None, None), |(y, m)| (Some(y), Some(m))),
    };
    Ok(Paper {
        arxiv_id: Some(id.id.clone()),
        arxiv_version: id.version,
        title: non_empty(&f.title),
        abstract_text: non_empty(&f.summary),
        authors: f
            .authors
            .iter()
            .map(|a| collapse_ws(a))
            .filter(|a| !a.is_empty())
            .map(|a| Author::parse(&a))
            .collect(),
        categories,
        doi: f.doi.as_deref().and_then(normalize_doi),
        journal_ref: f.journal_ref,
        comments: f.comment,
        year,
        month,
        kind: Some("article".into()),
        url: Some(format!("https://arxiv.org/abs/{}", id.versioned())),
        ..Paper::default()
    })
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

    const FEED: &str = r#"<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <entry>
    <id>http://arxiv.org/abs/2201.12288v2</id>
    <title>Chain of
      Thought &amp; More</title>
    <summary>An abstract.</summary>
    <published>2022-01-28T10:00:00Z</published>
    <author><name>Jason Wei</name></author>
    <author><name>Denny Zhou</name></author>
    <arxiv:doi>10.1000/XYZ</arxiv:doi>
    <arxiv:journal_ref>NeurIPS 2022</arxiv:journal_ref>
    <arxiv:comment>10 pages</arxiv:comment>
    <category term="cs.AI" scheme="x"/>
    <category term="cs.CL" scheme="x"/>
    <arxiv:primary_category term="cs.CL"/>
  </entry>
</feed>"#;

    #[test]
    fn entry_fields() {
        let papers = parse_feed(FEED).unwrap();
        assert_eq!(papers.len(), 1);
        let p = &papers[0];
        assert_eq!(
            (p.arxiv_id.as_deref(), p.arxiv_version),
            (Some("2201.12288"), Some(2))
        );
        assert_eq!(p.title.as_deref(), Some("Chain of Thought & More"));
        assert_eq!(p.authors[1], Author::new("Zhou", "Denny"));
        assert_eq!(p.categories, vec!["cs.CL", "cs.AI"]);
        assert_eq!((p.year, p.month), (Some(2022), Some(1)));
        assert_eq!(p.doi.as_deref(), Some("10.1000/xyz"));
        assert_eq!(p.journal_ref.as_deref(), Some("NeurIPS 2022"));
        assert_eq!(p.comments.as_deref(), Some("10 pages"));
    }

    #[test]
    fn each_entry_gets_the_line_it_starts_on() {
        let entry = |id: &str| {
            format!("<entry><id>http://arxiv.org/abs/{id}v1</id><title>T {id}</title></entry>")
        };
        let text = format!(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n{}\n\n{}\n<!-- a\ncomment -->\n{}\n</feed>",
            entry("2101.00001"),
            entry("2101.00002"),
            entry("2101.00003")
        );
        let lines: Vec<usize> = parse("f.xml".into(), &text)
            .map(|r| r.unwrap().line)
            .collect();
        assert_eq!(lines, [2, 4, 7]);
    }

    #[test]
    fn broken_xml_names_line() {
        let recs: Vec<_> =
            parse("f.xml".into(), "<feed>\n<entry>\n<id>x</oops>\n</feed>").collect();
        let e = recs[0].as_ref().unwrap_err();
        assert_eq!(e.line, 3, "{e}");
    }
}
