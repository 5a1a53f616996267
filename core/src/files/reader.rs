//! Reading a PDF's text, at arm's length. A PDF is hostile input: a parser can loop, exhaust
//! memory or crash on a crafted file. Where the running program can serve as a worker (the CLI
//! and the app both can: [`serve_pdf_worker_if_asked`]), each file is read in a child process
//! with a memory limit that is killed at its time limit, so a bad file costs that process, not
//! the app. Elsewhere (tests, a library embedded in another program) it is read on a thread
//! with `topica-pdf`'s own limits, which are checked page by page.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use topica_pdf::{Document, Limits, PdfError};

/// The first argument that makes a Topica executable read one PDF and exit.
const WORKER_ARG: &str = "__topica-read-pdf";

/// The most memory (address space) a worker may take: far above any real paper's needs.
const WORKER_MEMORY: u64 = 2 << 30;

/// How a library reads PDFs.
#[derive(Debug, Clone, Default)]
pub struct PdfReader {
    /// An executable that calls [`serve_pdf_worker_if_asked`] first thing; `None`: in process.
    pub worker: Option<PathBuf>,
    pub limits: Limits,
}

impl PdfReader {
    /// Reads the PDF at `path`: its text page by page and its document information.
    pub fn read(&self, path: &Path) -> Result<Document, PdfError> {
        match &self.worker {
            Some(exe) => read_in_worker(exe, path, &self.limits),
            None => read_here(path, &self.limits),
        }
    }
}

/// Reads in this process, a panic in the parser turned into an error.
fn read_here(path: &Path, limits: &Limits) -> Result<Document, PdfError> {
    let bytes = read_bytes(path, limits)?;
    std::panic::catch_unwind(|| topica_pdf::read(&bytes, limits)).unwrap_or_else(|_| {
        Err(PdfError::Damaged(
            "the PDF reader failed on this file".into(),
        ))
    })
}

fn read_bytes(path: &Path, limits: &Limits) -> Result<Vec<u8>, PdfError> {
    let size = std::fs::metadata(path)
        .map_err(|e| PdfError::Damaged(format!("cannot read the file: {e}")))?
        .len();
    if size > limits.max_bytes {
        return Err(PdfError::TooLarge {
            what: format!("{} MB", size >> 20),
            limit: format!("{} MB", limits.max_bytes >> 20),
        });
    }
    std::fs::read(path).map_err(|e| PdfError::Damaged(format!("cannot read the file: {e}")))
}

fn read_in_worker(exe: &Path, path: &Path, limits: &Limits) -> Result<Document, PdfError> {
    let mut child = std::process::Command::new(exe)
        .arg(WORKER_ARG)
        .arg(path)
        .arg(limits.max_bytes.to_string())
        .arg(limits.max_pages.to_string())
        .arg(limits.time.as_secs().to_string())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| PdfError::Damaged(format!("cannot start the PDF reader: {e}")))?;
    // The pipe is drained on a thread while this one keeps the clock: a worker that fills the
    // pipe would otherwise block and look hung.
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let drain = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = stdout.read_to_end(&mut out);
        out
    });
    // The worker checks its limits between pages; this clock catches one stuck inside a page.
    let deadline = Instant::now() + limits.time + Duration::from_secs(2);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(PdfError::TimedOut(limits.time.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(PdfError::Damaged(format!("the PDF reader was lost: {e}"))),
        }
    };
    let out = drain.join().unwrap_or_default();
    match serde_json::from_slice::<Result<Document, PdfError>>(&out) {
        Ok(result) => result,
        Err(_) if !status.success() => Err(PdfError::Damaged(format!(
            "the PDF reader stopped on this file ({}; more than {} GB of memory, or a damaged file)",
            describe(status),
            WORKER_MEMORY >> 30
        ))),
        Err(e) => Err(PdfError::Damaged(format!(
            "the PDF reader's answer could not be read: {e}"
        ))),
    }
}

fn describe(status: std::process::ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            return format!("signal {sig}");
        }
    }
    status.to_string()
}

/// When this process was started as a PDF worker (by [`PdfReader`]), reads the PDF its
/// arguments name, prints the result as JSON and exits; otherwise returns at once. The CLI and
/// the app call it first thing in `main`.
pub fn serve_pdf_worker_if_asked() {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_none_or(|a| a != WORKER_ARG) || args.len() != 6 {
        return;
    }
    let number = |i: usize| -> u64 {
        args[i]
            .to_str()
            .and_then(|s| s.parse().ok())
            .unwrap_or_default()
    };
    let limits = Limits {
        max_bytes: number(3),
        max_pages: number(4) as usize,
        time: Duration::from_secs(number(5)),
    };
    limit_memory(WORKER_MEMORY);
    let result = read_here(Path::new(&args[2]), &limits);
    let json = serde_json::to_string(&result).unwrap_or_else(|_| "null".into());
    println!("{json}");
    std::process::exit(0);
}

#[cfg(unix)]
fn limit_memory(bytes: u64) {
    let limit = libc::rlimit {
        rlim_cur: bytes as libc::rlim_t,
        rlim_max: bytes as libc::rlim_t,
    };
    // SAFETY: setrlimit reads the struct it is given and changes only this process's limit.
    unsafe {
        libc::setrlimit(libc::RLIMIT_AS, &limit);
    }
}

#[cfg(not(unix))]
fn limit_memory(_bytes: u64) {}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    /// A stand-in worker: a shell script with `body`.
    fn worker(dir: &Path, body: &str) -> PathBuf {
        let exe = dir.join("worker.sh");
        std::fs::write(&exe, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
        exe
    }

    fn reader(exe: PathBuf, secs: u64) -> PdfReader {
        PdfReader {
            worker: Some(exe),
            limits: Limits {
                time: Duration::from_secs(secs),
                ..Limits::default()
            },
        }
    }

    #[test]
    fn a_worker_that_hangs_is_killed_at_its_time_limit() {
        let dir = tempfile::tempdir().unwrap();
        let pid_file = dir.path().join("pid");
        let exe = worker(
            dir.path(),
            &format!("echo $$ > {}; exec sleep 60", pid_file.display()),
        );
        let started = Instant::now();
        let got = reader(exe, 1).read(Path::new("/dev/null"));
        assert_eq!(got, Err(PdfError::TimedOut(1)));
        assert!(started.elapsed() < Duration::from_secs(30));
        // The worker is gone, not left running.
        let pid = std::fs::read_to_string(&pid_file).unwrap();
        assert!(!Path::new(&format!("/proc/{}", pid.trim())).exists());
    }

    #[test]
    fn a_worker_that_crashes_is_a_damaged_file_not_a_crash() {
        let dir = tempfile::tempdir().unwrap();
        let exe = worker(dir.path(), "kill -SEGV $$");
        match reader(exe, 5).read(Path::new("/dev/null")) {
            Err(PdfError::Damaged(reason)) => {
                assert!(reason.contains("signal 11"), "{reason}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_workers_answer_is_its_json_and_its_arguments_carry_the_limits() {
        let dir = tempfile::tempdir().unwrap();
        let exe = worker(
            dir.path(),
            r#"printf '{"Ok":{"pages":["%s %s %s %s %s"],"info":{"title":null,"author":null,"subject":null,"keywords":null}}}' "$1" "$2" "$3" "$4" "$5""#,
        );
        let doc = reader(exe, 7).read(Path::new("/x.pdf")).unwrap();
        let limits = Limits::default();
        assert_eq!(
            doc.pages,
            [format!(
                "{WORKER_ARG} /x.pdf {} {} 7",
                limits.max_bytes, limits.max_pages
            )]
        );
    }
}
