//! IPC commands, one file per domain. Each command is a one-line call into the
//! `topica_core::Library` facade, run off the UI thread by [`blocking`].

pub mod backups;
pub mod dialogs;
pub mod export;
pub mod files;
pub mod library;
pub mod manage;
pub mod search;
pub mod semantic;
pub mod settings;
pub mod styles;
pub mod topics;

use topica_core::Library;

use crate::error::{CmdResult, IpcError};
use crate::state::AppState;

/// Runs `f` on the open library in a blocking-task thread, so SQLite and tantivy never stall
/// the async runtime or the window.
pub(crate) async fn blocking<T, F>(state: &AppState, f: F) -> CmdResult<T>
where
    T: Send + 'static,
    F: FnOnce(&Library) -> topica_core::Result<T> + Send + 'static,
{
    let lib = state.opened_library().await?;
    tauri::async_runtime::spawn_blocking(move || f(&lib))
        .await
        .map_err(IpcError::internal)?
        .map_err(IpcError::from)
}
