//! What the benchmarks measure besides wall time. `TOPICA_TOPICS_TIMING=1` prints how long
//! each named step of a topic fit took, on stderr (the engine marks its steps as `tracing`
//! spans and prints nothing itself; this is the subscriber that listens); and peak memory.

use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::fmt::format::FmtSpan;

/// Prints the engine's steps as they close when `TOPICA_TOPICS_TIMING` is set.
pub fn print_steps_if_asked() {
    if std::env::var_os("TOPICA_TOPICS_TIMING").is_none() {
        return;
    }
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_span_events(FmtSpan::CLOSE)
        .with_target(false)
        .with_timer(()) // no clock per line; without_time() would also drop the spans' durations
        .with_max_level(LevelFilter::DEBUG)
        .try_init();
}

/// This process's peak resident memory (VmHWM), in MB.
pub fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Starts the peak over from the current resident memory (Linux: `clear_refs` 5), so a
/// benchmark step's peak is its own, not an earlier step's.
pub fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}
