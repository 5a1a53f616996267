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
    generated_jsonl(dir, "large.jsonl", 0, n)
}

/// `n` generated papers numbered from `first` (distinct arXiv ids across calls), in `name`.
fn generated_jsonl(dir: &Path, name: &str, first: usize, n: usize) -> PathBuf {
    let path = dir.join(name);
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
    for i in first..first + n {
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

/// The topica-cli built for these tests, on `dir`.
fn cli(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_topica-cli"));
    c.arg("--library").arg(dir);
    c.stdout(Stdio::null()).stderr(Stdio::null());
    c
}

/// Starts `command`, kills it with SIGKILL after `after` (or lets it finish first); whether it
/// was killed mid-way.
fn kill_after(mut command: Command, after: Duration) -> bool {
    let mut child = KillOnDrop(command.spawn().expect("spawn topica-cli"));
    let start = Instant::now();
    while start.elapsed() < after {
        if child.0.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let running = child.0.try_wait().unwrap().is_none();
    child.0.kill().expect("SIGKILL");
    child.0.wait().unwrap();
    running
}

/// What must hold after any kill: SQLite's integrity check passes, and the search index agrees
/// with the database (every generated paper, and only those, has "zorblax" in its title; plain
/// words would also match topic labels, which become "zorblax" once such papers are many).
fn assert_sound(dir: &Path, moment: &str) -> Library {
    let lib = Library::open(dir).unwrap_or_else(|e| panic!("{moment}: the library opens: {e}"));
    assert_eq!(
        lib.integrity_problems().unwrap(),
        Vec::<String>::new(),
        "{moment}"
    );
    let n = lib.len().unwrap();
    assert_eq!(
        lib.search("title:zorblax", 1).unwrap().total,
        n - 94,
        "{moment}: index agrees"
    );
    lib
}

/// The crash harness (#21): an import, a topic recompute and an export over an existing file,
/// each killed with SIGKILL at moments spread over its run (20 kills in all). After each the
/// library is sound, holds the papers before or after a whole import, and the export file is
/// the old one or a whole new one — never half of either, and no temporary file outlives the
/// next export.
#[test]
fn twenty_kills_during_import_recompute_and_export_leave_a_sound_library() {
    let library = tempfile::tempdir().unwrap();
    let dir = library.path().to_path_buf();
    let data = tempfile::tempdir().unwrap();
    let base = generated_jsonl(data.path(), "base.jsonl", 0, 3_000);
    let more = generated_jsonl(data.path(), "more.jsonl", 3_000, 3_000);
    {
        let lib = Library::open(&dir).unwrap();
        lib.import_sample().unwrap();
        lib.import_files(&[base], &topica_core::ImportOptions::default())
            .unwrap();
        lib.topics().unwrap();
    }
    let export = data.path().join("refs.bib");
    std::fs::write(&export, "% the user's old file\n").unwrap();
    let before = 94 + 3_000;
    let mut killed_mid_way = 0;
    for k in 0..20u64 {
        // Moments spread over each operation's run in this debug build (tens of ms to seconds).
        let after = Duration::from_millis(20 + (k * 37 + k * k * 11) % 1500);
        let moment = format!("kill {k} after {after:?}");
        match k % 3 {
            0 => {
                let mut c = cli(&dir);
                c.arg("import").arg(&more);
                killed_mid_way += usize::from(kill_after(c, after));
                let lib = assert_sound(&dir, &moment);
                let n = lib.len().unwrap();
                assert!(
                    n == before || n == before + 3_000,
                    "{moment}: all or nothing, got {n}"
                );
            }
            1 => {
                let mut c = cli(&dir);
                c.args(["topics", "--recompute"]);
                killed_mid_way += usize::from(kill_after(c, after));
                let lib = assert_sound(&dir, &moment);
                let leaves = lib.topics().unwrap();
                let listed: usize = leaves
                    .iter()
                    .filter(|t| t.level == "leaf")
                    .map(|t| t.size)
                    .sum();
                assert_eq!(
                    listed,
                    lib.len().unwrap(),
                    "{moment}: every paper in one leaf"
                );
            }
            _ => {
                let mut c = cli(&dir);
                c.args(["export", "--format", "bibtex", "--force", "-o"])
                    .arg(&export);
                killed_mid_way += usize::from(kill_after(c, after));
                let lib = assert_sound(&dir, &moment);
                let text = std::fs::read_to_string(&export).unwrap();
                let entries = text.matches("\n@").count() + usize::from(text.starts_with('@'));
                assert!(
                    text == "% the user's old file\n"
                        || (entries == lib.len().unwrap() && text.trim_end().ends_with('}')),
                    "{moment}: the old file or a whole export, not {} bytes with {entries} entries",
                    text.len()
                );
            }
        }
    }
    eprintln!("{killed_mid_way} of 20 kills landed mid-way");
    assert!(
        killed_mid_way >= 10,
        "only {killed_mid_way} of 20 kills landed mid-way"
    );
    // The next export cleans up what killed exports left beside the file.
    let status = cli(&dir)
        .args(["export", "--format", "bibtex", "--force", "-o"])
        .arg(&export)
        .status()
        .unwrap();
    assert!(status.success());
    let leftovers: Vec<String> = std::fs::read_dir(data.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".topica-tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
