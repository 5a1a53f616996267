//! The CLI's management commands as a script drives them: delete, list the trash, undo across
//! separate processes (the undo log is in the database), edit with a refused value, and paste
//! BibTeX on stdin.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn cli(dir: &std::path::Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_topica-cli"))
        .arg("--library")
        .arg(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn delete_undo_edit_and_paste_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    json(&cli(d, &["import-sample", "--json"], None));
    let moved = json(&cli(d, &["rm", "2302.14748", "2212.11851", "--json"], None));
    assert_eq!(moved["ids"].as_array().unwrap().len(), 2);
    let trash = json(&cli(d, &["trash", "--json"], None));
    assert_eq!(trash.as_array().unwrap().len(), 2);
    let stats = json(&cli(d, &["stats", "--json"], None));
    assert_eq!(
        (stats["papers"].as_u64(), stats["trashed"].as_u64()),
        (Some(92), Some(2))
    );

    let undone = json(&cli(d, &["undo", "--json"], None));
    assert_eq!(undone["label"], "Delete 2 papers");
    assert_eq!(undone["history"]["redo"], "Delete 2 papers");
    assert_eq!(json(&cli(d, &["stats", "--json"], None))["papers"], 94);

    let refused = cli(d, &["edit", "2302.14748", "--set", "year=20x1"], None);
    assert!(!refused.status.success());
    assert_eq!(
        String::from_utf8_lossy(&refused.stderr).trim(),
        "topica-cli: year: \"20x1\" is not a year"
    );
    let edited = json(&cli(
        d,
        &[
            "edit",
            "2302.14748",
            "--set",
            "title=Edited by a script",
            "--json",
        ],
        None,
    ));
    assert_eq!(edited["title"], "Edited by a script");
    assert_eq!(edited["edited"], serde_json::json!(["title"]));

    let pasted = json(&cli(
        d,
        &["add", "-", "--json"],
        Some("@article{a, title={Pasted Paper}, author={Doe, Jane}, year={2020}}\n@article{b, title=}\n"),
    ));
    assert_eq!(pasted["format"], "bibtex");
    assert_eq!(pasted["import"]["added"], 1);
    assert_eq!(pasted["import"]["skipped"][0]["line"], 2);

    let nothing = cli(d, &["add", "not-an-id"], None);
    assert!(!nothing.status.success());
    assert!(String::from_utf8_lossy(&nothing.stderr)
        .contains("not added: not-an-id: not an arXiv id or a DOI"));
}

#[test]
fn duplicates_merge_and_not_duplicates_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let bib = "@article{a2019, title = {Graph attention networks for molecules}, author = {Veli, Petar and Cucurull, Guillem}, year = {2019}}\n\
               @article{b2019, title = {Graph attention network for molecules}, author = {Cucurull, Guillem and Veli, Petar}, year = {2019}, volume = {7}}\n\
               @article{c2020, title = {Graph attention networks for molecule}, author = {Veli, Petar}, year = {2020}}\n";
    json(&cli(d, &["add", "-", "--json"], Some(bib)));
    let groups = json(&cli(d, &["duplicates", "--json"], None));
    let groups = groups.as_array().unwrap();
    assert_eq!(groups.len(), 1, "{groups:?}");
    assert_eq!(groups[0]["ids"].as_array().unwrap().len(), 3);

    let refused = cli(d, &["merge", "a2019", "b2019", "--take", "volume"], None);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--take expects FIELD=REF"));

    let merged = json(&cli(
        d,
        &["merge", "a2019", "b2019", "--take", "title=b2019", "--json"],
        None,
    ));
    assert_eq!(merged["merged"].as_array().unwrap().len(), 1);
    let shown = json(&cli(d, &["show", "b2019", "--json"], None));
    assert_eq!(
        shown["citationKey"], "a2019",
        "the old key finds the merged paper"
    );
    assert_eq!(shown["title"], "Graph attention network for molecules");
    assert_eq!(shown["volume"], "7");

    let marked = json(&cli(
        d,
        &["not-duplicates", "a2019", "c2020", "--json"],
        None,
    ));
    assert_eq!(marked["marked"], 1);
    assert_eq!(
        json(&cli(d, &["duplicates", "--json"], None)),
        serde_json::json!([])
    );
    // Separate processes: the undo log is in the database.
    assert_eq!(
        json(&cli(d, &["undo", "--json"], None))["label"],
        "Not duplicates (2 papers)"
    );
    assert_eq!(
        json(&cli(d, &["undo", "--json"], None))["label"],
        "Merge 2 papers"
    );
    let groups = json(&cli(d, &["duplicates", "--json"], None));
    assert_eq!(groups[0]["ids"].as_array().unwrap().len(), 3);
}

/// A keep-updated export set up from the command line is up to date when each later command
/// that changes the library exits, and `auto-export list` says when it was written.
#[test]
fn every_changing_command_brings_keep_updated_exports_up_to_date_before_it_exits() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = tempfile::tempdir().unwrap();
    let bib = out.path().join("thesis.bib");
    let bib_arg = bib.to_str().unwrap();
    let entries = || {
        std::fs::read_to_string(&bib)
            .unwrap()
            .lines()
            .filter(|l| l.starts_with('@'))
            .count()
    };
    let add = [
        "auto-export",
        "add",
        "--format",
        "biblatex",
        "-o",
        bib_arg,
        "--collection",
        "thesis",
        "--json",
    ];
    json(&cli(d, &["import-sample", "--json"], None));
    // No such collection yet: refused, nothing bound, no file.
    let refused = cli(d, &add, None);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("collection thesis"));
    assert!(!bib.exists());

    json(&cli(
        d,
        &["collection", "put", "thesis", "2302.14748", "--json"],
        None,
    ));
    let added = json(&cli(d, &add, None));
    assert_eq!(added["path"], bib_arg);
    assert_eq!(
        added["scope"],
        serde_json::json!({"kind": "collection", "value": "thesis"})
    );
    assert_eq!(entries(), 1);

    json(&cli(
        d,
        &["collection", "put", "thesis", "2201.12288", "--json"],
        None,
    ));
    assert_eq!(entries(), 2, "rewritten when the put exited");
    json(&cli(d, &["undo", "--json"], None));
    assert_eq!(entries(), 1, "and after the undo");

    let listed = json(&cli(d, &["auto-export", "list", "--json"], None));
    assert_eq!(listed[0]["path"], bib_arg);
    assert_eq!(listed[0]["format"], "biblatex");
    assert!(listed[0]["writtenAt"].as_str().unwrap().ends_with('Z'));
    assert!(listed[0]["error"].is_null());

    let removed = cli(d, &["auto-export", "rm", bib_arg], None);
    assert!(removed.status.success());
    let listed = json(&cli(d, &["auto-export", "list", "--json"], None));
    assert!(listed.as_array().unwrap().is_empty());
}
