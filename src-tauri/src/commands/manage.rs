//! Managing the library by hand: add by identifier or pasted text, edit metadata, the trash,
//! undo and redo. Every change emits `library-changed` so the window re-reads what it shows.

use std::collections::BTreeMap;
use tauri::{AppHandle, Emitter, State};

use topica_core::{
    BulkReport, DuplicateGroup, EmptiedTrash, History, MergeReport, Paper, PaperEdit, PasteReport,
    UndoReport,
};

use super::blocking;
use super::settings;
use crate::error::CmdResult;
use crate::events;
use crate::state::AppState;

fn changed(app: &AppHandle, what: &str) {
    let _ = app.emit(events::LIBRARY_CHANGED, what);
}

/// Adds arXiv ids or DOIs (fetched from the services in the settings, or their environment
/// overrides), or pasted BibTeX/RIS/CSL-JSON.
#[tauri::command]
pub async fn add_text(
    app: AppHandle,
    state: State<'_, AppState>,
    text: String,
) -> CmdResult<PasteReport> {
    let services = settings::load(&app).services.with_env();
    let report = blocking(&state, move |l| l.add_text(&text, &services)).await?;
    changed(&app, "add");
    Ok(report)
}

#[tauri::command]
pub async fn update_paper(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
    edit: PaperEdit,
) -> CmdResult<Paper> {
    let p = blocking(&state, move |l| l.update_paper(id, &edit)).await?;
    changed(&app, "edit");
    Ok(p)
}

#[tauri::command]
pub async fn trash(
    app: AppHandle,
    state: State<'_, AppState>,
    ids: Vec<i64>,
) -> CmdResult<Vec<i64>> {
    let moved = blocking(&state, move |l| l.trash(&ids)).await?;
    changed(&app, "trash");
    Ok(moved)
}

#[tauri::command]
pub async fn restore(
    app: AppHandle,
    state: State<'_, AppState>,
    ids: Vec<i64>,
) -> CmdResult<Vec<i64>> {
    let back = blocking(&state, move |l| l.restore(&ids)).await?;
    changed(&app, "restore");
    Ok(back)
}

#[tauri::command]
pub async fn empty_trash(app: AppHandle, state: State<'_, AppState>) -> CmdResult<EmptiedTrash> {
    let r = blocking(&state, move |l| l.empty_trash()).await?;
    changed(&app, "empty-trash");
    Ok(r)
}

#[tauri::command]
pub async fn undo(app: AppHandle, state: State<'_, AppState>) -> CmdResult<Option<UndoReport>> {
    let r = blocking(&state, move |l| l.undo()).await?;
    changed(&app, "undo");
    Ok(r)
}

#[tauri::command]
pub async fn redo(app: AppHandle, state: State<'_, AppState>) -> CmdResult<Option<UndoReport>> {
    let r = blocking(&state, move |l| l.redo()).await?;
    changed(&app, "redo");
    Ok(r)
}

#[tauri::command]
pub async fn history(state: State<'_, AppState>) -> CmdResult<History> {
    blocking(&state, move |l| l.history()).await
}

#[tauri::command]
pub async fn tag_papers(
    app: AppHandle,
    state: State<'_, AppState>,
    ids: Vec<i64>,
    tag: String,
    on: bool,
) -> CmdResult<BulkReport> {
    let r = blocking(&state, move |l| l.tag_papers(&ids, &tag, on)).await?;
    changed(&app, "tag");
    Ok(r)
}

#[tauri::command]
pub async fn collect_papers(
    app: AppHandle,
    state: State<'_, AppState>,
    ids: Vec<i64>,
    name: String,
    on: bool,
) -> CmdResult<BulkReport> {
    let r = blocking(&state, move |l| l.collect_papers(&ids, &name, on)).await?;
    changed(&app, "collection");
    Ok(r)
}

#[tauri::command]
pub async fn flag_papers(
    app: AppHandle,
    state: State<'_, AppState>,
    ids: Vec<i64>,
    read: Option<bool>,
    starred: Option<bool>,
) -> CmdResult<BulkReport> {
    let r = blocking(&state, move |l| l.flag_papers(&ids, read, starred)).await?;
    changed(&app, "flags");
    Ok(r)
}

#[tauri::command]
pub async fn rename_tag(
    app: AppHandle,
    state: State<'_, AppState>,
    from: String,
    to: String,
) -> CmdResult<BulkReport> {
    let r = blocking(&state, move |l| l.rename_tag(&from, &to)).await?;
    changed(&app, "tag");
    Ok(r)
}

/// Gives a tag a colour (`#rrggbb`) or takes it away (`null`).
#[tauri::command]
pub async fn set_tag_color(
    app: AppHandle,
    state: State<'_, AppState>,
    tag: String,
    color: Option<String>,
) -> CmdResult<()> {
    blocking(&state, move |l| l.set_tag_color(&tag, color.as_deref())).await?;
    changed(&app, "tag");
    Ok(())
}

/// Groups of papers that may be duplicates, newest first.
#[tauri::command]
pub async fn duplicates(state: State<'_, AppState>) -> CmdResult<Vec<DuplicateGroup>> {
    blocking(&state, move |l| l.duplicates()).await
}

/// Merges `others` into `keep`; `choices` names, per field, the paper whose value wins.
#[tauri::command]
pub async fn merge_papers(
    app: AppHandle,
    state: State<'_, AppState>,
    keep: i64,
    others: Vec<i64>,
    choices: BTreeMap<String, i64>,
) -> CmdResult<MergeReport> {
    let r = blocking(&state, move |l| l.merge_papers(keep, &others, &choices)).await?;
    changed(&app, "merge");
    Ok(r)
}

/// Remembers that these papers are not duplicates of each other.
#[tauri::command]
pub async fn mark_not_duplicates(
    app: AppHandle,
    state: State<'_, AppState>,
    ids: Vec<i64>,
) -> CmdResult<usize> {
    let n = blocking(&state, move |l| l.mark_not_duplicates(&ids)).await?;
    changed(&app, "not-duplicates");
    Ok(n)
}

#[tauri::command]
pub async fn save_search(
    app: AppHandle,
    state: State<'_, AppState>,
    name: String,
    query: String,
) -> CmdResult<()> {
    blocking(&state, move |l| l.save_search(&name, &query)).await?;
    changed(&app, "saved-search");
    Ok(())
}

#[tauri::command]
pub async fn rename_saved_search(
    app: AppHandle,
    state: State<'_, AppState>,
    from: String,
    to: String,
) -> CmdResult<()> {
    blocking(&state, move |l| l.rename_saved_search(&from, &to)).await?;
    changed(&app, "saved-search");
    Ok(())
}

#[tauri::command]
pub async fn delete_saved_search(
    app: AppHandle,
    state: State<'_, AppState>,
    name: String,
) -> CmdResult<()> {
    blocking(&state, move |l| l.delete_saved_search(&name)).await?;
    changed(&app, "saved-search");
    Ok(())
}

/// Creates, renames, moves or deletes a collection (nested names: `Parent/Child`).
#[tauri::command]
pub async fn reshape_collection(
    app: AppHandle,
    state: State<'_, AppState>,
    action: CollectionAction,
) -> CmdResult<()> {
    blocking(&state, move |l| match action {
        CollectionAction::Create { name } => l.create_collection(&name),
        CollectionAction::Rename { name, new_name } => l.rename_collection(&name, &new_name),
        CollectionAction::Move { name, parent } => l.move_collection(&name, parent.as_deref()),
        CollectionAction::Delete { name } => l.delete_collection(&name),
    })
    .await?;
    changed(&app, "collection");
    Ok(())
}

/// What `reshape_collection` does.
#[derive(Debug, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", tag = "action")]
pub enum CollectionAction {
    Create {
        name: String,
    },
    #[serde(rename_all = "camelCase")]
    Rename {
        name: String,
        new_name: String,
    },
    /// `parent` `None`: to the top level.
    Move {
        name: String,
        parent: Option<String>,
    },
    Delete {
        name: String,
    },
}
