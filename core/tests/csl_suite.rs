//! CSL rendering checked against the CSL test suite's expected outputs
//! (`tests/fixtures/csl-suite/`, the processor-tests cases on names, particles, dates, sorting
//! and case). Cases needing features outside a bibliography export (explicit citation
//! clusters with positions, bibliography sections) are counted as not applicable.

use std::collections::BTreeMap;

use citationberg::json::Item;
use topica_core::export::csl;

use crate::util;

/// Cases known to pass; the test fails if any of them stops passing.
const PASSING: &str = include_str!("../../tests/fixtures/csl-suite/PASSING");

struct Case {
    mode: String,
    result: String,
    csl: String,
    input: String,
    citation_items: Option<String>,
    unsupported: Option<&'static str>,
}

fn sections(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut rest = text;
    while let Some(start) = rest.find(">>==") {
        let after = &rest[start..];
        let line_end = after.find('\n').unwrap_or(after.len());
        let name = after[..line_end]
            .trim_matches(|c: char| c == '>' || c == '=' || c.is_whitespace())
            .to_string();
        let body_start = start + line_end + 1;
        let close = "<<=====";
        let Some(end_rel) = rest[body_start..].find(close) else {
            break;
        };
        out.insert(name, rest[body_start..body_start + end_rel].to_string());
        let after_close = &rest[body_start + end_rel..];
        rest = &after_close[after_close.find('\n').unwrap_or(after_close.len())..];
    }
    out
}

fn parse(text: &str) -> Case {
    let s = sections(text);
    let unsupported = if s.contains_key("CITATIONS") {
        Some("citation clusters with positions")
    } else if s.contains_key("BIBSECTION") || s.contains_key("BIBENTRIES") {
        Some("bibliography sections")
    } else {
        None
    };
    Case {
        mode: s
            .get("MODE")
            .map(|m| m.trim().to_string())
            .unwrap_or_default(),
        result: s.get("RESULT").cloned().unwrap_or_default(),
        csl: s.get("CSL").cloned().unwrap_or_default(),
        input: s.get("INPUT").cloned().unwrap_or_default(),
        citation_items: s.get("CITATION-ITEMS").cloned(),
        unsupported,
    }
}

/// Whitespace between tags is layout in the suite's expected HTML, not content.
fn squash(html: &str) -> String {
    html.trim()
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("")
}

/// Runs one case: Ok(true) pass, Ok(false) fail, Err(reason) not applicable.
fn run(case: &Case) -> Result<(bool, String, String), String> {
    if let Some(r) = case.unsupported {
        return Err(r.to_string());
    }
    let style = csl::parse_style(&case.csl).map_err(|e| e.to_string())?;
    let items: Vec<Item> = serde_json::from_str(&case.input).map_err(|e| format!("input: {e}"))?;
    let locales = csl::locales();
    match case.mode.as_str() {
        "bibliography" => {
            let refs = csl::render_references(&items, &style, locales, None, csl::Flavor::Html);
            let got = squash(&csl::join(&refs, csl::Flavor::Html));
            let want = squash(&case.result);
            Ok((got == want, got, want))
        }
        "citation" => {
            let cites: Vec<Vec<usize>> = match &case.citation_items {
                Some(ci) => {
                    let v: Vec<Vec<serde_json::Value>> =
                        serde_json::from_str(ci).map_err(|e| format!("citation-items: {e}"))?;
                    let mut cites = Vec::new();
                    for cluster in v {
                        let mut c = Vec::new();
                        for it in cluster {
                            if it.as_object().is_some_and(|o| o.keys().any(|k| k != "id")) {
                                return Err("citation items with locators/prefixes".into());
                            }
                            let id = it["id"]
                                .as_str()
                                .map(String::from)
                                .unwrap_or_else(|| it["id"].to_string());
                            c.push(
                                items
                                    .iter()
                                    .position(|i| i.id().as_deref() == Some(id.as_str()))
                                    .ok_or("unknown id")?,
                            );
                        }
                        cites.push(c);
                    }
                    cites
                }
                None => vec![(0..items.len()).collect()],
            };
            let got = csl::render_citations(&items, &cites, &style, locales).join("\n");
            let want = case.result.trim().replace("&#38;", "&");
            Ok((got.trim() == want, got, want))
        }
        other => Err(format!("mode {other}")),
    }
}

#[test]
fn csl_test_suite_cases() {
    let dir = util::fixture("csl-suite");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    names.sort();
    let (mut passed, mut failed, mut skipped) = (Vec::new(), Vec::new(), Vec::new());
    for path in &names {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let case = parse(&std::fs::read_to_string(path).unwrap());
        // A processor panic on an odd case is a failed case, not a crashed suite.
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(&case)))
            .unwrap_or_else(|_| Ok((false, "(panic in the CSL processor)".into(), String::new())));
        match outcome {
            Ok((true, _, _)) => passed.push(name),
            Ok((false, got, want)) => {
                eprintln!("FAIL {name}\n  want: {want}\n  got:  {got}");
                failed.push(name)
            }
            Err(why) => {
                eprintln!("n/a  {name}: {why}");
                skipped.push(name)
            }
        }
    }
    println!(
        "CSL test suite: {} of {} applicable cases pass ({} cases, {} not applicable)",
        passed.len(),
        passed.len() + failed.len(),
        names.len(),
        skipped.len()
    );
    let expected: Vec<&str> = PASSING
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    for e in &expected {
        assert!(
            passed.iter().any(|p| p == e),
            "{e} is listed as passing but did not pass"
        );
    }
    assert_eq!(
        passed.len(),
        expected.len(),
        "a case passes that PASSING does not list: update it"
    );
}
