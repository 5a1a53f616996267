//! BibTeX/BibLaTeX, RIS, CSL-JSON and arXiv Atom importers on real third-party fixtures:
//! counts, spot-checked fields, errors that name file and line, detection and `--format`.

use std::path::{Path, PathBuf};

use topica_core::import::{read_file, read_str, Record};
use topica_core::{Author, Error, Format, ImportOptions, Paper, RecordError};

use crate::util;

/// Every file under `tests/fixtures/<dir>` with one of `exts`, sorted.
fn files(dir: &str, exts: &[&str]) -> Vec<PathBuf> {
    fn walk(p: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(p).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                walk(&path, exts, out);
            } else if exts.iter().any(|x| path.to_string_lossy().ends_with(x)) {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&util::fixture(dir), exts, &mut out);
    out.sort();
    assert!(!out.is_empty(), "no fixtures in {dir}");
    out
}

/// Reads a file with format detection; returns the detected format, papers and record errors.
fn read(path: &Path) -> (Format, Vec<Record>, Vec<RecordError>) {
    let (format, records, _) =
        read_file(path, None).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (mut ok, mut bad) = (Vec::new(), Vec::new());
    for r in records {
        match r {
            Ok(r) => ok.push(r),
            Err(e) => bad.push(e),
        }
    }
    (format, ok, bad)
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

fn by_key<'a>(recs: &'a [Record], key: &str) -> &'a Paper {
    &recs
        .iter()
        .find(|r| r.paper.citation_key.as_deref() == Some(key))
        .unwrap_or_else(|| panic!("no entry {key}"))
        .paper
}

// ---------------------------------------------------------------- BibTeX / BibLaTeX

/// Files among the real fixtures that are malformed, each with the lines where the import
/// says what it read otherwise than written. Every one of their entries still comes in, as
/// BibTeX and biber would read it.
const SAID_BIB: &[(&str, &[usize])] = &[
    // typst/biblatex `invalid/`: a field written `author 💯 {…}` (left out, the entry read).
    ("incorrect_syntax.bib", &[12]),
    // typst/biblatex `invalid/`: `date = {19XXX-XX-XX}` and `date = {2012-13}` are not dates
    // (kept as text, with the year when there is one).
    ("incorrect_data.bib", &[1, 12]),
    // typst/biblatex `invalid/`: the key ishihara2012 is used twice; the second gets `-2`.
    ("gral_rep_key.bib", &[803]),
    // biber's own test data repeats the key tmn4 (lines 1535 and 1543): a genuine duplicate.
    ("biber-examples.bib", &[1543]),
    // python-bibtexparser: circ1 and circ2 crossref each other; the cycle is broken.
    ("crossref_cascading_cycle.bib", &[6, 11]),
    // JabRef importer output: `@TechReport{` with no citation key; one is made.
    ("RepecNepImporterTest2.bib", &[2]),
];

#[test]
fn every_bib_fixture_imports_or_names_its_bad_lines() {
    let mut total = 0;
    let mut failures = Vec::new();
    for path in files("bibtex", &[".bib"]) {
        let n = name(&path);
        if std::fs::metadata(&path).unwrap().len() == 0 {
            let err = read_file(&path, None)
                .err()
                .expect("an empty file has no format");
            assert!(
                matches!(err, topica_formats::Error::UnknownFormat { .. }),
                "{n}: {err}"
            );
            continue;
        }
        let (format, ok, bad) = read(&path);
        assert_eq!(format, Format::Bibtex, "{n} detected as {format:?}");
        total += ok.len();
        // JabRef's MODS fixture is `@proceedings{TestPublication,}`: a key and nothing else.
        let only_keys = n == "MODSImporterTestGenreMapping.bib"
            && bad.len() == 1
            && bad[0]
                .reason
                .ends_with("has no field with text in it; nothing to import");
        if !bad.is_empty() && !only_keys {
            failures.push(format!(
                "{n}: {}",
                bad.iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join(" | ")
            ));
        }
        if let Some((_, lines)) = SAID_BIB.iter().find(|(f, _)| *f == n) {
            let said: Vec<&RecordError> = ok.iter().flat_map(|r| &r.warnings).collect();
            for e in &said {
                assert!(
                    e.file.ends_with(&n) && e.line >= 1 && !e.reason.is_empty(),
                    "{e}"
                );
            }
            let said_lines: Vec<usize> = said.iter().map(|e| e.line).collect();
            for line in *lines {
                assert!(
                    said_lines.contains(line),
                    "{n}: nothing said at line {line}: {said:?}"
                );
            }
        }
    }
    assert!(
        failures.is_empty(),
        "fixtures with entries left out:\n{}",
        failures.join("\n")
    );
    assert!(
        total > 1000,
        "only {total} entries read from the .bib fixtures"
    );
}

#[test]
fn biblatex_examples_strings_crossrefs_accents_and_names() {
    let (_, recs, bad) = read(&util::fixture("bibtex/biblatex/biblatex-examples.bib"));
    assert!(bad.is_empty(), "{bad:?}");
    // 100 `@` blocks: @string definitions, xdata containers and 92 entries.
    assert_eq!(recs.len(), 92);
    // LaTeX accents: `Aks{\i}n, {\"O}zge`, `{\"O}fele`.
    let aksin = by_key(&recs, "aksin");
    assert_eq!(aksin.authors[0], Author::new("Aksın", "Özge"));
    assert_eq!(
        by_key(&recs, "herrmann").authors[1],
        Author::new("Öfele", "Karl")
    );
    // @string: `journaltitle = jomch` expands to the abbreviation's text.
    assert_eq!(aksin.container.as_deref(), Some("J. Organomet. Chem."));
    let sigfridsson = by_key(&recs, "sigfridsson");
    assert_eq!(
        sigfridsson.container.as_deref(),
        Some("Journal of Computational Chemistry")
    );
    assert_eq!(
        (sigfridsson.year, sigfridsson.pages.as_deref()),
        (Some(1998), Some("377-395"))
    );
    // crossref: an @incollection inherits its book's title as container, its year and editor.
    let westfahl = by_key(&recs, "westfahl:space");
    assert_eq!(westfahl.container.as_deref(), Some("Space and Beyond"));
    assert_eq!(westfahl.year, Some(2000));
    assert_eq!(westfahl.editors, vec![Author::new("Westfahl", "Gary")]);
    assert_eq!(westfahl.kind.as_deref(), Some("incollection"));
    // von part; a braced `{ de }` stays inside the family name as BibTeX reads it.
    assert_eq!(
        by_key(&recs, "brandt").authors[0],
        Author {
            particle: "von".into(),
            ..Author::new("Brandt", "Ahasver")
        }
    );
    assert_eq!(
        by_key(&recs, "vazques-de-parga").authors[0],
        Author::new("Vázques de Parga", "Luis")
    );
    // arXiv eprints.
    let baez = by_key(&recs, "baez/article");
    assert_eq!(
        (baez.arxiv_id.as_deref(), baez.arxiv_version),
        (Some("math/0307200"), Some(3))
    );
}

#[test]
fn corporate_authors_and_jr_names() {
    let (_, recs, _) = read(&util::fixture(
        "bibtex/typst-biblatex_fixtures/valid/libra.bib",
    ));
    assert_eq!(
        by_key(&recs, "LibraAssociationIndependent").authors,
        vec![Author::literal("Libra Association")]
    );
    let (_, recs, bad) = read(&util::fixture("bibtex/jabref/testbib/complex.bib"));
    assert!(bad.is_empty(), "{bad:?}");
    let a = &by_key(&recs, "10250999").authors;
    assert_eq!(
        a[0],
        Author {
            particle: "von".into(),
            ..Author::new("Hippel", "Eric")
        }
    );
    assert_eq!(
        a[1],
        Author {
            suffix: "Jr.".into(),
            ..Author::new("Reagle", "Joseph M.")
        }
    );
    assert_eq!(
        a[3],
        Author {
            particle: "van den".into(),
            suffix: "Jr.".into(),
            ..Author::new("Huevel", "Johan A")
        }
    );
}

#[test]
fn python_bibtexparser_strings_crossref_and_names() {
    let (_, recs, _) = read(&util::fixture(
        "bibtex/python-bibtexparser_v1_tests_data/article_with_strings.bib",
    ));
    assert_eq!(recs.len(), 1);
    let p = &recs[0].paper;
    assert!(
        p.container
            .as_deref()
            .is_some_and(|c| c.contains("Nice Journal")),
        "{:?}",
        p.container
    );

    let (_, recs, bad) = read(&util::fixture(
        "bibtex/python-bibtexparser_v1_tests_data/crossref_entries.bib",
    ));
    assert!(bad.is_empty(), "{bad:?}");
    assert!(recs.len() >= 4);

    let (_, recs, bad) = read(&util::fixture(
        "bibtex/python-bibtexparser_v1_tests_data/article.bib",
    ));
    assert!(bad.is_empty());
    let p = &recs[0].paper;
    assert_eq!(p.citation_key.as_deref(), Some("Cesar2013"));
    assert_eq!(
        p.authors,
        vec![Author::new("César", "Jean")],
        "an accent macro becomes Unicode"
    );
    assert_eq!(p.title.as_deref(), Some("An amazing title"));
    assert_eq!(p.kind.as_deref(), Some("article"));
    // `keyword` (sic, not `keywords`) has no column: kept in extra for export.
    assert_eq!(
        p.extra.get("keyword").map(String::as_str),
        Some("keyword1, keyword2")
    );
    assert_eq!(p.extra.get("abstract"), None, "abstract has its own column");
    assert!(p
        .abstract_text
        .as_deref()
        .is_some_and(|a| a.contains("érudit")));

    let (_, recs, _) = read(&util::fixture(
        "bibtex/python-bibtexparser_v1_tests_data/article_with_special_characters.bib",
    ));
    let p = &recs[0].paper;
    assert!(
        p.authors
            .iter()
            .any(|a| a.given.contains('é') || a.family.contains('é')),
        "{:?}",
        p.authors
    );
}

#[test]
fn jabref_files_names_and_encodings() {
    // UTF-16 with and without a byte-order mark decodes to the same entries as UTF-8.
    let titles = |f: &str| -> Vec<Option<String>> {
        read(&util::fixture(&format!(
            "bibtex/jabref/importer_fileformat_bib/{f}"
        )))
        .1
        .into_iter()
        .map(|r| r.paper.title)
        .collect()
    };
    let le = titles("tiny-LE-withBOM.bib");
    assert!(!le.is_empty() && le[0].is_some());
    for f in [
        "tiny-LE-noBOM.bib",
        "tiny-BE-withBOM.bib",
        "tiny-BE-noBOM.bib",
    ] {
        assert_eq!(titles(f), le, "{f}");
    }
    let (_, recs, bad) = read(&util::fixture("bibtex/jabref/testbib/jabref-authors.bib"));
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(recs.len(), 212, "214 `@` lines, two of them @comment");
    assert!(recs.iter().all(|r| r.paper.citation_key.is_some()));
}

#[test]
fn one_bad_byte_costs_one_character_and_a_latin1_file_reads_right_both_reported() {
    let dir = tempfile::tempdir().unwrap();
    let lib = util::library();
    // UTF-8 accents on lines 2 and 3; line 3 also holds one stray byte (0xE9, Latin-1 é).
    let mut utf8 = b"@article{godel31,\n  author = {G\xc3\xb6del, Kurt},\n  title = {Caf\xc3\xa9 and na\xe9ve},\n  year = 1931}\n".to_vec();
    utf8.extend_from_slice(
        "@article{schro35, author = {Schrödinger, Erwin}, title = {Katze}, year = 1935}\n"
            .as_bytes(),
    );
    let path = dir.path().join("mixed.bib");
    std::fs::write(&path, &utf8).unwrap();
    let report = lib
        .import_files(std::slice::from_ref(&path), &ImportOptions::default())
        .unwrap();
    assert_eq!(report.added, 2);
    let a = lib.find("godel31").unwrap();
    assert_eq!(
        a.authors[0].family, "Gödel",
        "accents elsewhere are untouched"
    );
    assert_eq!(a.title.as_deref(), Some("Café and na\u{fffd}ve"));
    assert_eq!(
        lib.find("schro35").unwrap().authors[0].family,
        "Schrödinger"
    );
    assert_eq!(
        report.warnings,
        vec![RecordError {
            text: String::new(),
            file: path.display().to_string(),
            line: 3,
            reason:
                "not valid UTF-8 (byte 0xE9 at column 23); the bad bytes were replaced by \u{fffd}"
                    .into(),
        }]
    );

    // A file written in Latin-1 (Windows-1252): its accents come out right, and it is said.
    let latin1 = b"@article{muller99,\n  author = {M\xfcller, J\xf6rg},\n  title = {\x93Quoted\x94},\n  year = 1999}\n";
    let path = dir.path().join("latin1.bib");
    std::fs::write(&path, latin1).unwrap();
    let report = lib
        .import_files(std::slice::from_ref(&path), &ImportOptions::default())
        .unwrap();
    let c = lib.find("muller99").unwrap();
    assert_eq!(
        (c.authors[0].family.as_str(), c.authors[0].given.as_str()),
        ("Müller", "Jörg")
    );
    assert_eq!(c.title.as_deref(), Some("\u{201c}Quoted\u{201d}"));
    let lines: Vec<(usize, &str)> = report
        .warnings
        .iter()
        .map(|w| (w.line, w.reason.as_str()))
        .collect();
    assert_eq!(
        lines,
        vec![
            (
                2,
                "not UTF-8 (byte 0xFC at column 14); read as Windows-1252 (Latin-1)"
            ),
            (
                3,
                "not UTF-8 (byte 0x93 at column 12); read as Windows-1252 (Latin-1)"
            ),
        ]
    );
}

#[test]
fn an_import_takes_every_readable_entry_and_strict_refuses_the_file() {
    let path = util::fixture("bibtex/typst-biblatex_fixtures/invalid/incorrect_syntax.bib");
    let t = util::library();
    // A value never closed costs its own entry; the rest of the file comes in.
    let text = "@article{a, title = {One}}\n@article{b, title = {Never closed\n@article{c, title = {Three}}\n";
    match t.import_text("pasted.bib", text, Format::Bibtex, true) {
        Err(Error::ImportFailed(errors)) => {
            assert_eq!(errors.len(), 1);
            assert_eq!(errors[0].line, 2);
        }
        other => panic!("expected ImportFailed, got {other:?}"),
    }
    assert_eq!(t.len().unwrap(), 0, "a failed import writes nothing");
    let report = t
        .import_text("pasted.bib", text, Format::Bibtex, false)
        .unwrap();
    assert_eq!((report.added, report.skipped.len()), (2, 1));
    assert_eq!(
        report.skipped[0].to_string(),
        "pasted.bib:2: a `{` in this value is never closed (unbalanced braces?)"
    );
    // The report shows the skipped entry as written.
    assert_eq!(report.skipped[0].text, "@article{b, title = {Never closed");
    // A stray token is left out with a word, and the entry comes in.
    let report = t.import_files(&[path], &ImportOptions::default()).unwrap();
    assert_eq!((report.added, report.skipped.len()), (2, 0));
    assert_eq!(report.warnings[0].line, 12);
    let p = t.find("rashid2016").unwrap();
    assert_eq!(p.authors[1], Author::new("Rehmani", "Mubashir Husain"));
}

// ---------------------------------------------------------------- RIS

#[test]
fn every_ris_fixture_imports_or_names_its_bad_lines() {
    for path in files("ris", &[".ris"]) {
        let n = name(&path);
        if n == "example_wos.ris" {
            // Web of Science "plain text" (`PT J`, `AU Smith`) is a different format from RIS;
            // it must be refused clearly, not misread.
            match read_file(&path, None) {
                Err(e) => assert!(
                    matches!(e, topica_formats::Error::UnknownFormat { .. }),
                    "{e}"
                ),
                Ok((f, recs, _)) => {
                    let errors = recs.filter(|r| r.is_err()).count();
                    assert!(
                        f != Format::Ris || errors > 0,
                        "WoS read as {f:?} without complaint"
                    );
                }
            }
            continue;
        }
        let (format, ok, bad) = read(&path);
        assert_eq!(format, Format::Ris, "{n}");
        if n == "RisImporterCorrupted.ris" {
            // Its record starts with `JF` instead of `TY`: genuinely malformed.
            assert_eq!(bad.len(), 1, "{bad:?}");
            assert_eq!(bad[0].line, 2);
            assert!(
                bad[0].file.ends_with(&n) && bad[0].reason.contains("TY"),
                "{}",
                bad[0]
            );
            continue;
        }
        assert!(bad.is_empty(), "{n}: {bad:?}");
        assert!(!ok.is_empty(), "{n}: no records");
    }
}

#[test]
fn ris_fields() {
    let (_, recs, _) = read(&util::fixture("ris/rispy_tests_data/example_full.ris"));
    assert_eq!(recs.len(), 2);
    let p = &recs[0].paper;
    assert_eq!(p.title.as_deref(), Some("Title of reference"));
    assert_eq!(
        p.authors,
        vec![
            Author::new("Marx", "Karl"),
            Author::new("Lindgren", "Astrid")
        ]
    );
    assert_eq!(p.editors, vec![Author::new("Glattauer", "Daniel")]);
    assert_eq!(p.year, Some(2014));
    assert_eq!(p.container.as_deref(), Some("Lorem"));
    assert_eq!(
        (p.volume.as_deref(), p.issue.as_deref(), p.pages.as_deref()),
        (Some("9"), Some("3"), Some("e0815"))
    );
    assert_eq!(p.publisher.as_deref(), Some("Fun Factory"));
    assert_eq!(p.extra["keywords"], "Pippi, Nordwind, Piraten");
    assert_eq!(p.extra["issn"], "1932-6208");
    assert!(p
        .abstract_text
        .as_deref()
        .unwrap()
        .starts_with("BACKGROUND: Lorem ipsum"));

    let (_, recs, _) = read(&util::fixture("ris/rispy_tests_data/example_multiline.ris"));
    assert_eq!(
        recs.len(),
        3,
        "`ER then…` inside a value is a continuation, not an end"
    );
    assert!(recs[2]
        .paper
        .abstract_text
        .as_deref()
        .unwrap()
        .contains("ER then second line"));

    let (_, recs, _) = read(&util::fixture("ris/rispy_tests_data/example_utf_chars.ris"));
    // No TI/T1: the short title `ST` stands in; `VO` is an old spelling of `VL`.
    let p = &recs[0].paper;
    assert!(
        p.title
            .as_deref()
            .unwrap()
            .starts_with("Состояние рецепторного"),
        "{p:?}"
    );
    assert!(
        p.abstract_text
            .as_deref()
            .unwrap()
            .contains("receptor apparatus"),
        "{p:?}"
    );
    assert_eq!(p.extra["note"], "Ä,Ö,Ü,ä,ö,ü,ß");
    assert_eq!(p.volume.as_deref(), Some("8"));

    let (_, recs, _) = read(&util::fixture(
        "ris/jabref_RisImporter_with_expected_bib/RisImporterTest8_date.ris",
    ));
    let p = &recs[0].paper;
    assert_eq!(
        (p.year, p.month),
        (Some(2005), Some(7)),
        "PY gives the year, Y1 2005/07/15 the month"
    );
    assert_eq!(p.doi.as_deref(), Some("10.1063/1.1954747"));
    assert_eq!(p.authors[0], Author::new("Valle-Delgado", "J. J."));
    assert_eq!(p.authors[1], Author::new("Molina-Bolívar", "J. A."));

    let (_, recs, _) = read(&util::fixture(
        "ris/rispy_tests_data/example_single_unknown_tag.ris",
    ));
    assert_eq!(recs[0].paper.extra["ris_jp"], "CRISPR; Direct Current");
}

// ---------------------------------------------------------------- CSL-JSON

#[test]
fn csl_json_fixtures() {
    let mut n = 0;
    for path in files("csl_json/from_test-suite_copied_tests", &[".json"]) {
        let (format, ok, bad) = read(&path);
        assert_eq!(format, Format::CslJson, "{}", name(&path));
        assert!(bad.is_empty(), "{}: {bad:?}", name(&path));
        n += ok.len();
    }
    assert!(n >= 39);
    let (_, recs, _) = read(&util::fixture(
        "csl_json/from_test-suite_copied_tests/name_ParseNames.json",
    ));
    assert_eq!(
        (
            recs[0].paper.authors[0].particle.as_str(),
            recs[0].paper.authors[0].family.as_str()
        ),
        ("van der", "Vlist")
    );
    assert_eq!(recs[0].paper.kind.as_deref(), Some("book"));
    assert_eq!(recs[0].paper.citation_key.as_deref(), Some("ITEM-3"));
    let (_, recs, _) = read(&util::fixture(
        "csl_json/from_test-suite_copied_tests/name_Institution.json",
    ));
    assert_eq!(
        recs[0].paper.authors[0],
        Author::literal("Multi-National United")
    );
    assert_eq!(recs[0].paper.year, Some(2006), "a year given as a string");
    let (_, recs, _) = read(&util::fixture(
        "csl_json/from_test-suite_copied_tests/date_Uncertain.json",
    ));
    assert_eq!(
        (recs[0].paper.year, recs[0].paper.month),
        (Some(2005), Some(12))
    );
}

#[test]
fn csl_json_all_test_suite_items() {
    let text =
        std::fs::read_to_string(util::fixture("csl_json/test-suite_all_humans_inputs.jsonl"))
            .unwrap();
    let (mut items, mut tests) = (0, 0);
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let json = serde_json::to_string_pretty(&v["items"]).unwrap();
        let recs: Vec<_> = read_str("items.json", &json, Format::CslJson).collect();
        for r in &recs {
            assert!(r.is_ok(), "{}: {:?}", v["test"], r);
        }
        items += recs.len();
        tests += 1;
    }
    assert_eq!(tests, 859);
    assert_eq!(items, 1823);
}

#[test]
fn csl_json_syntax_error_names_its_line() {
    let text = "[\n  {\"id\": \"a\", \"title\": \"ok\"},\n  {\"id\": \"b\" \"title\": \"missing comma\"}\n]\n";
    let recs: Vec<_> = read_str("broken.json", text, Format::CslJson).collect();
    let e = recs
        .iter()
        .find_map(|r| r.as_ref().err())
        .expect("an error");
    assert_eq!((e.file.as_str(), e.line), ("broken.json", 3), "{e}");
}

// ---------------------------------------------------------------- arXiv Atom

#[test]
fn atom_feeds() {
    for path in files("arxiv_api", &[".xml"]) {
        let n = name(&path);
        let (format, ok, bad) = read(&path);
        assert_eq!(format, Format::ArxivAtom, "{n}");
        if n.starts_with("id_abc") {
            // The API's error feed for a malformed id is an error, never a paper.
            assert!(ok.is_empty());
            assert_eq!(bad.len(), 1);
            assert!(
                bad[0].reason.contains("incorrect id format for abc"),
                "{}",
                bad[0]
            );
            assert!(bad[0].line > 1);
            continue;
        }
        assert!(bad.is_empty(), "{n}: {bad:?}");
        for r in &ok {
            assert!(
                r.paper.arxiv_id.is_some()
                    && r.paper.title.is_some()
                    && !r.paper.authors.is_empty(),
                "{n}: {:?}",
                r.paper
            );
        }
    }
    let (_, recs, _) = read(&util::fixture(
        "arxiv_api/arxiv.py_recorded_bodies_extracted/id_1707.08567_s0_m100_6a1afebfc6a3.xml",
    ));
    assert_eq!(recs.len(), 1);
    let p = &recs[0].paper;
    assert_eq!(
        (p.arxiv_id.as_deref(), p.arxiv_version),
        (Some("1707.08567"), Some(1))
    );
    assert_eq!(p.authors.len(), 34);
    assert_eq!(p.authors[0], Author::new("Immink", "Kees A. Schouhamer"));
    assert_eq!(p.authors[4].particle, "de", "{:?}", p.authors[4]);
    assert_eq!((p.year, p.month), (Some(2017), Some(7)));
    assert_eq!(p.categories, vec!["cs.IT"]);
    assert!(p.comments.as_deref().unwrap().starts_with("44 pages"));
    let (_, recs, _) = read(&util::fixture(
        "arxiv_api/arxiv.py_recorded_bodies_extracted/q_testing_s0_m10_bc5a6c384fe9.xml",
    ));
    assert_eq!(recs.len(), 10);
    let (_, recs, _) = read(&util::fixture(
        "arxiv_api/arxiv.py_recorded_bodies_extracted/id_0000.0000_s0_m100_8b51d9633a68.xml",
    ));
    assert!(recs.is_empty(), "an empty result feed holds no paper");
}

#[test]
fn atom_malformed_xml_names_its_line() {
    let text = std::fs::read_to_string(util::fixture(
        "arxiv_api/arxiv.py_v2_xml/id_list_1111.2011v2.xml",
    ))
    .unwrap();
    let broken = text.replacen("</title>", "</titel>", 1);
    let recs: Vec<_> = read_str("cut.xml", &broken, Format::ArxivAtom).collect();
    let e = recs
        .iter()
        .find_map(|r| r.as_ref().err())
        .expect("an error");
    let want = broken
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("</titel>"))
        .unwrap()
        .0
        + 1;
    assert_eq!(e.line, want, "{e}");
}

// ---------------------------------------------------------------- detection and --format

#[test]
fn format_override_beats_detection() {
    // A .txt file holding BibTeX is detected from its content…
    let dir = tempfile::tempdir().unwrap();
    let bib = std::fs::read_to_string(util::fixture(
        "bibtex/python-bibtexparser_v1_tests_data/article.bib",
    ))
    .unwrap();
    let txt = dir.path().join("refs.txt");
    std::fs::write(&txt, &bib).unwrap();
    assert_eq!(read_file(&txt, None).unwrap().0, Format::Bibtex);
    // …and --format forces a reading: as RIS it holds no record, which is an error.
    let (f, recs, _) = read_file(&txt, Some(Format::Ris)).unwrap();
    assert_eq!(f, Format::Ris);
    let recs: Vec<_> = recs.collect();
    assert!(
        recs.len() == 1
            && recs[0]
                .as_ref()
                .is_err_and(|e| e.reason.contains("no RIS record")),
        "{recs:?}"
    );
    // A CSL-JSON file with an odd extension, forced.
    let json = dir.path().join("items.data");
    std::fs::copy(
        util::fixture("csl_json/from_test-suite_copied_tests/name_Institution.json"),
        &json,
    )
    .unwrap();
    let t = util::library();
    let report = t
        .import_files(
            &[json],
            &ImportOptions {
                format: Some("csl-json".parse().unwrap()),
                strict: true,
            },
        )
        .unwrap();
    assert_eq!(report.added, 1);
}

#[test]
fn one_doi_on_two_works_and_two_dois_on_one_title_are_not_merged() {
    let t = util::library();
    let bib = r"@book{book, title = {Handbook of Everything}, author = {Ames, Ann}, year = 2001, doi = {10.1037/10319-000}}
@incollection{chapter, title = {A Chapter on Something Else Entirely}, author = {Bell, Bob}, year = 2001, doi = {10.1037/10319-000}}
@article{abs, title = {Embolization outcomes}, author = {Cole, Cy}, year = 2014, doi = {10.1016/j.jvir.2013.12.293}}
@article{full, title = {Embolization outcomes}, author = {Cole, Cy}, year = 2014, doi = {10.1371/journal.pone.0086394}}
@article{again, title = {Handbook of everything}, author = {Ames, Ann}, year = 2001, doi = {https://doi.org/10.1037/10319-000}}
";
    let report = t
        .import_text("dois.bib", bib, Format::Bibtex, false)
        .unwrap();
    assert_eq!((report.added, report.duplicates), (4, 1), "{report:?}");
    assert_eq!(
        report.warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
        ["dois.bib:2: DOI 10.1037/10319-000 is already the DOI of \"Handbook of Everything\", a different work; this entry comes in as its own paper, with the DOI kept in its `doi` field as written"]
    );
    let chapter = t.find("chapter").unwrap();
    assert_eq!(chapter.doi, None);
    assert_eq!(
        chapter.extra.get("doi").map(String::as_str),
        Some("10.1037/10319-000")
    );
    assert_eq!(
        t.find("book").unwrap().doi.as_deref(),
        Some("10.1037/10319-000")
    );
    assert_eq!(
        t.find("full").unwrap().doi.as_deref(),
        Some("10.1371/journal.pone.0086394")
    );
    assert_eq!(
        t.find("abs").unwrap().doi.as_deref(),
        Some("10.1016/j.jvir.2013.12.293")
    );
}

#[test]
fn a_jabref_library_moves_in_with_its_groups_as_collections() {
    let t = util::library();
    let file = util::fixture(
        "real-world/bibtex/zotero-better-bibtex_import/Jabref_import_-_groups_lost_1730-5.bib",
    );
    let report = t
        .import_files(std::slice::from_ref(&file), &ImportOptions::default())
        .unwrap();
    assert_eq!((report.added, report.skipped.len()), (4, 0));
    let all = t.papers(0, 0).unwrap();
    let mut memberships: Vec<Vec<String>> = all
        .iter()
        .map(|p| {
            let mut c = p.collections.clone();
            c.sort();
            c
        })
        .collect();
    memberships.sort();
    assert_eq!(
        memberships,
        [
            vec!["Group1".to_string()],
            vec!["Group1/Group1a".to_string()],
            vec![
                "Group1/Group1a".to_string(),
                "Group2".to_string(),
                "Markings/jfd1:1".to_string()
            ],
            vec!["Group2".to_string()],
        ]
    );
    // Imported again: the papers merge, and what the user has since made of their
    // collections is not changed by the file.
    let p = &all[0];
    t.set_collections(p.id, &[]).unwrap();
    let again = t.import_files(&[file], &ImportOptions::default()).unwrap();
    assert_eq!((again.added, again.merged), (0, 4));
    assert!(t.find(&p.id.to_string()).unwrap().collections.is_empty());
}

/// A record matched by its arXiv id that names a DOI another paper holds merges without the
/// DOI (kept in `extra.doi`, said in a warning): the import does not fail on the unique column.
#[test]
fn a_merge_that_would_take_another_papers_doi_keeps_it_aside() {
    let t = crate::util::library();
    t.import_text(
        "a.bib",
        "@article{a, title={Dataset paper}, doi={10.5281/zenodo.1}, year={2020}}\n\
         @article{b, title={Model paper}, eprint={2101.00001}, archivePrefix={arXiv}, year={2021}}",
        topica_core::Format::Bibtex,
        true,
    )
    .unwrap();
    let r = t
        .import_text(
            "b.bib",
            "@article{c, title={Model paper}, eprint={2101.00001}, archivePrefix={arXiv}, doi={10.5281/zenodo.1}, year={2021}}",
            topica_core::Format::Bibtex,
            true,
        )
        .unwrap();
    assert_eq!((r.added, r.merged), (0, 1));
    assert!(
        r.warnings
            .iter()
            .any(|w| w.reason.contains("10.5281/zenodo.1 is already paper")),
        "{r:?}"
    );
    let b = t.find("2101.00001").unwrap();
    assert_eq!(b.doi, None);
    assert_eq!(
        b.extra.get("doi").map(String::as_str),
        Some("10.5281/zenodo.1")
    );
    assert_eq!(
        t.find("a").unwrap().doi.as_deref(),
        Some("10.5281/zenodo.1")
    );
}
