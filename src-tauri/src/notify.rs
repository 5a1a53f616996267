//! A desktop notification when a long job ends while the user is in another window
//! (tauri-plugin-notification): an import of a big file or a folder of PDFs, an enrichment.
//! With the window in front, the sheet that reports the job says it already.

use tauri::{AppHandle, Runtime};
use tauri_plugin_notification::NotificationExt;

use crate::opened::window_focused;

/// The words of a finished import: "Imported 120 papers (3 merged, 2 skipped)".
pub fn import_summary(verb: &str, added: usize, merged: usize, failed: usize) -> String {
    let mut extra = Vec::new();
    if merged > 0 {
        extra.push(format!("{merged} merged"));
    }
    if failed > 0 {
        extra.push(format!("{failed} skipped"));
    }
    let papers = if added == 1 { "paper" } else { "papers" };
    if extra.is_empty() {
        format!("{verb} {added} {papers}")
    } else {
        format!("{verb} {added} {papers} ({})", extra.join(", "))
    }
}

/// Says `body` in a notification titled `title`, unless the window has the focus. A desktop
/// without a notification service just does not show it.
pub fn job_done<R: Runtime>(app: &AppHandle<R>, title: &str, body: &str) {
    if window_focused(app) {
        return;
    }
    if let Err(e) = app.notification().builder().title(title).body(body).show() {
        tracing::info!("notification not shown: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_says_what_came_in_and_what_did_not() {
        assert_eq!(import_summary("Imported", 1, 0, 0), "Imported 1 paper");
        assert_eq!(
            import_summary("Imported", 120, 3, 2),
            "Imported 120 papers (3 merged, 2 skipped)"
        );
        assert_eq!(
            import_summary("Imported PDFs:", 0, 4, 0),
            "Imported PDFs: 0 papers (4 merged)"
        );
    }
}
