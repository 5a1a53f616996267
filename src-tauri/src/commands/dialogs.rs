//! Native open/save dialogs, shown from Rust so that the paths they answer are recorded as the
//! user's choice (`AppState::grant`): the path-taking commands (`import_files`, `export_file`,
//! `set_library_dir`, `attach_files`, `relink_file`, `import_pdfs`) accept only those, the files dropped on the window, and the recent
//! libraries. A script in the webview cannot name a file of its own.

use std::path::PathBuf;

use tauri::{AppHandle, Manager, State};
use tauri_plugin_dialog::{DialogExt, FilePath};

use crate::error::{CmdResult, IpcError};
use crate::state::AppState;

fn path_of(p: FilePath) -> CmdResult<PathBuf> {
    p.into_path().map_err(IpcError::internal)
}

/// Runs a blocking dialog off the async runtime's worker (GTK's dialog waits for the user).
async fn off_runtime<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> CmdResult<T> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(IpcError::internal)
}

/// File → Import…: the files to import, or none when the dialog was cancelled.
#[tauri::command]
pub async fn choose_import_files(
    app: AppHandle,
    state: State<'_, AppState>,
) -> CmdResult<Vec<String>> {
    let picked = off_runtime(move || {
        app.dialog()
            .file()
            .set_title("Import into Topica")
            .add_filter(
                "Bibliographies, arXiv lists and Zotero libraries",
                &[
                    "bib", "ris", "json", "jsonl", "xml", "atom", "txt", "sqlite",
                ],
            )
            .add_filter("All files", &["*"])
            .blocking_pick_files()
    })
    .await?;
    let paths = picked
        .unwrap_or_default()
        .into_iter()
        .map(path_of)
        .collect::<CmdResult<Vec<_>>>()?;
    state.grant(paths.iter().cloned());
    Ok(paths.iter().map(|p| p.display().to_string()).collect())
}

/// What files are being chosen for: the dialog's title and filters follow.
#[derive(Debug, Clone, Copy, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum FilePurpose {
    /// Files to attach to a paper (any kind; several).
    Attach,
    /// PDFs to import as papers (several).
    ImportPdfs,
    /// The file a missing attachment is now (one).
    Relink,
    /// A backup to put the library back to (one), when it is not among the library's own.
    Backup,
}

/// Files to attach, PDFs to import or the file to relink: none when the dialog was cancelled.
#[tauri::command]
pub async fn choose_files(
    app: AppHandle,
    state: State<'_, AppState>,
    purpose: FilePurpose,
) -> CmdResult<Vec<String>> {
    let picked = off_runtime(move || {
        let dialog = app.dialog().file();
        match purpose {
            FilePurpose::Attach => dialog
                .set_title("Attach files to the paper")
                .add_filter("All files", &["*"])
                .add_filter("PDFs", &["pdf", "PDF"])
                .blocking_pick_files(),
            FilePurpose::ImportPdfs => dialog
                .set_title("Import PDFs into Topica")
                .add_filter("PDFs", &["pdf", "PDF"])
                .add_filter("All files", &["*"])
                .blocking_pick_files(),
            FilePurpose::Relink => dialog
                .set_title("Find the missing file")
                .blocking_pick_file()
                .map(|f| vec![f]),
            FilePurpose::Backup => dialog
                .set_title("Restore the library from a backup")
                .add_filter("Topica backups", &["sqlite"])
                .add_filter("All files", &["*"])
                .blocking_pick_file()
                .map(|f| vec![f]),
        }
    })
    .await?;
    let paths = picked
        .unwrap_or_default()
        .into_iter()
        .map(path_of)
        .collect::<CmdResult<Vec<_>>>()?;
    state.grant(paths.iter().cloned());
    Ok(paths.iter().map(|p| p.display().to_string()).collect())
}

/// A folder (for a library, of PDFs to import, or holding the semantic model): None when the
/// dialog was cancelled. It opens in the home folder: GTK's default, Recent files, lists no
/// folders and does not accept a folder typed in its location field.
#[tauri::command]
pub async fn choose_folder(
    app: AppHandle,
    state: State<'_, AppState>,
    title: String,
) -> CmdResult<Option<String>> {
    let home = app.path().home_dir().ok();
    let picked = off_runtime(move || {
        let dialog = app.dialog().file().set_title(title);
        match home {
            Some(h) => dialog.set_directory(h),
            None => dialog,
        }
        .blocking_pick_folder()
    })
    .await?;
    let Some(path) = picked.map(path_of).transpose()? else {
        return Ok(None);
    };
    state.grant([path.clone()]);
    Ok(Some(path.display().to_string()))
}

/// Where to write an export: None when the dialog was cancelled.
#[tauri::command]
pub async fn choose_save_path(
    app: AppHandle,
    state: State<'_, AppState>,
    file_name: String,
    extension: String,
) -> CmdResult<Option<String>> {
    let picked = off_runtime(move || {
        app.dialog()
            .file()
            .set_title("Export from Topica")
            .set_file_name(file_name)
            .add_filter(extension.to_uppercase(), &[extension.as_str()])
            .blocking_save_file()
    })
    .await?;
    let Some(path) = picked.map(path_of).transpose()? else {
        return Ok(None);
    };
    state.grant([path.clone()]);
    Ok(Some(path.display().to_string()))
}
