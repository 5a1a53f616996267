//! Files attached to papers: list, attach, detach, relink, import PDFs as papers, the text read
//! from them, their bytes for the in-app viewer, and opening or revealing them in the system.
//!
//! Paths the window sends (to attach, relink, import) must be the user's choice (a dialog's
//! answer or a drop: `AppState::check_granted`). Opening, revealing and reading a file go by
//! its id only: the path comes from the library, never from the web side.

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use tauri::ipc::{Channel, Response};
use tauri::{AppHandle, Emitter, State};
use tauri_plugin_opener::OpenerExt;
use topica_core::{
    AttachMode, AttachReport, AttachedFile, FulltextPage, PdfImportReport, Progress,
};

use super::{blocking, settings};
use crate::error::{CmdResult, IpcError};
use crate::events;
use crate::state::AppState;

fn changed(app: &AppHandle, what: &str) {
    let _ = app.emit(events::LIBRARY_CHANGED, what);
}

/// The files attached to a paper, oldest first, each checked on disk (`missing`).
#[tauri::command]
pub async fn files(state: State<'_, AppState>, paper_id: i64) -> CmdResult<Vec<AttachedFile>> {
    blocking(&state, move |l| l.files(paper_id)).await
}

/// Attaches chosen or dropped files to a paper: copied into the library, or linked in place
/// (`link`), as one undoable step. Files that cannot be attached are listed with the reason.
#[tauri::command]
pub async fn attach_files(
    app: AppHandle,
    state: State<'_, AppState>,
    paper_id: i64,
    paths: Vec<PathBuf>,
    link: bool,
) -> CmdResult<AttachReport> {
    for p in &paths {
        state.check_granted(p)?;
    }
    let mode = if link {
        AttachMode::Link
    } else {
        AttachMode::Copy
    };
    let report = blocking(&state, move |l| l.attach_files(paper_id, &paths, mode)).await?;
    if !report.attached.is_empty() {
        changed(&app, "attach");
    }
    Ok(report)
}

/// Detaches files (undoable; a stored copy stays until the trash is emptied).
#[tauri::command]
pub async fn detach_files(
    app: AppHandle,
    state: State<'_, AppState>,
    file_ids: Vec<i64>,
) -> CmdResult<Vec<i64>> {
    let gone = blocking(&state, move |l| l.detach_files(&file_ids)).await?;
    changed(&app, "detach");
    Ok(gone)
}

/// Points a missing file at the one the user found again (chosen in a dialog).
#[tauri::command]
pub async fn relink_file(
    app: AppHandle,
    state: State<'_, AppState>,
    file_id: i64,
    path: PathBuf,
) -> CmdResult<AttachedFile> {
    state.check_granted(&path)?;
    let file = blocking(&state, move |l| l.relink_file(file_id, &path)).await?;
    changed(&app, "relink");
    Ok(file)
}

/// Imports PDFs (files, or folders searched for them) as papers with their files, streaming
/// progress; `cancel_job(job)` stops it and leaves the library as it was. Copy or link as the
/// settings say; the identifiers found are looked up with the settings' services unless the
/// settings turn that off.
#[tauri::command]
pub async fn import_pdfs(
    app: AppHandle,
    state: State<'_, AppState>,
    job: u32,
    paths: Vec<PathBuf>,
    on_progress: Channel<Progress>,
) -> CmdResult<PdfImportReport> {
    for p in &paths {
        state.check_granted(p)?;
    }
    let s = settings::load(&app);
    let services = s.pdf_lookup.then(|| s.services.with_env());
    let mode = s.attach_by;
    let cancel = state.start_job(job);
    let result = blocking(&state, move |l| {
        l.import_pdfs(&paths, mode, services.as_ref(), &mut |p| {
            on_progress.send(p.clone()).is_ok() && !cancel.load(Ordering::SeqCst)
        })
    })
    .await;
    state.end_job(job);
    if matches!(&result, Ok(r) if r.added + r.merged > 0) {
        changed(&app, "import-pdfs");
    }
    if let Ok(r) = &result {
        crate::notify::job_done(
            &app,
            "PDF import finished",
            &crate::notify::import_summary("Imported", r.added, r.merged, r.failed),
        );
    }
    result
}

/// The text read from a paper's files, page by page.
#[tauri::command]
pub async fn fulltext(state: State<'_, AppState>, paper_id: i64) -> CmdResult<Vec<FulltextPage>> {
    blocking(&state, move |l| l.fulltext(paper_id)).await
}

/// The bytes of an attached file, for the in-app viewer (sent as raw bytes, not JSON).
#[tauri::command]
pub async fn file_bytes(state: State<'_, AppState>, file_id: i64) -> CmdResult<Response> {
    let bytes = blocking(&state, move |l| {
        let f = l.file(file_id)?;
        std::fs::read(&f.path).map_err(|e| topica_core::Error::File {
            path: PathBuf::from(&f.path),
            reason: format!("cannot read “{}”: {e}", f.name),
        })
    })
    .await?;
    Ok(Response::new(bytes))
}

/// Where attached file `file_id` is, refusing one that is not on disk (say so, and how to fix).
async fn existing_path(state: &AppState, file_id: i64) -> CmdResult<PathBuf> {
    let f = blocking(state, move |l| l.file(file_id)).await?;
    if f.missing {
        return Err(IpcError::new(
            "missing",
            format!(
                "“{}” is not at {} any more: use Relink… to point Topica at it",
                f.name, f.path
            ),
        ));
    }
    Ok(PathBuf::from(f.path))
}

/// Opens an attached file in the system's viewer for its type.
#[tauri::command]
pub async fn open_file(app: AppHandle, state: State<'_, AppState>, file_id: i64) -> CmdResult<()> {
    let path = existing_path(&state, file_id).await?;
    app.opener()
        .open_path(path.display().to_string(), None::<&str>)
        .map_err(|e| {
            IpcError::new(
                "openFailed",
                format!("The system could not open {}: {e}", path.display()),
            )
        })
}

/// Shows an attached file in the file manager.
#[tauri::command]
pub async fn reveal_file(
    app: AppHandle,
    state: State<'_, AppState>,
    file_id: i64,
) -> CmdResult<()> {
    let path = existing_path(&state, file_id).await?;
    app.opener().reveal_item_in_dir(&path).map_err(|e| {
        IpcError::new(
            "openFailed",
            format!("The file manager could not show {}: {e}", path.display()),
        )
    })
}
