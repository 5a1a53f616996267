//! Files attached to papers: copy or link, names that follow the citation key, detach and undo,
//! the trash (files stay until it is emptied, then go to the system trash), missing files and
//! relinking, merges; and PDFs' full text: search with page numbers, hostile files, importing a
//! folder of PDFs.

use std::path::{Path, PathBuf};

use topica_core::{AttachMode, Library, PaperEdit, TextState};

use crate::util;

/// The system trash the tests' emptied files go to: one temporary data folder for the whole
/// test binary (the trash crate reads `XDG_DATA_HOME`), so no test touches the user's trash.
fn system_trash() -> PathBuf {
    static DATA: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let dir = DATA.get_or_init(|| {
        let d = tempfile::tempdir().expect("temp dir");
        std::env::set_var("XDG_DATA_HOME", d.path());
        d
    });
    dir.path().join("Trash/files")
}

/// A file outside the library with these bytes.
fn outside(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn names(lib: &Library, paper: i64) -> Vec<String> {
    lib.files(paper)
        .unwrap()
        .iter()
        .map(|f| {
            Path::new(&f.path)
                .strip_prefix(lib.dir())
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_else(|_| f.path.clone())
        })
        .collect()
}

#[test]
fn a_copied_file_is_named_from_the_key_and_follows_it() {
    let t = util::sample_library();
    let elsewhere = tempfile::tempdir().unwrap();
    let p = t.find("2302.14748").unwrap();
    let key = p.citation_key.clone().unwrap();
    let notes = outside(elsewhere.path(), "My Notes.TXT", b"first thoughts");
    let data = outside(elsewhere.path(), "results.csv", b"a,b\n1,2\n");

    let report = t
        .attach_files(p.id, &[notes.clone(), data.clone()], AttachMode::Copy)
        .unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(
        names(&t, p.id),
        [format!("files/{key}.txt"), format!("files/{key}.csv")]
    );
    let f = &report.attached[0];
    assert_eq!(
        (f.name.as_str(), f.size, f.linked, f.missing),
        ("My Notes.TXT", 14, false, false)
    );
    assert_eq!(f.text, TextState::NotPdf);
    // A copy: the user's file is where it was, untouched.
    assert_eq!(std::fs::read(&notes).unwrap(), b"first thoughts");
    assert_eq!(std::fs::read(&f.path).unwrap(), b"first thoughts");

    // The same file again is refused, by content, whatever its name.
    let again = outside(elsewhere.path(), "copy.txt", b"first thoughts");
    let report = t.attach_files(p.id, &[again], AttachMode::Copy).unwrap();
    assert!(report.attached.is_empty());
    assert_eq!(report.failed[0].reason, "this paper already has this file");

    // The key changes: the stored files follow; undoing the edit puts the names back.
    t.set_citation_key(p.id, "speech2023").unwrap();
    assert_eq!(
        names(&t, p.id),
        ["files/speech2023.txt", "files/speech2023.csv"]
    );
    let edit = PaperEdit::from_assignments(["citation_key=enhance23"]).unwrap();
    t.update_paper(p.id, &edit).unwrap();
    assert_eq!(
        names(&t, p.id),
        ["files/enhance23.txt", "files/enhance23.csv"]
    );
    t.undo().unwrap();
    assert_eq!(
        names(&t, p.id),
        ["files/speech2023.txt", "files/speech2023.csv"]
    );
    for f in t.files(p.id).unwrap() {
        assert!(Path::new(&f.path).is_file(), "{}", f.path);
    }
    assert!(!t.dir().join(format!("files/{key}.txt")).exists());
}

#[test]
fn a_second_paper_with_the_same_key_base_gets_its_own_name() {
    let t = util::sample_library();
    let elsewhere = tempfile::tempdir().unwrap();
    let a = t.find("2302.14748").unwrap();
    let b = t.find("2212.11851").unwrap();
    t.set_citation_key(a.id, "same").unwrap();
    t.set_citation_key(b.id, "same-x").unwrap();
    let one = outside(elsewhere.path(), "one.pdf.txt", b"1");
    let two = outside(elsewhere.path(), "two.txt", b"2");
    t.attach_files(a.id, &[one], AttachMode::Copy).unwrap();
    t.attach_files(a.id, &[two], AttachMode::Copy).unwrap();
    assert_eq!(names(&t, a.id), ["files/same.txt", "files/same-2.txt"]);
    // A file already in the library folder under the name a key asks for is never replaced.
    std::fs::write(t.dir().join("files/same-x.txt"), b"not Topica's").unwrap();
    let three = outside(elsewhere.path(), "three.txt", b"3");
    t.attach_files(b.id, &[three], AttachMode::Copy).unwrap();
    assert_eq!(names(&t, b.id), ["files/same-x-2.txt"]);
    assert_eq!(
        std::fs::read(t.dir().join("files/same-x.txt")).unwrap(),
        b"not Topica's"
    );
}

#[test]
fn a_linked_file_stays_the_users_and_a_missing_one_is_relinked() {
    let t = util::sample_library();
    let elsewhere = tempfile::tempdir().unwrap();
    let p = t.find("2302.14748").unwrap();
    let mine = outside(elsewhere.path(), "mine.txt", b"kept where I keep it");
    let report = t
        .attach_files(p.id, std::slice::from_ref(&mine), AttachMode::Link)
        .unwrap();
    let f = &report.attached[0];
    assert!(f.linked);
    assert_eq!(Path::new(&f.path), std::fs::canonicalize(&mine).unwrap());
    assert!(!t.dir().join("files").exists(), "nothing copied");

    // Moved behind Topica's back: shown as missing, then relinked to where it went.
    let moved = elsewhere.path().join("moved.txt");
    std::fs::rename(&mine, &moved).unwrap();
    let listed = t.files(p.id).unwrap();
    assert!(listed[0].missing);
    let relinked = t.relink_file(f.id, &moved).unwrap();
    assert!(!relinked.missing && relinked.linked);
    assert_eq!(
        Path::new(&relinked.path),
        std::fs::canonicalize(&moved).unwrap()
    );
    // Relinking is a step of its own: undone, the file points where it was (missing again).
    t.undo().unwrap();
    assert!(t.files(p.id).unwrap()[0].missing);
    // A path that is no file is refused, naming it.
    let err = t
        .relink_file(f.id, &elsewhere.path().join("nowhere.txt"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("nowhere.txt") && err.contains("cannot read it"),
        "{err}"
    );
}

#[test]
fn files_stay_until_the_trash_is_emptied_then_go_to_the_system_trash() {
    let trash_dir = system_trash();
    let t = util::sample_library();
    let elsewhere = tempfile::tempdir().unwrap();
    let p = t.find("2302.14748").unwrap();
    let q = t.find("2212.11851").unwrap();
    let mine = outside(elsewhere.path(), "linked.txt", b"the user's own");
    let stored = outside(elsewhere.path(), "stored.txt", b"a copy for the library");
    let detached = outside(elsewhere.path(), "detached.txt", b"taken off paper q");
    t.attach_files(p.id, &[stored], AttachMode::Copy).unwrap();
    t.attach_files(p.id, std::slice::from_ref(&mine), AttachMode::Link)
        .unwrap();
    let off = t.attach_files(q.id, &[detached], AttachMode::Copy).unwrap();
    let stored_path = PathBuf::from(&t.files(p.id).unwrap()[0].path);
    let detached_path = PathBuf::from(&off.attached[0].path);

    // Detaching is undoable and keeps the copy.
    t.detach_files(&[off.attached[0].id]).unwrap();
    assert!(t.files(q.id).unwrap().is_empty());
    assert!(detached_path.is_file());
    t.undo().unwrap();
    assert_eq!(t.files(q.id).unwrap().len(), 1);
    t.redo().unwrap();
    assert!(t.files(q.id).unwrap().is_empty());

    // Deleting the paper keeps its files; restoring brings them back with it.
    t.trash(&[p.id]).unwrap();
    assert!(stored_path.is_file());
    t.undo().unwrap();
    assert_eq!(t.files(p.id).unwrap().len(), 2);
    t.trash(&[p.id]).unwrap();

    let emptied = t.empty_trash().unwrap();
    assert_eq!(emptied.deleted, 1);
    assert_eq!(emptied.files_trashed, 2, "{emptied:?}");
    assert!(emptied.files_kept.is_empty(), "{:?}", emptied.files_kept);
    assert!(!stored_path.exists() && !detached_path.exists());
    let in_trash: Vec<Vec<u8>> = std::fs::read_dir(&trash_dir)
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    assert!(in_trash.contains(&b"a copy for the library".to_vec()));
    assert!(in_trash.contains(&b"taken off paper q".to_vec()));
    // The linked file is the user's: never moved, never trashed.
    assert_eq!(std::fs::read(&mine).unwrap(), b"the user's own");
}

#[test]
fn a_merge_gives_the_kept_paper_every_file_and_undo_takes_them_back() {
    let t = util::sample_library();
    let elsewhere = tempfile::tempdir().unwrap();
    let a = t.find("2302.14748").unwrap();
    let b = t.find("2212.11851").unwrap();
    t.attach_files(
        a.id,
        &[outside(elsewhere.path(), "a.txt", b"a")],
        AttachMode::Copy,
    )
    .unwrap();
    t.attach_files(
        b.id,
        &[outside(elsewhere.path(), "b.txt", b"b")],
        AttachMode::Copy,
    )
    .unwrap();
    t.merge_papers(a.id, &[b.id], &Default::default()).unwrap();
    let key = t.paper(a.id).unwrap().citation_key.unwrap();
    assert_eq!(
        names(&t, a.id),
        [format!("files/{key}.txt"), format!("files/{key}-2.txt")]
    );
    t.undo().unwrap();
    assert_eq!(t.files(a.id).unwrap().len(), 1);
    let back = t.files(b.id).unwrap();
    assert_eq!(back.len(), 1);
    assert_eq!(std::fs::read(&back[0].path).unwrap(), b"b");
    let b_key = t.paper(b.id).unwrap().citation_key.unwrap();
    assert_eq!(names(&t, b.id), [format!("files/{b_key}.txt")]);
}

#[test]
fn attaching_to_a_paper_in_the_trash_or_a_missing_file_is_refused_with_its_reason() {
    let t = util::sample_library();
    let p = t.find("2302.14748").unwrap();
    let report = t
        .attach_files(
            p.id,
            &[PathBuf::from("/nonexistent/x.pdf")],
            AttachMode::Copy,
        )
        .unwrap();
    assert!(report.attached.is_empty());
    assert!(
        report.failed[0].reason.starts_with("cannot read it"),
        "{report:?}"
    );
    assert!(t
        .history()
        .unwrap()
        .undo
        .is_none_or(|u| !u.starts_with("Attach")));
    t.trash(&[p.id]).unwrap();
    let err = t
        .attach_files(p.id, &[PathBuf::from("/etc/hostname")], AttachMode::Copy)
        .unwrap_err();
    assert!(err.to_string().contains("in the trash"), "{err}");
}

#[test]
fn a_bibtex_export_can_carry_the_files_relative_to_where_it_is_written() {
    use topica_core::export::{ExportFormat, ExportOptions, Scope};
    let t = util::sample_library();
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join("papers/my dir")).unwrap();
    std::fs::create_dir_all(home.path().join("thesis")).unwrap();
    let linked = outside(
        &home.path().join("papers/my dir"),
        "a_b;c.pdf",
        b"%PDF-1.4 x",
    );
    let p = t.find("2302.14748").unwrap();
    let key = p.citation_key.clone().unwrap();
    t.attach_files(p.id, &[linked], AttachMode::Link).unwrap();
    t.attach_files(
        p.id,
        &[outside(home.path(), "notes.txt", b"n")],
        AttachMode::Copy,
    )
    .unwrap();
    let opts = |files| ExportOptions {
        format: Some(ExportFormat::Biblatex),
        scope: Scope::Ids(vec![p.id.to_string()]),
        files,
        ..ExportOptions::default()
    };
    let out = home.path().join("thesis/refs.bib");
    t.export_to_file(&opts(true), &out, false).unwrap();
    let bib = std::fs::read_to_string(&out).unwrap();
    let lib_dir = std::fs::canonicalize(t.dir()).unwrap();
    let to_lib = relative_from(&home.path().join("thesis"), &lib_dir);
    let expected =
        format!("file = {{:../papers/my dir/a_b\\;c.pdf:PDF;:{to_lib}/files/{key}.txt:TXT}}");
    assert!(bib.contains(&expected), "{expected}\n{bib}");
    // To stdout: relative to the library folder. Without the option: no field.
    let text = t.export(&opts(true)).unwrap();
    assert!(text.contains(&format!(":files/{key}.txt:TXT}}")), "{text}");
    assert!(!t.export(&opts(false)).unwrap().contains("file ="));
}

/// `to` as a path relative to `from` (both folders), the way the export writes it.
fn relative_from(from: &Path, to: &Path) -> String {
    let from = std::fs::canonicalize(from).unwrap();
    let a: Vec<_> = from.components().collect();
    let b: Vec<_> = to.components().collect();
    let shared = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".into(); a.len() - shared];
    parts.extend(
        b[shared..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}
