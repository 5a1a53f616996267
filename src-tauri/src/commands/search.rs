//! Search commands: the engine's query language, best hits first.

use tauri::State;
use topica_core::{SearchHit, SearchResults};

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

#[tauri::command]
pub async fn search_hits(
    state: State<'_, AppState>,
    query: String,
    ids: Vec<i64>,
) -> CmdResult<Vec<SearchHit>> {
    blocking(&state, move |l| l.search_hits(&query, &ids)).await
}
