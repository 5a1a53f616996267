//! Keep-updated exports: written when bound, rewritten when what they hold changes (and only
//! then), failures recorded without stopping the others, and the binding kept in the library.

use topica_core::export::{ExportFormat, ExportOptions, Scope};
use topica_core::AutoScope;

use crate::util;

fn read(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn a_bound_file_follows_changes_and_undo_and_is_not_rewritten_for_nothing() {
    let t = util::sample_library();
    let out = tempfile::tempdir().unwrap();
    let bib = out.path().join("refs.bib");
    let added = t
        .add_auto_export(&bib, "bibtex", AutoScope::Tag("tocite".into()), false)
        .unwrap();
    assert_eq!(added.path, bib.display().to_string());
    assert_eq!(
        read(&bib),
        "",
        "a tag no paper carries yet: an empty bibliography"
    );

    let p = t.find("2302.14748").unwrap();
    t.tag_papers(&[p.id], "tocite", true).unwrap();
    assert!(t
        .refresh_auto_exports()
        .unwrap()
        .iter()
        .all(|e| e.error.is_none()));
    let want = t
        .export(&ExportOptions {
            format: Some(ExportFormat::Bibtex),
            scope: Scope::Tag("tocite".into()),
            ..ExportOptions::default()
        })
        .unwrap();
    assert_eq!(read(&bib), want);
    assert!(want.starts_with('@'));

    // Nothing changed: nothing is looked at, the file is not touched.
    let before = std::fs::metadata(&bib).unwrap().modified().unwrap();
    assert!(t.refresh_auto_exports().unwrap().is_empty());
    // A change elsewhere in the library renders the export again, but the same bytes are not
    // written again (a LaTeX build watching the file does not rerun).
    let other = t.find("2201.12288").unwrap();
    t.set_notes(other.id, "a note").unwrap();
    let looked = t.refresh_auto_exports().unwrap();
    assert_eq!(looked.len(), 1);
    assert_eq!(std::fs::metadata(&bib).unwrap().modified().unwrap(), before);

    t.undo().unwrap(); // the note
    t.undo().unwrap(); // the tag
    t.refresh_auto_exports().unwrap();
    assert_eq!(read(&bib), "");
}

#[test]
fn a_failure_is_recorded_leaves_the_others_going_and_clears_when_it_heals() {
    let t = util::sample_library();
    let out = tempfile::tempdir().unwrap();
    let sub = out.path().join("paper");
    std::fs::create_dir(&sub).unwrap();
    let gone = sub.join("refs.bib");
    let kept = out.path().join("all.json");
    t.add_auto_export(&gone, "biblatex", AutoScope::All, false)
        .unwrap();
    t.add_auto_export(&kept, "csl-json", AutoScope::Query("speech".into()), false)
        .unwrap();
    std::fs::remove_dir_all(&sub).unwrap();

    let p = t.find("2302.14748").unwrap();
    t.set_flags(p.id, None, Some(true)).unwrap();
    let looked = t.refresh_auto_exports().unwrap();
    let failed = looked
        .iter()
        .find(|e| e.path.ends_with("refs.bib"))
        .unwrap();
    let error = failed.error.as_deref().unwrap();
    assert!(
        error.starts_with(&format!("{}: cannot write", sub.display())),
        "{error}"
    );
    assert!(looked
        .iter()
        .any(|e| e.path.ends_with("all.json") && e.error.is_none()));
    let items: serde_json::Value = serde_json::from_str(&read(&kept)).unwrap();
    assert!(!items.as_array().unwrap().is_empty());
    // The list keeps the error until an attempt succeeds.
    let listed = t.auto_exports().unwrap();
    assert!(listed.iter().any(|e| e.error.is_some()));

    std::fs::create_dir(&sub).unwrap();
    t.set_flags(p.id, None, Some(false)).unwrap();
    t.refresh_auto_exports().unwrap();
    assert!(t.auto_exports().unwrap().iter().all(|e| e.error.is_none()));
    assert!(read(&gone).contains("@"));
}

#[test]
fn binding_refuses_a_bad_format_an_unknown_scope_and_a_file_it_would_replace_unasked() {
    let t = util::sample_library();
    let out = tempfile::tempdir().unwrap();
    let bib = out.path().join("refs.bib");
    let e = t
        .add_auto_export(&bib, "no-such-style", AutoScope::All, false)
        .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("unknown export format \"no-such-style\""),
        "{e}"
    );
    let e = t
        .add_auto_export(&bib, "bibtex", AutoScope::Collection("nope".into()), false)
        .unwrap_err();
    assert!(e.to_string().contains("collection nope"), "{e}");
    assert!(!bib.exists());
    assert!(
        t.auto_exports().unwrap().is_empty(),
        "a failed binding binds nothing"
    );

    std::fs::write(&bib, "my own file\n").unwrap();
    let e = t
        .add_auto_export(&bib, "bibtex", AutoScope::All, false)
        .unwrap_err();
    assert!(e.to_string().contains("pass --force"), "{e}");
    assert_eq!(read(&bib), "my own file\n");
    t.add_auto_export(&bib, "bibtex", AutoScope::All, true)
        .unwrap();
    assert!(read(&bib).starts_with('@'));

    // Removed: the file stays, and follows the library no more.
    t.remove_auto_export(&bib).unwrap();
    let frozen = read(&bib);
    let p = t.find("2302.14748").unwrap();
    t.trash(&[p.id]).unwrap();
    t.refresh_auto_exports().unwrap();
    assert_eq!(read(&bib), frozen);
    assert!(t.remove_auto_export(&bib).is_err());
}

#[test]
fn a_saved_search_binding_follows_the_saved_query() {
    let t = util::sample_library();
    let out = tempfile::tempdir().unwrap();
    let bib = out.path().join("saved.bib");
    t.save_search("speech", "speech").unwrap();
    t.add_auto_export(&bib, "bibtex", AutoScope::Saved("speech".into()), false)
        .unwrap();
    let speech = read(&bib).matches("\n@").count() + 1;
    t.save_search("speech", "speech enhancement").unwrap();
    t.refresh_auto_exports().unwrap();
    let narrower = read(&bib).matches("\n@").count() + 1;
    assert!(narrower < speech, "{narrower} < {speech}");
}

/// Issue #20: a style added to the library keeps a file of references updated, and removing
/// the style is that export's recorded error (the file stays as it was).
#[test]
fn an_added_style_keeps_references_updated() {
    let t = util::sample_library();
    t.add_style(&util::fixture("styles/american-chemical-society.csl"))
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let txt = out.path().join("refs.txt");
    let e = t
        .add_auto_export(&txt, "american-chemical-society", AutoScope::All, false)
        .unwrap();
    assert_eq!(e.format, "american-chemical-society");
    let before = read(&txt);
    assert_eq!(before.lines().count(), t.len().unwrap());
    assert!(before.starts_with("(1) "), "{before}");

    let id = t.papers(0, 1).unwrap()[0].id;
    t.trash(&[id]).unwrap();
    t.refresh_auto_exports().unwrap();
    assert_eq!(read(&txt).lines().count(), t.len().unwrap());

    t.remove_style("american-chemical-society").unwrap();
    let kept = read(&txt);
    t.restore(&[id]).unwrap();
    let looked = t.refresh_auto_exports().unwrap();
    assert!(
        looked[0]
            .error
            .as_deref()
            .is_some_and(|e| e.contains("american-chemical-society")),
        "{looked:?}"
    );
    assert_eq!(read(&txt), kept);
}
