//! BibTeX and BibLaTeX writers: one entry per paper, fields in a fixed order.
//!
//! BibTeX output is what `bibtex` and JabRef expect (year/month, `journal`, arXiv as
//! `eprint` + `archivePrefix` + `primaryClass`, accents as LaTeX). BibLaTeX output is what
//! biber expects (UTF-8, `date`, `journaltitle`, `eprinttype`/`eprintclass`).

use std::fmt::Write;

use super::latex::{self, Charset};
use topica_model::{Author, Paper};

/// Which dialect to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Bibtex,
    Biblatex,
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Entry types each dialect knows; anything else is written as `misc`.
const BIBTEX_TYPES: &[&str] = &[
    "article",
    "book",
    "booklet",
    "conference",
    "inbook",
    "incollection",
    "inproceedings",
    "manual",
    "mastersthesis",
    "misc",
    "phdthesis",
    "proceedings",
    "techreport",
    "unpublished",
];
const BIBLATEX_TYPES: &[&str] = &[
    "article",
    "book",
    "mvbook",
    "inbook",
    "bookinbook",
    "suppbook",
    "booklet",
    "collection",
    "mvcollection",
    "incollection",
    "suppcollection",
    "dataset",
    "manual",
    "misc",
    "online",
    "patent",
    "periodical",
    "proceedings",
    "mvproceedings",
    "inproceedings",
    "reference",
    "inreference",
    "report",
    "software",
    "thesis",
    "unpublished",
    "mastersthesis",
    "phdthesis",
    "techreport",
];

/// Fields this writer produces from columns; an `extra` field with one of these names is not
/// written a second time.
const OWN_FIELDS: &[&str] = &[
    "author",
    "editor",
    "title",
    "journal",
    "journaltitle",
    "booktitle",
    "howpublished",
    "year",
    "month",
    "date",
    "volume",
    "number",
    "pages",
    "publisher",
    "institution",
    "school",
    "doi",
    "url",
    "file",
    "eprint",
    "archiveprefix",
    "primaryclass",
    "eprinttype",
    "eprintclass",
    "abstract",
    "keywords",
];

/// `extra` fields (kept from imported files) that BibTeX styles and biber's default data model
/// know: they travel, so a .bib read and written back keeps its words. Others (arXiv's
/// `license`, `submitter`) stay in the library: biber would flag them as unknown.
const PORTABLE_EXTRA_FIELDS: &[&str] = &[
    "addendum",
    "address",
    "afterword",
    "annotation",
    "annotator",
    "annote",
    "bookauthor",
    "bookpagination",
    "booksubtitle",
    "booktitleaddon",
    "chapter",
    "commentator",
    "edition",
    "editora",
    "editorb",
    "editorc",
    "editortype",
    "eid",
    "entryset",
    "entrysubtype",
    "eventdate",
    "eventtitle",
    "eventtitleaddon",
    "foreword",
    "holder",
    "indextitle",
    "introduction",
    "isan",
    "isbn",
    "ismn",
    "isrn",
    "issn",
    "issuesubtitle",
    "issuetitle",
    "iswc",
    "journalsubtitle",
    "langid",
    "language",
    "library",
    "location",
    "mainsubtitle",
    "maintitle",
    "maintitleaddon",
    "nameaddon",
    "note",
    "organization",
    "origdate",
    "origlanguage",
    "origlocation",
    "origpublisher",
    "origtitle",
    "pagetotal",
    "pagination",
    "part",
    "pubstate",
    "related",
    "relatedtype",
    "reprinttitle",
    "series",
    "shortauthor",
    "shorteditor",
    "shorthand",
    "shortjournal",
    "shortseries",
    "shorttitle",
    "sortkey",
    "subtitle",
    "titleaddon",
    "translator",
    "type",
    "urldate",
    "venue",
    "version",
    "volumes",
];

/// Whether BibTeX reads `name` as a field name: a letter, then letters, digits and `_.:-`.
fn is_field_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.:-".contains(c))
}

/// The entry type a paper is written as.
pub fn entry_type(p: &Paper, dialect: Dialect) -> &'static str {
    let kind = p.kind.as_deref().unwrap_or("").to_ascii_lowercase();
    let known = match dialect {
        Dialect::Bibtex => BIBTEX_TYPES,
        Dialect::Biblatex => BIBLATEX_TYPES,
    };
    if let Some(t) = known.iter().find(|t| **t == kind) {
        // An arXiv preprint with no journal is `misc`/`online`, as arXiv exports it; any other
        // `@article` stays one, journal or not (the file it came from said so).
        if *t != "article" || p.container.is_some() || p.arxiv_id.is_none() {
            return t;
        }
    }
    match (dialect, kind.as_str()) {
        (Dialect::Bibtex, "thesis") => "phdthesis",
        (Dialect::Bibtex, "report") => "techreport",
        (Dialect::Biblatex, _) if p.arxiv_id.is_some() && p.container.is_none() => "online",
        _ => "misc",
    }
}

/// `Family, Given`; `von Family, Jr, Given`; `{The LIGO Collaboration}`.
fn name(a: &Author, charset: Charset) -> String {
    if a.literal {
        return format!("{{{}}}", latex::escape_literal(&a.family, charset));
    }
    // A comma inside a part would split the name there, and a word "and" would end it: such a
    // part goes in braces, where BibTeX looks for neither.
    let part = |s: &str| {
        let e = latex::escape_literal(s, charset);
        let has_and = s.split_whitespace().any(|w| w.eq_ignore_ascii_case("and"));
        if s.contains(',') || has_and {
            format!("{{{e}}}")
        } else {
            e
        }
    };
    let mut last = String::new();
    if !a.particle.is_empty() {
        last.push_str(&part(&a.particle));
        last.push(' ');
    }
    // A family name with a space ("Garcia Marquez") must not be split by BibTeX either.
    if a.family.contains(' ')
        && !a.family.contains(',')
        && !a
            .family
            .split_whitespace()
            .any(|w| w.eq_ignore_ascii_case("and"))
    {
        let _ = write!(last, "{{{}}}", latex::escape_literal(&a.family, charset));
    } else {
        last.push_str(&part(&a.family));
    }
    match (a.suffix.is_empty(), a.given.is_empty()) {
        (true, true) => last,
        (true, false) => format!("{last}, {}", part(&a.given)),
        (false, _) => format!("{last}, {}, {}", part(&a.suffix), part(&a.given)),
    }
}

fn names(list: &[Author], charset: Charset) -> String {
    list.iter()
        .map(|a| name(a, charset))
        .collect::<Vec<_>>()
        .join(" and ")
}

/// Appends one entry.
pub fn write_entry(out: &mut String, p: &Paper, key: &str, dialect: Dialect) {
    let charset = match dialect {
        Dialect::Bibtex => Charset::Ascii,
        Dialect::Biblatex => Charset::Utf8,
    };
    let ty = entry_type(p, dialect);
    let _ = writeln!(out, "@{ty}{{{key},");
    let mut field = |name: &str, value: String| {
        if !value.is_empty() {
            let _ = writeln!(out, "  {name} = {{{value}}},");
        }
    };
    let esc = |s: &Option<String>| {
        s.as_deref()
            .map(|v| latex::escape(v, charset))
            .unwrap_or_default()
    };
    if let Some(t) = &p.title {
        field("title", latex::title(&super::one_line(t), charset));
    }
    field("author", names(&p.authors, charset));
    field("editor", names(&p.editors, charset));
    let container = esc(&p.container);
    match (dialect, ty) {
        (Dialect::Bibtex, "article") => field("journal", container),
        (Dialect::Biblatex, "article") => field("journaltitle", container),
        (
            _,
            "inproceedings" | "incollection" | "inbook" | "conference" | "inreference"
            | "bookinbook",
        ) => field("booktitle", container),
        (_, "phdthesis" | "mastersthesis" | "thesis") => field("school", container),
        (_, "techreport" | "report") => field("institution", container),
        _ => field("howpublished", container),
    }
    match dialect {
        Dialect::Bibtex => {
            field("year", p.year.map(|y| y.to_string()).unwrap_or_default());
            if let Some(m) = p.month.filter(|m| (1..=12).contains(m)) {
                // Month macros are written bare so styles print the month name.
                let _ = writeln!(out, "  month = {},", MONTHS[m as usize - 1]);
            }
        }
        Dialect::Biblatex => {
            let date = match (p.year, p.month.filter(|m| (1..=12).contains(m))) {
                (Some(y), Some(m)) => format!("{y:04}-{m:02}"),
                (Some(y), None) => format!("{y:04}"),
                _ => String::new(),
            };
            let mut field = |name: &str, value: String| {
                if !value.is_empty() {
                    let _ = writeln!(out, "  {name} = {{{value}}},");
                }
            };
            field("date", date);
        }
    }
    let mut field = |name: &str, value: String| {
        if !value.is_empty() {
            let _ = writeln!(out, "  {name} = {{{value}}},");
        }
    };
    field("volume", esc(&p.volume));
    field("number", esc(&p.issue));
    field(
        "pages",
        p.pages
            .as_deref()
            .map(|pg| normalize_pages(&latex::escape(pg, charset)))
            .unwrap_or_default(),
    );
    // BibLaTeX's data model has no publisher for a journal article (biber flags it as an
    // invalid field, and styles ignore it); BibTeX's styles ignore what they do not use.
    if !(dialect == Dialect::Biblatex && ty == "article") {
        field("publisher", esc(&p.publisher));
    }
    // DOIs and URLs are verbatim fields: only braces and line breaks would break them.
    // A DOI another paper holds is kept as written in `extra` (see the import): it goes out as
    // this entry's DOI, as the file it came from had it.
    let doi = p.doi.as_deref().or(p.extra.get("doi").map(String::as_str));
    field("doi", verbatim(doi.unwrap_or_default()));
    field("url", verbatim(&url(p)));
    // Attached files, JabRef's `:path:type` list: a verbatim field (paths keep `_`, `~`, `%`
    // and spaces as they are), so only what would end the field or the line is encoded.
    if let Some(files) = p.extra.get("file") {
        field(
            "file",
            super::percent_encode(files, |c| c == '{' || c == '}' || c.is_control()),
        );
    }
    let primary = verbatim(p.categories.first().map_or("", String::as_str));
    if let Some(a) = &p.arxiv_id {
        field("eprint", verbatim(a));
        match dialect {
            Dialect::Bibtex => field("archivePrefix", "arXiv".into()),
            Dialect::Biblatex => field("eprinttype", "arXiv".into()),
        }
    }
    // The class travels with or without an arXiv id (a file may give one alone).
    match dialect {
        Dialect::Bibtex => field("primaryClass", primary),
        Dialect::Biblatex => field("eprintclass", primary),
    }
    field("abstract", esc(&p.abstract_text));
    if !p.tags.is_empty() {
        field("keywords", latex::escape(&p.tags.join(", "), charset));
    }
    for (k, v) in &p.extra {
        let lower = k.to_ascii_lowercase();
        // BibTeX styles pass over fields they do not use, so every field read from a file goes
        // back out. biber flags fields outside its data model, so BibLaTeX gets only those.
        let travels = match dialect {
            Dialect::Bibtex => is_field_name(&lower) && lower != "entrytype",
            Dialect::Biblatex => PORTABLE_EXTRA_FIELDS.contains(&lower.as_str()),
        };
        if OWN_FIELDS.contains(&lower.as_str()) || !travels {
            continue;
        }
        field(&lower, latex::escape(v, charset));
    }
    // Keys of papers merged into this one: BibLaTeX resolves `\cite{old}` through `ids`.
    if dialect == Dialect::Biblatex {
        if let Some(ids) = p.extra.get("ids") {
            let keys: Vec<&str> = ids
                .split(',')
                .map(str::trim)
                .filter(|k| !k.is_empty() && !k.contains(['{', '}', ' ', '%', '#']))
                .collect();
            if !keys.is_empty() {
                field("ids", keys.join(","));
            }
        }
    }
    out.push_str("}\n\n");
}

/// A verbatim field's value (DOI, URL, eprint): braces, which would end the field, and
/// white space, which would break a line, percent-encoded as in a URL.
fn verbatim(s: &str) -> String {
    super::percent_encode(s, |c| {
        c == '{' || c == '}' || c.is_whitespace() || c.is_control()
    })
}

/// `1-10` → `1--10` (BibTeX's en dash); a single page stays as it is.
fn normalize_pages(pages: &str) -> String {
    let p = pages.trim();
    if p.contains("--") || p.contains("-{}-") {
        return p.replace("-{}-", "--");
    }
    p.replacen(['-', '–', '—'], "--", 1)
}

/// The paper's URL, or its arXiv abstract page.
pub fn url(p: &Paper) -> String {
    p.url
        .clone()
        .or_else(|| {
            p.arxiv_id
                .as_ref()
                .map(|a| format!("https://arxiv.org/abs/{a}"))
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arxiv_paper() -> Paper {
        Paper {
            arxiv_id: Some("1706.03762".into()),
            title: Some("Attention Is All You Need".into()),
            authors: vec![
                Author::new("Vaswani", "Ashish"),
                Author {
                    family: "Beethoven".into(),
                    given: "Ludwig".into(),
                    particle: "van".into(),
                    ..Author::default()
                },
            ],
            year: Some(2017),
            month: Some(6),
            categories: vec!["cs.CL".into(), "cs.LG".into()],
            ..Paper::default()
        }
    }

    #[test]
    fn arxiv_preprints_carry_eprint_fields() {
        let mut s = String::new();
        write_entry(
            &mut s,
            &arxiv_paper(),
            "vaswani2017attention",
            Dialect::Bibtex,
        );
        assert!(s.starts_with("@misc{vaswani2017attention,\n"), "{s}");
        for line in [
            "eprint = {1706.03762}",
            "archivePrefix = {arXiv}",
            "primaryClass = {cs.CL}",
            "url = {https://arxiv.org/abs/1706.03762}",
            "month = jun,",
            "author = {Vaswani, Ashish and van Beethoven, Ludwig}",
        ] {
            assert!(s.contains(line), "missing {line:?} in\n{s}");
        }
        let mut s = String::new();
        write_entry(&mut s, &arxiv_paper(), "k", Dialect::Biblatex);
        assert!(s.starts_with("@online{k,\n"), "{s}");
        for line in [
            "eprinttype = {arXiv}",
            "eprintclass = {cs.CL}",
            "date = {2017-06}",
        ] {
            assert!(s.contains(line), "missing {line:?} in\n{s}");
        }
    }

    #[test]
    fn names_keep_suffixes_and_institutions() {
        let a = Author {
            family: "Ford".into(),
            given: "Henry".into(),
            suffix: "Jr.".into(),
            ..Author::default()
        };
        assert_eq!(name(&a, Charset::Ascii), "Ford, Jr., Henry");
        assert_eq!(
            name(
                &Author::literal("The LIGO & Virgo Collaboration"),
                Charset::Ascii
            ),
            "{The LIGO \\& Virgo Collaboration}"
        );
        assert_eq!(
            name(&Author::new("García Márquez", "Gabriel"), Charset::Ascii),
            "{Garc{\\'{\\i}}a M{\\'{a}}rquez}, Gabriel"
        );
        assert_eq!(normalize_pages("100-110"), "100--110");
    }
}
