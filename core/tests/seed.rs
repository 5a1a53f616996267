//! The embedded sample library: its quirks, duplicate merging and idempotent re-import.

use crate::util;

#[test]
fn sample_holds_94_papers_and_reimport_changes_nothing() {
    let t = util::library();
    let first = t.import_sample().unwrap();
    // 95 rows: 2201.12288 and 2201.12288v2 are one paper.
    assert_eq!((first.added, first.merged, first.duplicates), (94, 0, 1));
    assert_eq!(t.len().unwrap(), 94);

    let p = t.find("2201.12288").unwrap();
    assert_eq!(
        p.arxiv_version,
        Some(2),
        "the versioned duplicate is merged and its version kept"
    );
    assert_eq!(
        (p.year, p.month),
        (Some(2022), Some(1)),
        "date derived from the id"
    );
    t.set_notes(p.id, "my note").unwrap();
    t.set_tags(p.id, &["reasoning".to_string()]).unwrap();
    t.set_flags(p.id, Some(true), Some(true)).unwrap();
    let before = t.find("2201.12288").unwrap();

    let second = t.import_sample().unwrap();
    assert_eq!(
        (second.added, second.merged, second.skipped.len()),
        (0, 94, 0)
    );
    assert_eq!(t.len().unwrap(), 94);
    assert_eq!(
        t.find("2201.12288").unwrap(),
        before,
        "re-import leaves user fields and everything else alone"
    );
}

#[test]
fn seed_quirks_are_repaired() {
    let t = util::sample_library();
    let p = t.find("2409.04599").unwrap();
    let a = p.abstract_text.unwrap();
    assert!(a.starts_with("Language models can largely benefit"), "{a}");
    assert!(!a.contains('†'));
}
