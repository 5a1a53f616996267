//! The named steps of a topic fit, as `tracing` spans: a subscriber that listens times them
//! (`topica-cli` prints them when `TOPICA_TOPICS_TIMING` is set); without one they cost nothing
//! and print nothing.

use tracing::span::EnteredSpan;

/// The step being run; starting the next one ends it.
pub struct Steps(Option<EnteredSpan>);

impl Steps {
    pub fn new(first: &'static str) -> Steps {
        Steps(Some(Self::enter(first)))
    }

    /// No step yet (a loop starts one per round).
    pub fn idle() -> Steps {
        Steps(None)
    }

    pub fn next(&mut self, name: &'static str) {
        self.0 = None; // closes the step before, so steps are siblings, not nested
        self.0 = Some(Self::enter(name));
    }

    pub fn done(&mut self) {
        self.0 = None;
    }

    fn enter(name: &'static str) -> EnteredSpan {
        tracing::info_span!("topics", step = name).entered()
    }
}
