//! Names of the events the shell emits to the web view (one place, so the UI and shell agree).

/// Something in the open library changed (import, enrichment, topic refit); payload: what.
pub const LIBRARY_CHANGED: &str = "library-changed";
/// A native menu item was chosen; payload: its id ("import", "export", "settings", ...).
pub const MENU: &str = "menu";
/// The topic model is being fitted (first run, or a library without topics); payload: `Progress`
/// (`done` 0 when it starts, 1 of 1 when it ends).
pub const TOPICS_PROGRESS: &str = "topics-progress";
/// Keep-updated exports were brought up to date (or failed); payload: the exports looked at.
pub const AUTO_EXPORTS: &str = "auto-exports";
/// A second launch (or a file association, or a `topica://` link) asked the running app to open
/// files or papers; payload: `OpenRequest`.
pub const OPEN: &str = "open-request";
