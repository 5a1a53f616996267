//! Golden output of formatted references: every style Topica ships, as text, HTML and
//! Markdown, over varied items, compared byte for byte with `tests/fixtures/csl-golden/`.
//!
//! The expected files were written by the crates.io hayagriva 0.10.1, before Topica vendored
//! it (`vendor/hayagriva`) to make it faster: this test is what holds the vendored copy to the
//! same output. Regenerate them only for a change meant to alter output, with
//! `TOPICA_BLESS_GOLDEN=1 cargo test -p topica-core --locked csl_golden`, and say so.
//!
//! Three sets:
//! - `library-*`: the arXiv fixtures (300 papers: the first 60 are among the 300) imported into a library and exported, which
//!   goes through the run planning and the reference cache as a real export does;
//! - `suite-*`: every item of the CSL test suite's inputs that citationberg reads, without date ranges (1,800 items of every type, names,
//!   dates, particles), one bibliography per suite case, and its citation (all items cited
//!   together);
//! - `ambiguous-*`: one run of 150 items sharing few authors and years, so the styles add
//!   initials, given names and year suffixes.

use std::path::PathBuf;

use citationberg::json::Item;
use rayon::prelude::*;
use topica_core::export::{csl, CslStyle, ExportOptions, Flavor};

/// The styles with golden files: the five bundled when hayagriva was vendored, whose expected
/// output the unmodified crate wrote. Styles bundled later are checked by `csl_styles.rs`.
const GOLDEN: [CslStyle; 5] = [
    CslStyle::Apa,
    CslStyle::Ieee,
    CslStyle::ChicagoAuthorDate,
    CslStyle::Mla,
    CslStyle::Nature,
];
use topica_core::ImportOptions;

use crate::util;

const FLAVORS: [(Flavor, &str); 3] = [
    (Flavor::Text, "txt"),
    (Flavor::Html, "html"),
    (Flavor::Markdown, "md"),
];

fn golden_dir() -> PathBuf {
    util::fixture("csl-golden")
}

/// Compares `got` with the expected file `name` (or writes it when blessing). Returns a
/// description of the difference, if any.
fn check(name: &str, got: &str) -> Option<String> {
    let path = golden_dir().join(name);
    if std::env::var_os("TOPICA_BLESS_GOLDEN").is_some() {
        std::fs::create_dir_all(golden_dir()).unwrap();
        std::fs::write(&path, got).unwrap();
        return None;
    }
    let want = match std::fs::read_to_string(&path) {
        Ok(w) => w,
        Err(e) => return Some(format!("{name}: cannot read {}: {e}", path.display())),
    };
    if want == got {
        return None;
    }
    let line = want
        .lines()
        .zip(got.lines())
        .position(|(w, g)| w != g)
        .unwrap_or_else(|| want.lines().count().min(got.lines().count()));
    Some(format!(
        "{name} differs first at line {}:\n  want: {:?}\n  got:  {:?}",
        line + 1,
        want.lines().nth(line).unwrap_or("<end>"),
        got.lines().nth(line).unwrap_or("<end>"),
    ))
}

fn assert_all(failures: Vec<Option<String>>) {
    let failures: Vec<String> = failures.into_iter().flatten().collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn csl_golden_library_exports() {
    let t = util::library();
    t.import_files(
        &[
            util::fixture("export/arxiv-first60.jsonl"),
            util::fixture("arxiv/arxiv-metadata-sample-300.jsonl"),
        ],
        &ImportOptions::default(),
    )
    .unwrap();
    let papers = t.papers(0, 0).unwrap().len();
    assert_eq!(papers, 300);
    let mut results = Vec::new();
    for style in GOLDEN {
        for (flavor, ext) in FLAVORS {
            let opts = ExportOptions {
                format: Some(style.into()),
                flavor,
                ..ExportOptions::default()
            };
            t.clear_reference_cache().unwrap();
            let out = t.export(&opts).unwrap();
            // Not vacuous: every paper is there.
            let entries = match flavor {
                Flavor::Html => out.matches("<div class=\"csl-entry\">").count(),
                Flavor::Text => out.lines().count(),
                Flavor::Markdown => out.split("\n\n").count(),
            };
            assert_eq!(entries, papers, "{style:?} {flavor:?}");
            results.push(check(&format!("library-{}.{ext}", style.name()), &out));
        }
    }
    assert_all(results);
}

/// The CSL test suite's inputs: (case name, items).
fn suite_cases() -> Vec<(String, Vec<Item>)> {
    let text =
        std::fs::read_to_string(util::fixture("csl_json/test-suite_all_humans_inputs.jsonl"))
            .unwrap();
    text.lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let name = v["test"].as_str().unwrap().to_string();
            // Items citationberg cannot read (a few odd dates and values) and items with date
            // ranges (hayagriva panics: "ranges are not supported") are left out.
            let items: Vec<Item> = v["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|i| !has_date_range(i))
                .filter_map(|i| serde_json::from_value(i.clone()).ok())
                .collect();
            (name, items)
        })
        .filter(|(_, items)| !items.is_empty())
        .collect()
}

fn has_date_range(item: &serde_json::Value) -> bool {
    item.as_object().unwrap().values().any(|v| {
        v.get("date-parts")
            .and_then(|p| p.as_array())
            .is_some_and(|p| p.len() > 1)
    })
}

#[test]
fn csl_golden_suite_items() {
    let cases = suite_cases();
    assert_eq!(cases.len(), 843);
    assert_eq!(cases.iter().map(|(_, i)| i.len()).sum::<usize>(), 1800);
    let mut results = Vec::new();
    for style in GOLDEN {
        for (flavor, ext) in FLAVORS {
            // hayagriva panics on a few cases (an index out of bounds while disambiguating):
            // that is recorded too.
            let parts: Vec<String> = cases
                .par_iter()
                .map(|(name, items)| {
                    let out = std::panic::catch_unwind(|| {
                        let refs = csl::render_references(
                            items,
                            style.style(),
                            csl::locales(),
                            None,
                            flavor,
                        );
                        csl::join(&refs, flavor)
                    })
                    .unwrap_or_else(|_| "<hayagriva panicked>\n".to_string());
                    format!("## {name}\n{out}")
                })
                .collect();
            let out = parts.concat();
            assert!(out.len() > 50_000, "{style:?} {flavor:?}: {}", out.len());
            results.push(check(&format!("suite-{}.{ext}", style.name()), &out));
        }
        // Citations: each case's items cited together.
        let parts: Vec<String> = cases
            .par_iter()
            .map(|(name, items)| {
                let cites = vec![(0..items.len()).collect::<Vec<_>>()];
                let c = std::panic::catch_unwind(|| {
                    csl::render_citations(items, &cites, style.style(), csl::locales()).join("\n")
                })
                .unwrap_or_else(|_| "<hayagriva panicked>".to_string());
                format!("## {name}\n{c}\n")
            })
            .collect();
        results.push(check(
            &format!("suite-citations-{}.txt", style.name()),
            &parts.concat(),
        ));
    }
    assert_all(results);
}

/// 150 items over five family names (two sharing initials), four years and three types.
fn ambiguous_items() -> Vec<Item> {
    let families = ["Smith", "Müller", "Smith", "Zhou", "Beek"];
    let givens = ["Jan", "John", "Jane", "Kim", "Karl"];
    let types = ["article-journal", "book", "chapter", "paper-conference"];
    (0..150)
        .map(|i| {
            let mut author = serde_json::json!({
                "family": families[i % 5],
                "given": givens[(i / 5) % 5],
            });
            if families[i % 5] == "Beek" {
                author["non-dropping-particle"] = "van".into();
            }
            let mut authors = vec![author];
            if i % 3 == 0 {
                authors.push(serde_json::json!({"family": "Other", "given": "Ola"}));
            }
            let mut v = serde_json::json!({
                "id": format!("k{i}"),
                "type": types[i % 4],
                "title": format!("On the study of things, part {}", i % 7),
                "author": authors,
                "issued": {"date-parts": [[2000 + (i / 11 % 4) as i64, 1 + (i % 12) as i64]]},
                "container-title": "Journal of Things",
                "publisher": "Press",
                "page": format!("{}-{}", i, i + 9),
                "volume": format!("{}", i % 9),
            });
            if i % 4 == 0 {
                v["DOI"] = format!("10.1000/x{i}").into();
            }
            serde_json::from_value(v).unwrap()
        })
        .collect()
}

#[test]
fn csl_golden_ambiguous_run() {
    let items = ambiguous_items();
    let mut results = Vec::new();
    for style in GOLDEN {
        for (flavor, ext) in FLAVORS {
            let refs =
                csl::render_run(items.iter(), style.style(), csl::locales(), None, flavor, 0);
            assert_eq!(refs.len(), items.len());
            results.push(check(
                &format!("ambiguous-{}.{ext}", style.name()),
                &csl::join(&refs, flavor),
            ));
        }
        let cites: Vec<Vec<usize>> = (0..items.len()).map(|i| vec![i]).collect();
        let c = csl::render_citations(&items, &cites, style.style(), csl::locales());
        results.push(check(
            &format!("ambiguous-citations-{}.txt", style.name()),
            &(c.join("\n") + "\n"),
        ));
    }
    assert_all(results);
}
