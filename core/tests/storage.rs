//! Robustness of storage: the search index is rebuilt when missing, stale or corrupt; a failed
//! strict import changes nothing; by default every skipped record is reported. (A `kill -9` in the
//! middle of an import is `topica-cli`'s test `kill9`: it kills the real CLI.)

use std::path::{Path, PathBuf};

use topica_core::{Error, ImportOptions, Library, Paper, INDEX_DIR};

use crate::util;

fn all_papers(lib: &Library) -> Vec<Paper> {
    lib.papers(0, 0).expect("list papers")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// The sample library in `dir`, with a note the index must know about; returns its papers.
fn sample_with_note(dir: &Path) -> Vec<Paper> {
    let lib = Library::open(dir).unwrap();
    assert_eq!(
        lib.index_rebuilt_at_open(),
        None,
        "a new library has nothing to rebuild"
    );
    lib.import_sample().unwrap();
    let p = lib.find("2212.11851").unwrap();
    lib.set_notes(p.id, "axolotl experiments").unwrap();
    all_papers(&lib)
}

/// The index was rebuilt at open, and says how many papers it took back.
fn assert_rebuilt(lib: &Library, papers: usize) {
    assert_eq!(lib.index_rebuilt_at_open(), Some(papers));
}

fn assert_searchable(lib: &Library) {
    assert_eq!(
        lib.search("axolotl", 10).unwrap().hits.len(),
        1,
        "the note is indexed"
    );
    let r = lib.search("\"speech enhancement\"", 3).unwrap();
    assert!(r
        .hits
        .iter()
        .any(|h| h.arxiv_id.as_deref() == Some("2212.11851")));
}

/// Opening a folder that is not a library never deletes what is in it (it once removed any
/// `index/` folder), and a library of the old layout (index beside the database) moves its
/// index under `.topica/` and keeps its papers.
#[test]
fn a_users_folder_is_refused_untouched_and_an_old_library_opens() {
    let docs = tempfile::tempdir().unwrap();
    let theirs = docs.path().join("index");
    std::fs::create_dir(&theirs).unwrap();
    std::fs::write(theirs.join("meta.json"), "my own meta").unwrap();
    let err = Library::open(docs.path())
        .err()
        .expect("refused")
        .to_string();
    assert!(err.contains("not a Topica library"), "{err}");
    assert_eq!(
        std::fs::read_to_string(theirs.join("meta.json")).unwrap(),
        "my own meta"
    );
    assert_eq!(
        std::fs::read_dir(docs.path()).unwrap().count(),
        1,
        "nothing added either"
    );

    let dir = tempfile::tempdir().unwrap();
    let before = sample_with_note(dir.path());
    // The old layout: the index where 0.1 kept it, no .topica/.
    std::fs::rename(dir.path().join(INDEX_DIR), dir.path().join("index")).unwrap();
    std::fs::remove_dir_all(dir.path().join(topica_core::DERIVED_DIR)).unwrap();
    let lib = Library::open(dir.path()).unwrap();
    assert_eq!(all_papers(&lib), before);
    assert_searchable(&lib);
    assert!(
        !dir.path().join("index").exists(),
        "the old index was tantivy's: removed"
    );
    assert!(dir.path().join(INDEX_DIR).join("meta.json").exists());
}

#[test]
fn missing_index_is_rebuilt_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let before = sample_with_note(dir.path());
    // A current index is opened as it is.
    assert_eq!(
        Library::open(dir.path()).unwrap().index_rebuilt_at_open(),
        None
    );
    std::fs::remove_dir_all(dir.path().join(INDEX_DIR)).unwrap();
    let lib = Library::open(dir.path()).unwrap();
    assert_eq!(all_papers(&lib), before);
    assert_rebuilt(&lib, before.len());
    assert_searchable(&lib);
}

#[test]
fn stale_index_is_rebuilt_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let old_index = tempfile::tempdir().unwrap();
    {
        let lib = Library::open(dir.path()).unwrap();
        lib.import_sample().unwrap();
    }
    // Keep the index as it was before the note was written, then put it back.
    copy_dir(&dir.path().join(INDEX_DIR), old_index.path());
    let before = sample_with_note(dir.path());
    std::fs::remove_dir_all(dir.path().join(INDEX_DIR)).unwrap();
    copy_dir(old_index.path(), &dir.path().join(INDEX_DIR));
    let lib = Library::open(dir.path()).unwrap();
    assert_eq!(all_papers(&lib), before);
    assert_rebuilt(&lib, before.len());
    assert_searchable(&lib);
}

#[test]
fn corrupt_index_is_rebuilt_on_open() {
    // Each way of damaging the files: truncate them, overwrite their middle, empty them.
    for damage in ["truncate", "garble", "empty"] {
        let dir = tempfile::tempdir().unwrap();
        let before = sample_with_note(dir.path());
        // Opened once more: its files' checksums are checked and remembered as sound, which must
        // not keep a file damaged since from being checked again.
        drop(Library::open(dir.path()).unwrap());
        let index = dir.path().join(INDEX_DIR);
        for e in std::fs::read_dir(&index).unwrap() {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if name.starts_with('.') || name == "meta.json" || name.starts_with("topica-") {
                continue; // damage the segment files; the generation stays current
            }
            let bytes = std::fs::read(&path).unwrap();
            let damaged = match damage {
                "truncate" => bytes[..bytes.len() / 2].to_vec(),
                "garble" => {
                    let mut b = bytes.clone();
                    let mid = b.len() / 2;
                    for x in &mut b[mid.saturating_sub(16)..(mid + 16).min(bytes.len())] {
                        *x = !*x;
                    }
                    b
                }
                _ => Vec::new(),
            };
            std::fs::write(&path, damaged).unwrap();
        }
        let lib = Library::open(dir.path()).unwrap_or_else(|e| panic!("{damage}: {e}"));
        assert_eq!(all_papers(&lib), before, "{damage}: no user data lost");
        assert_rebuilt(&lib, before.len());
        assert_searchable(&lib);
    }
    // A garbled meta.json too.
    let dir = tempfile::tempdir().unwrap();
    let before = sample_with_note(dir.path());
    std::fs::write(dir.path().join(INDEX_DIR).join("meta.json"), b"{not json").unwrap();
    let lib = Library::open(dir.path()).unwrap();
    assert_eq!(all_papers(&lib), before);
    assert_rebuilt(&lib, before.len());
    assert_searchable(&lib);
}

/// An index written by an older build (its schema without the typo-tolerance `lexicon`
/// field, as before it existed) but at the database's generation is rebuilt too: otherwise
/// opening it would fail, or typo tolerance would find nothing.
#[test]
fn index_of_an_older_schema_is_rebuilt_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let before = sample_with_note(dir.path());
    let meta = std::fs::read_to_string(dir.path().join(INDEX_DIR).join("meta.json")).unwrap();
    let generation = serde_json::from_str::<serde_json::Value>(&meta).unwrap()["payload"]
        .as_str()
        .unwrap()
        .to_string();
    let index = dir.path().join(INDEX_DIR);
    std::fs::remove_dir_all(&index).unwrap();
    std::fs::create_dir_all(&index).unwrap();
    {
        use tantivy::schema::{Schema, INDEXED, STORED, TEXT};
        let mut b = Schema::builder();
        let id = b.add_u64_field("paper_id", INDEXED | STORED);
        let words = b.add_text_field("words", TEXT);
        let old = tantivy::Index::create_in_dir(&index, b.build()).unwrap();
        let mut w: tantivy::IndexWriter = old.writer(15_000_000).unwrap();
        w.add_document(tantivy::doc!(id => 1u64, words => "axolotl"))
            .unwrap();
        let mut prepared = w.prepare_commit().unwrap();
        prepared.set_payload(&generation);
        prepared.commit().unwrap();
    }
    let lib = Library::open(dir.path()).unwrap();
    assert_eq!(all_papers(&lib), before);
    assert_rebuilt(&lib, before.len());
    assert_searchable(&lib);
    // The rebuilt lexicon holds the words of notes: a typo in one is forgiven.
    let r = lib.search("axolotel", 10).unwrap();
    assert!(r.fuzzy, "typo tolerance was used");
    assert_eq!(r.hits.len(), 1, "the paper with the note is found");
}

fn write_file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// A Kaggle-schema line for a made-up paper.
fn jsonl_line(id: &str, title: &str) -> String {
    serde_json::json!({
        "id": id, "title": title, "authors": "Ada Lovelace, Alan Turing",
        "abstract": format!("We study {title} with analytical engines and obtain several results."),
        "categories": "cs.LG", "versions": [{"version": "v1"}],
        "authors_parsed": [["Lovelace", "Ada", ""], ["Turing", "Alan", ""]]
    })
    .to_string()
}

#[test]
fn failed_strict_import_changes_nothing_and_names_every_bad_line() {
    let t = util::sample_library();
    let p = t.find("2302.14748").unwrap();
    t.set_tags(p.id, &["keep".into()]).unwrap();
    let before = all_papers(&t);

    // Good lines, a record that merges into a sample paper, then two bad lines.
    let text = [
        jsonl_line("2401.00001", "Quokka dynamics"),
        jsonl_line("2302.14748", "A title for the sample paper"),
        "{\"id\": \"2401.00002\", \"title\": \"unterminated".to_string(),
        jsonl_line("2401.00003", "Wombat flows"),
        "{\"id\": \"not-an-id\", \"title\": \"x\"}".to_string(),
    ]
    .join("\n");
    let file = write_file(t.dir.path(), "bad.jsonl", &text);
    let strict = ImportOptions {
        strict: true,
        ..ImportOptions::default()
    };
    let err = t
        .import_files(std::slice::from_ref(&file), &strict)
        .unwrap_err();
    let Error::ImportFailed(errors) = &err else {
        panic!("expected ImportFailed, got {err:?}")
    };
    let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![3, 5]);
    for e in errors {
        assert!(e.file.ends_with("bad.jsonl"), "{e}");
        assert!(!e.reason.is_empty());
    }
    let message = err.to_string();
    assert!(
        message.contains("bad.jsonl:3:") && message.contains("bad.jsonl:5:"),
        "{message}"
    );

    assert_eq!(
        all_papers(&t),
        before,
        "nothing was written, not even the merge"
    );
    assert_eq!(
        t.search("quokka OR wombat", 10).unwrap().total,
        0,
        "the index saw nothing either"
    );
    // And still nothing after reopening from disk.
    let reopened = Library::open(t.dir.path()).unwrap();
    assert_eq!(all_papers(&reopened), before);
    assert_eq!(reopened.search("quokka", 10).unwrap().total, 0);
}

#[test]
fn an_import_takes_the_good_records_and_reports_each_bad_one() {
    let t = util::sample_library();
    let text = [
        jsonl_line("2401.00001", "Quokka dynamics"),
        "garbage".to_string(),
        jsonl_line("2401.00003", "Wombat flows"),
        "{\"id\": \"not-an-id\"}".to_string(),
        String::new(),
        "{\"title\": \"no id\"}".to_string(),
    ]
    .join("\n");
    let file = write_file(t.dir.path(), "mixed.jsonl", &text);
    let report = t.import_files(&[file], &ImportOptions::default()).unwrap();
    assert_eq!((report.added, report.merged), (2, 0));
    let skipped: Vec<(usize, bool)> = report
        .skipped
        .iter()
        .map(|s| (s.line, s.file.ends_with("mixed.jsonl")))
        .collect();
    assert_eq!(skipped, vec![(2, true), (4, true), (6, true)]);
    assert_eq!(t.len().unwrap(), 96);
    assert_eq!(
        t.search("quokka", 10).unwrap().hits[0].arxiv_id.as_deref(),
        Some("2401.00001")
    );
}

/// Past the first thousand records an import finds duplicates and taken citation keys from
/// hashes instead of SQL lookups; the answers must stay the same.
#[test]
fn bulk_imports_merge_duplicates_by_every_rule() {
    let t = util::library();
    let line = |id: &str, title: &str, doi: Option<&str>, version: &str| {
        serde_json::json!({
            "id": id, "title": title, "authors": "Ada Lovelace, Alan Turing",
            "abstract": format!("We study {title} with analytical engines."),
            "categories": "cs.LG", "doi": doi, "versions": [{"version": version}],
            "authors_parsed": [["Lovelace", "Ada", ""], ["Turing", "Alan", ""]]
        })
        .to_string()
    };
    let mut text = String::new();
    for i in 1..=1100 {
        let doi = format!("10.1000/paper.{i}");
        let title = format!("Analytical engine study number {i}");
        text += &line(&format!("1501.{i:05}"), &title, Some(&doi), "v1");
        text.push('\n');
    }
    // Three late duplicates, one per rule: the arXiv id (a newer version), the DOI (under
    // another id), the title + first author + year (another id from the same month, no DOI).
    text += &line("1501.00005", "Analytical engine study number 5", None, "v2");
    text.push('\n');
    text += &line(
        "1501.02001",
        "Analytical engines: study number 7",
        Some("10.1000/PAPER.7"),
        "v1",
    );
    text.push('\n');
    text += &line(
        "1501.02002",
        "Analytical Engine Study, Number 9",
        None,
        "v1",
    );
    text.push('\n');
    let file = write_file(t.dir.path(), "bulk.jsonl", &text);

    let report = t
        .import_files(std::slice::from_ref(&file), &ImportOptions::default())
        .unwrap();
    // Duplicates of papers this import added are counted apart: no paper already in the
    // library was merged into, and the 1,103 records add up.
    assert_eq!(
        (report.added, report.merged, report.duplicates),
        (1100, 0, 3)
    );
    let papers = all_papers(&t);
    assert_eq!(papers.len(), 1100);
    let five = t.find("1501.00005").unwrap();
    assert_eq!(
        five.arxiv_version,
        Some(2),
        "the newest version is recorded"
    );
    let keys: std::collections::HashSet<String> = papers
        .iter()
        .map(|p| p.citation_key.clone().unwrap().to_ascii_lowercase())
        .collect();
    assert_eq!(
        keys.len(),
        1100,
        "citation keys are unique case-insensitively"
    );

    let again = t.import_files(&[file], &ImportOptions::default()).unwrap();
    assert_eq!((again.added, again.merged), (0, 1100));
    assert_eq!(all_papers(&t).len(), 1100);
}

#[test]
fn a_second_writer_is_told_the_library_is_busy_and_changes_nothing() {
    // Two handles on one library, as the app and a topica-cli would be: the first holds the
    // index's writer after its first change.
    let t = util::sample_library();
    let p = t.find("2302.14748").unwrap();
    t.set_notes(p.id, "first").unwrap();
    let other = topica_core::Library::open(t.dir.path()).unwrap();
    assert!(
        !t.changed_elsewhere().unwrap(),
        "the first look only notes where things stand"
    );
    let err = other.set_notes(p.id, "second").unwrap_err();
    assert_eq!(err.kind(), "busy", "{err}");
    // The holder is named (here this very test process, which holds the first handle).
    assert!(
        err.to_string().starts_with(&format!(
            "the library is busy: another Topica process (PID {}, ",
            std::process::id()
        )),
        "{err}"
    );
    assert_eq!(t.paper(p.id).unwrap().notes, "first", "nothing was changed");
    // Once the first lets its writer go (the app does when idle), the second can write.
    assert!(
        !t.release_index_writer(std::time::Duration::from_secs(3600))
            .unwrap(),
        "not idle yet"
    );
    assert!(t.release_index_writer(std::time::Duration::ZERO).unwrap());
    other.set_notes(p.id, "second").unwrap();
    assert_eq!(t.paper(p.id).unwrap().notes, "second");
    assert_eq!(
        other.search("notes:second", 5).unwrap().total,
        1,
        "the index saw it too"
    );
    // The first handle learns of the other's change, and then its searches see it.
    assert!(t.changed_elsewhere().unwrap());
    assert_eq!(t.search("notes:second", 5).unwrap().total, 1);
    assert!(!t.changed_elsewhere().unwrap(), "nothing new since");
    // The other still holds its writer: the first is told the library is busy.
    assert_eq!(t.set_notes(p.id, "mine").unwrap_err().kind(), "busy");
    assert!(other
        .release_index_writer(std::time::Duration::ZERO)
        .unwrap());
    t.set_notes(p.id, "mine").unwrap();
    assert!(
        !t.changed_elsewhere().unwrap(),
        "its own changes do not count"
    );
}

#[test]
fn opening_waits_for_the_process_bringing_a_stale_index_up_to_date_instead_of_deleting_it() {
    let t = util::sample_library();
    let p = t.papers(1, 0).unwrap().remove(0);
    t.set_notes(p.id, "first").unwrap(); // `t` now holds the index's writer
                                         // The database moves ahead of the index, as while the app rebuilds it after a topic fit.
    let raw = rusqlite::Connection::open(t.dir.path().join("library.sqlite")).unwrap();
    raw.execute(
        "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'",
        [],
    )
    .unwrap();
    let bring_up = std::thread::scope(|s| {
        s.spawn(|| {
            std::thread::sleep(std::time::Duration::from_millis(400));
            // The holder's next commit writes the index at the database's generation again.
            t.set_notes(p.id, "second").unwrap();
        });
        let started = std::time::Instant::now();
        let other = topica_core::Library::open(t.dir.path()).unwrap();
        (
            started.elapsed(),
            other.search("notes:second", 5).unwrap().total,
        )
    });
    assert!(
        bring_up.0 >= std::time::Duration::from_millis(300),
        "it waited: {:?}",
        bring_up.0
    );
    assert_eq!(
        bring_up.1, 1,
        "and opened the index the holder brought up to date"
    );
    t.set_notes(p.id, "third").unwrap();
    assert_eq!(
        t.search("notes:third", 5).unwrap().total,
        1,
        "the holder's files are intact"
    );
}
