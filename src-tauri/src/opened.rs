//! What the app is asked to open from outside the window: files named on its command line (a
//! double-clicked `.bib`, `.ris`, `.csl` or PDF, through the desktop entry's file associations)
//! and `topica://paper/<key>` links. The first launch keeps its request until the window asks
//! for it (`take_opened`); a second launch hands its arguments to the running window
//! (tauri-plugin-single-instance) and exits, and the window is brought to the front.
//!
//! Files named here count as the user's choice, like a dialog's answer (`AppState::grant`).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime, State};

use crate::events;
use crate::state::AppState;

/// The scheme of Topica's links (registered by the desktop entry and the deep-link plugin).
pub const SCHEME: &str = "topica";

/// Files and links the app was asked to open.
#[derive(Debug, Default, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct OpenRequest {
    /// Files that exist, as absolute paths.
    pub files: Vec<String>,
    /// Papers named by `topica://paper/<ref>` links, as library ids.
    pub papers: Vec<i64>,
    /// Arguments that could not be opened, each with why.
    pub refused: Vec<String>,
}

impl OpenRequest {
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.papers.is_empty() && self.refused.is_empty()
    }
}

/// What one command-line argument names.
#[derive(Debug, PartialEq)]
pub enum Arg {
    File(PathBuf),
    /// The paper reference of a `topica://paper/<ref>` link (percent-decoded).
    Paper(String),
    Refused(String),
}

/// Reads the arguments after the program's name; paths relative to `cwd` (a second launch's
/// own working directory). Options (`-…`) are not ours to open (WebDriver and the desktop add
/// some) and are left out.
pub fn parse_args(args: &[String], cwd: &Path) -> Vec<Arg> {
    args.iter()
        .filter(|a| !a.starts_with('-') && !a.is_empty())
        .map(|a| {
            if a.contains("://") {
                return parse_link(a);
            }
            let path = cwd.join(a);
            if path.is_file() {
                Arg::File(path)
            } else {
                Arg::Refused(format!("{}: no such file", path.display()))
            }
        })
        .collect()
}

fn parse_link(link: &str) -> Arg {
    let Ok(url) = url::Url::parse(link) else {
        return Arg::Refused(format!("{link}: not a link"));
    };
    if url.scheme() != SCHEME {
        return Arg::Refused(format!("{link}: not a {SCHEME}:// link"));
    }
    // topica://paper/<ref>: the host is "paper", the reference the path.
    let reference = url.path().trim_start_matches('/');
    if url.host_str() != Some("paper") || reference.is_empty() {
        return Arg::Refused(format!(
            "{link}: Topica's links are {SCHEME}://paper/<citation key, arXiv id or library id>"
        ));
    }
    match percent_encoding::percent_decode_str(reference).decode_utf8() {
        Ok(r) => Arg::Paper(r.into_owned()),
        Err(_) => Arg::Refused(format!("{link}: the reference is not UTF-8")),
    }
}

/// Turns parsed arguments into a request: files granted, papers looked up in `library` (the
/// open one, or the reason there is none).
pub fn request<R: Runtime>(
    app: &AppHandle<R>,
    library: Result<&topica_core::Library, &crate::error::IpcError>,
    args: Vec<Arg>,
) -> OpenRequest {
    let state = app.state::<AppState>();
    let mut out = OpenRequest::default();
    for arg in args {
        match arg {
            Arg::File(path) => {
                let path = path.canonicalize().unwrap_or(path);
                state.grant([path.clone()]);
                out.files.push(path.display().to_string());
            }
            Arg::Paper(reference) => match library
                .map_err(Clone::clone)
                .and_then(|l| l.find(&reference).map_err(crate::error::IpcError::from))
            {
                Ok(p) => out.papers.push(p.id),
                Err(e) => out
                    .refused
                    .push(format!("{SCHEME}://paper/{reference}: {}", e.message)),
            },
            Arg::Refused(why) => out.refused.push(why),
        }
    }
    out
}

/// The first launch's request, until the window takes it.
#[derive(Default)]
pub struct Pending(pub Mutex<Option<OpenRequest>>);

/// Called by the single-instance plugin in the running app with a second launch's arguments:
/// brings the window to the front and hands it the request.
pub fn second_launch<R: Runtime>(app: &AppHandle<R>, argv: Vec<String>, cwd: String) {
    if let Some(win) = app.get_webview_window("main") {
        let _ = win.unminimize();
        let _ = win.show();
        let _ = win.set_focus();
    }
    let args = parse_args(argv.get(1..).unwrap_or_default(), Path::new(&cwd));
    let library = app.state::<AppState>().library();
    let req = request(app, library.as_deref(), args);
    if !req.is_empty() {
        let _ = app.emit(events::OPEN, req);
    }
}

/// What this launch was asked to open (once: later calls get an empty request), once its
/// library has opened: the request is made then, links looked up in it.
#[tauri::command]
pub async fn take_opened(
    state: State<'_, AppState>,
    pending: State<'_, Pending>,
) -> crate::error::CmdResult<OpenRequest> {
    // Whether or not the library opened, the request was made before the wait ended.
    let _ = state.opened_library().await;
    Ok(pending
        .0
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take()
        .unwrap_or_default())
}

/// Whether the main window has the user's attention (a finished job needs no notification
/// then).
pub fn window_focused<R: Runtime>(app: &AppHandle<R>) -> bool {
    app.get_webview_window("main")
        .and_then(|w| w.is_focused().ok())
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn files_relative_to_the_launch_folder_links_and_what_cannot_be_opened() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("refs.bib"), "@misc{a, title={A}}").unwrap();
        let args = parse_args(
            &strings(&[
                "refs.bib",
                "--some-flag",
                "missing.ris",
                "topica://paper/vaswani2017attention",
                "topica://paper/Doe%3A2020%20x",
                "topica://paper/",
                "https://example.org/paper/1",
            ]),
            dir.path(),
        );
        assert_eq!(args[0], Arg::File(dir.path().join("refs.bib")));
        assert!(
            matches!(&args[1], Arg::Refused(r) if r.contains("missing.ris") && r.contains("no such file"))
        );
        assert_eq!(args[2], Arg::Paper("vaswani2017attention".into()));
        assert_eq!(args[3], Arg::Paper("Doe:2020 x".into()));
        assert!(matches!(&args[4], Arg::Refused(r) if r.contains("topica://paper/<")));
        assert!(matches!(&args[5], Arg::Refused(r) if r.contains("not a topica://")));
        assert_eq!(args.len(), 6);
    }

    #[test]
    fn an_absolute_path_is_taken_as_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("style.csl");
        std::fs::write(&file, "<style/>").unwrap();
        let args = parse_args(&[file.display().to_string()], Path::new("/nowhere"));
        assert_eq!(args, [Arg::File(file)]);
    }
}
