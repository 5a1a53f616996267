//! The one managed state: the open library (swappable when the user moves it) and the cancel
//! flags of running jobs. Settings live in tauri-plugin-store (see `commands::settings`).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, RwLock};

use topica_core::Library;

use crate::error::{CmdResult, IpcError};

/// Shared by every command (Tauri keeps it behind an Arc already).
pub struct AppState {
    library: RwLock<Result<Arc<Library>, IpcError>>,
    jobs: Mutex<HashMap<u32, Arc<AtomicBool>>>,
    /// True when this launch filled an empty library with the sample.
    pub opened_sample: AtomicBool,
}

impl AppState {
    pub fn new(library: Result<Library, IpcError>, opened_sample: bool) -> AppState {
        AppState {
            library: RwLock::new(library.map(Arc::new)),
            jobs: Mutex::new(HashMap::new()),
            opened_sample: AtomicBool::new(opened_sample),
        }
    }

    /// The open library, or the readable reason it could not be opened.
    pub fn library(&self) -> CmdResult<Arc<Library>> {
        self.library
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Replaces the open library (the old one closes when its last running job ends).
    pub fn replace(&self, library: Library) {
        *self.library.write().unwrap_or_else(|p| p.into_inner()) = Ok(Arc::new(library));
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

/// Opens the library at `dir`; an empty one gets the embedded sample (first run).
pub fn open_library(
    dir: &std::path::Path,
    sample_if_empty: bool,
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
    let mut sampled = false;
    if sample_if_empty && lib.is_empty()? {
        lib.import_sample()?;
        sampled = true;
    }
    Ok((lib, sampled))
}
