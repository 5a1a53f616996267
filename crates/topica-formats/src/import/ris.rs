//! RIS files (Zotero, EndNote, Scopus, PubMed exports): `TY  - ` … `ER  - ` records.
//!
//! Hand-written: no maintained RIS crate exists on crates.io. The reader follows what the
//! common exporters write rather than the 2011 spec alone:
//!
//! - lines end with LF, CRLF or a lone CR (old Mac files); a byte order mark is ignored, at
//!   the start of the file or where two files were joined;
//! - tags may have one space before the dash or none after it (EndNote, Ovid) and may be in
//!   lower case; a line that is not a tag continues the previous tag's value (multi-line
//!   abstracts), and text between records is ignored (export headers such as `Record #1 of 2`);
//! - a repeated `TY` at the start of a record replaces the type (as JabRef does);
//! - names without a comma are PubMed's `Smith JA` or else one name that must not be split
//!   (`World Health Organization`), as Zotero reads them;
//! - tags we have no column for are kept in `extra`, as is a date's text when it says more
//!   than a year and a month (`Spring 2019`).
//!
//! A record that does not start with `TY`, or has nothing but its type, is skipped and said
//! (file, line, reason); the rest of the file goes in.

use super::text::{collapse_ws, non_empty};
use super::{Record, Records};
use topica_model::ArxivId;
use topica_model::RecordError;
use topica_model::{normalize_doi, Author, Paper, YEARS};

pub(super) fn parse(file: String, text: &str) -> Records<'static> {
    Box::new(parse_all(&file, text).into_iter())
}

/// The lines of `text` with their 1-based numbers. A line ends at LF, CRLF or a lone CR (old
/// Mac files; a stray CR before a tag). Lines are numbered as editors number them: by LF
/// where the file has any, else by CR.
fn numbered_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let count_cr = !text.contains('\n');
    let mut line = 1;
    text.split_inclusive(['\n', '\r']).map(move |seg| {
        let n = line;
        if seg.ends_with('\n') || (count_cr && seg.ends_with('\r')) {
            line += 1;
        }
        (n, seg.trim_end_matches(['\n', '\r']))
    })
}

/// `TY  - JOUR` → ("TY", "JOUR"); `ER  -` → ("ER", ""); `au  - Smith` → ("AU", "Smith").
///
/// Besides the spec's `XX  - value`, what exporters write: one space before the dash
/// (`AU - Smith`) or none after it (`AU  -Smith`). A lower-case tag must have the spec's form
/// (`au  - Smith`), so that a continuation line such as `is - as expected` stays part of the
/// value above it.
fn tag_line(line: &str) -> Option<(String, &str)> {
    let [c0, c1, _, _, ..] = *line.as_bytes() else {
        return None;
    };
    if !c0.is_ascii_alphabetic() || !c1.is_ascii_alphanumeric() {
        return None;
    }
    // Both ASCII: the split falls between characters.
    let (tag, rest) = line.split_at_checked(2)?;
    let upper = c0.is_ascii_uppercase() && !c1.is_ascii_lowercase();
    let value = match (rest.strip_prefix("  -"), rest.strip_prefix(" -")) {
        (Some(v), _) if upper || v.is_empty() || v.starts_with(' ') => v,
        (None, Some(v)) if upper && (v.is_empty() || v.starts_with(' ')) => v,
        _ => return None,
    };
    Some((tag.to_ascii_uppercase(), value.trim()))
}

/// One tag of a record: its value with any continuation lines (joined by `\n`), and its line.
#[derive(Debug)]
struct Tag {
    name: String,
    value: String,
    line: usize,
}

/// A record's tags in file order. Each part of the paper takes the tags it reads; what is
/// left at the end goes to `extra`.
struct Tags(Vec<Tag>);

impl Tags {
    /// Removes the tags named in `names` and returns them in file order.
    fn take(&mut self, names: &[&str]) -> Vec<Tag> {
        let (taken, kept) = std::mem::take(&mut self.0)
            .into_iter()
            .partition(|t| names.contains(&t.name.as_str()));
        self.0 = kept;
        taken
    }

    /// Removes the tags named in `names` and returns the first non-empty value in the order
    /// of `names` (the preferred tag first), white space collapsed. The others are dropped:
    /// they are the same field written again (`T1` beside `TI`).
    fn take_first(&mut self, names: &[&str]) -> Option<String> {
        let taken = self.take(names);
        names.iter().find_map(|n| {
            taken
                .iter()
                .filter(|t| t.name == *n)
                .find_map(|t| non_empty(&t.value))
        })
    }

    /// The first non-empty value of `name`, left in place.
    fn first(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .filter(|t| t.name == name)
            .find_map(|t| non_empty(&t.value))
    }
}

struct Open {
    line: usize,
    kind: String,
    tags: Vec<Tag>,
}

fn parse_all(file: &str, text: &str) -> Vec<Result<Record, RecordError>> {
    let mut out = Vec::new();
    let mut open: Option<Open> = None;
    // After a record that does not start with TY, skip to its ER.
    let mut skipping = false;
    let err = |line: usize, reason: String| RecordError {
        text: String::new(),
        file: file.to_string(),
        line,
        reason,
    };
    for (line_no, raw) in numbered_lines(text) {
        let line = raw.trim_start_matches('\u{feff}');
        let Some((tag, value)) = tag_line(line) else {
            // A continuation line of a multi-line value; outside records, export noise.
            if let Some(last) = open.as_mut().and_then(|r| r.tags.last_mut()) {
                if !line.trim().is_empty() {
                    last.value.push('\n');
                    last.value.push_str(line.trim());
                }
            }
            continue;
        };
        match tag.as_str() {
            "TY" => {
                skipping = false;
                match &mut open {
                    Some(rec) => rec.kind = value.to_string(),
                    None => {
                        open = Some(Open {
                            line: line_no,
                            kind: value.to_string(),
                            tags: Vec::new(),
                        })
                    }
                }
            }
            "ER" => {
                if let Some(rec) = open.take() {
                    out.push(close(file, rec));
                }
                skipping = false;
            }
            _ => match &mut open {
                Some(rec) => rec.tags.push(Tag {
                    name: tag,
                    value: value.to_string(),
                    line: line_no,
                }),
                None if skipping => {}
                None => {
                    out.push(Err(err(
                        line_no,
                        format!(
                            "RIS record starts with `{tag}` instead of `TY  - ` (the record type)"
                        ),
                    )));
                    skipping = true;
                }
            },
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

/// The record an `ER` closes, or why there is none (said at its `TY` line).
fn close(file: &str, rec: Open) -> Result<Record, RecordError> {
    let said = |line: usize, reason: String| RecordError {
        text: String::new(),
        file: file.to_string(),
        line,
        reason,
    };
    if rec.tags.is_empty() {
        return Err(said(
            rec.line,
            "RIS record has only its type (`TY`) and nothing else to import".into(),
        ));
    }
    let (paper, notes) = to_paper(&rec.kind, Tags(rec.tags));
    let mut record = Record::new(rec.line, paper);
    record.warnings = notes
        .into_iter()
        .map(|(line, reason)| said(line, reason))
        .collect();
    Ok(record)
}

fn kind(ty: &str) -> (&'static str, bool) {
    let k = match ty.trim().to_ascii_uppercase().as_str() {
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

/// A RIS name: `Family, Given[, Suffix]`. Without a comma there is no telling the parts apart
/// except in PubMed's `Family Initials`; any other name is kept whole, as one literal name
/// (Zotero's single-field mode), so `World Health Organization` is not split into given and
/// family names. `Name,` (an empty given name) is how Topica writes a literal name.
fn ris_name(value: &str) -> Option<Author> {
    let name = collapse_ws(value);
    if name.is_empty() {
        return None;
    }
    let parts: Vec<&str> = name.split(',').map(str::trim).collect();
    Some(match parts.as_slice() {
        [one] => pubmed_name(one).unwrap_or_else(|| whole_name(one)),
        [family, ""] => whole_name(family),
        [family, given] => Author::parse(&format!("{family}, {given}")),
        [family, given, suffix, ..] => Author {
            suffix: suffix.to_string(),
            ..Author::parse(&format!("{family}, {given}"))
        },
        [] => return None,
    })
}

/// A name kept whole: a literal name when it has several words (as the BibTeX reader reads
/// `{World Health Organization}`), a family name alone when it is one word.
fn whole_name(name: &str) -> Author {
    if name.contains(' ') {
        Author::literal(name)
    } else {
        Author {
            family: name.to_string(),
            ..Author::default()
        }
    }
}

/// A person's name written with initials and no comma: PubMed's `Family Initials[ Suffix]`
/// (`Smith J`, `van Raaij MJ`, `Brownstein C D`, `Hefferon T Jr`, MEDLINE's `AU` form, which
/// Zotero's MEDLINE reader splits the same way) or IEEE's `Initials Family` (`G. Kalbe`,
/// `J. A. Smith`). The family part must read as a person's (capitalised words and particles),
/// so that `Department of Health UK` stays one name.
fn pubmed_name(name: &str) -> Option<Author> {
    const SUFFIXES: [&str; 7] = ["Jr", "Jr.", "Sr", "Sr.", "2nd", "3rd", "4th"];
    let mut words: Vec<&str> = name.split(' ').collect();
    let suffix = match words.as_slice() {
        [_, _, .., last] if SUFFIXES.contains(last) => words.pop(),
        _ => None,
    };
    // Initials at the end (PubMed) or, failing that, at the start (IEEE).
    let trailing = words
        .iter()
        .rev()
        .take_while(|w| initials(w).is_some())
        .count();
    let leading = words.iter().take_while(|w| initials(w).is_some()).count();
    let (given, family): (&[&str], &[&str]) = if (1..=3).contains(&trailing) {
        let (family, given) = words.split_at_checked(words.len() - trailing)?;
        (given, family)
    } else if (1..=3).contains(&leading) {
        words.split_at_checked(leading)?
    } else {
        return None;
    };
    let family_like = |w: &&str| {
        let first_upper = w
            .chars()
            .find(|c| c.is_alphabetic())
            .is_some_and(char::is_uppercase);
        is_particle(w) || (first_upper && w.chars().any(char::is_lowercase))
    };
    if family.is_empty()
        || family.len() > 4
        || !family.iter().all(family_like)
        || family.iter().all(|w| is_particle(w))
    {
        return None;
    }
    let given: Vec<String> = given.iter().filter_map(|w| initials(w)).collect();
    let mut a = Author::parse(&format!("{}, {}", family.join(" "), given.join(" ")));
    a.suffix = suffix.unwrap_or_default().to_string();
    Some(a)
}

/// `MJ` or `M.J.` → `M. J.`: one to three capital letters, written out as initials so that
/// styles and BibTeX read two given names, not one called "MJ".
fn initials(word: &str) -> Option<String> {
    let letters: Vec<char> = word.chars().filter(|&c| c != '.').collect();
    ((1..=3).contains(&letters.len()) && letters.iter().all(|c| c.is_uppercase())).then(|| {
        letters
            .iter()
            .map(|c| format!("{c}."))
            .collect::<Vec<_>>()
            .join(" ")
    })
}

fn is_particle(word: &str) -> bool {
    const PARTICLES: [&str; 20] = [
        "van", "von", "de", "der", "den", "del", "della", "di", "da", "du", "dos", "das", "la",
        "le", "ter", "ten", "zu", "y", "bin", "al",
    ];
    PARTICLES.contains(&word)
}

fn to_paper(ty: &str, mut tags: Tags) -> (Paper, Vec<(usize, String)>) {
    let mut p = Paper::default();
    let mut notes = Vec::new();
    let (k, known) = kind(ty);
    p.kind = Some(k.to_string());
    if !known && !ty.trim().is_empty() {
        p.extra.insert("ris_type".into(), ty.trim().to_string());
    }
    let book = k == "book";
    let bt = tags.take_first(&["BT"]);
    p.title = tags
        .take_first(&["TI", "T1", "CT"])
        .or_else(|| bt.clone().filter(|_| book))
        // ST stays in `extra` as the short title as well.
        .or_else(|| tags.first("ST"));
    creators(&mut p, book, &mut tags);
    container(&mut p, book, bt, &mut tags);
    p.volume = tags.take_first(&["VL", "VO"]);
    p.issue = tags.take_first(&["IS"]);
    p.pages = match (tags.take_first(&["SP"]), tags.take_first(&["EP"])) {
        (Some(s), Some(e)) if !s.contains('-') => Some(format!("{s}-{e}")),
        (Some(s), _) => Some(s),
        (None, Some(e)) => Some(e),
        (None, None) => None,
    };
    p.publisher = tags.take_first(&["PB"]);
    abstract_text(&mut p, &mut tags);
    notes.extend(dates(&mut p, &mut tags));
    links(&mut p, &mut tags);
    // `ID` is the reference's id in the file. JabRef reads it as the citation key, and Topica
    // writes its keys there; a bare record number (EndNote numbers its records) is no key.
    let id = tags.first("ID");
    if let Some(id) =
        id.filter(|id| !id.chars().all(|c| c.is_ascii_digit()) && crate::citekey::is_valid_key(id))
    {
        tags.take(&["ID"]);
        p.citation_key = Some(id);
    }
    let keywords: Vec<String> = tags
        .take(&["KW"])
        .iter()
        .flat_map(|t| split_list(&t.value, &['\n', ';']))
        .collect();
    if !keywords.is_empty() {
        p.extra.insert("keywords".into(), keywords.join(", "));
    }
    // Everything else, by a readable name where there is one.
    for tag in tags.0 {
        let name = match tag.name.as_str() {
            "SN" => if book { "isbn" } else { "issn" }.to_string(),
            "CY" | "AD" | "PP" => "address".into(),
            "N1" => "note".into(),
            "T3" => "series".into(),
            "ET" => "edition".into(),
            "LA" => "language".into(),
            "ID" => "ris_id".into(),
            "ST" => "shorttitle".into(),
            other => format!("ris_{}", other.to_lowercase()),
        };
        add_extra(&mut p, &name, &tag.value);
    }
    (p, notes)
}

/// Appends `value` to the `extra` field `name`, after a `; ` when it has one already.
fn add_extra(p: &mut Paper, name: &str, value: &str) {
    let Some(v) = non_empty(value) else { return };
    let e = p.extra.entry(name.to_string()).or_default();
    if !e.is_empty() {
        e.push_str("; ");
    }
    e.push_str(&v);
}

/// The non-empty items of a list written in one value, split at any of `separators`.
fn split_list(value: &str, separators: &[char]) -> Vec<String> {
    value.split(separators).filter_map(non_empty).collect()
}

/// Authors (`AU`, `A1`), editors (`A2`, `ED`) and the other creator tags: `A3` the series
/// editor and `A4` the translator (Zotero's reading), except on a book, where EndNote and
/// Zotero write the editors as `A3` and the series editor as `A2`. A book's `A2` without any
/// `A3` is read as its editor, as JabRef and older exporters mean it.
fn creators(p: &mut Paper, book: bool, tags: &mut Tags) {
    let names =
        |ts: &[Tag]| -> Vec<Author> { ts.iter().filter_map(|t| ris_name(&t.value)).collect() };
    p.authors = names(&tags.take(&["AU", "A1"]));
    let a3 = tags.take(&["A3"]);
    let (mut editors, series_editors) = if book && !a3.is_empty() {
        let (a2, mut ed): (Vec<Tag>, Vec<Tag>) = tags
            .take(&["A2", "ED"])
            .into_iter()
            .partition(|t| t.name == "A2");
        ed.extend(a3);
        (ed, a2)
    } else {
        (tags.take(&["A2", "ED"]), a3)
    };
    editors.sort_by_key(|t| t.line);
    p.editors = names(&editors);
    for (name, ts) in [
        ("serieseditor", series_editors),
        ("translator", tags.take(&["A4"])),
    ] {
        // `Family, Given and Family, Given`: a name list as BibTeX and biber read one.
        let list: Vec<String> = ts.iter().filter_map(|t| non_empty(&t.value)).collect();
        if !list.is_empty() {
            p.extra.insert(name.into(), list.join(" and "));
        }
    }
}

/// The journal or book a work is in. `JF` and `T2` are the full name; `JO`, `JA`, `J2` and
/// `J1` are abbreviations where a full name is there too (Zotero reads `JO` so), and the name
/// itself where not. A book's `T2` is its series (EndNote's "Series Title", Zotero's
/// `series`), and `BT` stands in for a missing container elsewhere.
fn container(p: &mut Paper, book: bool, bt: Option<String>, tags: &mut Tags) {
    if book {
        if let Some(series) = tags.take_first(&["T2"]) {
            add_extra(p, "series", &series);
        }
    }
    let full = tags.take_first(&["JF", "T2"]);
    let short: Vec<String> = ["JO", "JA", "J2", "J1"]
        .iter()
        .filter_map(|t| tags.take_first(&[t]))
        .collect();
    p.container = full
        .or_else(|| short.first().cloned())
        .or_else(|| bt.filter(|_| !book));
    if let Some(abbr) = short.into_iter().find(|a| Some(a) != p.container.as_ref()) {
        p.extra.insert("shortjournal".into(), abbr);
    }
}

/// `AB`, or EndNote's `N2` where there is no `AB`; a second, different abstract is kept in
/// `extra` under its tag.
fn abstract_text(p: &mut Paper, tags: &mut Tags) {
    let mut written = tags.take(&["AB", "N2"]);
    written.sort_by_key(|t| t.name != "AB");
    for t in written {
        let Some(v) = non_empty(&t.value) else {
            continue;
        };
        match &p.abstract_text {
            None => p.abstract_text = Some(v),
            Some(a) if *a == v => {}
            Some(_) => add_extra(p, &format!("ris_{}", t.name.to_lowercase()), &v),
        }
    }
}

/// The year and month from `PY`, `Y1` and `DA`, in that order of preference. A date that says
/// more than its year and month (`Spring 2019`, `2012-22`, `2019/05/03/Summer meeting`) is
/// also kept as written in `extra` (`ris_py`…); one with no year at all is kept so and said.
fn dates(p: &mut Paper, tags: &mut Tags) -> Option<(usize, String)> {
    let mut written = tags.take(&["PY", "Y1", "DA"]);
    written.sort_by_key(|t| ["PY", "Y1", "DA"].iter().position(|n| *n == t.name));
    let read: Vec<(Tag, RisDate)> = written
        .into_iter()
        .filter_map(|t| {
            let d = ris_date(&t.value)?;
            Some((t, d))
        })
        .collect();
    if let Some(year) = read.iter().find_map(|(_, d)| d.year) {
        p.year = Some(year);
        p.month = read
            .iter()
            .filter(|(_, d)| d.year == Some(year))
            .find_map(|(_, d)| d.month);
    }
    for (t, d) in &read {
        if !d.whole {
            add_extra(p, &format!("ris_{}", t.name.to_lowercase()), &t.value);
        }
    }
    if p.year.is_some() {
        return None;
    }
    let (t, _) = read.first()?;
    let key = format!("ris_{}", t.name.to_lowercase());
    Some((
        t.line,
        format!(
            "{} {:?} has no year; kept as text in `{key}`",
            t.name,
            collapse_ws(&t.value)
        ),
    ))
}

/// What a date tag says: its year (within [`YEARS`]) and month, and whether that is all it
/// says (the day is not kept).
#[derive(Debug, PartialEq)]
struct RisDate {
    year: Option<i32>,
    month: Option<u8>,
    whole: bool,
}

/// `2019///`, `2001/09/01/`, `1948/07//`, `2015/october`, `2019-03-18`: RIS's
/// `YYYY/MM/DD/other` and ISO dates. Any other text (`Spring 2019`, `2012-22`, `2019 May 3`)
/// gives its first four-digit year and a month named in it. `None` for nothing written:
/// empty parts, or Scopus's `0000`.
fn ris_date(text: &str) -> Option<RisDate> {
    let s = collapse_ws(text);
    if s.chars().all(|c| matches!(c, '0' | '/' | '-' | ' ')) {
        return None;
    }
    let in_range = |y: &str| y.parse::<i32>().ok().filter(|y| YEARS.contains(y));
    let parts: Vec<&str> = if s.contains('/') {
        s.split('/').map(str::trim).collect()
    } else {
        s.split('-').collect()
    };
    let digits = |p: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    if let [y, rest @ ..] = parts.as_slice() {
        let month = rest.first().map_or(Some(None), |m| match m.parse::<u8>() {
            _ if m.is_empty() => Some(None),
            Ok(0) => Some(None),
            Ok(n) if digits(m, 1..=2) && n <= 12 => Some(Some(n)),
            _ => month_name(m).map(Some),
        });
        let day_ok = rest.get(1).is_none_or(|d| d.is_empty() || digits(d, 1..=2));
        let other = rest.iter().skip(2).any(|o| !o.is_empty());
        if let (true, Some(month), true) = (digits(y, 4..=4), month, day_ok) {
            let year = in_range(y);
            return Some(RisDate {
                year,
                month: month.filter(|_| year.is_some()),
                whole: year.is_some() && !other,
            });
        }
    }
    let year = s
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 4)
        .and_then(in_range);
    let month = s
        .split(|c: char| !c.is_alphabetic())
        .find_map(month_name)
        .filter(|_| year.is_some());
    Some(RisDate {
        year,
        month,
        whole: false,
    })
}

/// `May`, `sept`, `October` → the month's number; a word must be the start of a month's name
/// and three letters at least (`Decade` is no December).
fn month_name(word: &str) -> Option<u8> {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let w = word.trim_end_matches('.').to_lowercase();
    if w.chars().count() < 3 {
        return None;
    }
    NAMES
        .iter()
        .position(|n| n.starts_with(&w))
        .map(|i| i as u8 + 1)
}

/// A DOI as written in `DO` or `M3`: bare, `doi:`, or any doi.org link.
fn ris_doi(value: &str) -> Option<String> {
    normalize_doi(value).or_else(|| {
        let (_, doi) = value.split_once("doi.org/")?;
        normalize_doi(doi)
    })
}

fn is_web_link(link: &str) -> bool {
    let l = link.to_ascii_lowercase();
    l.starts_with("http://") || l.starts_with("https://") || l.starts_with("ftp://")
}

/// `UR` (several links in one, split at `;` or white space), the web links among `L1` (PDF)
/// and `L2` (full text), and the DOI: `DO`, else a DOI in `M3` (where EndNote puts it at
/// times), else one in a link. `L1`/`L2` paths into the exporter's own storage
/// (`internal-pdf://`, `file://`) stay in `extra`.
fn links(p: &mut Paper, tags: &mut Tags) {
    let mut urls: Vec<String> = tags
        .take(&["UR"])
        .iter()
        .flat_map(|t| t.value.split(|c: char| c == ';' || c.is_whitespace()))
        .filter(|u| !u.is_empty())
        .map(String::from)
        .collect();
    for t in tags.take(&["L1", "L2"]) {
        for link in split_list(&t.value, &['\n', ';']) {
            if is_web_link(&link) {
                urls.push(link);
            } else {
                add_extra(p, &format!("ris_{}", t.name.to_lowercase()), &link);
            }
        }
    }
    p.url = urls.first().cloned();
    if urls.len() > 1 {
        p.extra.insert("urls".into(), urls.join("\n"));
    }
    p.doi = tags.take_first(&["DO"]).and_then(|d| ris_doi(&d));
    let kind = p.kind.clone().unwrap_or_default();
    for t in tags.take(&["M3"]) {
        let Some(v) = non_empty(&t.value) else {
            continue;
        };
        match ris_doi(&v) {
            Some(doi) if p.doi.is_none() => p.doi = Some(doi),
            Some(doi) if p.doi.as_ref() == Some(&doi) => {}
            // The thesis's or report's type, BibTeX's `type` field.
            _ if kind == "phdthesis" || kind == "techreport" => add_extra(p, "type", &v),
            _ => add_extra(p, "ris_m3", &v),
        }
    }
    if p.doi.is_none() {
        p.doi = urls.iter().find_map(|u| ris_doi(u));
    }
    if let Some(a) = urls
        .iter()
        .filter(|u| u.contains("arxiv.org/"))
        .find_map(|u| ArxivId::parse(u))
    {
        p.arxiv_id = Some(a.id);
        p.arxiv_version = a.version;
    }
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

    // ------------------------------------------------ RIS as the databases write it (#22)
    //
    // One minimal fixture per case under tests/fixtures/ris-lenient/, each test asserting the
    // exact fields read and the exact report of what was skipped.

    macro_rules! fixture {
        ($name:literal) => {
            (
                $name,
                include_str!(concat!("../../../../tests/fixtures/ris-lenient/", $name)),
            )
        };
    }

    /// The records read (line, paper) and everything said: skipped records and warnings, as
    /// the import report prints them.
    fn read((name, text): (&str, &str)) -> (Vec<(usize, Paper)>, Vec<String>) {
        let (mut ok, mut said) = (Vec::new(), Vec::new());
        for r in parse_all(name, text) {
            match r {
                Ok(r) => {
                    said.extend(r.warnings.iter().map(ToString::to_string));
                    ok.push((r.line, r.paper));
                }
                Err(e) => said.push(e.to_string()),
            }
        }
        (ok, said)
    }

    fn titles(recs: &[(usize, Paper)]) -> Vec<(usize, &str)> {
        recs.iter()
            .map(|(line, p)| (*line, p.title.as_deref().unwrap_or("")))
            .collect()
    }

    fn extra(pairs: &[(&str, &str)]) -> std::collections::BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn blank_lines_and_a_stray_cr_before_ty() {
        let (recs, said) = read(fixture!("blank_lines_and_stray_cr_before_ty.ris"));
        assert_eq!(
            titles(&recs),
            [
                (3, "After blank lines and a stray CR"),
                (7, "After a CR-only line")
            ]
        );
        assert_eq!(said, Vec::<String>::new());
    }

    #[test]
    fn free_text_between_er_and_the_next_ty_is_passed_over() {
        let (recs, said) = read(fixture!("text_between_records.ris"));
        assert_eq!(titles(&recs), [(4, "First"), (12, "Second")]);
        assert_eq!(said, Vec::<String>::new());
    }

    #[test]
    fn tags_in_lower_case() {
        let (recs, said) = read(fixture!("lowercase_tags.ris"));
        assert_eq!(said, Vec::<String>::new());
        let [(1, p)] = recs.as_slice() else {
            panic!("{recs:?}")
        };
        assert_eq!(p.kind.as_deref(), Some("article"));
        assert_eq!(p.authors, [Author::new("Curie", "Marie")]);
        assert_eq!(p.title.as_deref(), Some("Lower-case tags"));
        assert_eq!(p.year, Some(1903));
        assert_eq!(p.container.as_deref(), Some("Annales de physique"));
        // `is - as…` continues the abstract: a lower-case tag needs the spec's `xx  - ` form.
        assert_eq!(
            p.abstract_text.as_deref(),
            Some("The effect is - as expected - small.")
        );
        assert_eq!(p.extra, extra(&[]));
    }

    #[test]
    fn one_or_two_spaces_before_the_dash_and_none_after_it() {
        let (recs, said) = read(fixture!("tag_spacing.ris"));
        assert_eq!(said, Vec::<String>::new());
        assert_eq!(titles(&recs), [(1, "Spaced title"), (6, "Second")]);
        assert_eq!(
            recs[0].1.authors,
            [Author::new("Smith", "John"), Author::new("Jones", "Ann")]
        );
        assert_eq!(recs[1].1.kind.as_deref(), Some("book"));
    }

    #[test]
    fn a_byte_order_mark_at_the_start_and_where_two_files_were_joined() {
        let (recs, said) = read(fixture!("bom.ris"));
        assert_eq!(said, Vec::<String>::new());
        assert_eq!(
            titles(&recs),
            [(1, "After a BOM"), (4, "After a second file's BOM")]
        );
    }

    #[test]
    fn old_mac_files_end_their_lines_with_cr_alone() {
        let (recs, said) = read(fixture!("cr_only_line_endings.ris"));
        assert_eq!(titles(&recs), [(1, "Old Mac file"), (8, "Second")]);
        assert_eq!(recs[0].1.year, Some(1995));
        assert_eq!(
            said,
            ["cr_only_line_endings.ris:6: RIS record starts with `JF` instead of `TY  - ` (the record type)"]
        );
    }

    #[test]
    fn author_and_editor_tags() {
        let (recs, said) = read(fixture!("author_tags.ris"));
        assert_eq!(said, Vec::<String>::new());
        let [(_, chap), (_, book), (_, book_a2)] = recs.as_slice() else {
            panic!("{recs:?}")
        };
        // A1 and AU are both authors, in file order; A2 and ED editors.
        assert_eq!(
            chap.authors,
            [
                Author::new("Curie", "Marie"),
                Author::new("Curie", "Pierre")
            ]
        );
        assert_eq!(
            chap.editors,
            [Author::new("Planck", "Max"), Author::new("Bohr", "Niels")]
        );
        assert_eq!(
            chap.extra,
            extra(&[
                ("serieseditor", "Series, Sue"),
                ("translator", "Translator, Tom and Other, Olga")
            ])
        );
        // On a book, EndNote and Zotero write the editors as A3 and the series editor as A2.
        assert_eq!(book.authors, [Author::new("Author", "Ann")]);
        assert_eq!(
            book.editors,
            [Author::new("Editor", "Eve"), Author::new("Editor", "Ed")]
        );
        assert_eq!(book.extra, extra(&[("serieseditor", "Series, Sam")]));
        // A book's A2 without A3 is its editor (JabRef, older exporters).
        assert_eq!(book_a2.editors, [Author::new("Martin", "Steve")]);
        assert_eq!(book_a2.extra, extra(&[]));
    }

    #[test]
    fn names_without_a_comma() {
        let (recs, said) = read(fixture!("names_without_comma.ris"));
        assert_eq!(said, Vec::<String>::new());
        let p = &recs[0].1;
        let person = |family: &str, given: &str, particle: &str, suffix: &str| Author {
            family: family.into(),
            given: given.into(),
            particle: particle.into(),
            suffix: suffix.into(),
            literal: false,
        };
        assert_eq!(
            p.authors,
            [
                Author::literal("World Health Organization"),
                // PubMed's `Family Initials`.
                person("Smith", "J.", "", ""),
                person("Raaij", "M. J.", "van", ""),
                person("Wong Kee Song", "L. M.", "", ""),
                person("Hefferon", "T.", "", "Jr"),
                person("Walker", "J. E.", "", ""),
                // Short upper-case last word, but "of" is no part of a person's family name.
                Author::literal("Department of Health UK"),
                person("Plato", "", "", ""),
                // Topica's own export of a literal name: `Name,`.
                Author::literal("The BABAR Collaboration"),
                // Without a comma there is no telling given from family (Zotero: one field).
                Author::literal("John Smith"),
            ]
        );
        assert_eq!(p.editors, [Author::literal("European Commission")]);
    }

    #[test]
    fn journal_name_variants() {
        let (recs, said) = read(fixture!("journal_variants.ris"));
        assert_eq!(said, Vec::<String>::new());
        let got: Vec<(Option<&str>, Option<&str>, Option<&str>)> = recs
            .iter()
            .map(|(_, p)| {
                (
                    p.container.as_deref(),
                    p.extra.get("shortjournal").map(String::as_str),
                    p.extra.get("series").map(String::as_str),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                // T2 is the journal; beside it, JO is the abbreviation (Scopus, Zotero).
                (Some("Journal of Testing"), Some("J Test"), None),
                (Some("Full Journal Name"), Some("Full J Name"), None),
                (Some("Only Journal"), None, None),
                (Some("Abbrev J"), None, None),
                (Some("Journal Written In JO"), Some("JWJO"), None),
                // A book's T2 is its series (EndNote, Zotero), not a container.
                (None, None, Some("Lecture Notes in Testing")),
                (Some("The Book It Is In"), None, None),
            ]
        );
        for (_, p) in &recs {
            let other: Vec<&String> = p
                .extra
                .keys()
                .filter(|k| *k != "shortjournal" && *k != "series")
                .collect();
            assert!(other.is_empty(), "{other:?}");
        }
    }

    #[test]
    fn initials_before_or_after_the_family_name_and_spaced_initials() {
        let got: Vec<Option<Author>> = [
            "Brownstein C D",
            "G. Kalbe",
            "J. A. Smith",
            "Catarina Barata",
        ]
        .iter()
        .map(|n| ris_name(n))
        .collect();
        assert_eq!(
            got,
            [
                Some(Author::new("Brownstein", "C. D.")),
                Some(Author::new("Kalbe", "G.")),
                Some(Author::new("Smith", "J. A.")),
                // No telling given from family (or a person from a group): kept whole.
                Some(Author::literal("Catarina Barata")),
            ]
        );
    }

    /// A record's year, month and extra fields.
    type DateFields<'a> = (Option<i32>, Option<u8>, Vec<(&'a str, &'a str)>);

    #[test]
    fn dates_as_the_databases_write_them() {
        let (recs, said) = read(fixture!("dates.ris"));
        let got: Vec<DateFields> = recs
            .iter()
            .map(|(_, p)| {
                (
                    p.year,
                    p.month,
                    p.extra
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str()))
                        .collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (Some(2019), None, vec![]),
                (Some(2019), Some(5), vec![]),
                // Text beyond year/month/day is kept as written.
                (Some(2019), None, vec![("ris_py", "Spring 2019")]),
                (Some(2012), None, vec![("ris_py", "2012-22")]),
                (
                    Some(2005),
                    Some(7),
                    vec![("ris_y1", "2005/07/15/Summer meeting")]
                ),
                (Some(2019), Some(5), vec![("ris_da", "2019 May 3")]),
                (None, None, vec![("ris_py", "in press")]),
                // Scopus writes 0000 for "no date".
                (None, None, vec![]),
            ]
        );
        assert_eq!(
            said,
            ["dates.ris:28: PY \"in press\" has no year; kept as text in `ris_py`"]
        );
    }

    #[test]
    fn pages_keywords_links_notes_abstract_doi_and_m3() {
        let (recs, said) = read(fixture!("fields.ris"));
        assert_eq!(said, Vec::<String>::new());
        let [(_, p), (_, report), (_, m3), (_, sp)] = recs.as_slice() else {
            panic!("{recs:?}")
        };
        assert_eq!(p.pages.as_deref(), Some("101-109"));
        assert_eq!(p.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(p.abstract_text.as_deref(), Some("The abstract in N2."));
        assert_eq!(p.doi.as_deref(), Some("10.1000/xyz.1"));
        assert_eq!(
            p.extra,
            extra(&[
                // One keyword a line or a `;` within a KW, as Zotero reads them.
                ("keywords", "alpha, beta, gamma, delta, epsilon"),
                (
                    "urls",
                    "https://example.org/a\nhttps://example.org/a.pdf\nhttps://example.org/a/full"
                ),
                // A path in the exporter's own storage is no link.
                ("ris_l1", "internal-pdf://1234/a.pdf"),
                ("note", "First note; Second note"),
                ("ris_m3", "Article"),
            ])
        );
        assert_eq!(report.kind.as_deref(), Some("techreport"));
        assert_eq!(report.abstract_text.as_deref(), Some("The abstract."));
        assert_eq!(report.doi.as_deref(), Some("10.5555/rep.2"));
        assert_eq!(
            report.extra,
            extra(&[
                ("type", "Technical memorandum"),
                ("ris_n2", "A different N2 text.")
            ])
        );
        // EndNote puts the DOI in M3 at times (Zotero reads it there too).
        assert_eq!(m3.doi.as_deref(), Some("10.1000/m3doi"));
        assert_eq!(m3.extra, extra(&[]));
        assert_eq!(sp.pages.as_deref(), Some("e0815"));
    }

    #[test]
    fn bad_records_are_skipped_and_said_the_rest_goes_in() {
        let (recs, said) = read(fixture!("bad_records.ris"));
        assert_eq!(titles(&recs), [(1, "Good one"), (9, "Good two")]);
        assert_eq!(
            said,
            [
                "bad_records.ris:4: RIS record starts with `JF` instead of `TY  - ` (the record type)",
                "bad_records.ris:7: RIS record has only its type (`TY`) and nothing else to import",
            ]
        );
    }
}
