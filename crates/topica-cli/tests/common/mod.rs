//! What the CLI's integration tests share: running the built `topica-cli` on a library folder,
//! and reading its `--json` answer.

use std::path::Path;
use std::process::{Command, Output};

/// `topica-cli --library DIR ARGS…`, run to its end.
pub fn cli(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_topica-cli"))
        .arg("--library")
        .arg(dir)
        .args(args)
        .output()
        .unwrap()
}

/// The JSON the command printed, after checking it succeeded (its stderr otherwise).
pub fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
