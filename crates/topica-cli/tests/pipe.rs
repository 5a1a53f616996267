//! `topica-cli list --json | head -c 100`: the reader closes the pipe early and the CLI ends
//! quietly with success, as `cat` does (it once panicked on the first write after).

use std::io::Read;
use std::process::{Command, Stdio};

#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let cli = env!("CARGO_BIN_EXE_topica-cli");
    let status = Command::new(cli)
        .arg("--library")
        .arg(dir.path())
        .arg("import-sample")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    // The sample's papers as JSON are ~150 KB: more than a pipe holds, so writes go on after
    // the reader is gone.
    let mut child = Command::new(cli)
        .arg("--library")
        .arg(dir.path())
        .args(["list", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 100];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap(); // dropped: the pipe closes
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{:?}: {stderr}", out.status);
    assert!(stderr.is_empty(), "nothing said: {stderr}");
    assert!(head.starts_with(b"["), "the output began as JSON");
}
