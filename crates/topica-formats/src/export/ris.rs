//! RIS writer (the tags Zotero, EndNote and rispy read). Plain UTF-8, one tag per line.

use std::fmt::Write;

use topica_model::{Author, Paper};

/// The RIS reference type for a paper.
pub fn ris_type(p: &Paper) -> &'static str {
    match p
        .kind
        .as_deref()
        .unwrap_or("")
        .to_ascii_lowercase()
        .as_str()
    {
        "article" if p.container.is_some() => "JOUR",
        "inproceedings" | "conference" => "CPAPER",
        "proceedings" => "CONF",
        "book" | "mvbook" => "BOOK",
        "incollection" | "inbook" => "CHAP",
        "phdthesis" | "mastersthesis" | "thesis" => "THES",
        "techreport" | "report" => "RPRT",
        "online" => "ELEC",
        "unpublished" => "UNPB",
        _ => "GEN",
    }
}

/// `Family, Given` with the particle kept in front of the family name and the suffix last,
/// the form RIS readers split on commas.
fn name(a: &Author) -> String {
    if a.literal || (a.given.is_empty() && a.suffix.is_empty()) {
        // "The BABAR Collaboration," — the comma says the whole text is the family name.
        return format!("{},", a.family);
    }
    let mut s = String::new();
    if !a.particle.is_empty() {
        s.push_str(&a.particle);
        s.push(' ');
    }
    s.push_str(&a.family);
    if !a.given.is_empty() || !a.suffix.is_empty() {
        s.push_str(", ");
        s.push_str(&a.given);
    }
    if !a.suffix.is_empty() {
        s.push_str(", ");
        s.push_str(&a.suffix);
    }
    s
}

/// Appends one record.
pub fn write_record(out: &mut String, p: &Paper, key: &str) {
    let ty = ris_type(p);
    let mut tag = |t: &str, v: &str| {
        let v = super::one_line(v);
        if !v.is_empty() {
            let _ = writeln!(out, "{t}  - {v}");
        }
    };
    tag("TY", ty);
    tag("ID", key);
    if let Some(t) = &p.title {
        tag("TI", t);
    }
    for a in &p.authors {
        tag("AU", &name(a));
    }
    for a in &p.editors {
        tag("ED", &name(a));
    }
    if let Some(y) = p.year {
        tag("PY", &y.to_string());
        let date = match p.month {
            Some(m) => format!("{y:04}/{m:02}//"),
            None => format!("{y:04}///"),
        };
        tag("DA", &date);
    }
    if let Some(c) = &p.container {
        tag(if ty == "JOUR" { "JO" } else { "T2" }, c);
    }
    for (t, v) in [
        ("VL", &p.volume),
        ("IS", &p.issue),
        ("PB", &p.publisher),
        ("DO", &p.doi),
    ] {
        if let Some(v) = v {
            tag(t, v);
        }
    }
    if let Some(pages) = &p.pages {
        let mut parts = pages.splitn(2, ['-', '–', '—']);
        let sp = parts.next().unwrap_or("").trim();
        let ep = parts.next().unwrap_or("").trim_start_matches('-').trim();
        tag("SP", sp);
        tag("EP", ep);
    }
    let url = super::bibtex::url(p);
    tag("UR", &url);
    if let Some(a) = &p.arxiv_id {
        // Zotero's convention for preprints: the archive as database, the id as accession number.
        tag("DB", "arXiv");
        tag("AN", &format!("arXiv:{a}"));
        if let Some(c) = p.categories.first() {
            tag("C1", c);
        }
    }
    if let Some(a) = &p.abstract_text {
        tag("AB", a);
    }
    for t in &p.tags {
        tag("KW", t);
    }
    out.push_str("ER  - \n\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_has_one_tag_per_line_and_ends_with_er() {
        let p = Paper {
            kind: Some("article".into()),
            container: Some("Nature".into()),
            title: Some("A\ntitle".into()),
            authors: vec![Author {
                family: "Beethoven".into(),
                given: "Ludwig".into(),
                particle: "van".into(),
                ..Author::default()
            }],
            year: Some(2020),
            month: Some(3),
            pages: Some("10-20".into()),
            ..Paper::default()
        };
        let mut s = String::new();
        write_record(&mut s, &p, "beethoven2020title");
        assert_eq!(
            s,
            "TY  - JOUR\nID  - beethoven2020title\nTI  - A title\nAU  - van Beethoven, Ludwig\nPY  - 2020\nDA  - 2020/03//\nJO  - Nature\nSP  - 10\nEP  - 20\nER  - \n\n"
        );
    }
}
