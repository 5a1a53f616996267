//! Startup timing for `npm run bench:startup`: when the process started and the shell's steps
//! since then. Printed only with `TOPICA_BENCH` set; costs a mutex push per step otherwise.

use std::sync::{Mutex, OnceLock};
use std::time::Instant;

static STARTED: OnceLock<Instant> = OnceLock::new();
static MARKS: Mutex<Vec<(&'static str, f64)>> = Mutex::new(Vec::new());

/// Call first thing in `run`.
pub fn begin() {
    STARTED.get_or_init(Instant::now);
}

/// Milliseconds since launch.
pub fn elapsed_ms() -> f64 {
    STARTED
        .get()
        .map_or(0.0, |t| t.elapsed().as_secs_f64() * 1e3)
}

/// Records that the shell reached `step`.
pub fn mark(step: &'static str) {
    let at = elapsed_ms();
    MARKS
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push((step, at));
}

/// The shell's steps so far as `name=ms` pairs.
pub fn marks() -> Vec<String> {
    MARKS
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .map(|(name, at)| format!("{name}={at:.0}"))
        .collect()
}
