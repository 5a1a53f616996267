//! Settings (tauri-plugin-store): theme, citation style, library location, last view, backups;
//! where the window state plugin keeps its file; and which engine capabilities this build has.
//! What belongs to a library (its citation key pattern, its number of topics) is stored in the
//! library and set through the engine's commands, so the CLI and the app never disagree.

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
    /// Days a daily backup of the library is kept (in its `backups/` folder); 0 = no daily
    /// backups.
    pub backup_days: u32,
    /// The sidebar's width in CSS pixels, as the user dragged it; `None` = the default.
    pub sidebar_width: Option<u32>,
    /// The folder semantic mode's model is read from, chosen in Settings → Semantic topics;
    /// `None` = the default model folder. Only `set_model_folder` changes it, after checking
    /// the folder holds the model.
    pub model_dir: Option<String>,
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
            backup_days: 14,
            sidebar_width: None,
            model_dir: None,
        }
    }
}

const SETTINGS_KEY: &str = "settings";

/// The settings file: `TOPICA_SETTINGS` (tests), else `settings.json` in the app data dir.
fn store_path() -> PathBuf {
    std::env::var_os("TOPICA_SETTINGS")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| "settings.json".into())
}

/// The window state plugin's file: beside `TOPICA_SETTINGS` when that is set (each test run
/// its own), else the plugin's own name in the app config dir. An absolute name replaces the
/// plugin's folder.
pub fn window_state_file() -> String {
    match std::env::var_os("TOPICA_SETTINGS").filter(|p| !p.is_empty()) {
        Some(p) => PathBuf::from(p)
            .with_file_name("window-state.json")
            .display()
            .to_string(),
        None => ".window-state.json".into(),
    }
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

/// Settings an earlier version kept under its old identifier (`LEGACY_APP_IDENTIFIER`): copied
/// once to this identifier's data folder, so an update keeps the user's library location,
/// recent libraries and choices. Call before the first `load`.
pub fn adopt_legacy<R: Runtime>(app: &AppHandle<R>) {
    if std::env::var_os("TOPICA_SETTINGS").is_some_and(|p| !p.is_empty()) {
        return;
    }
    let Ok(dir) = app.path().app_data_dir() else {
        return;
    };
    if let Some(data) = dir.parent() {
        adopt(&data.join(topica_core::LEGACY_APP_IDENTIFIER), &dir);
    }
}

/// Copies `old/settings.json` to `new/` unless `new` has its own; whether it did.
fn adopt(old: &std::path::Path, new: &std::path::Path) -> bool {
    let (from, to) = (old.join("settings.json"), new.join("settings.json"));
    if to.exists() || !from.is_file() {
        return false;
    }
    std::fs::create_dir_all(new).is_ok() && std::fs::copy(&from, &to).is_ok()
}

#[tauri::command]
pub fn get_settings(app: AppHandle) -> Settings {
    load(&app)
}

/// Saves the window's settings. Where the library is, which libraries were opened before and
/// where the model is are kept as stored: only `set_library_dir` and `set_model_folder` (folders
/// the user chose) change them, so the webview cannot make a folder of its choosing a "recent
/// library" or the model's.
#[tauri::command]
pub fn set_settings(app: AppHandle, mut settings: Settings) -> CmdResult<()> {
    let stored = load(&app);
    settings.library_dir = stored.library_dir;
    settings.recent_libraries = stored.recent_libraries;
    settings.model_dir = stored.model_dir;
    save(&app, &settings)
}

pub(crate) fn save(app: &AppHandle, settings: &Settings) -> CmdResult<()> {
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
    let model = crate::state::model_dir(load(&app).model_dir.as_deref());
    let (lib, _) = tauri::async_runtime::spawn_blocking(move || open_library(&path, false, &model))
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
    fn settings_of_the_old_identifier_are_adopted_once_and_never_over_new_ones() {
        let data = tempfile::tempdir().unwrap();
        let (old, new) = (
            data.path().join("io.topica.app"),
            data.path().join("io.topica.desktop"),
        );
        std::fs::create_dir_all(&old).unwrap();
        std::fs::write(
            old.join("settings.json"),
            r#"{"settings":{"theme":"dark"}}"#,
        )
        .unwrap();
        assert!(adopt(&old, &new));
        assert_eq!(
            std::fs::read_to_string(new.join("settings.json")).unwrap(),
            r#"{"settings":{"theme":"dark"}}"#
        );
        std::fs::write(new.join("settings.json"), "{}").unwrap();
        assert!(!adopt(&old, &new), "the new place's own settings win");
        assert_eq!(
            std::fs::read_to_string(new.join("settings.json")).unwrap(),
            "{}"
        );
        assert!(!adopt(
            &data.path().join("none"),
            &data.path().join("fresh")
        ));
    }

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
