//! A Zotero library from the command line: `import` takes its data folder (detected, no
//! --format), `--json` reports what came in and the item in Zotero's trash it left out, and the
//! paper arrives with its collection path, tag, note and citation key. The zotero.sqlite is
//! built from tests/fixtures/zotero/small-library.sql with Python's sqlite3 (the CLI does not
//! link SQLite itself).

mod common;
use common::{cli, json};

use std::path::Path;
use std::process::Command;

#[test]
fn import_a_zotero_data_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let zotero = tmp.path().join("Zotero");
    std::fs::create_dir(&zotero).unwrap();
    let sql =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/zotero/small-library.sql");
    let made = Command::new("python3")
        .args([
            "-c",
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.executescript(open(sys.argv[2]).read()); c.commit()",
        ])
        .arg(zotero.join("zotero.sqlite"))
        .arg(&sql)
        .status()
        .unwrap();
    assert!(made.success());
    let lib = tmp.path().join("lib");

    let report = json(&cli(&lib, &["import", zotero.to_str().unwrap(), "--json"]));
    assert_eq!(report["added"], 1, "{report}");
    let skipped = report["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{report}");
    assert!(
        skipped[0]["reason"].as_str().unwrap().contains("trash"),
        "{report}"
    );

    let paper = json(&cli(&lib, &["show", "doe2019deep", "--json"]));
    assert_eq!(paper["title"], "Deep Zotero");
    assert_eq!(paper["collections"][0], "Top/Sub");
    assert_eq!(paper["tags"][0], "ml");
    assert_eq!(paper["notes"], "Read this & that");
    assert_eq!(paper["doi"], "10.1000/xyz");

    // Again: merged into the same paper, nothing added.
    let again = json(&cli(&lib, &["import", zotero.to_str().unwrap(), "--json"]));
    assert_eq!(
        (again["added"].as_u64(), again["merged"].as_u64()),
        (Some(0), Some(1))
    );
}

#[test]
fn a_topica_library_given_to_import_is_named_as_one() {
    let tmp = tempfile::tempdir().unwrap();
    let other = tmp.path().join("other");
    json(&cli(&other, &["import-sample", "--json"]));
    let lib = tmp.path().join("lib");
    let out = cli(
        &lib,
        &["import", other.join("library.sqlite").to_str().unwrap()],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("this is a Topica library, not Zotero's"),
        "{err}"
    );
    assert!(err.contains("library.sqlite"), "{err}");
}
