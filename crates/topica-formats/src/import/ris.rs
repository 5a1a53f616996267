//! RIS files (Zotero, EndNote, Scopus, PubMed exports): `TY  - ` … `ER  - ` records.
//!
//! Hand-written: no maintained RIS crate exists on crates.io. The reader follows what the
//! common exporters write rather than the 2011 spec alone: a line that is not `XX  - value`
//! continues the previous tag's value (multi-line abstracts), text between records is ignored
//! (export headers such as `Record #1 of 2`), a repeated `TY` inside a record replaces the
//! type (as JabRef does), and tags we have no column for are kept in `extra`.

use super::text::{collapse_ws, non_empty};
use super::{Record, Records};
use topica_model::ArxivId;
use topica_model::RecordError;
use topica_model::{normalize_doi, Author, Paper};

pub(super) fn parse(file: String, text: &str) -> Records<'static> {
    Box::new(parse_all(&file, text).into_iter())
}

/// `TY  - JOUR` → ("TY", "JOUR"); `ER  -` → ("ER", "").
fn tag_line(line: &str) -> Option<(&str, &str)> {
    let b = line.as_bytes();
    let tag_ok = b.len() >= 5
        && b[0].is_ascii_uppercase()
        && (b[1].is_ascii_uppercase() || b[1].is_ascii_digit());
    if !tag_ok || &b[2..4] != b"  " || b[4] != b'-' {
        return None;
    }
    let rest = &line[5..];
    Some((
        &line[..2],
        rest.strip_prefix(' ').unwrap_or(rest).trim_end(),
    ))
}

struct Open {
    line: usize,
    kind: String,
    tags: Vec<(String, String)>,
}

fn parse_all(file: &str, text: &str) -> Vec<Result<Record, RecordError>> {
    let mut out = Vec::new();
    let mut open: Option<Open> = None;
    // After a record that does not start with TY, skip to its ER.
    let mut skipping = false;
    let err = |line: usize, reason: String| RecordError {
        file: file.to_string(),
        line,
        reason,
    };
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.trim_start_matches('\u{feff}').trim_end_matches('\r');
        match tag_line(line) {
            Some(("TY", v)) => {
                skipping = false;
                match &mut open {
                    Some(rec) => rec.kind = v.to_string(),
                    None => {
                        open = Some(Open {
                            line: line_no,
                            kind: v.to_string(),
                            tags: Vec::new(),
                        })
                    }
                }
            }
            Some(("ER", _)) => {
                if let Some(rec) = open.take() {
                    if rec.tags.is_empty() {
                        out.push(Err(err(
                            rec.line,
                            "RIS record has only its type (`TY`) and nothing else to import".into(),
                        )));
                    } else {
                        out.push(Ok(Record::new(rec.line, to_paper(&rec.kind, &rec.tags))));
                    }
                }
                skipping = false;
            }
            Some((tag, v)) => {
                match &mut open {
                    Some(rec) => rec.tags.push((tag.to_string(), v.to_string())),
                    None if skipping => {}
                    None => {
                        out.push(Err(err(line_no, format!("RIS record starts with `{tag}` instead of `TY  - ` (the record type)"))));
                        skipping = true;
                    }
                }
            }
            None => {
                // A continuation line of a multi-line value; outside records, export noise.
                if let Some(last) = open.as_mut().and_then(|r| r.tags.last_mut()) {
                    if !line.trim().is_empty() {
                        last.1.push('\n');
                        last.1.push_str(line.trim());
                    }
                }
            }
        }
    }
    if let Some(rec) = open {
        out.push(Err(err(
            rec.line,
            "RIS record is not closed by `ER  - ` before the end of the file".into(),
        )));
    }
    if out.is_empty() && !text.trim().is_empty() {
        // Forced with --format, or a look-alike such as a Web of Science export (`PT J`).
        out.push(Err(err(
            1,
            "no RIS record (`TY  - …` to `ER  - `) in this file".into(),
        )));
    }
    out
}

fn kind(ty: &str) -> (&'static str, bool) {
    let k = match ty.trim() {
        "JOUR" | "JFULL" | "EJOUR" | "MGZN" | "NEWS" | "INPR" | "ABST" => "article",
        "BOOK" | "EBOOK" | "EDBOOK" | "WHOLE" => "book",
        "CHAP" | "ECHAP" => "incollection",
        "CONF" | "CPAPER" => "inproceedings",
        "THES" => "phdthesis",
        "RPRT" => "techreport",
        "UNPB" | "MANSCPT" => "unpublished",
        "ELEC" | "WEB" | "BLOG" => "online",
        "COMP" => "software",
        "DATA" | "DBASE" => "dataset",
        "PAT" => "patent",
        "GEN" => "misc",
        _ => return ("misc", false),
    };
    (k, true)
}

/// RIS names are `Last, First, Suffix`; some exporters write `Given Family`.
fn ris_author(name: &str) -> Option<Author> {
    let name = collapse_ws(name);
    if name.is_empty() {
        return None;
    }
    let parts: Vec<&str> = name.split(',').map(str::trim).collect();
    Some(match parts.as_slice() {
        [one] => Author::parse(one),
        [family, given] => Author::parse(&format!("{family}, {given}")),
        [family, given, suffix, ..] => Author {
            suffix: suffix.to_string(),
            ..Author::parse(&format!("{family}, {given}"))
        },
        [] => return None,
    })
}

/// `2001/09/01/`, `2014//`, `1948/07//`, `2015/october`, `2019-03-18` → (year, month).
fn ris_date(s: &str) -> Option<(i32, Option<u8>)> {
    let mut parts = s.split(['/', '-']).map(str::trim);
    let y = parts.next()?;
    if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let month = parts.next().and_then(|m| {
        if let Ok(n) = m.parse::<u8>() {
            return (1..=12).contains(&n).then_some(n);
        }
        const NAMES: [&str; 12] = [
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        ];
        let m = m.to_lowercase();
        NAMES
            .iter()
            .position(|n| m.len() >= 3 && m.starts_with(n))
            .map(|i| i as u8 + 1)
    });
    Some((y.parse().ok()?, month))
}

fn to_paper(ty: &str, tags: &[(String, String)]) -> Paper {
    let mut p = Paper::default();
    let (k, known) = kind(ty);
    p.kind = Some(k.to_string());
    if !known && !ty.trim().is_empty() {
        p.extra.insert("ris_type".into(), ty.trim().to_string());
    }
    let values = |names: &[&str]| -> Vec<String> {
        tags.iter()
            .filter(|(t, _)| names.contains(&t.as_str()))
            .filter_map(|(_, v)| non_empty(v))
            .collect()
    };
    let first = |names: &[&str]| -> Option<String> {
        // In preference order of `names`, not file order.
        names.iter().find_map(|n| values(&[*n]).into_iter().next())
    };
    p.title = first(&["TI", "T1", "CT"])
        .or_else(|| if k == "book" { first(&["BT"]) } else { None })
        .or_else(|| first(&["ST"]));
    p.authors = tags
        .iter()
        .filter(|(t, _)| t == "AU" || t == "A1")
        .filter_map(|(_, v)| ris_author(v))
        .collect();
    p.editors = tags
        .iter()
        .filter(|(t, _)| t == "A2" || t == "ED")
        .filter_map(|(_, v)| ris_author(v))
        .collect();
    p.container = first(&["JF", "JO", "T2", "J2", "JA", "J1"]).or_else(|| {
        if k != "book" {
            first(&["BT"])
        } else {
            None
        }
    });
    if let Some(abbr) = first(&["JA", "J2", "J1"]).filter(|a| Some(a) != p.container.as_ref()) {
        p.extra.insert("shortjournal".into(), abbr);
    }
    p.volume = first(&["VL", "VO"]);
    p.issue = first(&["IS"]);
    p.pages = match (first(&["SP"]), first(&["EP"])) {
        (Some(s), Some(e)) if !s.contains('-') => Some(format!("{s}-{e}")),
        (Some(s), _) => Some(s),
        (None, Some(e)) => Some(e),
        (None, None) => None,
    };
    p.publisher = first(&["PB"]);
    p.abstract_text = first(&["AB", "N2"]);
    for (y, m) in ["PY", "Y1", "DA"]
        .iter()
        .filter_map(|t| first(&[*t]))
        .filter_map(|d| ris_date(&d))
    {
        if p.year.is_none() {
            p.year = Some(y);
            p.month = m;
        } else if p.month.is_none() && p.year == Some(y) {
            p.month = m;
        }
    }
    let urls: Vec<String> = values(&["UR"])
        .iter()
        .flat_map(|u| {
            u.split([';', '\n'])
                .map(str::trim)
                .filter(|u| !u.is_empty())
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .collect();
    p.url = urls.first().cloned();
    if urls.len() > 1 {
        p.extra.insert("urls".into(), urls.join("\n"));
    }
    p.doi = first(&["DO"])
        .and_then(|d| normalize_doi(&d))
        .or_else(|| urls.iter().find_map(|u| normalize_doi(u)));
    if let Some(a) = urls
        .iter()
        .filter(|u| u.contains("arxiv.org/"))
        .find_map(|u| ArxivId::parse(u))
    {
        p.arxiv_id = Some(a.id);
        p.arxiv_version = a.version;
    }
    // `ID` is the reference's id in the file. JabRef reads it as the citation key, and Topica
    // writes its keys there; a bare record number (EndNote numbers its records) is no key.
    let id = first(&["ID"]).filter(|id| !id.chars().all(|c| c.is_ascii_digit()));
    if let Some(id) = id.filter(|id| crate::citekey::is_valid_key(id)) {
        p.citation_key = Some(id);
    }
    let keywords = values(&["KW"]);
    if !keywords.is_empty() {
        p.extra.insert("keywords".into(), keywords.join(", "));
    }
    // Everything else, by a readable name where there is one.
    const USED: &[&str] = &[
        "TI", "T1", "CT", "BT", "AU", "A1", "A2", "ED", "JF", "JO", "T2", "J2", "JA", "J1", "VL",
        "IS", "SP", "EP", "PB", "AB", "N2", "PY", "Y1", "DA", "UR", "DO", "KW", "VO",
    ];
    let key_tag_used = p.citation_key.is_some();
    for (tag, v) in tags {
        if USED.contains(&tag.as_str()) || (tag == "ID" && key_tag_used) {
            continue;
        }
        let Some(v) = non_empty(v) else { continue };
        let name = match tag.as_str() {
            "SN" => if k == "book" { "isbn" } else { "issn" }.to_string(),
            "CY" | "AD" | "PP" => "address".into(),
            "N1" => "note".into(),
            "T3" => "series".into(),
            "ET" => "edition".into(),
            "LA" => "language".into(),
            "ID" => "ris_id".into(),
            "ST" => "shorttitle".into(),
            "A3" | "A4" => "ris_contributors".into(),
            other => format!("ris_{}", other.to_lowercase()),
        };
        let e = p.extra.entry(name).or_default();
        if !e.is_empty() {
            e.push_str("; ");
        }
        e.push_str(&v);
    }
    if p.abstract_text.is_some() {
        p.abstract_text = p.abstract_text.as_deref().map(collapse_ws);
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_with_multiline_and_unknown_tags() {
        let text = "Provider: X\n\nTY  - JOUR\nAU  - Shi,Yu\nAU  - Beck, Thomas L., Jr.\nTI  - Ion hydration\nPY  - 2013/07/22\nAB  - first line\n  second line\nJF  - J. Chem. Phys.\nSP  - 12\nEP  - 19\nDO  - https://doi.org/10.1063/1.4814070\nKW  - a\nKW  - b\nZZ  - mystery\nER  - \n";
        let recs = parse_all("t.ris", text);
        assert_eq!(recs.len(), 1);
        let r = recs[0].as_ref().unwrap();
        assert_eq!(r.line, 3);
        let p = &r.paper;
        assert_eq!(p.authors[0], Author::new("Shi", "Yu"));
        assert_eq!(
            (p.authors[1].family.as_str(), p.authors[1].suffix.as_str()),
            ("Beck", "Jr.")
        );
        assert_eq!((p.year, p.month), (Some(2013), Some(7)));
        assert_eq!(p.abstract_text.as_deref(), Some("first line second line"));
        assert_eq!(p.pages.as_deref(), Some("12-19"));
        assert_eq!(p.doi.as_deref(), Some("10.1063/1.4814070"));
        assert_eq!(p.extra["keywords"], "a, b");
        assert_eq!(p.extra["ris_zz"], "mystery");
    }

    #[test]
    fn record_without_ty_names_its_line() {
        let recs = parse_all(
            "c.ris",
            "\u{feff}\nJF  - J\nT1  - T\nER  -\nTY  - JOUR\nTI  - ok\nER  -\n",
        );
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[0].as_ref().unwrap_err().line, 2);
        assert_eq!(recs[1].as_ref().unwrap().paper.title.as_deref(), Some("ok"));
    }

    #[test]
    fn a_record_with_only_its_type_is_refused_not_added_empty() {
        let recs = parse_all(
            "t.ris",
            "TY  - JOUR\nER  - \nTY  - JOUR\nTI  - Kept\nER  - \n",
        );
        assert_eq!(recs.len(), 2);
        let e = recs[0].as_ref().unwrap_err();
        assert_eq!(
            (e.line, e.reason.as_str()),
            (
                1,
                "RIS record has only its type (`TY`) and nothing else to import"
            )
        );
        assert_eq!(
            recs[1].as_ref().unwrap().paper.title.as_deref(),
            Some("Kept")
        );
    }
}
