//! Round trip: export → import gives the same papers, fields and citation keys, and importing an
//! export back into its own library creates no duplicates. Runs against the real importers.

use topica_core::export::{ExportFormat, ExportOptions};
use topica_core::{Format, ImportOptions, Library, Paper};

use crate::util;

/// The sample library plus the 60-paper arXiv fixture.
fn source_library() -> util::TestLibrary {
    let t = util::sample_library();
    t.import_files(
        &[util::fixture("export/arxiv-first60.jsonl")],
        &ImportOptions::default(),
    )
    .unwrap();
    t
}

fn norm(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|v| !v.is_empty())
}

/// The fields a format carries, compared one by one so a failure names the field.
fn assert_same(format: ExportFormat, a: &Paper, b: &Paper) {
    let key = a.citation_key.as_deref().unwrap_or("?");
    let ctx = format!("{} {key}", format.name());
    assert_eq!(a.citation_key, b.citation_key, "{ctx}: key");
    assert_eq!(a.arxiv_id, b.arxiv_id, "{ctx}: arXiv id");
    assert_eq!(norm(&a.title), norm(&b.title), "{ctx}: title");
    // Names compare as written: importers may move a lower-case prefix of a family name
    // ("de Marrais") into the particle, which is the same name.
    let names = |p: &Paper| {
        p.authors
            .iter()
            .map(|a| a.display_name())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(a), names(b), "{ctx}: authors");
    assert_eq!(a.year, b.year, "{ctx}: year");
    assert_eq!(a.month, b.month, "{ctx}: month");
    assert_eq!(a.doi, b.doi, "{ctx}: doi");
    let (x, y) = (
        norm(&a.abstract_text).unwrap_or_default(),
        norm(&b.abstract_text).unwrap_or_default(),
    );
    if x != y {
        let at = x.chars().zip(y.chars()).take_while(|(p, q)| p == q).count();
        let around = |s: &str| {
            s.chars()
                .skip(at.saturating_sub(40))
                .take(80)
                .collect::<String>()
        };
        panic!(
            "{ctx}: abstract differs at char {at}:\n  stored:   {}\n  imported: {}",
            around(&x),
            around(&y)
        );
    }
    for (name, x, y) in [
        ("container", &a.container, &b.container),
        ("volume", &a.volume, &b.volume),
        ("issue", &a.issue, &b.issue),
        ("publisher", &a.publisher, &b.publisher),
    ] {
        assert_eq!(norm(x), norm(y), "{ctx}: {name}");
    }
    if matches!(format, ExportFormat::Bibtex | ExportFormat::Biblatex) {
        assert_eq!(
            a.categories.first(),
            b.categories.first(),
            "{ctx}: primary class"
        );
    }
}

fn round_trip(format: ExportFormat, import_as: Format) {
    let src = source_library();
    let text = src
        .export(&ExportOptions {
            format: Some(format.clone()),
            ..ExportOptions::default()
        })
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir
        .path()
        .join(format!("export.{}", format.extension(Default::default())));
    std::fs::write(&file, &text).unwrap();

    // Into a fresh library: the same papers with the same keys and fields.
    let dst = util::library();
    let r = dst
        .import_files(
            std::slice::from_ref(&file),
            &ImportOptions {
                format: Some(import_as),
                strict: true,
            },
        )
        .unwrap();
    assert_eq!(
        r.added,
        src.len().unwrap(),
        "{}: every exported paper is imported",
        format.name()
    );
    for a in src.papers(0, 0).unwrap() {
        let b = dst
            .find(a.citation_key.as_deref().unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", format.name()));
        assert_same(format.clone(), &a, &b);
    }

    // Back into its own library: everything merges, nothing is added, no key changes.
    let before: Vec<Paper> = src.papers(0, 0).unwrap();
    let r = src
        .import_files(
            &[file],
            &ImportOptions {
                format: Some(import_as),
                strict: true,
            },
        )
        .unwrap();
    assert_eq!(r.added, 0, "{}: no duplicates", format.name());
    let after: Vec<Paper> = src.papers(0, 0).unwrap();
    assert_eq!(
        before.iter().map(|p| &p.citation_key).collect::<Vec<_>>(),
        after.iter().map(|p| &p.citation_key).collect::<Vec<_>>()
    );
    let _: &Library = &src;
}

#[test]
fn bibtex_round_trip() {
    round_trip(ExportFormat::Bibtex, Format::Bibtex);
}

#[test]
fn biblatex_round_trip() {
    round_trip(ExportFormat::Biblatex, Format::Bibtex);
}

#[test]
fn ris_round_trip() {
    round_trip(ExportFormat::Ris, Format::Ris);
}

#[test]
fn csl_json_round_trip() {
    round_trip(ExportFormat::CslJson, Format::CslJson);
}

/// Every .bib of the fixtures (the real-world exports among them) in one library, written as
/// BibTeX and read back into a fresh library: the same papers, field by field. (BibLaTeX
/// leaves out the fields outside biber's data model, so it is checked on the papers above.)
#[test]
fn every_bib_fixture_round_trips_through_bibtex() {
    fn walk(p: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(p).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|x| x == "bib")
                && std::fs::metadata(&path).unwrap().len() > 0
            {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&util::fixture("bibtex"), &mut files);
    walk(&util::fixture("real-world"), &mut files);
    files.sort();
    let src = util::library();
    src.import_files(&files, &ImportOptions::default()).unwrap();
    let papers = src.papers(0, 0).unwrap();
    assert!(papers.len() > 3000, "{} papers", papers.len());
    {
        let format = ExportFormat::Bibtex;
        let text = src
            .export(&ExportOptions {
                format: Some(format.clone()),
                ..ExportOptions::default()
            })
            .unwrap();
        let dst = util::library();
        let r = dst
            .import_text("export.bib", &text, Format::Bibtex, true)
            .unwrap();
        let mut failures = Vec::new();
        if r.added != papers.len() {
            failures.push(format!(
                "{} papers added of {}: {r:?}",
                r.added,
                papers.len()
            ));
        }
        // By key (`find` would read a numeric key as a library id).
        let read_back: std::collections::HashMap<String, Paper> = dst
            .papers(0, 0)
            .unwrap()
            .into_iter()
            .map(|p| (p.citation_key.clone().unwrap_or_default(), p))
            .collect();
        for a in &papers {
            let Some(b) = read_back.get(a.citation_key.as_deref().unwrap()).cloned() else {
                failures.push(format!("{:?} not read back", a.citation_key));
                continue;
            };
            if let Err(e) = std::panic::catch_unwind(|| assert_same(format.clone(), a, &b)) {
                let msg = e.downcast_ref::<String>().cloned().unwrap_or_default();
                failures.push(msg.lines().take(3).collect::<Vec<_>>().join(" / "));
            }
        }
        assert!(
            failures.is_empty(),
            "{}: {} of {} papers differ after the round trip:\n{}",
            format.name(),
            failures.len(),
            papers.len(),
            failures
                .iter()
                .take(30)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}
