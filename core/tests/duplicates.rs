//! Possible duplicates (#18): what the automatic merge left apart is proposed; a merge keeps
//! everything both records held and is one undo step; "not duplicates" is remembered.

use std::collections::BTreeMap;

use topica_core::{Format, Library, View};

use crate::util;

/// A preprint and its published version (another year, a DOI), a typo'd copy with the authors
/// reordered, and a stranger with the same first author.
const BIB: &str = r#"
@article{he2015deep,
  title = {Deep Residual Learning for Image Recognition},
  author = {He, Kaiming and Zhang, Xiangyu and Ren, Shaoqing and Sun, Jian},
  year = {2015},
  eprint = {1512.03385},
  archivePrefix = {arXiv},
  abstract = {Deeper neural networks are more difficult to train.},
}
@inproceedings{he2016cvpr,
  title = {Deep residual learning for image recognition},
  author = {He, Kaiming and Zhang, Xiangyu and Ren, Shaoqing and Sun, Jian},
  booktitle = {Proceedings of the IEEE Conference on Computer Vision and Pattern Recognition},
  pages = {770--778},
  year = {2016},
  doi = {10.1109/CVPR.2016.90},
}
@article{bahdanau2014,
  title = {Neural machine translation by jointly learning to align and translate},
  author = {Bahdanau, Dzmitry and Cho, Kyunghyun and Bengio, Yoshua},
  year = {2014},
}
@article{bengio2014typo,
  title = {Neural machine translaton by jointly learning to align and translate},
  author = {Bengio, Yoshua and Bahdanau, Dzmitry and Cho, Kyunghyun},
  year = {2014},
  volume = {3},
}
@article{he2017mask,
  title = {Mask R-CNN},
  author = {He, Kaiming and Gkioxari, Georgia},
  year = {2017},
}
"#;

fn library() -> (util::TestLibrary, BTreeMap<&'static str, i64>) {
    let t = util::library();
    let r = t
        .import_text("dups.bib", BIB, Format::Bibtex, true)
        .unwrap();
    assert_eq!(r.added, 5, "the automatic merge leaves all five apart");
    let ids = [
        "he2015deep",
        "he2016cvpr",
        "bahdanau2014",
        "bengio2014typo",
        "he2017mask",
    ]
    .into_iter()
    .map(|k| (k, t.find(k).unwrap().id))
    .collect();
    (t, ids)
}

fn groups(lib: &Library) -> Vec<Vec<i64>> {
    lib.duplicates()
        .unwrap()
        .into_iter()
        .map(|g| g.ids)
        .collect()
}

#[test]
fn groups_are_proposed_with_their_reason() {
    let (t, id) = library();
    let found = t.duplicates().unwrap();
    let mut pairs: Vec<(Vec<i64>, String)> = found.into_iter().map(|g| (g.ids, g.reason)).collect();
    pairs.sort();
    let mut want = vec![
        (
            vec![id["he2015deep"], id["he2016cvpr"]],
            "a preprint and its published version".to_string(),
        ),
        (
            vec![id["bahdanau2014"], id["bengio2014typo"]],
            "titles a few letters apart".to_string(),
        ),
    ];
    want.sort();
    assert_eq!(pairs, want);
}

#[test]
fn a_merge_loses_nothing_either_record_held_and_undoes_in_one_step() {
    let (t, id) = library();
    let (pre, publ) = (id["he2015deep"], id["he2016cvpr"]);
    t.set_notes(pre, "read for the reading group").unwrap();
    t.set_notes(publ, "cite the CVPR version").unwrap();
    t.set_tags(pre, &["resnet".into()]).unwrap();
    t.set_tags(publ, &["vision".into()]).unwrap();
    t.set_collections(publ, &["Thesis/Background".into()])
        .unwrap();
    t.set_flags(publ, None, Some(true)).unwrap();
    let before_pre = t.paper(pre).unwrap();
    let before_publ = t.paper(publ).unwrap();
    let n = t.len().unwrap();

    // Keep the preprint; take the published version's title spelling.
    let choices = BTreeMap::from([("title".to_string(), publ)]);
    let report = t.merge_papers(pre, &[publ], &choices).unwrap();
    assert_eq!((report.kept, report.merged.clone()), (pre, vec![publ]));
    let m = t.paper(pre).unwrap();

    // Field by field: each value is one of the two, never lost.
    assert_eq!(m.title, before_publ.title, "the chosen title");
    assert_eq!(m.arxiv_id, before_pre.arxiv_id);
    assert_eq!(m.doi, before_publ.doi, "the published version's DOI");
    assert_eq!(m.container, before_publ.container);
    assert_eq!(m.pages, before_publ.pages);
    assert_eq!(m.abstract_text, before_pre.abstract_text);
    assert_eq!(m.year, before_pre.year, "the kept paper's year");
    assert_eq!(m.authors, before_pre.authors);
    assert_eq!(m.citation_key, before_pre.citation_key);
    assert_eq!(
        m.extra.get("ids").map(String::as_str),
        before_publ.citation_key.as_deref(),
        "the other key is an alias"
    );
    assert_eq!(
        m.notes,
        "read for the reading group\n\ncite the CVPR version"
    );
    assert_eq!(m.tags, ["resnet", "vision"]);
    assert_eq!(m.collections, ["Thesis/Background"]);
    assert!(m.starred);
    assert!(
        m.edited.contains(&"title".to_string()),
        "a chosen value is the user's"
    );

    // The other is in the trash, without the identifiers the kept paper now holds.
    assert_eq!(t.len().unwrap(), n - 1);
    let gone = t.paper(publ).unwrap();
    assert!(gone.trashed_at.is_some());
    assert_eq!((gone.doi, gone.citation_key), (None, None));
    assert_eq!(
        t.find("he2016cvpr").unwrap().id,
        pre,
        "the old key finds the merged paper"
    );
    let hits: Vec<i64> = t
        .search("\"residual learning\"", 10)
        .unwrap()
        .hits
        .iter()
        .map(|h| h.id)
        .collect();
    assert_eq!(hits, [pre], "search shows the merged paper once");
    assert!(
        !groups(&t).iter().any(|g| g.contains(&pre)),
        "merged papers are no longer proposed"
    );

    // One undo puts both back as they were.
    assert_eq!(t.undo().unwrap().unwrap().label, "Merge 2 papers");
    let mut back_pre = t.paper(pre).unwrap();
    let mut back_publ = t.paper(publ).unwrap();
    back_pre.topics.clear();
    back_publ.topics.clear();
    let (mut want_pre, mut want_publ) = (before_pre.clone(), before_publ.clone());
    want_pre.topics.clear();
    want_publ.topics.clear();
    assert_eq!(back_pre, want_pre);
    assert_eq!(back_publ, want_publ);
    assert_eq!(t.len().unwrap(), n);
    // And redo merges again.
    t.redo().unwrap().unwrap();
    assert_eq!(t.paper(pre).unwrap().doi, before_publ.doi);
    assert_eq!(
        t.list_ids(&View::Trash, topica_core::SortBy::Added)
            .unwrap(),
        [publ]
    );
}

#[test]
fn not_duplicates_is_remembered_and_undoable() {
    let (t, id) = library();
    let pair = [id["bahdanau2014"], id["bengio2014typo"]];
    assert_eq!(t.mark_not_duplicates(&pair).unwrap(), 1);
    assert!(!groups(&t).contains(&pair.to_vec()), "never proposed again");
    assert_eq!(groups(&t).len(), 1);
    // Reopening the library keeps the mark.
    let dir = t.dir.path().to_path_buf();
    let util::TestLibrary { dir: _keep, lib } = t;
    drop(lib);
    let t = Library::open(&dir).unwrap();
    assert_eq!(groups(&t).len(), 1);
    t.undo().unwrap().unwrap();
    assert!(
        groups(&t).contains(&pair.to_vec()),
        "undo proposes the pair again"
    );
}

#[test]
fn a_merge_with_a_missing_paper_or_a_foreign_choice_changes_nothing() {
    let (t, id) = library();
    let (a, b) = (id["bahdanau2014"], id["bengio2014typo"]);
    let before = (t.paper(a).unwrap(), t.paper(b).unwrap());
    assert!(t.merge_papers(a, &[999_999], &BTreeMap::new()).is_err());
    let foreign = BTreeMap::from([("title".to_string(), id["he2017mask"])]);
    let err = t.merge_papers(a, &[b], &foreign).unwrap_err().to_string();
    assert!(
        err.contains("must come from one of the papers merged"),
        "{err}"
    );
    assert!(t.merge_papers(a, &[a], &BTreeMap::new()).is_err());
    assert_eq!((t.paper(a).unwrap(), t.paper(b).unwrap()), before);
    assert!(t
        .history()
        .unwrap()
        .undo
        .is_some_and(|u| !u.starts_with("Merge")));
}
