//! Semantic topics: what the model and the embeddings cache hold, the topic mode, computing the
//! embeddings and downloading the model, both as cancellable jobs with progress.

use std::path::Path;
use std::sync::atomic::Ordering;

use tauri::ipc::Channel;
use tauri::{AppHandle, State};
use topica_core::{EmbedReport, Library, ModelDownload, Progress, SemanticStatus, TopicMode};

use super::blocking;
use super::settings::{self, Settings};
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
    app: AppHandle,
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
    if result.is_ok() {
        // The model is now in the default folder, and that is the one in use: a folder chosen
        // before (which lacked the model, or the download would not have been offered) is
        // forgotten, so the next launch uses the download too.
        let mut s = settings::load(&app);
        if s.model_dir.take().is_some() {
            settings::save(&app, &s)?;
        }
    }
    result
}

/// Settings → Semantic topics → Use a folder… (`path`, a folder chosen in the dialog) or Use
/// the default folder (None): checked, used by the open library and remembered for the next
/// launch and the next library opened. A folder that does not hold the model is refused with
/// the folder and the file it lacks (or cannot read), and nothing changes.
#[tauri::command]
pub async fn set_model_folder(
    app: AppHandle,
    state: State<'_, AppState>,
    path: Option<String>,
) -> CmdResult<SemanticStatus> {
    if let Some(p) = &path {
        state.check_granted(Path::new(p))?;
    }
    let mut stored = settings::load(&app);
    let (status, updated) = blocking(&state, move |l| {
        let status = choose_model_folder(l, &mut stored, path)?;
        Ok((status, stored))
    })
    .await?;
    settings::save(&app, &updated)?;
    Ok(status)
}

/// What `set_model_folder` does apart from the settings file: the folder is checked and used
/// (`Library::use_model_dir`), and only then written into `settings`.
fn choose_model_folder(
    lib: &Library,
    settings: &mut Settings,
    path: Option<String>,
) -> topica_core::Result<SemanticStatus> {
    match &path {
        Some(p) => {
            lib.use_model_dir(Path::new(p))?;
        }
        None => lib.set_model_dir(Some(&topica_core::semantic::default_model_dir())),
    }
    settings.model_dir = path;
    lib.semantic_status()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn installed_model() -> std::path::PathBuf {
        topica_core::semantic::installed_model_dir()
    }

    #[test]
    fn a_folder_without_the_model_is_refused_and_the_setting_stays() {
        let scratch = tempfile::tempdir().unwrap();
        let lib = Library::open(scratch.path().join("library")).unwrap();
        let good = installed_model().display().to_string();
        let mut settings = Settings::default();
        let status = choose_model_folder(&lib, &mut settings, Some(good.clone()))
            .unwrap_or_else(|e| panic!("{e}: run scripts/install-model.sh"));
        assert!(status.model_present);
        assert_eq!(settings.model_dir.as_deref(), Some(good.as_str()));

        let empty = scratch.path().join("not-a-model");
        std::fs::create_dir(&empty).unwrap();
        let err = choose_model_folder(&lib, &mut settings, Some(empty.display().to_string()))
            .unwrap_err();
        let err = crate::error::IpcError::from(err);
        assert_eq!(err.kind, "semantic");
        assert!(
            err.message.contains("not-a-model") && err.message.contains("config.json"),
            "{}",
            err.message
        );
        assert_eq!(
            settings.model_dir.as_deref(),
            Some(good.as_str()),
            "the setting is unchanged"
        );
        assert_eq!(lib.semantic_status().unwrap().model_dir, Some(good));

        // The default folder again.
        let status = choose_model_folder(&lib, &mut settings, None).unwrap();
        assert_eq!(settings.model_dir, None);
        assert_eq!(
            status.model_dir,
            Some(
                topica_core::semantic::default_model_dir()
                    .display()
                    .to_string()
            )
        );
    }
}
