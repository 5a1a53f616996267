//! Semantic mode's model: where its folder is, and the text of a paper it embeds. The encoder
//! itself is `topica-embed`; the embeddings cache is `topica-store`'s `embeddings`.

use std::path::PathBuf;

pub use topica_embed::{
    model_files, EmbedError, Encoder, EncoderOptions, ModelFile, ModelFolder, DIMENSIONS,
    MODEL_NAME,
};

use crate::Paper;

/// Where the model lives unless a setting says otherwise: `models/all-MiniLM-L6-v2` in the
/// desktop app's data folder (`$XDG_DATA_HOME/io.topica.desktop` on Linux), where
/// `scripts/install-model.sh` and the app's download put it. `TOPICA_MODEL_DIR` overrides it
/// (tests, CI, a shared machine-wide copy).
pub fn default_model_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("TOPICA_MODEL_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    dirs::data_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join(crate::APP_IDENTIFIER)
        .join("models")
        .join(MODEL_NAME)
}

/// The folder `scripts/install-model.sh` filled for the test suite: `TOPICA_MODEL_DIR` (the test
/// command sets it), else the installer's default under `$HOME`. Not [`default_model_dir`]: tests
/// point `XDG_DATA_HOME` at temporary folders.
pub fn installed_model_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("TOPICA_MODEL_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
        .join(".local/share")
        .join(crate::APP_IDENTIFIER)
        .join("models")
        .join(MODEL_NAME)
}

/// What is embedded for a paper: its title and abstract, as the model was trained on sentences
/// (truncated by the encoder to 256 tokens, like sentence-transformers).
pub fn embed_text(p: &Paper) -> String {
    embed_text_of(&p.display_title(), p.abstract_text.as_deref().unwrap_or(""))
}

/// [`embed_text`] from a title and an abstract (the benchmark's corpora are not papers).
pub fn embed_text_of(title: &str, abstract_text: &str) -> String {
    match abstract_text.trim() {
        "" => title.to_string(),
        a => format!("{title}. {a}"),
    }
}

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::db::{embeddings, meta};
use crate::{Library, Progress, ProgressFn, Result};

/// The cache's name for vectors of this model at this truncation: another model, or another
/// truncation, is another cache.
pub const CACHE_MODEL: &str = "all-MiniLM-L6-v2/256";

/// `meta` key: the library's topic mode, "semantic" or "lexical" (unset: semantic where the
/// model is present).
pub(crate) const MODE_SETTING: &str = "topics.mode";

/// Largest library that automatic mode embeds on its own: about four minutes of embedding on
/// a two-core machine (≈ 40 papers/s, docs/benchmarks.md 2026-12-06), with progress and Cancel;
/// its recompute peaked at 370 MB at this size. Larger libraries stay lexical until the user
/// chooses semantic mode (and sees the embedding's progress).
pub const SEMANTIC_AUTO_LIMIT: usize = 10_000;

/// Papers embedded per step: progress and cancel come between steps, and each step's vectors
/// are stored at once, so a cancelled run keeps what it computed.
const STEP: usize = 64;

/// How topics are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum TopicMode {
    /// Sentence embeddings of title and abstract (needs the model).
    Semantic,
    /// TF-IDF vectors of the words (any size, no model).
    Lexical,
}

/// The semantic model as a library handle sees it: the folder given by the shell or CLI (none:
/// semantic mode is off) and the encoder, loaded on first use.
#[derive(Default)]
pub(crate) struct SemanticState {
    dir: Option<PathBuf>,
    encoder: Option<Arc<Encoder>>,
}

pub(crate) type SharedSemantic = Mutex<SemanticState>;

/// What semantic mode has to work with.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SemanticStatus {
    /// The model folder in use, when one is set.
    pub model_dir: Option<String>,
    /// Whether that folder holds the model.
    pub model_present: bool,
    /// Why it is not usable, when it is not.
    pub problem: Option<String>,
    /// The mode the next fit uses.
    pub mode: TopicMode,
    /// The mode the user chose (None: automatic).
    pub chosen: Option<TopicMode>,
    /// Papers with a current embedding, of all papers.
    pub embedded: usize,
    pub papers: usize,
}

/// What [`Library::embed_papers`] did.
#[derive(Debug, Clone, Default, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct EmbedReport {
    /// Papers embedded now (new, or their title or abstract changed).
    pub embedded: usize,
    /// Papers whose embedding was already current.
    pub cached: usize,
    pub cancelled: bool,
    pub seconds: f64,
}

/// FNV-1a of the embedded text: whether a stored vector is still this paper's.
fn text_hash(text: &str) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    h as i64
}

impl Library {
    /// Uses the model in `dir` for semantic mode (None: semantic mode off). The shell and CLI
    /// call this with [`default_model_dir`] or the user's setting; a bare engine has none, so
    /// its topics stay lexical unless asked.
    pub fn set_model_dir(&self, dir: Option<&Path>) {
        let mut s = self.semantic.lock().expect("semantic state");
        if s.dir.as_deref() != dir {
            s.dir = dir.map(Path::to_path_buf);
            s.encoder = None;
        }
    }

    /// Uses the model in `dir` after checking that it is one: every file of [`model_files`]
    /// present and not empty, and the encoder loads from them (the configuration, tokenizer
    /// and weights parse). When it is not, the error names the folder and the missing or bad
    /// file, and the folder in use stays as it was. The loaded encoder is kept for the next
    /// embedding.
    pub fn use_model_dir(&self, dir: &Path) -> Result<ModelFolder> {
        let folder = ModelFolder::open(dir)?;
        let encoder = Arc::new(Encoder::load(&folder, EncoderOptions::default())?);
        let mut s = self.semantic.lock().expect("semantic state");
        s.dir = Some(dir.to_path_buf());
        s.encoder = Some(encoder);
        Ok(folder)
    }

    /// The model folder, when one is set and holds the model.
    fn model_folder(&self) -> std::result::Result<ModelFolder, String> {
        let s = self.semantic.lock().expect("semantic state");
        match &s.dir {
            None => Err("no model folder is set".into()),
            Some(d) => ModelFolder::open(d).map_err(|e| e.to_string()),
        }
    }

    fn encoder(&self) -> Result<Arc<Encoder>> {
        let folder = self.model_folder().map_err(crate::Error::Semantic)?;
        let mut s = self.semantic.lock().expect("semantic state");
        if let Some(e) = &s.encoder {
            return Ok(e.clone());
        }
        let e = Arc::new(Encoder::load(&folder, EncoderOptions::default())?);
        s.encoder = Some(e.clone());
        Ok(e)
    }

    /// The user's topic mode for this library (None: automatic).
    pub fn topic_mode_choice(&self) -> Result<Option<TopicMode>> {
        Ok(match meta::get(&self.conn(), MODE_SETTING)?.as_deref() {
            Some("semantic") => Some(TopicMode::Semantic),
            Some("lexical") => Some(TopicMode::Lexical),
            _ => None,
        })
    }

    /// Chooses the topic mode (None: semantic where the model is present). Takes effect at the
    /// next recompute.
    pub fn set_topic_mode(&self, mode: Option<TopicMode>) -> Result<()> {
        let conn = self.conn();
        match mode {
            Some(TopicMode::Semantic) => meta::set(&conn, MODE_SETTING, "semantic")?,
            Some(TopicMode::Lexical) => meta::set(&conn, MODE_SETTING, "lexical")?,
            None => meta::remove(&conn, MODE_SETTING)?,
        }
        Ok(())
    }

    /// The mode the next fit uses: the user's choice, else semantic where the model is present
    /// and the library small enough to embed unasked ([`SEMANTIC_AUTO_LIMIT`]).
    /// Choosing semantic without the model is an error at fit time, not a silent fallback.
    pub fn topic_mode(&self) -> Result<TopicMode> {
        Ok(match self.topic_mode_choice()? {
            Some(m) => m,
            None if self.model_folder().is_ok() && self.len()? <= SEMANTIC_AUTO_LIMIT => {
                TopicMode::Semantic
            }
            None => TopicMode::Lexical,
        })
    }

    pub fn semantic_status(&self) -> Result<SemanticStatus> {
        let folder = self.model_folder();
        let dir = self.semantic.lock().expect("semantic state").dir.clone();
        let papers = self.len()?;
        let embedded = embeddings::count(&self.conn(), CACHE_MODEL)?;
        Ok(SemanticStatus {
            model_dir: dir.map(|d| d.display().to_string()),
            model_present: folder.is_ok(),
            problem: folder.err(),
            mode: self.topic_mode()?,
            chosen: self.topic_mode_choice()?,
            embedded: embedded.min(papers),
            papers,
        })
    }

    /// Embeds every paper whose embedding is missing or stale (its title or abstract changed),
    /// in steps of [`STEP`] stored as they finish. A cache, not a user
    /// change: no undo step; cancelling keeps the steps done.
    pub fn embed_papers(&self, progress: ProgressFn) -> Result<EmbedReport> {
        let start = std::time::Instant::now();
        let encoder = self.encoder()?;
        let papers = self.papers(0, 0)?;
        let have = embeddings::hashes(&self.conn(), CACHE_MODEL)?;
        let mut todo: Vec<(i64, i64, String)> = Vec::new();
        let mut cached = 0;
        for p in &papers {
            let text = embed_text(p);
            let h = text_hash(&text);
            if have.get(&p.id) == Some(&h) {
                cached += 1;
            } else {
                todo.push((p.id, h, text));
            }
        }
        drop(papers);
        let total = todo.len() as u64;
        let mut report = EmbedReport {
            cached,
            ..EmbedReport::default()
        };
        let mut go_on = progress(&Progress {
            phase: "embedding",
            done: 0,
            total: Some(total),
        });
        for step in todo.chunks(STEP) {
            if !go_on {
                report.cancelled = true;
                break;
            }
            report.embedded += self.embed_step(&encoder, step)?;
            go_on = progress(&Progress {
                phase: "embedding",
                done: report.embedded as u64,
                total: Some(total),
            });
        }
        embeddings::prune(&self.conn(), CACHE_MODEL)?;
        report.seconds = start.elapsed().as_secs_f64();
        Ok(report)
    }

    /// Embeds these papers where their embedding is missing or stale: new papers, placed by
    /// meaning without reading the whole library ([`Library::embed_papers`] does).
    pub(crate) fn embed_these(&self, ids: &[i64]) -> Result<()> {
        let papers = crate::db::papers::get_many(&self.conn(), ids)?
            .map_err(|id| crate::Error::NotFound(id.to_string()))?;
        let mut todo: Vec<(i64, i64, String)> = Vec::new();
        {
            let conn = self.conn();
            for p in &papers {
                let text = embed_text(p);
                let h = text_hash(&text);
                if embeddings::hash_of(&conn, CACHE_MODEL, p.id)? != Some(h) {
                    todo.push((p.id, h, text));
                }
            }
        }
        if todo.is_empty() {
            return Ok(());
        }
        let encoder = self.encoder()?;
        for step in todo.chunks(STEP) {
            self.embed_step(&encoder, step)?;
        }
        Ok(())
    }

    /// Embeds (paper, text hash, text) rows and stores them in one transaction (one commit per
    /// step, not per paper). Returns how many.
    fn embed_step(&self, encoder: &Encoder, step: &[(i64, i64, String)]) -> Result<usize> {
        let texts: Vec<&str> = step.iter().map(|t| t.2.as_str()).collect();
        let rows: Vec<(i64, i64, Vec<f32>)> = step
            .iter()
            .zip(encoder.embed(&texts)?)
            .map(|(t, v)| (t.0, t.1, v))
            .collect();
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        embeddings::put(&tx, CACHE_MODEL, &rows)?;
        tx.commit()?;
        Ok(rows.len())
    }

    /// The current embeddings of these papers, in their order; embeds what is missing first.
    pub(crate) fn embeddings_of(&self, ids: &[i64]) -> Result<Option<Vec<f32>>> {
        let report = self.embed_papers(&mut |_| true)?;
        if report.cancelled {
            return Ok(None);
        }
        let all: HashMap<i64, Vec<f32>> = embeddings::vectors(&self.conn(), CACHE_MODEL)?;
        let mut out = Vec::with_capacity(ids.len() * DIMENSIONS);
        for id in ids {
            match all.get(id) {
                Some(v) if v.len() == DIMENSIONS => out.extend_from_slice(v),
                _ => {
                    return Err(crate::Error::Semantic(format!(
                        "paper {id} has no embedding"
                    )))
                }
            }
        }
        Ok(Some(out))
    }
}
