//! Library commands: what the sidebar and paper list show, one paper, user edits, import.

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Emitter, State};
use topica_core::{
    EnrichOptions, EnrichReport, ImportOptions, ImportReport, Paper, PaperRow, Progress, SortBy,
    Stats, View,
};

use super::blocking;
use crate::error::CmdResult;
use crate::events;
use crate::state::AppState;

/// The open library as the UI introduces it.
#[derive(Debug, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct LibraryInfo {
    pub dir: String,
    pub stats: Stats,
    /// True when this launch opened the embedded sample library.
    pub opened_sample: bool,
    /// Papers re-indexed when the library was opened, because its search index was missing,
    /// out of date or damaged; the window says so.
    pub index_rebuilt: Option<u32>,
    /// Topica's version (Help → About).
    pub version: String,
    /// The saved searches, with what each matches now (the sidebar lists them).
    pub saved: Vec<topica_core::SavedSearch>,
}

#[tauri::command]
pub async fn library_info(state: State<'_, AppState>) -> CmdResult<LibraryInfo> {
    // Whether this launch filled the library with the sample is known once it has opened.
    state.opened_library().await?;
    let opened_sample = state.opened_sample.load(Ordering::Relaxed);
    blocking(&state, move |l| {
        Ok(LibraryInfo {
            dir: l.dir().display().to_string(),
            stats: l.stats()?,
            opened_sample,
            index_rebuilt: l
                .index_rebuilt_at_open()
                .map(|n| u32::try_from(n).unwrap_or(u32::MAX)),
            version: env!("CARGO_PKG_VERSION").to_string(),
            saved: l.saved_searches()?,
        })
    })
    .await
}

#[tauri::command]
pub async fn list_ids(state: State<'_, AppState>, view: View, sort: SortBy) -> CmdResult<Vec<i64>> {
    blocking(&state, move |l| l.list_ids(&view, sort)).await
}

#[tauri::command]
pub async fn rows(state: State<'_, AppState>, ids: Vec<i64>) -> CmdResult<Vec<PaperRow>> {
    blocking(&state, move |l| l.rows(&ids)).await
}

#[tauri::command]
pub async fn paper(state: State<'_, AppState>, id: i64) -> CmdResult<Paper> {
    blocking(&state, move |l| l.paper(id)).await
}

/// The abstract as shown: glued words written as their words (`None`: as stored).
#[tauri::command]
pub async fn readable_abstract(state: State<'_, AppState>, id: i64) -> CmdResult<Option<String>> {
    blocking(&state, move |l| l.readable_abstract(id)).await
}

#[tauri::command]
pub async fn set_notes(state: State<'_, AppState>, id: i64, notes: String) -> CmdResult<Paper> {
    blocking(&state, move |l| l.set_notes(id, &notes)).await
}

#[tauri::command]
pub async fn set_tags(state: State<'_, AppState>, id: i64, tags: Vec<String>) -> CmdResult<Paper> {
    blocking(&state, move |l| l.set_tags(id, &tags)).await
}

#[tauri::command]
pub async fn set_collections(
    state: State<'_, AppState>,
    id: i64,
    collections: Vec<String>,
) -> CmdResult<Paper> {
    blocking(&state, move |l| l.set_collections(id, &collections)).await
}

#[tauri::command]
pub async fn set_flags(
    state: State<'_, AppState>,
    id: i64,
    read: Option<bool>,
    starred: Option<bool>,
) -> CmdResult<Paper> {
    blocking(&state, move |l| l.set_flags(id, read, starred)).await
}

/// Imports files atomically, streaming progress to `on_progress`; `cancel_job(job)` stops it
/// and leaves the library as it was.
#[tauri::command]
pub async fn import_files(
    app: AppHandle,
    state: State<'_, AppState>,
    job: u32,
    paths: Vec<PathBuf>,
    strict: bool,
    on_progress: Channel<Progress>,
) -> CmdResult<ImportReport> {
    for p in &paths {
        state.check_granted(p)?;
    }
    let cancel = state.start_job(job);
    let opts = ImportOptions {
        strict,
        ..ImportOptions::default()
    };
    let result = blocking(&state, move |l| {
        l.import_files_with(&paths, &opts, &mut |p| {
            on_progress.send(p.clone()).is_ok() && !cancel.load(Ordering::SeqCst)
        })
    })
    .await;
    state.end_job(job);
    if let Ok(r) = &result {
        let _ = app.emit(events::LIBRARY_CHANGED, "import");
        crate::notify::job_done(
            &app,
            "Import finished",
            &crate::notify::import_summary("Imported", r.added, r.merged, r.skipped.len()),
        );
    }
    result
}

/// Fills in titles and authors of papers known only by arXiv id from the arXiv API (all or
/// nothing), streaming progress; `cancel_job(job)` stops it.
#[tauri::command]
pub async fn enrich(
    app: AppHandle,
    state: State<'_, AppState>,
    job: u32,
    on_progress: Channel<Progress>,
) -> CmdResult<EnrichReport> {
    let cancel = state.start_job(job);
    let opts = EnrichOptions {
        base_url: super::settings::load(&app).services.with_env().arxiv_api,
        ..EnrichOptions::default()
    };
    let result = blocking(&state, move |l| {
        l.enrich(&opts, &mut |p| {
            on_progress.send(p.clone()).is_ok() && !cancel.load(Ordering::SeqCst)
        })
    })
    .await;
    state.end_job(job);
    if matches!(&result, Ok(r) if r.enriched > 0) {
        let _ = app.emit(events::LIBRARY_CHANGED, "enrich");
    }
    if let Ok(r) = &result {
        crate::notify::job_done(
            &app,
            "Metadata filled in",
            &format!(
                "{} of {} papers got their metadata from arXiv",
                r.enriched, r.candidates
            ),
        );
    }
    result
}

/// Asks job `job` to stop; false when it already ended.
#[tauri::command]
pub fn cancel_job(state: State<'_, AppState>, job: u32) -> bool {
    state.cancel_job(job)
}

/// Shows the open library's folder in the file manager (Help → Show the library folder).
#[tauri::command]
pub fn reveal_library(app: AppHandle, state: State<'_, AppState>) -> CmdResult<()> {
    use tauri_plugin_opener::OpenerExt;
    let dir = state.library()?.dir().to_path_buf();
    app.opener()
        .reveal_item_in_dir(&dir)
        .map_err(crate::error::IpcError::internal)
}
