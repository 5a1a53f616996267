//! Backups: taken while the library is open, restored over a changed library (the search index
//! follows), refused when the file is not a sound Topica library, and the daily one kept for
//! the chosen number of days.

use topica_core::Library;

fn sample() -> (tempfile::TempDir, Library) {
    let dir = tempfile::tempdir().unwrap();
    let lib = Library::open(dir.path().join("lib")).unwrap();
    lib.import_sample().unwrap();
    (dir, lib)
}

#[test]
fn a_restore_brings_back_the_library_as_it_was_and_can_itself_be_gone_back_on() {
    let (_dir, lib) = sample();
    let backup = lib.backup(None).unwrap();
    assert!(backup
        .path
        .starts_with(&lib.backup_dir().display().to_string()));
    assert!(backup.bytes > 0);

    let speech = lib.search("\"speech enhancement\"", 50).unwrap().total;
    assert!(speech >= 2);
    let ids: Vec<i64> = lib.papers(10, 0).unwrap().iter().map(|p| p.id).collect();
    lib.trash(&ids).unwrap();
    lib.empty_trash().unwrap();
    assert_eq!(lib.len().unwrap(), 84);

    let report = lib
        .restore_backup(std::path::Path::new(&backup.path))
        .unwrap();
    assert_eq!(report.papers, 94);
    assert_eq!(lib.len().unwrap(), 94);
    assert!(report.previous.before_restore);
    // The search index was rebuilt from the restored database.
    assert_eq!(
        lib.search("\"speech enhancement\"", 50).unwrap().total,
        speech
    );
    // The library as it was before the restore is a backup too: restoring it goes back.
    let listed = lib.backups().unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().any(|b| b.path == report.previous.path));
    lib.restore_backup(std::path::Path::new(&report.previous.path))
        .unwrap();
    assert_eq!(lib.len().unwrap(), 84);

    // A library reopened from disk sees the restored state (the index is current).
    let dated = lib.search("year:1900..2100", 200).unwrap().total;
    assert!(dated > 70, "{dated}");
    let dir = lib.dir().to_path_buf();
    drop(lib);
    let again = Library::open(&dir).unwrap();
    assert_eq!(again.len().unwrap(), 84);
    assert_eq!(
        again.search("year:1900..2100", 200).unwrap().total,
        dated,
        "the index on disk matches the database"
    );
}

#[test]
fn a_backup_is_taken_while_another_process_writes() {
    let (dir, lib) = sample();
    // Another connection holds a write transaction, as a topica-cli importing would.
    let other = rusqlite::Connection::open(lib.dir().join("library.sqlite")).unwrap();
    other
        .execute_batch("BEGIN IMMEDIATE; UPDATE papers SET title = 'Changing' WHERE id = 1;")
        .unwrap();
    let copy = dir.path().join("copy.sqlite");
    let taken = lib.backup(Some(&copy)).unwrap();
    assert_eq!(taken.path, copy.display().to_string());
    other.execute_batch("COMMIT").unwrap();
    let conn = rusqlite::Connection::open(&copy).unwrap();
    let (n, changed): (i64, i64) = conn
        .query_row(
            "SELECT count(*), count(*) FILTER (WHERE title = 'Changing') FROM papers",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((n, changed), (94, 0), "the copy is the committed state");
}

#[test]
fn a_file_that_is_not_a_topica_library_is_refused_and_nothing_changes() {
    let (dir, lib) = sample();
    let notes = dir.path().join("notes.sqlite");
    std::fs::write(&notes, "these are my notes, not a database").unwrap();
    let before = std::fs::read(lib.dir().join("library.sqlite"))
        .unwrap()
        .len();
    let err = lib.restore_backup(&notes).unwrap_err().to_string();
    assert!(err.contains("notes.sqlite"), "{err}");
    assert_eq!(lib.len().unwrap(), 94);
    assert!(
        lib.backups().unwrap().is_empty(),
        "no before-restore copy was taken"
    );
    assert_eq!(
        std::fs::read(&notes).unwrap(),
        b"these are my notes, not a database"
    );
    assert!(
        std::fs::read(lib.dir().join("library.sqlite"))
            .unwrap()
            .len()
            >= before
    );
}

#[test]
fn the_daily_backup_is_taken_once_a_day_and_kept_for_the_chosen_days() {
    let (_dir, lib) = sample();
    assert!(lib.daily_backup(0).unwrap().is_none(), "0 days: off");
    assert!(lib.backups().unwrap().is_empty());
    let first = lib
        .daily_backup(14)
        .unwrap()
        .expect("the day's first backup");
    assert!(lib.daily_backup(14).unwrap().is_none(), "one a day");

    // Older backups, as earlier days would have left them; a file of the user's; a copy a
    // restore took.
    let dir = lib.backup_dir();
    for name in [
        "library-2020-01-01T000000Z.sqlite",
        "library-2020-01-02T000000Z-before-restore.sqlite",
        "library-mine.sqlite",
    ] {
        std::fs::copy(&first.path, dir.join(name)).unwrap();
    }
    let recent = std::path::PathBuf::from(&first.path);
    lib.daily_backup(14).unwrap();
    assert!(
        !dir.join("library-2020-01-01T000000Z.sqlite").exists(),
        "older than 14 days"
    );
    for kept in [
        "library-2020-01-02T000000Z-before-restore.sqlite",
        "library-mine.sqlite",
    ] {
        assert!(dir.join(kept).exists(), "{kept}");
    }
    assert!(recent.exists());
    let listed: Vec<_> = lib
        .backups()
        .unwrap()
        .into_iter()
        .map(|b| b.taken_at)
        .collect();
    assert_eq!(
        listed,
        [first.taken_at.clone(), "2020-01-02T00:00:00Z".into()]
    );
}

#[test]
fn the_only_backup_is_kept_however_old() {
    let (_dir, lib) = sample();
    let first = lib.backup(None).unwrap();
    let old = lib.backup_dir().join("library-2020-01-01T000000Z.sqlite");
    std::fs::rename(&first.path, &old).unwrap();
    // A day has passed since the newest backup: a new one is taken; the old one goes.
    assert!(lib.daily_backup(3).unwrap().is_some());
    assert!(!old.exists());
    assert_eq!(lib.backups().unwrap().len(), 1);
}
