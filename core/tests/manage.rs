//! Managing a library by hand: editing metadata, the trash, and undo/redo across a reopen.

use topica_core::export::{ExportFormat, ExportOptions, Scope};
use topica_core::{Error, Format, Library, PaperEdit, View};

use crate::util;

fn edit(pairs: &[&str]) -> PaperEdit {
    PaperEdit::from_assignments(pairs.iter().copied()).unwrap()
}

fn export(lib: &Library, scope: Scope) -> String {
    lib.export(&ExportOptions {
        format: Some(ExportFormat::Bibtex),
        scope,
        ..ExportOptions::default()
    })
    .unwrap()
}

fn found(lib: &Library, query: &str) -> Vec<i64> {
    lib.search(query, 100)
        .unwrap()
        .hits
        .iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn an_edit_is_searchable_at_once_and_survives_a_reimport() {
    let t = util::sample_library();
    let p = t.find("2302.14748").unwrap();
    assert!(found(&t, "zyxwordtopica").is_empty());
    let edited = t
        .update_paper(
            p.id,
            &edit(&["title=Zyxwordtopica speech", "year=2020", "volume=7"]),
        )
        .unwrap();
    assert_eq!(edited.title.as_deref(), Some("Zyxwordtopica speech"));
    assert_eq!(edited.edited, ["title", "year", "volume"]);
    assert_eq!(found(&t, "zyxwordtopica"), [p.id]);
    assert_eq!(found(&t, "title:zyxwordtopica"), [p.id]);

    // The sample again: same papers, richer or equal fields. The user's fields stay theirs.
    t.import_sample().unwrap();
    let after = t.paper(p.id).unwrap();
    assert_eq!(after.title.as_deref(), Some("Zyxwordtopica speech"));
    assert_eq!(after.year, Some(2020));
    assert_eq!(after.volume.as_deref(), Some("7"));

    // A BibTeX record of the same arXiv paper fills what is empty but not the edited fields.
    let bib = "@article{x, title={The Title A Database Has, Much Longer Than Mine}, year={2023}, \
               eprint={2302.14748}, archiveprefix={arXiv}, journal={Journal of Tests}, volume={99}}";
    let report = t
        .import_text("paste.bib", bib, Format::Bibtex, true)
        .unwrap();
    assert_eq!(report.merged, 1, "{report:?}");
    let after = t.paper(p.id).unwrap();
    assert_eq!(after.title.as_deref(), Some("Zyxwordtopica speech"));
    assert_eq!(after.year, Some(2020));
    assert_eq!(after.volume.as_deref(), Some("7"));
    assert_eq!(after.container.as_deref(), Some("Journal of Tests"));

    // The export writes the edit.
    let bib = export(&t, Scope::Ids(vec![p.id.to_string()]));
    assert!(bib.contains("Zyxwordtopica speech"), "{bib}");
}

#[test]
fn refused_edits_name_each_field_and_change_nothing() {
    let t = util::sample_library();
    let a = t.find("2302.14748").unwrap();
    let b = t.find("2212.11851").unwrap();
    t.update_paper(b.id, &edit(&["doi=10.1000/taken"])).unwrap();
    let err = t
        .update_paper(
            a.id,
            &edit(&[
                "title=",
                "year=99999",
                "doi=10.1000/TAKEN",
                "citation_key=has space",
            ]),
        )
        .unwrap_err();
    let Error::InvalidFields(fields) = &err else {
        panic!("{err}")
    };
    let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(names, ["citation_key", "title", "year"], "{err}");
    let err = t
        .update_paper(a.id, &edit(&["doi=10.1000/TAKEN"]))
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("doi: 10.1000/taken is already the identifier of paper"),
        "{err}"
    );
    let key = t.paper(b.id).unwrap().citation_key.unwrap().to_uppercase();
    let err = t
        .update_paper(a.id, &edit(&[&format!("citation_key={key}")]))
        .unwrap_err();
    assert!(
        err.to_string().contains("already another paper's key"),
        "{err}"
    );
    assert_eq!(t.paper(a.id).unwrap(), a, "nothing changed");
}

#[test]
fn trash_hides_restore_brings_back_everything() {
    let t = util::sample_library();
    let p = t.find("2302.14748").unwrap();
    t.set_tags(p.id, &["keep".into()]).unwrap();
    t.set_notes(p.id, "my notes").unwrap();
    t.set_collections(p.id, &["thesis".into()]).unwrap();
    let key = t.paper(p.id).unwrap().citation_key;
    let n = t.len().unwrap();
    t.topics().unwrap();

    assert_eq!(t.trash(&[p.id]).unwrap(), [p.id]);
    assert_eq!(t.len().unwrap(), n - 1);
    let stats = t.stats().unwrap();
    assert_eq!((stats.papers, stats.trashed), (n - 1, 1));
    assert_eq!(stats.tags, [("keep".to_string(), 0)]);
    assert!(!found(&t, "\"speech enhancement\"").contains(&p.id));
    assert!(!t
        .list_ids(&View::All, topica_core::SortBy::Added)
        .unwrap()
        .contains(&p.id));
    assert_eq!(
        t.list_ids(&View::Trash, topica_core::SortBy::Added)
            .unwrap(),
        [p.id]
    );
    assert!(t
        .topics()
        .unwrap()
        .iter()
        .all(|topic| !t.topic_members(topic.id).unwrap().contains(&p.id)));
    let all = export(&t, Scope::All);
    assert!(
        !all.contains(key.as_deref().unwrap()),
        "trashed papers are not exported"
    );
    let by_tag = t.export(&ExportOptions {
        format: Some(ExportFormat::Bibtex),
        scope: Scope::Tag("keep".into()),
        ..ExportOptions::default()
    });
    assert!(
        matches!(by_tag, Err(Error::NotFound(_))),
        "nor by tag: {by_tag:?}"
    );

    assert_eq!(t.restore(&[p.id]).unwrap(), [p.id]);
    let back = t.paper(p.id).unwrap();
    assert_eq!(back.tags, ["keep"]);
    assert_eq!(back.notes, "my notes");
    assert_eq!(back.collections, ["thesis"]);
    assert_eq!(back.citation_key, key);
    assert!(back.trashed_at.is_none());
    assert!(found(&t, "\"speech enhancement\"").contains(&p.id));
    assert_eq!(t.len().unwrap(), n);
    assert!(
        !t.paper_topics(p.id).unwrap().is_empty(),
        "placed in a topic again"
    );

    // Unknown ids are refused and nothing moves.
    assert!(matches!(t.trash(&[p.id, 999_999]), Err(Error::NotFound(_))));
    assert_eq!(t.len().unwrap(), n);
}

#[test]
fn empty_trash_deletes_for_good_and_undo_skips_the_deleted() {
    let t = util::sample_library();
    let p = t.find("2302.14748").unwrap();
    t.trash(&[p.id]).unwrap();
    assert_eq!(t.empty_trash().unwrap().deleted, 1);
    assert!(t.paper(p.id).is_err());
    assert_eq!(t.stats().unwrap().trashed, 0);
    // Undoing the delete finds nothing to restore; the library is unchanged.
    let n = t.len().unwrap();
    let r = t.undo().unwrap().unwrap();
    assert_eq!(r.label, "Delete 1 paper");
    assert_eq!(t.len().unwrap(), n);
}

#[test]
fn undo_and_redo_walk_the_log_across_a_reopen() {
    let t = util::sample_library();
    let a = t.find("2302.14748").unwrap();
    let b = t.find("2212.11851").unwrap();
    let n = t.len().unwrap();
    t.update_paper(a.id, &edit(&["title=Qqqedited title"]))
        .unwrap();
    t.set_tags(a.id, &["x".into()]).unwrap();
    t.trash(&[a.id, b.id]).unwrap();
    assert_eq!(
        t.history().unwrap().undo.as_deref(),
        Some("Delete 2 papers")
    );

    // Reopen: the log is in the database.
    let dir = t.dir.path().to_path_buf();
    drop(t.lib);
    let lib = Library::open(&dir).unwrap();
    assert_eq!(lib.len().unwrap(), n - 2);
    let r = lib.undo().unwrap().unwrap();
    assert_eq!(r.label, "Delete 2 papers");
    assert_eq!(r.papers, [a.id.min(b.id), a.id.max(b.id)]);
    assert_eq!(lib.len().unwrap(), n);
    assert_eq!(found(&lib, "qqqedited"), [a.id]);
    assert_eq!(lib.undo().unwrap().unwrap().label, "Edit tags");
    assert!(lib.paper(a.id).unwrap().tags.is_empty());
    assert_eq!(lib.undo().unwrap().unwrap().label, "Edit title");
    assert_eq!(lib.paper(a.id).unwrap().title, a.title);
    assert!(lib.paper(a.id).unwrap().edited.is_empty());
    assert!(found(&lib, "qqqedited").is_empty());
    let h = lib.history().unwrap();
    assert_eq!(h.undo.as_deref(), Some("Import 94 papers"));
    assert_eq!(h.redo.as_deref(), Some("Edit title"));

    // Redo twice, then a new change drops the rest of the redo list.
    lib.redo().unwrap().unwrap();
    assert_eq!(found(&lib, "qqqedited"), [a.id]);
    lib.redo().unwrap().unwrap();
    assert_eq!(lib.paper(a.id).unwrap().tags, ["x"]);
    lib.set_notes(b.id, "new").unwrap();
    assert_eq!(lib.history().unwrap().redo, None);
    assert!(lib.redo().unwrap().is_none());

    // Undoing the import sends its papers to the trash; redo brings them back.
    for _ in 0..4 {
        lib.undo().unwrap().unwrap();
    }
    assert_eq!(lib.history().unwrap().undo, None);
    assert_eq!(lib.len().unwrap(), 0);
    assert_eq!(lib.stats().unwrap().trashed, n);
    assert!(lib.undo().unwrap().is_none());
    lib.redo().unwrap().unwrap();
    assert_eq!(lib.len().unwrap(), n);
}

#[test]
fn importing_a_trashed_paper_brings_it_back() {
    let t = util::sample_library();
    let p = t.find("2302.14748").unwrap();
    t.trash(&[p.id]).unwrap();
    let report = t
        .import_text("ids.txt", "2302.14748\n", Format::IdList, true)
        .unwrap();
    assert_eq!((report.added, report.merged), (0, 1));
    assert!(t.paper(p.id).unwrap().trashed_at.is_none());
    assert!(found(&t, "\"speech enhancement\"").contains(&p.id));
    // Undo puts it back in the trash.
    t.undo().unwrap().unwrap();
    assert!(t.paper(p.id).unwrap().trashed_at.is_some());
}

#[test]
fn a_topic_rename_is_undone() {
    let t = util::sample_library();
    let topic = t.topics().unwrap()[0].clone();
    t.rename_topic(topic.id, "Zzyzx label").unwrap();
    assert!(!found(&t, "topic:zzyzx").is_empty());
    assert_eq!(
        t.undo().unwrap().unwrap().label,
        "Rename topic to “Zzyzx label”"
    );
    assert_eq!(
        t.topics()
            .unwrap()
            .iter()
            .find(|x| x.id == topic.id)
            .unwrap()
            .label,
        topic.label
    );
    assert!(found(&t, "topic:zzyzx").is_empty());
}

#[test]
fn a_restored_paper_returns_to_its_topic_and_a_refit_meanwhile_places_it_anew() {
    let t = util::sample_library();
    t.topics().unwrap();
    let p = t.find("2302.14748").unwrap();
    let q = t.find("2212.11851").unwrap();
    let before = t.paper_topics(p.id).unwrap();
    t.trash(&[p.id, q.id]).unwrap();
    assert!(t.paper_topics(p.id).unwrap().is_empty());
    assert!(
        t.related(q.id, 100).unwrap().is_empty(),
        "a trashed paper has no related papers"
    );
    let other = t.find("1911.02150").unwrap();
    assert!(
        t.related(other.id, 100)
            .unwrap()
            .iter()
            .all(|r| r.id != p.id && r.id != q.id),
        "nor is it one"
    );
    t.restore(&[p.id]).unwrap();
    assert_eq!(
        t.paper_topics(p.id).unwrap(),
        before,
        "back with the weights it had"
    );

    t.recompute_topics().unwrap();
    t.restore(&[q.id]).unwrap();
    let placed = t.paper_topics(q.id).unwrap();
    assert!(
        placed.iter().any(|w| w.primary),
        "placed in the new model: {placed:?}"
    );
    let listed: usize = t
        .topics()
        .unwrap()
        .iter()
        .filter(|x| x.level == "leaf")
        .map(|x| x.size)
        .sum();
    assert_eq!(
        listed,
        t.len().unwrap(),
        "every paper in the library is in one leaf"
    );
}

#[test]
fn a_topic_merge_and_a_moved_paper_are_undone_and_redone() {
    let t = util::sample_library();
    let leaves: Vec<_> = t
        .topics()
        .unwrap()
        .into_iter()
        .filter(|x| x.level == "leaf")
        .collect();
    let (a, b) = (leaves[0].clone(), leaves[1].clone());
    let before: Vec<_> = t.topics().unwrap();
    t.merge_topics(a.id, b.id).unwrap();
    let merged = t.topics().unwrap();
    assert!(merged.iter().all(|x| x.id != a.id));
    assert_eq!(
        merged.iter().find(|x| x.id == b.id).unwrap().size,
        a.size + b.size
    );
    assert_eq!(
        t.undo().unwrap().unwrap().label,
        format!("Merge “{}” into “{}”", a.label, b.label)
    );
    let undone = t.topics().unwrap();
    let sizes = |ts: &[topica_core::Topic]| {
        ts.iter()
            .map(|x| (x.id, x.size, x.parent))
            .collect::<Vec<_>>()
    };
    assert_eq!(sizes(&undone), sizes(&before));
    t.redo().unwrap().unwrap();
    assert_eq!(sizes(&t.topics().unwrap()), sizes(&merged));
    t.undo().unwrap().unwrap();

    // A paper moved to another leaf, then the move undone: back in its own leaf.
    let p = t.topic_members(a.id).unwrap()[0];
    let own = t
        .paper_topics(p)
        .unwrap()
        .into_iter()
        .find(|w| w.primary)
        .unwrap()
        .topic;
    t.move_paper(p, b.id).unwrap();
    assert_eq!(
        t.paper_topics(p)
            .unwrap()
            .into_iter()
            .find(|w| w.primary)
            .unwrap()
            .topic,
        b.id
    );
    t.undo().unwrap().unwrap();
    assert_eq!(
        t.paper_topics(p)
            .unwrap()
            .into_iter()
            .find(|w| w.primary)
            .unwrap()
            .topic,
        own
    );
    assert_eq!(sizes(&t.topics().unwrap()), sizes(&before));
}
