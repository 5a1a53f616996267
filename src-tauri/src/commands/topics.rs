//! Topic commands: the topic tree (fitted on first use, with a progress event), the topic map and
//! papers per year, a topic's papers, a paper's topics and related papers, per-topic search counts,
//! and the user's edits (rename, merge, pin).

use tauri::{AppHandle, Emitter, State};
use topica_core::{
    Progress, RelatedPaper, SortBy, Topic, TopicCount, TopicPoint, TopicWeight, TopicYear,
};

use super::blocking;
use crate::error::CmdResult;
use crate::events;
use crate::state::AppState;

/// The topic tree. A library without a model (the first run) gets one fitted here, off the UI
/// thread, announced by `topics-progress` events so the sidebar can say what is happening.
#[tauri::command]
pub async fn topics(app: AppHandle, state: State<'_, AppState>) -> CmdResult<Vec<Topic>> {
    let fitting = !blocking(&state, |l| l.has_topics()).await?;
    if fitting {
        let _ = app.emit(
            events::TOPICS_PROGRESS,
            Progress {
                phase: "finding topics",
                done: 0,
                total: None,
            },
        );
    }
    let result = blocking(&state, |l| l.topics()).await;
    if fitting {
        let _ = app.emit(
            events::TOPICS_PROGRESS,
            Progress {
                phase: "finding topics",
                done: 1,
                total: Some(1),
            },
        );
    }
    result
}

#[tauri::command]
pub async fn topic_map(state: State<'_, AppState>) -> CmdResult<Vec<TopicPoint>> {
    blocking(&state, |l| l.topic_map()).await
}

#[tauri::command]
pub async fn topic_years(state: State<'_, AppState>) -> CmdResult<Vec<TopicYear>> {
    blocking(&state, |l| l.topic_years()).await
}

#[tauri::command]
pub async fn topic_ids(
    state: State<'_, AppState>,
    topic: i64,
    sort: SortBy,
) -> CmdResult<Vec<i64>> {
    blocking(&state, move |l| l.topic_paper_ids(topic, sort)).await
}

#[tauri::command]
pub async fn paper_topics(state: State<'_, AppState>, id: i64) -> CmdResult<Vec<TopicWeight>> {
    blocking(&state, move |l| l.paper_topics(id)).await
}

#[tauri::command]
pub async fn related(
    state: State<'_, AppState>,
    id: i64,
    limit: usize,
) -> CmdResult<Vec<RelatedPaper>> {
    blocking(&state, move |l| l.related(id, limit)).await
}

#[tauri::command]
pub async fn topic_counts(state: State<'_, AppState>, query: String) -> CmdResult<Vec<TopicCount>> {
    blocking(&state, move |l| l.topic_counts(&query)).await
}

#[tauri::command]
pub async fn rename_topic(state: State<'_, AppState>, topic: i64, label: String) -> CmdResult<()> {
    blocking(&state, move |l| l.rename_topic(topic, &label)).await
}

#[tauri::command]
pub async fn merge_topics(state: State<'_, AppState>, from: i64, into: i64) -> CmdResult<()> {
    blocking(&state, move |l| l.merge_topics(from, into)).await
}

#[tauri::command]
pub async fn pin_topic(state: State<'_, AppState>, topic: i64, pinned: bool) -> CmdResult<()> {
    blocking(&state, move |l| l.pin_topic(topic, pinned)).await
}
