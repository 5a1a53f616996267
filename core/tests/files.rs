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

#[test]
fn an_imported_bib_links_the_files_its_file_field_names() {
    use topica_core::ImportOptions;
    let t = util::library();
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join("papers")).unwrap();
    let relative = pdf(&home.path().join("papers"), "arxiv-paper.pdf");
    let elsewhere = tempfile::tempdir().unwrap();
    let absolute = pdf(elsewhere.path(), "doi-paper.pdf");
    let bib = home.path().join("refs.bib");
    std::fs::write(
        &bib,
        format!(
            "@article{{withfile, title = {{With its PDF}}, doi = {{10.1000/a}}, file = {{Full text:papers/arxiv-paper.pdf:PDF}}}}\n\
             @article{{gone, title = {{Its file is gone}}, doi = {{10.1000/b}}, file = {{:papers/gone.pdf:PDF}}}}\n\
             @article{{absolute, title = {{Named by an absolute path}}, doi = {{10.1000/c}}, file = {{{}}}}}\n",
            absolute.display()
        ),
    )
    .unwrap();
    let r = t
        .import_files(std::slice::from_ref(&bib), &ImportOptions::default())
        .unwrap();
    assert_eq!(r.added, 3, "{r:?}");
    let gone: Vec<_> = r
        .warnings
        .iter()
        .filter(|w| w.reason.contains("gone.pdf"))
        .collect();
    assert_eq!(gone.len(), 1, "{:?}", r.warnings);
    assert_eq!(gone[0].line, 2);

    let with = t.find("withfile").unwrap();
    let files = t.files(with.id).unwrap();
    assert_eq!(files.len(), 1);
    assert!(
        files[0].linked,
        "another program's file is linked, not copied"
    );
    assert_eq!(
        Path::new(&files[0].path),
        std::fs::canonicalize(&relative).unwrap()
    );
    assert_eq!(files[0].text, TextState::Read);
    assert_eq!(hits(&t, "fulltext:zygomorphic")[0].0, with.id);
    assert!(
        !t.dir().join("files").exists(),
        "nothing copied into the library"
    );
    assert_eq!(t.files(t.find("absolute").unwrap().id).unwrap().len(), 1);
    assert!(t.files(t.find("gone").unwrap().id).unwrap().is_empty());

    // Again: merged, no file twice. One undo per import: the first one takes papers and files.
    let again = t.import_files(&[bib], &ImportOptions::default()).unwrap();
    assert_eq!(again.merged, 3, "{again:?}");
    assert_eq!(t.files(with.id).unwrap().len(), 1);
    t.undo().unwrap();
    t.undo().unwrap();
    assert_eq!(t.len().unwrap(), 0);
    assert!(hits(&t, "fulltext:zygomorphic").is_empty());
    assert!(relative.exists(), "the user's file stays where it is");
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

/// A copy of a committed test PDF in `dir`.
fn pdf(dir: &Path, name: &str) -> PathBuf {
    let to = dir.join(name);
    std::fs::copy(util::fixture(&format!("pdf/{name}")), &to).unwrap();
    to
}

fn hits(lib: &Library, query: &str) -> Vec<(i64, Option<i64>, String)> {
    lib.search(query, 20)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| (h.id, h.page, h.snippet))
        .collect()
}

#[test]
fn a_pdfs_words_are_found_on_their_page_and_follow_the_file() {
    let t = util::sample_library();
    let elsewhere = tempfile::tempdir().unwrap();
    let p = t.find("2302.14748").unwrap();
    assert!(hits(&t, "zygomorphic").is_empty());
    let r = t
        .attach_files(
            p.id,
            &[pdf(elsewhere.path(), "arxiv-paper.pdf")],
            AttachMode::Copy,
        )
        .unwrap();
    let f = &r.attached[0];
    assert_eq!((f.pages, &f.text), (Some(3), &TextState::Read));

    let found = hits(&t, "fulltext:zygomorphic");
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].0, found[0].1), (p.id, Some(2)));
    assert!(found[0].2.contains("<b>zygomorphic</b>"), "{}", found[0].2);
    // Plain words match full text too; the hit says where.
    assert_eq!(
        hits(&t, "quokka")
            .iter()
            .map(|h| (h.0, h.1))
            .collect::<Vec<_>>(),
        [(p.id, Some(3))]
    );
    let hit = &t.search("fulltext:quokka", 5).unwrap().hits[0];
    assert_eq!(hit.file_id, Some(f.id));
    // The same word in another paper's title ranks above a mention deep in a PDF.
    let q = t.find("2212.11851").unwrap();
    let edit = PaperEdit::from_assignments(["title=Quokka speech enhancement"]).unwrap();
    t.update_paper(q.id, &edit).unwrap();
    let ranked: Vec<i64> = hits(&t, "quokka").iter().map(|h| h.0).collect();
    assert_eq!(ranked, [q.id, p.id]);
    // A title match keeps its abstract snippet and has no page.
    assert_eq!(hits(&t, "quokka")[0].1, None);
    // The paper's other fields still search after the edit re-indexed it… and the PDF's text
    // stays with it through an edit of its own.
    t.set_notes(p.id, "read twice").unwrap();
    assert_eq!(hits(&t, "fulltext:zygomorphic").len(), 1);

    let pages = t.fulltext(p.id).unwrap();
    assert_eq!(pages.len(), 3);
    assert!(pages[1].text.contains("zygomorphic"));

    // Detached: gone from search; undone: back. In the trash: gone.
    t.detach_files(&[f.id]).unwrap();
    assert!(hits(&t, "fulltext:zygomorphic").is_empty());
    t.undo().unwrap();
    assert_eq!(hits(&t, "fulltext:zygomorphic").len(), 1);
    t.trash(&[p.id]).unwrap();
    assert!(hits(&t, "fulltext:zygomorphic").is_empty());
    t.undo().unwrap();

    // The index is derived: rebuilt from the database, the full text is there again.
    let dir = t.dir().to_path_buf();
    drop(t.lib);
    std::fs::remove_dir_all(dir.join(".topica")).unwrap();
    let reopened = Library::open(&dir).unwrap();
    assert_eq!(
        hits(&reopened, "fulltext:zygomorphic")
            .iter()
            .map(|h| (h.0, h.1))
            .collect::<Vec<_>>(),
        [(p.id, Some(2))]
    );
}

#[test]
fn hostile_pdfs_are_attached_with_the_reason_their_text_is_missing() {
    let t = util::sample_library();
    let elsewhere = tempfile::tempdir().unwrap();
    let p = t.find("2302.14748").unwrap();
    let files: Vec<PathBuf> = [
        "encrypted.pdf",
        "image-only.pdf",
        "not-a-pdf.pdf",
        "truncated.pdf",
        "empty.pdf",
    ]
    .iter()
    .map(|n| pdf(elsewhere.path(), n))
    .collect();
    let r = t.attach_files(p.id, &files, AttachMode::Copy).unwrap();
    assert!(r.failed.is_empty(), "{:?}", r.failed);
    let states: Vec<String> = r.attached.iter().map(|f| f.text.describe()).collect();
    assert!(states[0].contains("encrypted"), "{states:?}");
    assert_eq!(states[1], "no text layer — scanned?");
    assert!(states[2].starts_with("not a PDF"), "{states:?}");
    assert!(states[3].starts_with("the PDF is damaged"), "{states:?}");
    assert!(states[4].starts_with("not a PDF"), "{states:?}");
}

#[test]
fn a_folder_of_pdfs_becomes_papers_offline_each_reported() {
    let t = util::library();
    let folder = tempfile::tempdir().unwrap();
    std::fs::create_dir(folder.path().join("nested")).unwrap();
    pdf(folder.path(), "arxiv-paper.pdf");
    pdf(&folder.path().join("nested"), "doi-paper.pdf");
    pdf(folder.path(), "no-id.pdf");
    pdf(folder.path(), "encrypted.pdf");
    std::fs::write(folder.path().join("notes.txt"), "not a pdf, not looked at").unwrap();
    let before = t.len().unwrap();

    let r = t
        .import_pdfs(
            &[folder.path().to_path_buf()],
            AttachMode::Copy,
            None,
            &mut |_| true,
        )
        .unwrap();
    assert_eq!((r.added, r.merged, r.failed), (3, 0, 1), "{r:#?}");
    assert_eq!(t.len().unwrap(), before + 3);
    let by_name = |n: &str| r.files.iter().find(|f| f.path.ends_with(n)).unwrap();
    let failed = by_name("encrypted.pdf");
    assert!(
        matches!(&failed.outcome, topica_core::PdfOutcome::Failed { reason } if reason.contains("encrypted")),
        "{failed:?}"
    );

    let arxiv = t
        .paper(by_name("arxiv-paper.pdf").paper_id.unwrap())
        .unwrap();
    assert_eq!(arxiv.arxiv_id.as_deref(), Some("2106.09685"));
    assert_eq!(
        arxiv.title.as_deref(),
        Some("Low-Rank Adaptation of Large Language Models")
    );
    assert!(
        by_name("arxiv-paper.pdf").note.starts_with("offline"),
        "{r:?}"
    );
    let doi = t.paper(by_name("doi-paper.pdf").paper_id.unwrap()).unwrap();
    assert_eq!(doi.doi.as_deref(), Some("10.1145/3065386"));
    let guessed = t.paper(by_name("no-id.pdf").paper_id.unwrap()).unwrap();
    assert_eq!(
        guessed.title.as_deref(),
        Some("Sparse Mixtures of Experts for Tabular Data")
    );
    assert_eq!(guessed.authors.len(), 2);
    assert!(
        by_name("no-id.pdf").note.contains("no arXiv id or DOI"),
        "{r:?}"
    );
    assert_eq!(t.files(arxiv.id).unwrap().len(), 1);
    assert_eq!(hits(&t, "fulltext:quokka")[0].0, arxiv.id);

    // Again: nothing new, each said to be there already.
    let again = t
        .import_pdfs(
            &[folder.path().to_path_buf()],
            AttachMode::Copy,
            None,
            &mut |_| true,
        )
        .unwrap();
    assert_eq!((again.added, again.merged), (0, 0));
    assert_eq!(
        again
            .files
            .iter()
            .filter(|f| f.outcome == topica_core::PdfOutcome::AlreadyThere)
            .count(),
        3
    );
    // The import was one step: undone, the three papers go.
    assert_eq!(t.history().unwrap().undo.as_deref(), Some("Import 3 PDFs"));
    t.undo().unwrap();
    assert_eq!(t.len().unwrap(), before);
}

/// arXiv's Atom answer for 2106.09685, as the API writes it (one entry).
fn lora_atom() -> String {
    r#"<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <id>https://arxiv.org/api/lora</id>
  <title>arXiv Query: search_query=&amp;id_list=2106.09685&amp;start=0&amp;max_results=100</title>
  <updated>2026-04-12T22:10:26Z</updated>
  <opensearch:itemsPerPage>100</opensearch:itemsPerPage>
  <opensearch:totalResults>1</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex>
  <entry>
    <id>http://arxiv.org/abs/2106.09685v2</id>
    <title>LoRA: Low-Rank Adaptation of Large Language Models</title>
    <updated>2021-10-16T18:40:34Z</updated>
    <link href="https://arxiv.org/abs/2106.09685v2" rel="alternate" type="text/html"/>
    <summary>An important paradigm of natural language processing consists of large-scale pre-training on general domain data and adaptation to particular tasks or domains.</summary>
    <category term="cs.CL" scheme="http://arxiv.org/schemas/atom"/>
    <published>2021-06-17T17:37:18Z</published>
    <arxiv:primary_category term="cs.CL"/>
    <author><name>Edward J. Hu</name></author>
    <author><name>Yelong Shen</name></author>
  </entry>
</feed>
"#
    .to_string()
}

#[test]
fn online_a_pdfs_identifier_fetches_its_metadata_and_a_known_paper_gets_the_file() {
    let t = util::library();
    // The DOI paper is in the library already, its title edited by the user.
    t.import_text(
        "mine.bib",
        "@article{alexnet, title={Imagenet paper}, doi={10.1145/3065386}, year={2017}}",
        topica_core::Format::Bibtex,
        false,
    )
    .unwrap();
    let mine = t.find("alexnet").unwrap();
    let edit = PaperEdit::from_assignments(["title=AlexNet, my title"]).unwrap();
    t.update_paper(mine.id, &edit).unwrap();

    let server = util::http::serve(|r| {
        if r.target.contains("id_list=2106.09685") {
            return util::http::Reply::new(200, "application/atom+xml", lora_atom());
        }
        // doi.org is down: the DOI paper keeps what its PDF says, and is merged by its DOI.
        util::http::Reply::new(503, "text/plain", "unavailable")
    });
    let services = topica_core::Services {
        arxiv_api: format!("{}/arxiv/query", server.base),
        doi_resolver: format!("{}/doi", server.base),
        crossref_api: format!("{}/crossref", server.base),
        timeout_secs: 2,
        max_retry_wait_secs: 0,
    };
    let folder = tempfile::tempdir().unwrap();
    let files = vec![
        pdf(folder.path(), "arxiv-paper.pdf"),
        pdf(folder.path(), "doi-paper.pdf"),
    ];
    let r = t
        .import_pdfs(&files, AttachMode::Link, Some(&services), &mut |_| true)
        .unwrap();
    assert_eq!((r.added, r.merged, r.failed), (1, 1, 0), "{r:#?}");
    let lora = t.find("2106.09685").unwrap();
    assert_eq!(
        lora.title.as_deref(),
        Some("LoRA: Low-Rank Adaptation of Large Language Models")
    );
    assert_eq!(lora.authors[0].display_name(), "Edward J. Hu");
    assert_eq!(r.files[0].note, "metadata fetched for arXiv 2106.09685");
    assert!(r.files[1].note.contains("503"), "{:?}", r.files[1]);
    // The user's title stands; the file went to their paper, linked where it is.
    let merged = t.paper(mine.id).unwrap();
    assert_eq!(merged.title.as_deref(), Some("AlexNet, my title"));
    let attached = t.files(mine.id).unwrap();
    assert_eq!(attached.len(), 1);
    assert!(attached[0].linked);
    assert_eq!(
        Path::new(&attached[0].path),
        std::fs::canonicalize(&files[1]).unwrap()
    );
}
