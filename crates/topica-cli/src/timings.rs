//! `TOPICA_TOPICS_TIMING=1`: prints how long each named step of a topic fit took, on stderr.
//! The engine marks its steps as `tracing` spans and prints nothing itself; this is the
//! subscriber that listens, for the benchmarks.

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
