//! A `kill -9` in the middle of a large import by the real `topica-cli` leaves the library as it
//! was before: SQLite's WAL and the index's generation make the import all or nothing.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use topica_core::{Library, Paper, DATABASE_FILE};

fn all_papers(lib: &Library) -> Vec<Paper> {
    lib.papers(0, 0).expect("list papers")
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

/// A large generated JSON-lines file: `n` distinct papers, each with an abstract of about
/// 2 KB, so an import outgrows SQLite's import page cache (64 MB) and writes pages to the WAL
/// before it commits.
fn large_jsonl(dir: &Path, n: usize) -> PathBuf {
    let path = dir.join("large.jsonl");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let words = [
        "spectral",
        "graph",
        "lattice",
        "quantum",
        "stochastic",
        "neural",
        "manifold",
        "entropy",
    ];
    for i in 0..n {
        let title = format!(
            "{} {} zorblax study number {i}",
            words[i % 8],
            words[(i / 8) % 8]
        );
        // A distinct new-style id per paper: 1501.00001, 1501.00002, ... then 1502.00001, ...
        let month = i / 99_999;
        let id = format!(
            "{:02}{:02}.{:05}",
            15 + month / 12,
            1 + month % 12,
            i % 99_999 + 1
        );
        let filler: Vec<&str> = (0..260).map(|k| words[(i + k * 7) % 8]).collect();
        let line = serde_json::json!({
            "id": id, "title": title, "authors": "Ada Lovelace, Alan Turing",
            "abstract": format!("We study {title}. {}", filler.join(" ")),
            "categories": "cs.LG", "versions": [{"version": "v1"}],
            "authors_parsed": [["Lovelace", "Ada", ""], ["Turing", "Alan", ""]]
        });
        writeln!(w, "{line}").unwrap();
    }
    w.flush().unwrap();
    path
}

/// A child process killed when the test ends, failed or not: a failed assertion must not leave
/// an import running.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn kill_9_during_a_large_import_leaves_the_library_intact() {
    let library = tempfile::tempdir().unwrap();
    let dir = library.path().to_path_buf();
    let t = Library::open(&dir).unwrap();
    t.import_sample().unwrap();
    let p = t.find("2212.11851").unwrap();
    t.set_notes(p.id, "axolotl experiments").unwrap();
    let before = all_papers(&t);
    drop(t);

    let data = tempfile::tempdir().unwrap();
    const N: usize = 100_000;
    let file = large_jsonl(data.path(), N);
    let wal = dir.join(format!("{DATABASE_FILE}-wal"));
    let wal_len = || std::fs::metadata(&wal).map_or(0, |m| m.len());
    let wal_at_start = wal_len();

    let mut child = KillOnDrop(
        Command::new(env!("CARGO_BIN_EXE_topica-cli"))
            .arg("--library")
            .arg(&dir)
            .arg("import")
            .arg(&file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn topica-cli"),
    );
    let child = &mut child.0;
    // Wait until the import has written a good part of its transaction to the WAL.
    let start = Instant::now();
    let mut finished = None;
    while wal_len() < wal_at_start + 4 * 1024 * 1024 && start.elapsed() < Duration::from_secs(120) {
        if let Some(status) = child.try_wait().unwrap() {
            finished = Some(status);
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        finished.is_none(),
        "the import finished before it could be killed; make the file larger"
    );
    assert!(wal_len() > wal_at_start, "the import had started writing");
    child.kill().expect("SIGKILL"); // Child::kill sends SIGKILL on Unix
    child.wait().unwrap();

    let lib = Library::open(&dir).expect("the library opens after kill -9");
    let n = lib.len().unwrap();
    assert!(n == 94 || n == 94 + N, "all or nothing, got {n}");
    let after = all_papers(&lib);
    assert_eq!(&after[..94], &before[..], "the earlier contents are intact");
    assert_searchable(&lib);
    // Every generated paper, and only those, says "zorblax": the index agrees with the database.
    assert_eq!(lib.search("zorblax", 10).unwrap().total, n - 94);
    // The library still takes writes.
    lib.import_sample().unwrap();
    assert_eq!(lib.len().unwrap(), n);
}
