//! Citation style commands: the styles an export can use (bundled and added), adding a `.csl`
//! file the user picks in a native dialog (the path never comes from the webview), and
//! removing an added style. A file that is not a usable style is refused with its line
//! (`invalidStyle`).

use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use topica_core::StyleEntry;

use super::blocking;
use crate::error::{CmdResult, IpcError};
use crate::state::AppState;

/// Bundled styles, then the library's added ones.
#[tauri::command]
pub async fn styles(state: State<'_, AppState>) -> CmdResult<Vec<StyleEntry>> {
    blocking(&state, |l| l.styles()).await
}

/// Settings → Add style…: a `.csl` file chosen in the open dialog, added to the library. None
/// when the dialog was cancelled.
#[tauri::command]
pub async fn choose_and_add_style(
    app: AppHandle,
    state: State<'_, AppState>,
) -> CmdResult<Option<StyleEntry>> {
    let picked = tauri::async_runtime::spawn_blocking(move || {
        app.dialog()
            .file()
            .set_title("Add a citation style")
            .add_filter("CSL styles", &["csl", "CSL", "xml"])
            .blocking_pick_file()
    })
    .await
    .map_err(IpcError::internal)?;
    let Some(file) = picked else {
        return Ok(None);
    };
    let path = file.into_path().map_err(IpcError::internal)?;
    blocking(&state, move |l| l.add_style(&path).map(Some)).await
}

/// Adds a `.csl` file the user opened with Topica (a double-click, a second launch's argument)
/// or dropped on the window: only such a chosen path is taken.
#[tauri::command]
pub async fn add_style(state: State<'_, AppState>, path: String) -> CmdResult<StyleEntry> {
    let path = std::path::PathBuf::from(path);
    state.check_granted(&path)?;
    blocking(&state, move |l| l.add_style(&path)).await
}

/// Removes an added style.
#[tauri::command]
pub async fn remove_style(state: State<'_, AppState>, name: String) -> CmdResult<()> {
    blocking(&state, move |l| l.remove_style(&name)).await
}

/// The locales references can be rendered in (`en-US`, `de-DE`, …).
#[tauri::command]
pub async fn locales() -> CmdResult<Vec<String>> {
    Ok(topica_core::export::csl::locale_codes()
        .map(String::from)
        .collect())
}
