//! Search commands: the engine's query language, best hits first.

use tauri::State;
use topica_core::SearchResults;

use super::blocking;
use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command]
pub async fn search(
    state: State<'_, AppState>,
    query: String,
    limit: usize,
) -> CmdResult<SearchResults> {
    blocking(&state, move |l| l.search(&query, limit)).await
}

#[tauri::command]
pub async fn search_ranked(
    state: State<'_, AppState>,
    query: String,
    limit: usize,
    detailed: usize,
) -> CmdResult<SearchResults> {
    blocking(&state, move |l| l.search_ranked(&query, limit, detailed)).await
}
