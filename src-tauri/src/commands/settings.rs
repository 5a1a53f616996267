//! Settings (tauri-plugin-store): theme, citation style, library location, last view; plus the
//! window size, and which engine capabilities this build has. What belongs to a library (its
//! citation key pattern, its number of topics) is stored in the library and set through the
//! engine's commands, so the CLI and the app never disagree.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, Manager, Runtime, State};
use tauri_plugin_store::StoreExt;

use super::library::LibraryInfo;
use crate::error::{CmdResult, IpcError};
use crate::events;
use crate::state::{open_library, AppState};

/// What the settings sheet edits. Unknown or missing fields fall back to defaults, so an old
/// settings file never stops the app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// "light", "dark" or "system".
    pub theme: String,
    pub citation_style: String,
    /// The locale of copied references (`de-DE`); `None` = the style's own, else en-US.
    pub citation_locale: Option<String>,
    /// `None` = the default location.
    pub library_dir: Option<String>,
    /// Libraries opened before, the most recent first (File → Open library… lists them).
    pub recent_libraries: Vec<String>,
    /// The view the user last looked at (opaque to the shell).
    #[ts(type = "unknown")]
    pub last_view: serde_json::Value,
    /// The metadata services' base URLs (the environment's TOPICA_ARXIV_API,
    /// TOPICA_DOI_RESOLVER and TOPICA_CROSSREF_API win over these).
    pub services: topica_core::Services,
    /// The window's zoom (View → Zoom in/out), 1 = actual size.
    pub zoom: f64,
    /// How attached and imported files come in: copied into the library folder, or linked
    /// where they are.
    pub attach_by: topica_core::AttachMode,
    /// Look up the arXiv ids and DOIs found in imported PDFs with the services above; off, a
    /// PDF's paper is made from its own text (offline).
    pub pdf_lookup: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            theme: "system".into(),
            citation_style: "apa".into(),
            citation_locale: None,
            library_dir: None,
            recent_libraries: Vec::new(),
            last_view: serde_json::Value::Null,
            services: topica_core::Services::default(),
            zoom: 1.0,
            attach_by: topica_core::AttachMode::Copy,
            pdf_lookup: true,
        }
    }
}

/// Window size remembered between launches (logical pixels).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct WindowSize {
    pub width: f64,
    pub height: f64,
}

const SETTINGS_KEY: &str = "settings";
const WINDOW_KEY: &str = "window";

/// The settings file: `TOPICA_SETTINGS` (tests), else `settings.json` in the app data dir.
fn store_path() -> PathBuf {
    std::env::var_os("TOPICA_SETTINGS")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| "settings.json".into())
}

fn store<R: Runtime>(
    app: &AppHandle<R>,
) -> CmdResult<std::sync::Arc<tauri_plugin_store::Store<R>>> {
    app.store(store_path()).map_err(IpcError::internal)
}

/// Reads the settings (defaults when the file is missing or unreadable).
pub fn load<R: Runtime>(app: &AppHandle<R>) -> Settings {
    store(app)
        .ok()
        .and_then(|s| s.get(SETTINGS_KEY))
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default()
}

pub fn window_size<R: Runtime>(app: &AppHandle<R>) -> Option<WindowSize> {
    store(app)
        .ok()?
        .get(WINDOW_KEY)
        .and_then(|v| serde_json::from_value(v).ok())
}

pub fn save_window_size<R: Runtime>(app: &AppHandle<R>, size: WindowSize) {
    if let Ok(s) = store(app) {
        s.set(WINDOW_KEY, serde_json::json!(size));
        let _ = s.save();
    }
}

#[tauri::command]
pub fn get_settings(app: AppHandle) -> Settings {
    load(&app)
}

/// Saves the window's settings. Where the library is and which libraries were opened before
/// are kept as stored: only `set_library_dir` (a folder the user chose) changes them, so the
/// webview cannot make a folder of its choosing a "recent library".
#[tauri::command]
pub fn set_settings(app: AppHandle, mut settings: Settings) -> CmdResult<()> {
    let stored = load(&app);
    settings.library_dir = stored.library_dir;
    settings.recent_libraries = stored.recent_libraries;
    save(&app, &settings)
}

fn save(app: &AppHandle, settings: &Settings) -> CmdResult<()> {
    let s = store(app)?;
    s.set(
        SETTINGS_KEY,
        serde_json::to_value(settings).map_err(IpcError::internal)?,
    );
    s.save().map_err(IpcError::internal)
}

/// Opens (or creates) the library at `dir`, makes it the current one and remembers it.
#[tauri::command]
pub async fn set_library_dir(
    app: AppHandle,
    state: State<'_, AppState>,
    dir: String,
) -> CmdResult<LibraryInfo> {
    let path = PathBuf::from(&dir);
    // A folder chosen in a dialog this session, or one of the recent libraries.
    if !load(&app).recent_libraries.contains(&dir) {
        state.check_granted(&path)?;
    }
    let previous = state.library().ok().map(|l| l.dir().display().to_string());
    let (lib, _) = tauri::async_runtime::spawn_blocking(move || open_library(&path, false))
        .await
        .map_err(IpcError::internal)??;
    state.replace(lib);
    state
        .opened_sample
        .store(false, std::sync::atomic::Ordering::Relaxed);
    let mut settings = load(&app);
    remember_library(&mut settings, &dir, &previous);
    settings.library_dir = Some(dir);
    save(&app, &settings)?;
    let _ = app.emit(events::LIBRARY_CHANGED, "open");
    super::library::library_info(app.state::<AppState>()).await
}

/// How many libraries File → Open library… remembers.
const RECENT_LIBRARIES: usize = 8;

/// Puts `dir` (and the library it replaces) at the front of the recent libraries.
fn remember_library(settings: &mut Settings, dir: &str, previous: &Option<String>) {
    let recents = &mut settings.recent_libraries;
    for d in previous.iter().map(String::as_str).chain([dir]) {
        recents.retain(|r| r != d);
        recents.insert(0, d.to_string());
    }
    recents.truncate(RECENT_LIBRARIES);
}

/// The UI painted its first list rows. With `TOPICA_BENCH` set, prints the time since launch
/// for `npm run bench:startup` (which measures memory and stops the app), and where that time
/// went: `marks` are the UI's `performance.now()` readings (ms since the page began loading,
/// `origin` being that moment in ms since the Unix epoch), printed as ms since launch.
#[tauri::command]
pub fn painted(marks: std::collections::BTreeMap<String, f64>) {
    if std::env::var_os("TOPICA_BENCH").is_none() {
        return;
    }
    let since_launch = crate::startup::elapsed_ms();
    println!("TOPICA_PAINTED ms={since_launch:.0}");
    let now_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1e3);
    let launch_epoch = now_epoch - since_launch;
    let mut phases = crate::startup::marks();
    if let Some(origin) = marks.get("origin") {
        phases.push(format!("page={:.0}", origin - launch_epoch));
        let mut ui: Vec<_> = marks.iter().filter(|(k, _)| *k != "origin").collect();
        ui.sort_by(|a, b| a.1.total_cmp(b.1));
        for (name, at) in ui {
            phases.push(format!("{name}={:.0}", origin + at - launch_epoch));
        }
    }
    println!("TOPICA_PHASES {}", phases.join(" "));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_libraries_put_the_newest_first_without_repeats() {
        let mut s = Settings::default();
        remember_library(&mut s, "/b", &Some("/a".into()));
        assert_eq!(s.recent_libraries, ["/b", "/a"]);
        remember_library(&mut s, "/a", &Some("/b".into()));
        assert_eq!(s.recent_libraries, ["/a", "/b"]);
        for i in 0..20 {
            remember_library(&mut s, &format!("/{i}"), &None);
        }
        assert_eq!(s.recent_libraries.len(), RECENT_LIBRARIES);
        assert_eq!(s.recent_libraries[0], "/19");
    }

    #[test]
    fn settings_tolerate_missing_and_unknown_fields() {
        let s: Settings =
            serde_json::from_value(serde_json::json!({"theme": "dark", "someday": 1})).unwrap();
        assert_eq!(s.theme, "dark");
        assert_eq!(s.citation_style, "apa");
        let json = serde_json::to_value(Settings::default()).unwrap();
        assert!(
            json.get("citationStyle").is_some() && json.get("libraryDir").is_some(),
            "{json}"
        );
    }
}
