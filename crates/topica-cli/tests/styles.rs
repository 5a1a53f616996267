//! `topica-cli styles add|list|rm` and `export --format <added style|.csl path> --locale`, as
//! a script runs them (separate processes: the styles live in the library's database).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn cli(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_topica-cli"))
        .arg("--library")
        .arg(dir)
        .args(args)
        .output()
        .unwrap()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(rel)
}

#[test]
fn add_list_export_and_remove_a_style() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let first60 = fixture("export/arxiv-first60.jsonl");
    ok(&cli(d, &["import", first60.to_str().unwrap()]));
    let acs = fixture("styles/american-chemical-society.csl");
    let added: serde_json::Value = serde_json::from_str(&ok(&cli(
        d,
        &["styles", "add", acs.to_str().unwrap(), "--json"],
    )))
    .unwrap();
    assert_eq!(added["name"], "american-chemical-society");

    let list: serde_json::Value =
        serde_json::from_str(&ok(&cli(d, &["styles", "list", "--json"]))).unwrap();
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    for want in [
        "apa",
        "chicago-notes",
        "harvard",
        "vancouver",
        "acm",
        "acl",
        "springer",
    ] {
        assert!(names.contains(&want), "{want} in {names:?}");
    }
    assert_eq!(names.last(), Some(&"american-chemical-society"));

    let by_name = ok(&cli(
        d,
        &["export", "--format", "american-chemical-society"],
    ));
    assert_eq!(by_name.lines().count(), 60);
    assert!(by_name.starts_with("(1) "), "{by_name}");
    let by_path = ok(&cli(d, &["export", "--format", acs.to_str().unwrap()]));
    assert_eq!(by_path, by_name);

    let de = ok(&cli(
        d,
        &["export", "--format", "harvard", "--locale", "de-DE"],
    ));
    assert!(de.contains("Verfügbar unter:"), "{de}");
    let unknown = cli(d, &["export", "--format", "apa", "--locale", "tlh"]);
    assert!(!unknown.status.success());
    let err = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        err.contains("unknown locale \"tlh\"") && err.contains("en-GB"),
        "{err}"
    );

    ok(&cli(d, &["styles", "rm", "american-chemical-society"]));
    let gone = cli(d, &["export", "--format", "american-chemical-society"]);
    assert!(!gone.status.success());
}

#[test]
fn a_broken_style_names_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csl");
    std::fs::write(
        &bad,
        "<?xml version=\"1.0\"?>\n<style>\n  <info>\n  </style>\n",
    )
    .unwrap();
    let out = cli(
        &dir.path().join("lib"),
        &["styles", "add", bad.to_str().unwrap()],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.csl, line 4, column"), "{err}");
}
