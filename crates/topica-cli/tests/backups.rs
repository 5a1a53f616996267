//! Backups from the command line: take one, list it, restore it over a changed library, and
//! refuse a file that is not a Topica library with its name and reason.

mod common;
use common::{cli, json};

use std::path::Path;

fn count(dir: &Path) -> u64 {
    json(&cli(dir, &["stats", "--json"]))["papers"]
        .as_u64()
        .unwrap()
}

#[test]
fn backup_list_and_restore() {
    let tmp = tempfile::tempdir().unwrap();
    let d = &tmp.path().join("lib");
    json(&cli(d, &["import-sample", "--json"]));
    let taken = json(&cli(d, &["backup", "--json"]));
    let path = taken["path"].as_str().unwrap().to_string();
    assert!(path.contains("backups"), "{path}");

    json(&cli(d, &["rm", "1", "2", "3", "--json"]));
    assert_eq!(count(d), 91);

    let listed = json(&cli(d, &["backup", "list", "--json"]));
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["path"], path.as_str());

    let restored = json(&cli(d, &["backup", "restore", &path, "--json"]));
    assert_eq!(restored["papers"], 94);
    assert_eq!(count(d), 94);
    assert_eq!(restored["previous"]["beforeRestore"], true);
    let hits = json(&cli(d, &["search", "\"speech enhancement\"", "--json"]));
    assert!(hits.as_array().unwrap().len() >= 2, "{hits}");

    let elsewhere = tmp.path().join("copy.sqlite");
    json(&cli(
        d,
        &["backup", "--to", elsewhere.to_str().unwrap(), "--json"],
    ));
    assert!(elsewhere.is_file());

    let bogus = tmp.path().join("bogus.sqlite");
    std::fs::write(&bogus, "no database here").unwrap();
    let out = cli(d, &["backup", "restore", bogus.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bogus.sqlite"), "{err}");
    assert_eq!(count(d), 94);
}
