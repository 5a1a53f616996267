//! Importing a Zotero library: a zotero.sqlite built with Zotero's table and column names.

use std::path::Path;

use topica_core::import::ImportOptions;

/// A small Zotero library in Zotero's table and column names (the subset the reader uses): the
/// fixture the CLI and E2E tests build too.
const DDL: &str = include_str!("../../tests/fixtures/zotero/small-library.sql");

fn zotero_folder(dir: &Path) {
    let conn = rusqlite::Connection::open(dir.join("zotero.sqlite")).unwrap();
    conn.execute_batch(DDL).unwrap();
}

#[test]
fn a_zotero_library_comes_in_field_by_field() {
    let t = crate::util::library();
    let zdir = tempfile::tempdir().unwrap();
    zotero_folder(zdir.path());
    let before = std::fs::read(zdir.path().join("zotero.sqlite")).unwrap();
    let report = t
        .import_files(&[zdir.path().to_path_buf()], &ImportOptions::default())
        .unwrap();
    assert_eq!(report.added, 1, "{report:?}");
    assert_eq!(report.skipped.len(), 1, "{report:?}");
    assert!(report.skipped[0].reason.contains("trash"), "{report:?}");
    let p = t.papers(10, 0).unwrap().remove(0);
    assert_eq!(p.title.as_deref(), Some("Deep Zotero"));
    assert_eq!((p.year, p.month), (Some(2019), Some(3)));
    assert_eq!(p.doi.as_deref(), Some("10.1000/xyz"));
    assert_eq!(p.container.as_deref(), Some("J. Tests"));
    assert_eq!(p.kind.as_deref(), Some("article"));
    assert_eq!(p.authors[0].family, "Doe");
    assert!(p.authors[1].literal);
    assert_eq!(p.editors[0].family, "Itor");
    assert_eq!(p.citation_key.as_deref(), Some("doe2019deep"));
    assert_eq!(p.tags, ["ml"]);
    assert_eq!(p.collections, ["Top/Sub"]);
    assert_eq!(p.notes, "Read this & that");
    // Zotero's file is read, never written; a second import merges.
    assert_eq!(
        std::fs::read(zdir.path().join("zotero.sqlite")).unwrap(),
        before
    );
    let again = t
        .import_files(&[zdir.path().to_path_buf()], &ImportOptions::default())
        .unwrap();
    assert_eq!((again.added, again.merged), (0, 1), "{again:?}");
    assert_eq!(t.len().unwrap(), 1);
}

/// Zotero running: committed pages still in its WAL, and a write transaction open.
#[test]
fn a_library_in_use_is_read_with_what_its_wal_holds() {
    let t = crate::util::library();
    let zdir = tempfile::tempdir().unwrap();
    zotero_folder(zdir.path());
    let zotero = rusqlite::Connection::open(zdir.path().join("zotero.sqlite")).unwrap();
    zotero
        .execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;
             INSERT INTO itemDataValues VALUES (7, 'Only in the WAL');
             INSERT INTO items VALUES (13, 2, 1, 'WWWWWWWW');
             INSERT INTO itemData VALUES (13, 1, 7);
             BEGIN IMMEDIATE; INSERT INTO items VALUES (14, 2, 1, 'UUUUUUUU');",
        )
        .unwrap();
    let before = std::fs::read(zdir.path().join("zotero.sqlite")).unwrap();
    let report = t
        .import_files(&[zdir.path().to_path_buf()], &ImportOptions::default())
        .unwrap();
    // The article and the WAL's committed item; not the uncommitted one.
    assert_eq!(report.added, 2, "{report:?}");
    let titles: Vec<_> = t
        .papers(10, 0)
        .unwrap()
        .into_iter()
        .filter_map(|p| p.title)
        .collect();
    assert!(titles.iter().any(|t| t == "Only in the WAL"), "{titles:?}");
    assert_eq!(
        std::fs::read(zdir.path().join("zotero.sqlite")).unwrap(),
        before
    );
    zotero.execute_batch("ROLLBACK").unwrap();
}

#[test]
fn one_undo_removes_the_whole_zotero_import() {
    let t = crate::util::library();
    let zdir = tempfile::tempdir().unwrap();
    zotero_folder(zdir.path());
    let report = t
        .import_files(
            &[zdir.path().join("zotero.sqlite")],
            &ImportOptions::default(),
        )
        .unwrap();
    assert_eq!(report.added, 1);
    assert_eq!(t.history().unwrap().undo.as_deref(), Some("Import 1 paper"));
    t.undo().unwrap().unwrap();
    assert_eq!(t.len().unwrap(), 0);
    assert_eq!(t.stats().unwrap().tags, Vec::<(String, usize)>::new());
}

/// Attachments, a Better BibTeX key, a preprint's arXiv id, a conference paper.
#[test]
fn files_keys_and_item_types_come_in() {
    let t = crate::util::library();
    let zdir = tempfile::tempdir().unwrap();
    zotero_folder(zdir.path());
    // A stored PDF in storage/<attachment key>/, a linked one elsewhere, one that is gone.
    let stored = zdir.path().join("storage/SSSSSSSS");
    std::fs::create_dir_all(&stored).unwrap();
    std::fs::copy(
        crate::util::fixture("pdf/arxiv-paper.pdf"),
        stored.join("arxiv-paper.pdf"),
    )
    .unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let linked = elsewhere.path().join("doi-paper.pdf");
    std::fs::copy(crate::util::fixture("pdf/doi-paper.pdf"), &linked).unwrap();
    let zotero = rusqlite::Connection::open(zdir.path().join("zotero.sqlite")).unwrap();
    zotero
        .execute_batch(&format!(
            "INSERT INTO itemTypes(itemTypeID, typeName) VALUES (4, 'preprint'), (5, 'conferencePaper');
             INSERT INTO fields(fieldID, fieldName) VALUES (6, 'proceedingsTitle');
             INSERT INTO items VALUES (20, 3, 1, 'SSSSSSSS'), (21, 3, 1, 'LLLLLLLL'), (22, 3, 1, 'GGGGGGGG'),
                                      (30, 4, 1, 'PPPPPPPP'), (31, 5, 1, 'CCCCCCCC');
             INSERT INTO itemAttachments VALUES
               (20, 10, 1, 'application/pdf', 'storage:arxiv-paper.pdf'),
               (21, 10, 2, 'application/pdf', '{}'),
               (22, 10, 1, 'application/pdf', 'storage:gone.pdf');
             INSERT INTO itemDataValues VALUES (20, 'A Preprint'), (21, '10.48550/arXiv.2106.09685'),
               (22, 'A Talk'), (23, 'Proc. of Tests');
             INSERT INTO itemData VALUES (30, 1, 20), (30, 3, 21), (31, 1, 22), (31, 6, 23);",
            linked.display()
        ))
        .unwrap();
    drop(zotero);
    let bbt = rusqlite::Connection::open(zdir.path().join("better-bibtex.sqlite")).unwrap();
    bbt.execute_batch(
        "CREATE TABLE citationkey (itemID INT, itemKey TEXT, libraryID INT, citationKey TEXT, pinned INT);
         INSERT INTO citationkey VALUES (10, 'AAAAAAAA', 1, 'doeDeep2019', 1);",
    )
    .unwrap();
    drop(bbt);

    let report = t
        .import_files(&[zdir.path().to_path_buf()], &ImportOptions::default())
        .unwrap();
    assert_eq!(report.added, 3, "{report:?}");
    let gone: Vec<_> = report
        .warnings
        .iter()
        .filter(|w| w.reason.contains("gone.pdf"))
        .collect();
    assert_eq!(gone.len(), 1, "{:?}", report.warnings);

    // Better BibTeX's key wins over the Extra line.
    let article = t.find("doeDeep2019").unwrap();
    assert_eq!(article.title.as_deref(), Some("Deep Zotero"));
    let files = t.files(article.id).unwrap();
    let mut names: Vec<(&str, bool)> = files.iter().map(|f| (f.name.as_str(), f.linked)).collect();
    names.sort();
    assert_eq!(
        names,
        [("arxiv-paper.pdf", false), ("doi-paper.pdf", true)],
        "the stored file copied in, the linked one linked"
    );
    assert!(files.iter().all(|f| f.text == topica_core::TextState::Read));
    assert_eq!(
        Path::new(&files.iter().find(|f| f.linked).unwrap().path),
        std::fs::canonicalize(&linked).unwrap()
    );
    assert_eq!(
        t.search("fulltext:zygomorphic", 5).unwrap().hits[0].id,
        article.id
    );

    let preprint = t.find("2106.09685").unwrap();
    assert_eq!(preprint.title.as_deref(), Some("A Preprint"));
    let talk = t
        .papers(10, 0)
        .unwrap()
        .into_iter()
        .find(|p| p.title.as_deref() == Some("A Talk"))
        .unwrap();
    assert_eq!(talk.container.as_deref(), Some("Proc. of Tests"));
    assert_eq!(talk.kind.as_deref(), Some("inproceedings"));

    // Undo takes the papers and their files; Zotero's own files stay.
    t.undo().unwrap();
    assert_eq!(t.len().unwrap(), 0);
    assert!(stored.join("arxiv-paper.pdf").exists() && linked.exists());
}
