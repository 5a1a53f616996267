//! Bulk actions over a selection (#18): each is one undo step that touches only the papers it
//! changed.

use topica_core::{Error, View};

use crate::util;

fn found(lib: &topica_core::Library, query: &str) -> Vec<i64> {
    let mut ids: Vec<i64> = lib
        .search(query, 200)
        .unwrap()
        .hits
        .iter()
        .map(|h| h.id)
        .collect();
    ids.sort();
    ids
}

#[test]
fn a_bulk_tag_is_searchable_and_one_undo_step() {
    let t = util::sample_library();
    let ids: Vec<i64> = t.papers(10, 0).unwrap().iter().map(|p| p.id).collect();
    t.set_tags(ids[0], &["survey".into()]).unwrap();
    let r = t.tag_papers(&ids, "survey", true).unwrap();
    assert_eq!(r.changed, ids[1..], "the paper that had it is not counted");
    assert_eq!(found(&t, "tag:survey"), ids);
    let stats = t.stats().unwrap();
    assert_eq!(stats.tags, [("survey".to_string(), 10)]);

    assert_eq!(
        t.undo().unwrap().unwrap().label,
        "Tag 10 papers with “survey”"
    );
    assert_eq!(
        found(&t, "tag:survey"),
        [ids[0]],
        "the tag it had before stays"
    );
    t.redo().unwrap().unwrap();
    assert_eq!(found(&t, "tag:survey").len(), 10);

    let r = t.tag_papers(&ids[..3], "survey", false).unwrap();
    assert_eq!(r.changed, ids[..3]);
    assert_eq!(found(&t, "tag:survey"), ids[3..]);
    t.undo().unwrap().unwrap();
    assert_eq!(found(&t, "tag:survey"), ids);
}

#[test]
fn collections_and_flags_in_bulk_and_their_undo() {
    let t = util::sample_library();
    let ids: Vec<i64> = t.papers(5, 0).unwrap().iter().map(|p| p.id).collect();
    t.collect_papers(&ids, "thesis", true).unwrap();
    let view = |v: View| {
        let mut l = t.list_ids(&v, topica_core::SortBy::Added).unwrap();
        l.sort();
        l
    };
    assert_eq!(view(View::Collection("thesis".into())), ids);
    t.collect_papers(&ids[..2], "thesis", false).unwrap();
    assert_eq!(view(View::Collection("thesis".into())), ids[2..]);
    t.undo().unwrap().unwrap();
    assert_eq!(view(View::Collection("thesis".into())), ids);

    t.flag_papers(&ids[..1], Some(true), None).unwrap();
    let r = t.flag_papers(&ids, Some(true), None).unwrap();
    assert_eq!(r.changed, ids[1..]);
    assert!(view(View::Unread).iter().all(|id| !ids.contains(id)));
    assert_eq!(t.undo().unwrap().unwrap().label, "Mark 5 papers as read");
    let unread = view(View::Unread);
    assert!(!unread.contains(&ids[0]) && ids[1..].iter().all(|id| unread.contains(id)));
    t.flag_papers(&ids, None, Some(true)).unwrap();
    assert_eq!(view(View::Starred), ids);

    // A paper that is not in the library stops the whole action.
    let err = t.tag_papers(&[ids[0], 999_999], "x", true).unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err}");
    assert!(t.paper(ids[0]).unwrap().tags.is_empty());
}

#[test]
fn renaming_a_tag_onto_another_merges_them_and_undo_separates_them() {
    let t = util::sample_library();
    let ids: Vec<i64> = t.papers(4, 0).unwrap().iter().map(|p| p.id).collect();
    t.tag_papers(&ids[..3], "ml", true).unwrap();
    t.tag_papers(&ids[2..], "machine-learning", true).unwrap();
    t.rename_tag("ml", "machine-learning").unwrap();
    assert_eq!(found(&t, "tag:machine-learning"), ids);
    assert!(found(&t, "tag:ml").is_empty());
    assert_eq!(
        t.stats().unwrap().tags,
        [("machine-learning".to_string(), 4)]
    );
    t.undo().unwrap().unwrap();
    assert_eq!(found(&t, "tag:ml"), ids[..3]);
    assert_eq!(found(&t, "tag:machine-learning"), ids[2..]);
    assert!(matches!(t.rename_tag("nope", "x"), Err(Error::NotFound(_))));
}

#[test]
fn a_saved_search_follows_the_library_and_its_save_is_undone() {
    let t = util::sample_library();
    t.save_search("diffusion", "diffusion year:2022..2024")
        .unwrap();
    let n = t.search("diffusion year:2022..2024", 1).unwrap().total;
    let saved = t.saved_searches().unwrap();
    assert_eq!((saved[0].name.as_str(), saved[0].count), ("diffusion", n));
    // It follows the library: a matching paper added later is counted.
    t.import_text(
        "new.bib",
        "@article{x, title={Diffusion for Zebrafish}, author={Doe, J.}, year={2023}}",
        topica_core::Format::Bibtex,
        true,
    )
    .unwrap();
    assert_eq!(t.saved_searches().unwrap()[0].count, n + 1);
    // A query that does not parse is refused with its position; nothing is saved.
    let err = t.save_search("bad", "title:\"open").unwrap_err();
    assert!(matches!(err, Error::InvalidQuery { .. }), "{err}");
    t.save_search("diffusion", "diffusion").unwrap();
    t.undo().unwrap().unwrap();
    assert_eq!(
        t.saved_searches().unwrap()[0].query,
        "diffusion year:2022..2024"
    );
    t.delete_saved_search("diffusion").unwrap();
    assert!(t.saved_searches().unwrap().is_empty());
    t.undo().unwrap().unwrap();
    assert_eq!(t.saved_searches().unwrap().len(), 1);
}

#[test]
fn nested_collections_count_list_and_export_their_children_and_every_reshape_is_undone() {
    use topica_core::export::{ExportFormat, ExportOptions, Scope};
    let t = util::sample_library();
    let ids: Vec<i64> = t.papers(6, 0).unwrap().iter().map(|p| p.id).collect();
    t.collect_papers(&ids[..2], "Thesis", true).unwrap();
    t.collect_papers(&ids[2..5], "Thesis/Chapter 2", true)
        .unwrap();
    t.collect_papers(&ids[4..6], "Thesis/Chapter 2/Figures", true)
        .unwrap();
    let counts = |t: &topica_core::Library| t.stats().unwrap().collections;
    assert_eq!(
        counts(&t),
        [
            ("Thesis".to_string(), 6),
            ("Thesis/Chapter 2".to_string(), 4),
            ("Thesis/Chapter 2/Figures".to_string(), 2)
        ]
    );
    let listed = |t: &topica_core::Library, name: &str| {
        let mut l = t
            .list_ids(&View::Collection(name.into()), topica_core::SortBy::Added)
            .unwrap();
        l.sort();
        l
    };
    assert_eq!(listed(&t, "Thesis"), ids);
    let bib = t
        .export(&ExportOptions {
            format: Some(ExportFormat::Bibtex),
            scope: Scope::Collection("Thesis/Chapter 2".into()),
            ..ExportOptions::default()
        })
        .unwrap();
    assert_eq!(
        bib.matches("\n@").count() + usize::from(bib.starts_with('@')),
        4,
        "{bib}"
    );
    let own = t
        .export(&ExportOptions {
            format: Some(ExportFormat::Bibtex),
            scope: Scope::CollectionOnly("Thesis/Chapter 2".into()),
            ..ExportOptions::default()
        })
        .unwrap();
    assert_eq!(
        own.matches("\n@").count() + usize::from(own.starts_with('@')),
        3,
        "without the Figures sub-collection's paper that is not also in Chapter 2: {own}"
    );

    t.rename_collection("Thesis/Chapter 2", "Methods").unwrap();
    assert_eq!(listed(&t, "Thesis/Methods/Figures"), ids[4..6]);
    t.move_collection("Thesis/Methods", None).unwrap();
    assert_eq!(listed(&t, "Methods"), ids[2..6]);
    assert_eq!(listed(&t, "Thesis"), ids[..2]);
    assert!(
        t.move_collection("Methods", Some("Methods/Figures"))
            .is_err(),
        "not into itself"
    );
    t.delete_collection("Methods").unwrap();
    assert_eq!(counts(&t), [("Thesis".to_string(), 2)]);
    assert_eq!(t.len().unwrap(), 94, "papers stay in the library");

    for _ in 0..3 {
        t.undo().unwrap().unwrap();
    }
    assert_eq!(counts(&t)[1], ("Thesis/Chapter 2".to_string(), 4));
    assert_eq!(listed(&t, "Thesis/Chapter 2/Figures"), ids[4..6]);
    t.create_collection("Reading/2026").unwrap();
    assert!(counts(&t)
        .iter()
        .any(|(n, c)| n == "Reading/2026" && *c == 0));
    assert!(t.create_collection("Reading//x").is_err());
}

#[test]
fn a_tag_colour_is_checked_kept_and_undoable() {
    let t = util::sample_library();
    let id = t.papers(1, 0).unwrap()[0].id;
    t.set_tags(id, &["to read".into()]).unwrap();
    let err = t
        .set_tag_color("to read", Some("red"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("#rrggbb"), "{err}");
    assert!(t.set_tag_color("no such tag", Some("#ff0000")).is_err());
    t.set_tag_color("to read", Some("#D94F4F")).unwrap();
    assert_eq!(
        t.stats().unwrap().tag_colors,
        [("to read".to_string(), "#d94f4f".to_string())]
    );
    assert_eq!(t.undo().unwrap().unwrap().label, "Colour tag “to read”");
    assert!(t.stats().unwrap().tag_colors.is_empty());
    t.redo().unwrap().unwrap();
    assert_eq!(t.stats().unwrap().tag_colors.len(), 1);
    t.set_tag_color("to read", None).unwrap();
    assert!(t.stats().unwrap().tag_colors.is_empty());
}

#[test]
fn papers_changed_by_hand_keep_their_topic_in_search() {
    let t = util::sample_library();
    let topics = util::topics_listed(&t);
    let leaf = topics
        .iter()
        .find(|x| x.level == "leaf" && x.size >= 3)
        .unwrap();
    let query = format!("topic:\"{}\"", leaf.label);
    let before = t.search(&query, 500).unwrap().total;
    assert!(before >= leaf.size, "{query}: {before}");
    t.tag_papers(&leaf.papers, "checked", true).unwrap();
    t.set_notes(leaf.papers[0], "a note").unwrap();
    t.update_paper(
        leaf.papers[1],
        &topica_core::PaperEdit::from_assignments(["volume=3"]).unwrap(),
    )
    .unwrap();
    t.trash(&leaf.papers[2..3]).unwrap();
    t.undo().unwrap().unwrap();
    assert_eq!(
        t.search(&query, 500).unwrap().total,
        before,
        "re-indexed papers keep their topic label"
    );
}

#[test]
fn tags_are_found_by_plain_words_and_tag_queries_across_undo_reopen_and_other_processes() {
    let t = util::sample_library();
    let ids: Vec<i64> = t.papers(4, 0).unwrap().iter().map(|p| p.id).collect();
    t.tag_papers(&ids[..3], "Zqx Reading-Group", true).unwrap();
    assert_eq!(found(&t, "zqx"), ids[..3], "a plain word finds a tag");
    assert_eq!(found(&t, "tag:zqx"), ids[..3]);
    assert_eq!(
        found(&t, "tag:\"zqx reading\""),
        ids[..3],
        "a phrase inside a tag"
    );
    assert_eq!(found(&t, "tag:zq*"), ids[..3], "a prefix");
    assert_eq!(found(&t, "tag:reading -tag:zqx"), Vec::<i64>::new());
    t.set_tags(ids[3], &["zqx".into()]).unwrap();
    assert_eq!(found(&t, "tag:zqx").len(), 4, "one paper's tags edited");
    t.undo().unwrap().unwrap();
    assert_eq!(found(&t, "tag:zqx"), ids[..3], "undo takes it away again");
    t.rename_tag("Zqx Reading-Group", "zqy").unwrap();
    assert_eq!(
        (found(&t, "zqx"), found(&t, "zqy")),
        (vec![], ids[..3].to_vec())
    );
    t.trash(&ids[..1]).unwrap();
    assert_eq!(
        found(&t, "tag:zqy"),
        ids[1..3],
        "trashed papers are not found"
    );
    t.restore(&ids[..1]).unwrap();
    assert_eq!(
        found(&t, "tag:zqy"),
        ids[..3],
        "and come back with their tags"
    );

    // Reopened, the tags are read from the database.
    let dir = t.dir.path().to_path_buf();
    let util::TestLibrary { dir: _keep, lib } = t;
    drop(lib);
    let lib = topica_core::Library::open(&dir).unwrap();
    assert_eq!(found(&lib, "zqy"), ids[..3]);
    // Another process tags a paper: seen once the change is noticed.
    let other = topica_core::Library::open(&dir).unwrap();
    assert!(!lib.changed_elsewhere().unwrap());
    lib.release_index_writer(std::time::Duration::ZERO).unwrap();
    other.tag_papers(&ids[3..4], "zqy", true).unwrap();
    assert!(lib.changed_elsewhere().unwrap());
    assert_eq!(found(&lib, "tag:zqy").len(), 4);
}

#[test]
fn a_saved_search_is_renamed_in_one_undo_step() {
    let t = util::sample_library();
    t.save_search("diffusion", "diffusion").unwrap();
    t.save_search("speech", "speech").unwrap();
    let err = t
        .rename_saved_search("diffusion", "speech")
        .unwrap_err()
        .to_string();
    assert!(err.contains("already called “speech”"), "{err}");
    t.rename_saved_search("diffusion", "Generative").unwrap();
    let names = |t: &topica_core::Library| -> Vec<(String, String)> {
        t.saved_searches()
            .unwrap()
            .into_iter()
            .map(|s| (s.name, s.query))
            .collect()
    };
    assert_eq!(
        names(&t),
        [
            ("Generative".into(), "diffusion".into()),
            ("speech".into(), "speech".into())
        ]
    );
    assert_eq!(
        t.undo().unwrap().unwrap().label,
        "Rename saved search “diffusion” to “Generative”"
    );
    assert_eq!(
        names(&t)[0],
        ("diffusion".to_string(), "diffusion".to_string())
    );
}
