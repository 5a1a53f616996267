//! The one managed state: the open library (swappable when the user moves it), the cancel
//! flags of running jobs, and the paths the user chose this session. Settings live in
//! tauri-plugin-store (see `commands::settings`).

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Condvar, Mutex, RwLock};

use topica_core::Library;

use crate::error::{CmdResult, IpcError};

/// Shared by every command (Tauri keeps it behind an Arc already).
pub struct AppState {
    library: RwLock<Result<Arc<Library>, IpcError>>,
    /// Whether the launch's library has opened (or failed to): it opens on a thread of its own
    /// so that the window paints at once, and commands wait for it. Opening rebuilds a missing
    /// or damaged search index, a minute at a million papers.
    opened: Arc<(Mutex<bool>, Condvar)>,
    jobs: Mutex<HashMap<u32, Arc<AtomicBool>>>,
    /// True when this launch filled an empty library with the sample.
    pub opened_sample: AtomicBool,
    /// Paths the user chose in a native dialog or dropped on the window in this session: the
    /// only ones the path-taking commands accept (the webview cannot name a file of its own).
    granted: Mutex<HashSet<PathBuf>>,
}

impl AppState {
    /// The state while the launch's library opens: commands wait for [`finish_opening`].
    ///
    /// [`finish_opening`]: AppState::finish_opening
    pub fn opening() -> AppState {
        AppState {
            library: RwLock::new(Err(IpcError::new(
                "opening",
                "The library is still opening",
            ))),
            opened: Arc::default(),
            jobs: Mutex::new(HashMap::new()),
            opened_sample: AtomicBool::new(false),
            granted: Mutex::new(HashSet::new()),
        }
    }

    /// Records paths the user chose (a dialog's answer, a drop on the window).
    pub fn grant(&self, paths: impl IntoIterator<Item = PathBuf>) {
        self.granted
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend(paths);
    }

    /// Refuses a path the user did not choose this session. A file inside a dropped or chosen
    /// folder counts as chosen.
    pub fn check_granted(&self, path: &std::path::Path) -> CmdResult<()> {
        let granted = self.granted.lock().unwrap_or_else(|p| p.into_inner());
        if path.ancestors().any(|a| granted.contains(a)) {
            return Ok(());
        }
        Err(IpcError::not_chosen(path))
    }

    /// Ends the wait of [`opening`](AppState::opening) with the launch's library (unless the
    /// user opened another one meanwhile).
    pub fn finish_opening(&self, library: Result<Library, IpcError>, opened_sample: bool) {
        let (done, wake) = &*self.opened;
        let mut done = done.lock().unwrap_or_else(|p| p.into_inner());
        if !*done {
            *self.library.write().unwrap_or_else(|p| p.into_inner()) = library.map(Arc::new);
            self.opened_sample
                .store(opened_sample, std::sync::atomic::Ordering::Relaxed);
            *done = true;
        }
        wake.notify_all();
    }

    /// The open library once the launch's has opened (waiting for it off the async runtime),
    /// or the readable reason it could not be opened.
    pub async fn opened_library(&self) -> CmdResult<Arc<Library>> {
        let opened = self.opened.clone();
        if *opened.0.lock().unwrap_or_else(|p| p.into_inner()) {
            return self.library();
        }
        tauri::async_runtime::spawn_blocking(move || {
            let (done, wake) = &*opened;
            let done = done.lock().unwrap_or_else(|p| p.into_inner());
            drop(
                wake.wait_while(done, |done| !*done)
                    .unwrap_or_else(|p| p.into_inner()),
            );
        })
        .await
        .map_err(IpcError::internal)?;
        self.library()
    }

    /// The open library, or the readable reason it could not be opened (or that it is still
    /// opening): for what must not wait.
    pub fn library(&self) -> CmdResult<Arc<Library>> {
        self.library
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Replaces the open library (the old one closes when its last running job ends).
    pub fn replace(&self, library: Library) {
        let (done, wake) = &*self.opened;
        let mut done = done.lock().unwrap_or_else(|p| p.into_inner());
        *self.library.write().unwrap_or_else(|p| p.into_inner()) = Ok(Arc::new(library));
        *done = true;
        wake.notify_all();
    }

    /// Registers a cancellable job under the id the UI chose.
    pub fn start_job(&self, job: u32) -> Arc<AtomicBool> {
        let flag = Arc::new(AtomicBool::new(false));
        self.jobs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(job, flag.clone());
        flag
    }

    pub fn end_job(&self, job: u32) {
        self.jobs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&job);
    }

    /// Asks a running job to stop; false when no such job runs.
    pub fn cancel_job(&self, job: u32) -> bool {
        match self
            .jobs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&job)
        {
            Some(flag) => {
                flag.store(true, std::sync::atomic::Ordering::SeqCst);
                true
            }
            None => false,
        }
    }
}

/// Where the library lives: `TOPICA_LIBRARY`, else the remembered location, else the default.
pub fn library_dir(remembered: Option<String>) -> PathBuf {
    if let Some(dir) = std::env::var_os("TOPICA_LIBRARY").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    remembered
        .filter(|d| !d.trim().is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(topica_core::default_library_dir)
}

/// The folder semantic mode reads its model from: the one the user chose (the `model_dir`
/// setting), else the default (`TOPICA_MODEL_DIR`, else the app's data folder).
pub fn model_dir(chosen: Option<&str>) -> PathBuf {
    chosen
        .filter(|d| !d.trim().is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(topica_core::semantic::default_model_dir)
}

/// Opens the library at `dir`, reading semantic mode's model from `model_dir`; an empty
/// library gets the embedded sample (first run).
pub fn open_library(
    dir: &std::path::Path,
    sample_if_empty: bool,
    model_dir: &std::path::Path,
) -> Result<(Library, bool), IpcError> {
    let lib = Library::open(dir).map_err(|e| {
        let e: IpcError = e.into();
        IpcError::new(
            &e.kind,
            format!(
                "Could not open the library at {}: {}",
                dir.display(),
                e.message
            ),
        )
    })?;
    // PDFs are read in a worker process, this executable started as one (see main.rs), so a
    // hostile file costs that process and not the window.
    match std::env::current_exe() {
        Ok(exe) => lib.set_pdf_reader(topica_core::PdfReader {
            worker: Some(exe),
            ..Default::default()
        }),
        Err(e) => tracing::warn!("no PDF worker (reading PDFs in process): {e}"),
    }
    // Semantic topics where the model is installed (scripts/install-model.sh, Settings →
    // Semantic topics → Download, or a folder chosen there). Not checked here: a folder that
    // lost the model shows why in Settings, and topics stay lexical.
    lib.set_model_dir(Some(model_dir));
    let mut sampled = false;
    if sample_if_empty && lib.is_empty()? {
        lib.import_sample()?;
        sampled = true;
    }
    // Derived data: if it cannot be read now, the first related papers read it.
    if let Err(e) = lib.warm_topics() {
        tracing::warn!("leaf centroids not read at open: {e}");
    }
    Ok((lib, sampled))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Commands wait for the launch's library, then get it or why it could not be opened; a
    /// library the user opened meanwhile stays the open one.
    #[test]
    fn commands_wait_for_the_launch_library() {
        let state = Arc::new(AppState::opening());
        let kind = |r: CmdResult<Arc<Library>>| r.err().map(|e| e.kind);
        assert_eq!(kind(state.library()).as_deref(), Some("opening"));
        let later = state.clone();
        let opener = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(100));
            later.finish_opening(Err(IpcError::new("broken", "no such library")), false);
        });
        let got = tauri::async_runtime::block_on(state.opened_library());
        assert_eq!(kind(got).as_deref(), Some("broken"));
        opener.join().unwrap();

        let dir = tempfile::tempdir().unwrap();
        let state = AppState::opening();
        state.replace(Library::open(dir.path().join("chosen")).unwrap());
        state.finish_opening(Err(IpcError::new("broken", "too late")), true);
        let open = tauri::async_runtime::block_on(state.opened_library());
        assert!(open.is_ok_and(|l| l.dir().ends_with("chosen")));
        assert!(!state
            .opened_sample
            .load(std::sync::atomic::Ordering::Relaxed));
    }

    #[test]
    fn only_chosen_paths_and_what_is_inside_chosen_folders_pass() {
        let state = AppState::opening();
        state.finish_opening(Err(IpcError::new("x", "no library")), false);
        let chosen = PathBuf::from("/home/ann/refs.bib");
        let folder = PathBuf::from("/home/ann/papers");
        assert_eq!(state.check_granted(&chosen).unwrap_err().kind, "notChosen");
        state.grant([chosen.clone(), folder.clone()]);
        assert!(state.check_granted(&chosen).is_ok());
        assert!(state.check_granted(&folder.join("2024/a.ris")).is_ok());
        for refused in [
            "/home/ann/other.bib",
            "/home/ann",
            "/etc/passwd",
            "/home/ann/papers2/x.bib",
        ] {
            let e = state
                .check_granted(std::path::Path::new(refused))
                .unwrap_err();
            assert_eq!(e.kind, "notChosen", "{refused}");
            assert!(e.message.starts_with(refused), "{}", e.message);
        }
    }
}
