//! What the benchmarks measure besides wall time. `TOPICA_TOPICS_TIMING=1` prints how long each
//! named step of a topic fit or recompute took, the resident memory at its start and the peak
//! during it, on stderr (the engine marks its steps as `tracing` spans and prints nothing itself;
//! this is the subscriber that listens).

use std::time::Instant;

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::Subscriber;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::Layer;

/// Prints the engine's steps as they close when `TOPICA_TOPICS_TIMING` is set. Each step starts
/// the kernel's peak over, so with it set `/usr/bin/time`'s maximum resident size is the peak
/// since the last step began: take the whole run's peak from a run without it.
pub fn print_steps_if_asked() {
    if std::env::var_os("TOPICA_TOPICS_TIMING").is_none() {
        return;
    }
    let _ =
        tracing::subscriber::set_global_default(tracing_subscriber::registry().with(StepPrinter));
}

/// A step's name and when it started; kept in the span's extensions.
struct Step {
    name: String,
    started: Instant,
    /// Resident memory when it started, MB.
    rss_before: f64,
}

#[derive(Default)]
struct StepName(String);

impl Visit for StepName {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "step" {
            self.0 = value.to_string();
        }
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "step" {
            self.0 = format!("{value:?}");
        }
    }
}

/// Prints "step: seconds, peak MB" as each step closes. Each step that starts starts the peak
/// over, so a step's figure is its own; an enclosing span's (the fit's "vectorize") is the peak
/// since its last inner step began.
struct StepPrinter;

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for StepPrinter {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut name = StepName::default();
        attrs.record(&mut name);
        if let Some(span) = ctx.span(id) {
            reset_peak_rss();
            span.extensions_mut().insert(Step {
                name: name.0,
                started: Instant::now(),
                rss_before: status_mb("VmRSS:"),
            });
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(&id) else { return };
        let extensions = span.extensions();
        if let Some(step) = extensions.get::<Step>() {
            eprintln!(
                "{}: {:.2} s, resident {:.0} MB at its start, peak {:.0} MB",
                step.name,
                step.started.elapsed().as_secs_f64(),
                step.rss_before,
                peak_rss_mb()
            );
        }
    }
}

/// This process's peak resident memory (VmHWM), in MB.
pub fn peak_rss_mb() -> f64 {
    status_mb("VmHWM:")
}

/// A memory line of /proc/self/status, in MB (0 where there is none).
fn status_mb(key: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Starts the peak over from the current resident memory (Linux: `clear_refs` 5), so a
/// benchmark step's peak is its own, not an earlier step's.
pub fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}
