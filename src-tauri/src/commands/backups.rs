//! Backups (File → Back up now, Restore from backup…): the library's own backups, taken daily
//! by the idle thread (see `lib.rs`) and by hand. A restore takes only a backup the library
//! lists or a file the user chose in a dialog.

use std::path::PathBuf;

use tauri::{AppHandle, Emitter, State};
use topica_core::{BackupFile, RestoreReport};

use super::blocking;
use crate::error::CmdResult;
use crate::events;
use crate::state::AppState;

/// The library's backups, the newest first.
#[tauri::command]
pub async fn backups(state: State<'_, AppState>) -> CmdResult<Vec<BackupFile>> {
    blocking(&state, |l| l.backups()).await
}

/// Takes a backup now, into the library's backups folder.
#[tauri::command]
pub async fn backup_now(state: State<'_, AppState>) -> CmdResult<BackupFile> {
    blocking(&state, |l| l.backup(None)).await
}

/// Puts the library back as it was in `path`: one of its listed backups, or a file the user
/// chose. The library as it is goes to a backup first.
#[tauri::command]
pub async fn restore_backup(
    app: AppHandle,
    state: State<'_, AppState>,
    path: String,
) -> CmdResult<RestoreReport> {
    let path = PathBuf::from(path);
    let listed = state
        .library()?
        .backups()?
        .iter()
        .any(|b| std::path::Path::new(&b.path) == path);
    if !listed {
        state.check_granted(&path)?;
    }
    let report = blocking(&state, move |l| l.restore_backup(&path)).await?;
    let _ = app.emit(events::LIBRARY_CHANGED, "restore");
    Ok(report)
}
