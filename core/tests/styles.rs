//! Citation styles a user adds: a valid file, a broken one (its line), a dependent style
//! resolved to its bundled parent, removal, and exports with an added style and a locale.

use topica_core::export::{CslStyle, ExportOptions, Flavor};
use topica_core::{Error, ImportOptions};

use crate::util;

fn library() -> util::TestLibrary {
    let t = util::library();
    t.import_files(
        &[util::fixture("export/arxiv-first60.jsonl")],
        &ImportOptions::default(),
    )
    .unwrap();
    t
}

fn export(
    t: &util::TestLibrary,
    format: &str,
    locale: Option<&str>,
) -> topica_core::Result<String> {
    t.export(&ExportOptions {
        format: Some(t.export_format(format)?),
        flavor: Flavor::Text,
        locale: locale.map(String::from),
        ..ExportOptions::default()
    })
}

#[test]
fn an_added_style_is_listed_exported_and_removed() {
    let t = library();
    let e = t
        .add_style(&util::fixture("styles/american-chemical-society.csl"))
        .unwrap();
    assert_eq!(e.name, "american-chemical-society");
    assert_eq!(e.title, "ACS Guide 2022 revision");
    assert!(!e.bundled);
    let listed = t.styles().unwrap();
    assert_eq!(listed.len(), CslStyle::ALL.len() + 1);
    assert!(listed.iter().any(|s| s.name == "apa" && s.bundled));

    let out = export(&t, "american-chemical-society", None).unwrap();
    assert_eq!(out.lines().count(), t.len().unwrap());
    // ACS numbers its references "(1)": not the output of any bundled style.
    assert!(out.starts_with("(1) "), "{out}");
    // The path of the file renders the same without adding it.
    let by_path = export(
        &t,
        util::fixture("styles/american-chemical-society.csl")
            .to_str()
            .unwrap(),
        None,
    )
    .unwrap();
    assert_eq!(by_path, out);

    t.remove_style("american-chemical-society").unwrap();
    assert_eq!(t.styles().unwrap().len(), CslStyle::ALL.len());
    assert!(export(&t, "american-chemical-society", None).is_err());
    assert!(matches!(
        t.remove_style("american-chemical-society"),
        Err(Error::NotFound(_))
    ));
    assert!(t.remove_style("apa").is_err(), "bundled styles stay");
}

#[test]
fn a_broken_style_is_refused_with_its_file_and_line() {
    let t = util::library();
    let dir = tempfile::tempdir().unwrap();
    let good =
        std::fs::read_to_string(util::fixture("styles/american-chemical-society.csl")).unwrap();
    // Break line 40 by closing an element that is not open.
    let mut lines: Vec<&str> = good.lines().collect();
    lines.insert(39, "</bibliography>");
    let path = dir.path().join("broken.csl");
    std::fs::write(&path, lines.join("\n")).unwrap();
    let err = t.add_style(&path).unwrap_err();
    match &err {
        Error::InvalidStyle(e) => {
            assert_eq!((e.file.as_str(), e.line), ("broken.csl", 40), "{err}");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        err.to_string().starts_with("broken.csl, line 40, column "),
        "{err}"
    );
    assert_eq!(
        t.styles().unwrap().len(),
        CslStyle::ALL.len(),
        "nothing added"
    );

    // Well-formed but not CSL: an unknown variable in a `text`, on its own line.
    let bad = good.replacen(
        "<text variable=\"title\"",
        "<text variable=\"no-such-thing\"",
        1,
    );
    assert_ne!(bad, good);
    let want = bad
        .lines()
        .position(|l| l.contains("no-such-thing"))
        .unwrap()
        + 1;
    let path = dir.path().join("unknown-variable.csl");
    std::fs::write(&path, &bad).unwrap();
    match t.add_style(&path) {
        Err(Error::InvalidStyle(e)) => assert_eq!(e.line, want, "{e}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_dependent_style_renders_as_its_bundled_parent_and_an_unknown_parent_is_an_error() {
    let t = library();
    let e = t
        .add_style(&util::fixture("styles/vancouver-nlm.csl"))
        .unwrap();
    assert_eq!(e.parent.as_deref(), Some("vancouver"));
    assert_eq!(
        export(&t, "vancouver-nlm", None).unwrap(),
        export(&t, "vancouver", None).unwrap()
    );

    let dir = tempfile::tempdir().unwrap();
    let orphan = std::fs::read_to_string(util::fixture("styles/vancouver-nlm.csl"))
        .unwrap()
        .replace(
            "http://www.zotero.org/styles/nlm-citation-sequence\" rel=\"independent-parent\"",
            "http://www.zotero.org/styles/no-such-parent\" rel=\"independent-parent\"",
        );
    let path = dir.path().join("orphan.csl");
    std::fs::write(&path, orphan).unwrap();
    let err = t.add_style(&path).unwrap_err().to_string();
    assert!(
        err.contains("orphan.csl") && err.contains("no-such-parent"),
        "{err}"
    );
}

#[test]
fn a_locale_changes_the_terms_and_an_unknown_one_lists_the_known() {
    let t = library();
    let en = export(&t, "harvard", None).unwrap();
    let de = export(&t, "harvard", Some("de-DE")).unwrap();
    assert!(en.contains("Available at:"), "{en}");
    assert!(
        de.contains("Verfügbar unter:") && !de.contains("Available at:"),
        "{de}"
    );
    // An added style takes a locale too.
    t.add_style(&util::fixture("styles/american-chemical-society.csl"))
        .unwrap();
    let fr = export(&t, "american-chemical-society", Some("fr-fr")).unwrap();
    assert_ne!(fr, export(&t, "american-chemical-society", None).unwrap());

    let err = export(&t, "apa", Some("xx-XX")).unwrap_err().to_string();
    assert!(
        err.contains("xx-XX") && err.contains("de-DE") && err.contains("ja-JP"),
        "{err}"
    );
}

/// A `cs:names` without a `cs:name` child (NLM and AMA styles write `<names variable="author">`
/// with only a label or substitute) prints the names with the options it inherits: hayagriva
/// 0.10.1 printed nothing (fixed in the vendored copy).
#[test]
fn names_without_a_name_element_still_print_the_authors() {
    let t = library();
    let dir = tempfile::tempdir().unwrap();
    let style = dir.path().join("bare-names.csl");
    std::fs::write(
        &style,
        r#"<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0" initialize-with="" name-as-sort-order="all" sort-separator=" " delimiter-precedes-last="always">
  <info><title>Bare names</title><id>https://topica.invalid/styles/bare-names</id><updated>2026-12-05T00:00:00+00:00</updated></info>
  <citation><layout><text variable="citation-number"/></layout></citation>
  <bibliography>
    <layout suffix=".">
      <group delimiter=". ">
        <names variable="author"><label form="short" prefix=" (" suffix=")"/></names>
        <text variable="title"/>
      </group>
    </layout>
  </bibliography>
</style>
"#,
    )
    .unwrap();
    let out = export(&t, style.to_str().unwrap(), None).unwrap();
    // Names as the style's inherited options say: sorted, initials without periods.
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[2],
        "Balázs C, Berger EL, Nadolsky PM, Yuan CP. Calculation of prompt diphoton production cross sections at Tevatron and LHC energies."
    );
    assert!(lines.iter().all(|l| !l.starts_with(". ")), "{out}");
}
