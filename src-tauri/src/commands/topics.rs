//! Topic commands: the topic tree (fitted on first use, with a progress event), the map of papers
//! and papers per year, a topic's papers, a paper's topics and related papers, per-topic search counts,
//! the user's edits (rename, merge, pin), and refitting (status, number of topics, recompute).

use tauri::{AppHandle, Emitter, State};
use topica_core::{
    PaperMap, Progress, RelatedPaper, SortBy, Topic, TopicCount, TopicWeight, TopicYear,
    TopicsStatus,
};

use super::blocking;
use crate::error::CmdResult;
use crate::events;
use crate::state::AppState;

/// Tells the UI a fit started (`done` 0) or ended (`done` 1 of 1).
fn announce_fit(app: &AppHandle, done: bool) {
    let _ = app.emit(
        events::TOPICS_PROGRESS,
        Progress {
            phase: "finding topics",
            done: u64::from(done),
            total: done.then_some(1),
        },
    );
}

/// The topic tree. A library without a model (the first run) gets one fitted here, off the UI
/// thread, announced by `topics-progress` events so the sidebar can say what is happening.
#[tauri::command]
pub async fn topics(app: AppHandle, state: State<'_, AppState>) -> CmdResult<Vec<Topic>> {
    let fitting = !blocking(&state, |l| l.has_topics()).await?;
    if fitting {
        announce_fit(&app, false);
    }
    let result = blocking(&state, |l| l.topics()).await;
    if fitting {
        announce_fit(&app, true);
    }
    result
}

/// How current the topics are: papers added since the last fit, whether a refit is due, and the
/// user's number of topics.
#[tauri::command]
pub async fn topics_status(state: State<'_, AppState>) -> CmdResult<TopicsStatus> {
    blocking(&state, |l| l.topics_status()).await
}

/// Sets (`None`: clears) the number of leaf topics the next fit makes.
#[tauri::command]
pub async fn set_topic_leaves(state: State<'_, AppState>, leaves: Option<usize>) -> CmdResult<()> {
    blocking(&state, move |l| l.set_topic_leaves(leaves)).await
}

/// Refits the topics on every paper, keeping the user's edits; announced like the first fit.
#[tauri::command]
pub async fn recompute_topics(app: AppHandle, state: State<'_, AppState>) -> CmdResult<Vec<Topic>> {
    announce_fit(&app, false);
    let result = blocking(&state, |l| l.recompute_topics()).await;
    announce_fit(&app, true);
    result
}

#[tauri::command]
pub async fn paper_map(state: State<'_, AppState>) -> CmdResult<PaperMap> {
    blocking(&state, |l| l.paper_map()).await
}

/// Papers per year of one topic (its chart in the topic view).
#[tauri::command]
pub async fn topic_years(state: State<'_, AppState>, topic: i64) -> CmdResult<Vec<TopicYear>> {
    blocking(&state, move |l| l.topic_years(topic)).await
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

/// Of some papers (search results), those listed under a topic: a search facet chosen.
#[tauri::command]
pub async fn in_topic(
    state: State<'_, AppState>,
    ids: Vec<i64>,
    topic: i64,
) -> CmdResult<Vec<i64>> {
    blocking(&state, move |l| l.in_topic(&ids, topic)).await
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

/// Moves papers into a leaf topic; they stay there across recomputations (one undo step).
#[tauri::command]
pub async fn move_papers(
    state: State<'_, AppState>,
    papers: Vec<i64>,
    topic: i64,
) -> CmdResult<()> {
    blocking(&state, move |l| l.move_papers(&papers, topic)).await
}

/// Creates an empty leaf topic (pinned) under a broader topic; returns its id.
#[tauri::command]
pub async fn create_topic(
    state: State<'_, AppState>,
    label: String,
    parent: Option<i64>,
) -> CmdResult<i64> {
    blocking(&state, move |l| l.create_topic(&label, parent)).await
}

/// Splits a leaf topic into 2–4 pinned parts by re-clustering its papers; returns their ids.
#[tauri::command]
pub async fn split_topic(
    state: State<'_, AppState>,
    topic: i64,
    parts: usize,
) -> CmdResult<Vec<i64>> {
    blocking(&state, move |l| l.split_topic(topic, parts)).await
}
