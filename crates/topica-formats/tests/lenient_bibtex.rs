//! Issue #22's BibTeX cases, one small fixture each (`tests/fixtures/bibtex-lenient/`, written
//! for these tests): what comes in, field by field, and exactly what the import says.

use std::path::PathBuf;

use topica_formats::import::read_file;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/bibtex-lenient")
        .join(name)
}

/// One line per record (`key | title | year | container | authors | extra`), then one per
/// warning and per skipped record, with the file name alone.
fn outcome(name: &str) -> String {
    let (_, records, _) = read_file(&fixture(name), None).unwrap();
    let mut lines = Vec::new();
    let mut said = Vec::new();
    for r in records {
        match r {
            Ok(r) => {
                let p = &r.paper;
                let authors: Vec<String> = p
                    .authors
                    .iter()
                    .map(|a| match (a.literal, a.given.is_empty()) {
                        (true, _) => format!("{{{}}}", a.family),
                        (false, true) => a.family.clone(),
                        (false, false) => format!("{}, {}", a.family, a.given),
                    })
                    .collect();
                let extra: Vec<String> = p.extra.iter().map(|(k, v)| format!("{k}={v}")).collect();
                lines.push(format!(
                    "{} | {} | {} | {} | {} | {}",
                    p.citation_key.as_deref().unwrap_or("-"),
                    p.title.as_deref().unwrap_or("-"),
                    p.year.map_or("-".to_string(), |y| y.to_string()),
                    p.container.as_deref().unwrap_or("-"),
                    authors.join("; "),
                    extra.join("; ")
                ));
                said.extend(
                    r.warnings
                        .iter()
                        .map(|w| format!("warning {}:{}: {}", name, w.line, w.reason)),
                );
            }
            Err(e) => said.push(format!("skipped {}:{}: {}", name, e.line, e.reason)),
        }
    }
    lines.extend(said);
    lines.join("\n")
}

/// `@type( … )` with parentheses inside its values.
#[test]
fn parens() {
    assert_eq!(
        outcome("parens.bib"),
        r#"paren1 | Effects (of) things | 2001 | - | Smith, John | 
ok1 | Fine | 2002 | - | Doe, Jane | "#
    );
}

/// A lone `$` and an escaped `\{` do not read on to the end of the file.
#[test]
fn dollar() {
    assert_eq!(
        outcome("dollar.bib"),
        r#"d1 | A lone $ sign costs 5 | 2003 | - | A, B | 
d2 | Escaped { brace | 2004 | - | C, D | 
d3 | Fine after | 2005 | - | E, F | "#
    );
}

/// Entries without a key (one is made by the library), an empty field (`,,`), a field name and a key with spaces.
#[test]
fn nokey() {
    assert_eq!(
        outcome("nokey.bib"),
        r#"- | No key here | 2010 | - | Lee, K | 
- | No key at all | 2011 | - | Lee, K | 
k2 | With empty field | 2012 | - | Kim, Y | 
k3 | Spaced field | 2013 | J Spc |  | 
key_with_space | Spaced key | 2014 | - |  | 
warning nokey.bib:1: entry "": entry has no citation key; one is made for it
warning nokey.bib:4: entry "": entry has no citation key; one is made for it
warning nokey.bib:6: entry "k3": field name "journal title" has spaces; read as "journaltitle"
warning nokey.bib:7: entry "key_with_space": citation key "key with space" has spaces, which LaTeX cannot cite; read as "key_with_space""#
    );
}

/// An undefined `@string` reads as empty, as in BibTeX; seasons and odd years keep their text.
#[test]
fn strings() {
    assert_eq!(
        outcome("strings.bib"),
        r#"s1 | Uses undefined | 2015 | - |  | 
s2 | Season | 2019 | - |  | year=Spring 2019
s3 | Odd date | 2012 | - |  | year=2012-22
warning strings.bib:1: entry "s1": @string "undefinedmacro" is not defined; read as empty, as BibTeX does"#
    );
}

/// A parent with a bad year still gives its child what it can; a crossref cycle breaks the cycle, not the file.
#[test]
fn crossref() {
    assert_eq!(
        outcome("crossref.bib"),
        r#"child | Child paper | - | Parent proceedings | P, Q | year=20x1
parent | Parent proceedings | - | Parent proceedings |  | year=20x1
c1 | Cycle one | - | - |  | 
c2 | Cycle two | 2001 | - |  | 
after | After cycle | 2002 | - |  | 
warning crossref.bib:1: entry "child": year "20x1" is not a year; kept as text in the entry's `year` field
warning crossref.bib:2: entry "parent": year "20x1" is not a year; kept as text in the entry's `year` field
warning crossref.bib:3: entry "c1": crossref/xdata cycle (c1 → c2 → c1); the cycle is broken here: this entry inherits nothing
warning crossref.bib:4: entry "c2": crossref/xdata cycle (c1 → c2 → c1); the cycle is broken here: this entry inherits nothing"#
    );
}

/// A key used twice: both entries come in, the second under a new key.
#[test]
fn dupkeys() {
    assert_eq!(
        outcome("dupkeys.bib"),
        r#"same | First of same | 2001 | - | A, B | 
same-2 | Second of same | 2002 | - | C, D | 
warning dupkeys.bib:2: duplicate citation key "same" (first used on line 1); imported as a separate entry with the key "same-2""#
    );
}

/// LaTeX to Unicode: argument-less commands do not swallow groups, accents on dotless letters, formatting keeps its text, unknown commands keep their argument.
#[test]
fn latex() {
    assert_eq!(
        outcome("latex.bib"),
        r#"l1 | Core–Shell Nanowires | 2001 | - |  | 
l2 | preColumbian ísland ø ß å ł š | 2001 | - |  | 
l3 | Emph It Bf x2 H2O mk q slanted NASA box | 2001 | - |  | 
l4 | Bar and … and & and $x^2$ | 2001 | - |  | 
warning latex.bib:4: entry "l4": unknown LaTeX command \foo: its argument's text was kept (said once per file)"#
    );
}

/// A missing comma between fields, an entry never closed, month macros and a season, `)` inside a `@type( … )` value.
#[test]
fn extra() {
    assert_eq!(
        outcome("extra.bib"),
        r#"f1 | Missing comma | 2001 | - | Doe, Jane | 
f2 | Not closed at all | 2002 | - |  | 
f3 | Months and seasons | 2019 | - |  | year=Spring 2019
f4 | Quoted (value) with ) inside | 2004 | - |  | note=a) b
warning extra.bib:1: entry "f1": missing comma between two fields
warning extra.bib:2: entry "f2": entry is not closed; read up to the next entry"#
    );
}
