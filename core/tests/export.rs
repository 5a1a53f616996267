//! Bibliography export: citation keys (assigned at import, unique, pinned), every format on
//! the sample and fixture libraries, scopes, atomic files, and the biblatex crate reading our
//! .bib back.

use std::collections::BTreeSet;

use topica_core::export::{CslStyle, ExportFormat, ExportOptions, Flavor, Scope, SortOrder};
use topica_core::{Format, ImportOptions, Library};

use crate::util;

fn opts(format: ExportFormat) -> ExportOptions {
    ExportOptions {
        format: Some(format),
        ..ExportOptions::default()
    }
}

fn keys(lib: &Library) -> BTreeSet<String> {
    lib.papers(0, 0)
        .unwrap()
        .into_iter()
        .map(|p| p.citation_key.expect("every paper has a key"))
        .collect()
}

/// The 60-paper arXiv fixture (authors with accents, `$…$` titles, DOIs, journal refs).
fn fixture_library() -> util::TestLibrary {
    let t = util::library();
    t.import_files(
        &[util::fixture("export/arxiv-first60.jsonl")],
        &ImportOptions::default(),
    )
    .unwrap();
    t
}

#[test]
fn keys_are_given_at_import_and_pinned_through_enrichment() {
    let t = util::sample_library();
    let ks = keys(&t);
    assert_eq!(ks.len(), 94, "94 distinct keys");
    let p = t.find("2201.12288").unwrap();
    assert_eq!(
        p.citation_key.as_deref(),
        Some("arxiv2201.12288"),
        "no title or authors yet: the arXiv id"
    );

    // Enrichment: the same paper arrives with title and authors; the key stays.
    let line = r#"{"id": "2201.12288", "title": "Deep Reasoning", "authors": "Ada Lovelace", "authors_parsed": [["Lovelace", "Ada", ""]], "categories": "cs.LG", "abstract": "x"}"#;
    let r = t
        .import_text("enrich.jsonl", line, Format::ArxivJsonl, true)
        .unwrap();
    assert_eq!((r.added, r.merged), (0, 1));
    let p = t.find("2201.12288").unwrap();
    assert_eq!(p.title.as_deref(), Some("Deep Reasoning"));
    assert_eq!(p.citation_key.as_deref(), Some("arxiv2201.12288"), "pinned");
    assert_eq!(
        t.find("arxiv2201.12288").unwrap().id,
        p.id,
        "findable by key"
    );

    // Only an explicit regeneration changes it.
    let changed = t
        .regenerate_citation_keys(&["2201.12288".to_string()])
        .unwrap();
    assert_eq!(
        changed,
        vec![(
            p.id,
            Some("arxiv2201.12288".to_string()),
            "lovelace2022deep".to_string()
        )]
    );
    t.import_sample().unwrap();
    assert_eq!(
        t.find("2201.12288").unwrap().citation_key.as_deref(),
        Some("lovelace2022deep"),
        "re-import keeps the new key"
    );
}

#[test]
fn clashing_keys_get_suffixes_and_a_new_pattern_applies_to_new_papers_only() {
    let t = util::library();
    let rec = |id: &str, title: &str| {
        format!(
            r#"{{"id": "{id}", "title": "{title}", "authors": "Jane Smith", "authors_parsed": [["Smith", "Jane", ""]], "categories": "cs.LG", "abstract": "a"}}"#
        )
    };
    let text = [
        rec("2001.00001", "Deep nets"),
        rec("2001.00002", "Deep trees"),
        rec("2001.00003", "Deep forests"),
    ]
    .join("\n");
    t.import_text("a.jsonl", &text, Format::ArxivJsonl, true)
        .unwrap();
    assert_eq!(
        keys(&t),
        ["smith2020deep", "smith2020deepa", "smith2020deepb"]
            .map(String::from)
            .into()
    );

    t.set_citation_key_pattern("[auth:upper]-[shorttitle2]")
        .unwrap();
    t.import_text(
        "b.jsonl",
        &rec("2001.00004", "Shallow nets"),
        Format::ArxivJsonl,
        true,
    )
    .unwrap();
    assert_eq!(
        t.find("2001.00004").unwrap().citation_key.as_deref(),
        Some("SMITH-shallownets")
    );
    assert_eq!(
        t.find("2001.00001").unwrap().citation_key.as_deref(),
        Some("smith2020deep"),
        "old keys untouched"
    );
    assert!(t
        .set_citation_key_pattern("auth + bogus")
        .unwrap_err()
        .to_string()
        .contains("unknown function"));

    // Manual keys: refused when taken (case-insensitively) or malformed.
    let id = t.find("2001.00004").unwrap().id;
    assert!(t
        .set_citation_key(id, "SMITH2020DEEP")
        .unwrap_err()
        .to_string()
        .contains("already used"));
    assert!(t.set_citation_key(id, "has space").is_err());
    assert_eq!(
        t.set_citation_key(id, "mine")
            .unwrap()
            .citation_key
            .as_deref(),
        Some("mine")
    );
}

#[test]
fn every_format_exports_the_sample_and_fixture_libraries() {
    for t in [util::sample_library(), fixture_library()] {
        let n = t.len().unwrap();
        let ks = keys(&t);
        // Every bundled style, the ones added after the golden files included.
        for format in ExportFormat::all() {
            for flavor in [Flavor::Text, Flavor::Html, Flavor::Markdown] {
                if flavor != Flavor::Text && !matches!(format, ExportFormat::Style(_)) {
                    continue;
                }
                let out = t
                    .export(&ExportOptions {
                        format: Some(format.clone()),
                        flavor,
                        ..ExportOptions::default()
                    })
                    .unwrap();
                let count = match &format {
                    ExportFormat::Bibtex | ExportFormat::Biblatex => {
                        out.matches("\n@").count() + usize::from(out.starts_with('@'))
                    }
                    ExportFormat::Ris => out.matches("ER  - ").count(),
                    ExportFormat::CslJson => serde_json::from_str::<Vec<serde_json::Value>>(&out)
                        .unwrap()
                        .len(),
                    ExportFormat::Style(_) => match flavor {
                        Flavor::Html => out.matches("<div class=\"csl-entry\"").count(),
                        Flavor::Text => out.lines().filter(|l| !l.trim().is_empty()).count(),
                        Flavor::Markdown => {
                            out.split("\n\n").filter(|l| !l.trim().is_empty()).count()
                        }
                    },
                };
                assert_eq!(
                    count,
                    n,
                    "{} as {flavor:?}: one reference per paper",
                    format.name()
                );
                if !matches!(format, ExportFormat::Style(_)) {
                    for k in &ks {
                        assert!(
                            out.contains(k.as_str()),
                            "{}: key {k} missing",
                            format.name()
                        );
                    }
                }
            }
        }
    }
}

/// The third-party `biblatex` crate reads our BibTeX and BibLaTeX back with every key and the
/// fields we wrote.
#[test]
fn biblatex_crate_reads_our_bib_files() {
    let t = fixture_library();
    let papers = t.papers(0, 0).unwrap();
    for format in [ExportFormat::Bibtex, ExportFormat::Biblatex] {
        let out = t.export(&opts(format.clone())).unwrap();
        let bib = biblatex::Bibliography::parse(&out)
            .unwrap_or_else(|e| panic!("{}: {e:?}", format.name()));
        assert_eq!(bib.len(), papers.len());
        for p in &papers {
            let key = p.citation_key.as_deref().unwrap();
            let e = bib.get(key).unwrap_or_else(|| panic!("{key} missing"));
            assert_eq!(e.eprint().unwrap(), *p.arxiv_id.as_ref().unwrap(), "{key}");
            assert_eq!(
                e.get_as::<String>("eprintclass")
                    .or_else(|_| e.get_as::<String>("primaryclass"))
                    .unwrap(),
                p.categories[0],
                "{key}"
            );
            let authors = e.author().unwrap();
            assert_eq!(authors.len(), p.authors.len(), "{key}: author count");
            for (a, b) in authors.iter().zip(&p.authors) {
                assert_eq!(
                    a.name, b.family,
                    "{key}: family names read back (accents decoded)"
                );
            }
            if let Some(doi) = &p.doi {
                assert_eq!(e.doi().unwrap(), *doi, "{key}");
            }
            let year = match e.date().unwrap() {
                biblatex::PermissiveType::Typed(d) => match d.value {
                    biblatex::DateValue::At(dt) => dt.year,
                    other => panic!("{key}: {other:?}"),
                },
                other => panic!("{key}: untyped date {other:?}"),
            };
            assert_eq!(Some(year), p.year, "{key}");
            // Title text survives escaping and brace protection (math kept verbatim).
            let title: String = e
                .title()
                .unwrap()
                .iter()
                .map(|c| c.v.get().to_string())
                .collect();
            let norm = |s: &str| {
                s.chars()
                    .filter(|c| c.is_alphanumeric())
                    .collect::<String>()
            };
            assert_eq!(
                norm(&title),
                norm(p.title.as_deref().unwrap()),
                "{key}: title"
            );
        }
    }
}

#[test]
fn bibtex_escapes_latex_and_unicode() {
    let t = fixture_library();
    let out = t
        .export(&ExportOptions {
            format: Some(ExportFormat::Bibtex),
            scope: Scope::Ids(vec!["0704.0001".into()]),
            ..ExportOptions::default()
        })
        .unwrap();
    assert!(
        out.contains("author = {Bal{\\'{a}}zs, C. and Berger, E. L. and"),
        "{out}"
    );
    assert!(out.contains("title = {Calculation of prompt diphoton production cross sections at Tevatron and LHC energies}") || out.contains("{LHC}"), "{out}");
    assert!(out.contains("doi = {10.1103/physrevd.76.013009}"), "{out}");
    assert!(
        out.is_ascii(),
        "BibTeX output is 7-bit when every character has a LaTeX spelling"
    );
    let out = t
        .export(&ExportOptions {
            format: Some(ExportFormat::Biblatex),
            scope: Scope::Ids(vec!["0704.0001".into()]),
            ..ExportOptions::default()
        })
        .unwrap();
    assert!(
        out.contains("author = {Balázs, C. and"),
        "BibLaTeX keeps UTF-8 for biber: {out}"
    );
}

#[test]
fn apa_gives_a_year_only_misc_its_year_without_a_stray_comma() {
    // #21 finding 11: "(2021,)." — the month-day part of APA's date printed its delimiter.
    let t = util::library();
    let bib = "@misc{x, title={A Misc Thing}, author={Doe, Jane}, year={2021}}\n\
               @misc{y, title={Dated}, author={Poe, E.}, date={2021-03-05}}\n";
    t.import_text("m.bib", bib, Format::Bibtex, true).unwrap();
    let apa = t.export(&opts(CslStyle::Apa.into())).unwrap();
    let lines: Vec<&str> = apa.lines().collect();
    assert_eq!(
        lines,
        [
            "Doe, J. (2021). A Misc Thing.",
            "Poe, E. (2021, March). Dated."
        ]
    );
}

#[test]
fn apa_and_ieee_render_a_known_reference() {
    let t = util::library();
    let line = r#"{"id": "1706.03762", "title": "Attention Is All You Need", "authors": "Ashish Vaswani, Noam Shazeer", "authors_parsed": [["Vaswani", "Ashish", ""], ["Shazeer", "Noam", ""]], "categories": "cs.CL cs.LG", "abstract": "x"}"#;
    t.import_text("v.jsonl", line, Format::ArxivJsonl, true)
        .unwrap();
    let apa = t.export(&opts(CslStyle::Apa.into())).unwrap();
    assert_eq!(apa.trim(), "Vaswani, A., & Shazeer, N. (2017). Attention Is All You Need (ArXiv:1706.03762). arXiv. https://arxiv.org/abs/1706.03762");
    let ieee = t.export(&opts(CslStyle::Ieee.into())).unwrap();
    assert!(
        ieee.starts_with("[1] A. Vaswani and N. Shazeer, "),
        "{ieee}"
    );
    let html = t
        .export(&ExportOptions {
            format: Some(CslStyle::Apa.into()),
            flavor: Flavor::Html,
            ..ExportOptions::default()
        })
        .unwrap();
    assert!(html.starts_with("<div class=\"csl-bib-body\">\n  <div class=\"csl-entry\">Vaswani, A., &#38; Shazeer, N. (2017). <i>Attention Is All You Need</i> (ArXiv:1706.03762). arXiv. "), "{html}");
    assert!(
        html.contains("<a href=\"https://arxiv.org/abs/1706.03762\">"),
        "{html}"
    );
    let md = t
        .export(&ExportOptions {
            format: Some(CslStyle::Apa.into()),
            flavor: Flavor::Markdown,
            ..ExportOptions::default()
        })
        .unwrap();
    assert!(md.starts_with("Vaswani, A., & Shazeer, N. (2017). *Attention Is All You Need* (ArXiv:1706.03762). arXiv. <https://arxiv.org/abs/1706.03762>"), "{md}");
}

#[test]
fn links_in_html_and_markdown_are_web_links_only_and_escaped() {
    let t = util::library();
    let items = r#"[
      {"id": "evil", "type": "article-journal", "title": "Evil", "author": [{"family": "Doe", "given": "Jane"}],
       "issued": {"date-parts": [[2020]]}, "URL": "javascript:alert(1)"},
      {"id": "quote", "type": "article-journal", "title": "Quote", "author": [{"family": "Roe", "given": "Kim"}],
       "issued": {"date-parts": [[2021]]}, "DOI": "10.1000/x\"onmouseover=\"alert(1)"}
    ]"#;
    t.import_text("hostile.json", items, Format::CslJson, true)
        .unwrap();
    let export = |flavor| {
        t.export(&ExportOptions {
            format: Some(CslStyle::Apa.into()),
            flavor,
            ..ExportOptions::default()
        })
        .unwrap()
    };
    let html = export(Flavor::Html);
    assert!(!html.contains("javascript:alert(1)\""), "{html}");
    assert!(!html.contains("href=\"javascript"), "{html}");
    assert!(
        html.contains("javascript:alert(1)"),
        "the text stays, as text: {html}"
    );
    // The tag holds one attribute: its only quotes are the two around the URL.
    let tag = &html[html.find("<a ").unwrap()..];
    let tag = &tag[..tag.find('>').unwrap()];
    assert_eq!(tag.matches('"').count(), 2, "{tag}");
    assert!(
        html.contains("<a href=\"https://doi.org/10.1000/x&#34;onmouseover=&#34;alert(1)\">"),
        "{html}"
    );
    let md = export(Flavor::Markdown);
    assert!(
        !md.contains("(javascript:") && !md.contains("<javascript:"),
        "{md}"
    );
    assert!(
        md.contains("<https://doi.org/10.1000/x\"onmouseover=\"alert(1)>"),
        "{md}"
    );
}

#[test]
fn scopes_select_papers_and_sorting_follows_keys_or_style() {
    let t = fixture_library();
    let a = t.find("0704.0001").unwrap();
    let b = t.find("0704.0002").unwrap();
    t.set_tags(a.id, &["diphoton".into()]).unwrap();
    t.set_collections(a.id, &["thesis".into()]).unwrap();
    t.set_collections(b.id, &["thesis".into()]).unwrap();
    let ids_of = |scope: Scope, sort: SortOrder| -> Vec<String> {
        let out = t
            .export(&ExportOptions {
                format: Some(ExportFormat::CslJson),
                scope,
                sort,
                ..ExportOptions::default()
            })
            .unwrap();
        serde_json::from_str::<Vec<serde_json::Value>>(&out)
            .unwrap()
            .iter()
            .map(|v| v["id"].as_str().unwrap().to_string())
            .collect()
    };
    let ka = a.citation_key.clone().unwrap();
    let kb = b.citation_key.clone().unwrap();
    assert_eq!(
        ids_of(Scope::Tag("diphoton".into()), SortOrder::CitationKey),
        vec![ka.clone()]
    );
    let mut both = vec![ka.clone(), kb.clone()];
    both.sort_by_key(|k| k.to_lowercase());
    assert_eq!(
        ids_of(Scope::Collection("thesis".into()), SortOrder::CitationKey),
        both
    );
    assert_eq!(
        ids_of(
            Scope::Ids(vec![kb.clone(), "0704.0001".into()]),
            SortOrder::Style
        ),
        vec![kb.clone(), ka.clone()],
        "ids in the order given"
    );
    let q = ids_of(Scope::Query("diphoton".into()), SortOrder::CitationKey);
    assert!(q.contains(&ka), "{q:?}");
    assert_eq!(ids_of(Scope::All, SortOrder::CitationKey).len(), 60);
    let keys: Vec<String> = ids_of(Scope::All, SortOrder::CitationKey);
    let mut sorted = keys.clone();
    sorted.sort_by_key(|k| k.to_lowercase());
    assert_eq!(keys, sorted);

    for (scope, needle) in [
        (Scope::Tag("nope".into()), "tag nope"),
        (Scope::Collection("nope".into()), "collection nope"),
        (Scope::Ids(vec!["9999.99999".into()]), "9999.99999"),
        (Scope::Topic("no such topic".into()), "no such topic"),
    ] {
        let e = t
            .export(&ExportOptions {
                format: Some(ExportFormat::Bibtex),
                scope,
                ..ExportOptions::default()
            })
            .unwrap_err();
        assert!(e.to_string().contains(needle), "{e}");
    }

    // IEEE numbers in scope order (library order) with --sort style, in key order otherwise.
    let ieee = |sort| {
        t.export(&ExportOptions {
            format: Some(CslStyle::Ieee.into()),
            sort,
            ..ExportOptions::default()
        })
        .unwrap()
    };
    let style_first = ieee(SortOrder::Style).lines().next().unwrap().to_string();
    let key_first = ieee(SortOrder::CitationKey)
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(
        style_first.starts_with("[1] C. Bal"),
        "first paper added comes first: {style_first}"
    );
    assert!(
        key_first.starts_with("[1] W. Abu-Shammala"),
        "first key comes first: {key_first}"
    );
}

#[test]
fn files_are_written_atomically_and_replaced_only_when_asked() {
    let t = fixture_library();
    let out_dir = tempfile::tempdir().unwrap();
    let path = out_dir.path().join("refs.bib");
    std::fs::write(&path, "my precious file").unwrap();
    let e = t
        .export_to_file(&opts(ExportFormat::Bibtex), &path, false)
        .unwrap_err();
    assert!(e.to_string().contains("--force"), "{e}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "my precious file",
        "untouched"
    );
    let r = t
        .export_to_file(&opts(ExportFormat::Bibtex), &path, true)
        .unwrap();
    assert_eq!(r.papers, 60);
    let written = std::fs::read_to_string(&path).unwrap();
    assert_eq!(written.len(), r.bytes);
    assert_eq!(written, t.export(&opts(ExportFormat::Bibtex)).unwrap());
    let names: Vec<_> = std::fs::read_dir(out_dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "no temporary file left behind: {names:?}");
    // A missing directory is a clear error naming the path.
    let e = t
        .export_to_file(
            &opts(ExportFormat::Ris),
            &out_dir.path().join("no/such/dir/x.ris"),
            false,
        )
        .unwrap_err();
    assert!(e.to_string().contains("no/such/dir"), "{e}");
}

#[test]
fn topic_scope_exports_exactly_the_topics_papers() {
    let t = util::sample_library();
    let topics = util::topics_listed(&t);
    let leaf = topics
        .iter()
        .find(|x| x.level == "leaf" && x.size >= 2)
        .expect("a leaf topic with papers");
    for reference in [leaf.id.to_string(), leaf.label.to_uppercase()] {
        let bib = t
            .export(&ExportOptions {
                format: Some(ExportFormat::Bibtex),
                scope: Scope::Topic(reference),
                ..ExportOptions::default()
            })
            .unwrap();
        let entries = bib.lines().filter(|l| l.starts_with('@')).count();
        assert_eq!(entries, leaf.papers.len(), "{bib}");
        for id in &leaf.papers {
            let key = t
                .paper(*id)
                .unwrap()
                .citation_key
                .expect("exported papers have keys");
            assert!(bib.contains(&format!("{{{key},")), "{key} missing");
        }
    }
}

#[test]
fn styled_exports_read_the_same_from_the_reference_cache_as_rendered() {
    let t = fixture_library();
    let n = t.len().unwrap();
    for style in CslStyle::ALL {
        for flavor in [Flavor::Text, Flavor::Html, Flavor::Markdown] {
            let o = ExportOptions {
                format: Some(style.into()),
                flavor,
                ..ExportOptions::default()
            };
            t.clear_reference_cache().unwrap();
            let rendered = t.export(&o).unwrap();
            let cached = t.export(&o).unwrap();
            assert_eq!(rendered, cached, "{style:?} {flavor:?}");
            let references = match flavor {
                Flavor::Html => rendered.matches("<div class=\"csl-entry\">").count(),
                _ => rendered.lines().filter(|l| !l.trim().is_empty()).count(),
            };
            assert_eq!(references, n, "{style:?} {flavor:?}");
        }
    }
}
