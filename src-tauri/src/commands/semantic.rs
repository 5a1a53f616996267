//! Semantic topics: what the model and the embeddings cache hold, the topic mode, computing the
//! embeddings and downloading the model, both as cancellable jobs with progress.

use std::sync::atomic::Ordering;

use tauri::ipc::Channel;
use tauri::State;
use topica_core::{EmbedReport, ModelDownload, Progress, SemanticStatus, TopicMode};

use super::blocking;
use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command]
pub async fn semantic_status(state: State<'_, AppState>) -> CmdResult<SemanticStatus> {
    blocking(&state, |l| l.semantic_status()).await
}

/// Chooses how this library's topics are found (None: semantic where the model is); the next
/// recompute uses it.
#[tauri::command]
pub async fn set_topic_mode(
    state: State<'_, AppState>,
    mode: Option<TopicMode>,
) -> CmdResult<SemanticStatus> {
    blocking(&state, move |l| {
        l.set_topic_mode(mode)?;
        l.semantic_status()
    })
    .await
}

/// Embeds the papers that have no current embedding, streaming progress; `cancel_job(job)`
/// stops it and keeps what was done.
#[tauri::command]
pub async fn embed_papers(
    state: State<'_, AppState>,
    job: u32,
    on_progress: Channel<Progress>,
) -> CmdResult<EmbedReport> {
    let cancel = state.start_job(job);
    let result = blocking(&state, move |l| {
        l.embed_papers(&mut |p| {
            on_progress.send(p.clone()).is_ok() && !cancel.load(Ordering::SeqCst)
        })
    })
    .await;
    state.end_job(job);
    result
}

/// Downloads the model into the default model folder from its hub, streaming progress;
/// `cancel_job(job)` stops it (the next download resumes).
#[tauri::command]
pub async fn download_model(
    state: State<'_, AppState>,
    job: u32,
    on_progress: Channel<Progress>,
) -> CmdResult<ModelDownload> {
    let cancel = state.start_job(job);
    let result = blocking(&state, move |l| {
        let dest = topica_core::semantic::default_model_dir();
        let report = topica_core::download_model(
            topica_core::DEFAULT_MODEL_HUB,
            &dest,
            std::time::Duration::from_secs(30),
            &mut |p| on_progress.send(p.clone()).is_ok() && !cancel.load(Ordering::SeqCst),
        )?;
        // The folder may hold the model now: load it on next use.
        l.set_model_dir(None);
        l.set_model_dir(Some(&dest));
        Ok(report)
    })
    .await;
    state.end_job(job);
    result
}
