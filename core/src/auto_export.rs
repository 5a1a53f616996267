//! Keep-updated exports (Better BibTeX's "keep updated"): a `.bib` or `.json` bound to the
//! library, a collection, a tag, a topic, a search or a saved search, rewritten whenever what
//! it holds changes. The CLI brings them up to date before it exits; the app, a moment after
//! the last change (see `src-tauri/src/lib.rs`).
//!
//! Each export remembers the library generation it was last brought up to date with, so a
//! refresh renders only the exports behind, and writes a file only when its bytes change (a
//! LaTeX build watching it does not run again for nothing). Writes are atomic and keep the
//! file's links and permissions (`export::atomic`).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::db::auto_exports::{self, AutoExportRow};
use crate::db::{meta, saved};
use crate::export::{ExportFormat, ExportOptions, Scope};
use crate::library::now_rfc3339;
use crate::{Error, Library, Result};

/// What a keep-updated export holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "kind", content = "value", rename_all = "camelCase")]
pub enum AutoScope {
    All,
    /// A collection with the collections inside it.
    Collection(String),
    Tag(String),
    /// A topic by label or id.
    Topic(String),
    /// Every paper a search query matches.
    Query(String),
    /// A saved search by name: its query as it is when the file is written.
    Saved(String),
}

impl AutoScope {
    fn parts(&self) -> (&'static str, &str) {
        match self {
            AutoScope::All => ("all", ""),
            AutoScope::Collection(v) => ("collection", v),
            AutoScope::Tag(v) => ("tag", v),
            AutoScope::Topic(v) => ("topic", v),
            AutoScope::Query(v) => ("query", v),
            AutoScope::Saved(v) => ("saved", v),
        }
    }

    fn from_parts(kind: &str, value: String) -> Result<AutoScope> {
        Ok(match kind {
            "all" => AutoScope::All,
            "collection" => AutoScope::Collection(value),
            "tag" => AutoScope::Tag(value),
            "topic" => AutoScope::Topic(value),
            "query" => AutoScope::Query(value),
            "saved" => AutoScope::Saved(value),
            other => return Err(Error::Invalid(format!("unknown export scope {other:?}"))),
        })
    }
}

/// One keep-updated export and how its last attempt went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct AutoExport {
    pub path: String,
    /// `bibtex`, `biblatex`, `csl-json`, `ris`, or a style's name (plain-text references).
    pub format: String,
    pub scope: AutoScope,
    /// When the file was last written (RFC 3339); a refresh that finds the same bytes does
    /// not write it again.
    pub written_at: Option<String>,
    /// Why the last attempt failed (the file is left as it was), or None.
    pub error: Option<String>,
}

fn to_export(row: AutoExportRow) -> Result<AutoExport> {
    Ok(AutoExport {
        scope: AutoScope::from_parts(&row.scope_kind, row.scope_value)?,
        path: row.path,
        format: row.format,
        written_at: row.written_at,
        error: row.error,
    })
}

impl Library {
    /// Binds `path` to what `scope` holds, written in `format`, and writes it now. An existing
    /// file is replaced only with `overwrite`; a failed first write binds nothing. Adding the
    /// same path again replaces its binding.
    pub fn add_auto_export(
        &self,
        path: &Path,
        format: &str,
        scope: AutoScope,
        overwrite: bool,
    ) -> Result<AutoExport> {
        // A data format, or a style by name (bundled or added; not a .csl path, which would
        // bind the export to a file outside the library).
        let format = self.named_format(format)?;
        let path = absolute(path)?;
        let rows = auto_exports::list(&self.conn())?;
        let bound = rows.iter().any(|r| Path::new(&r.path) == path);
        if path.exists() && !overwrite && !bound {
            return Err(Error::file(
                &path,
                "the file exists; pass --force to keep it updated from now on (its content is replaced)",
            ));
        }
        let generation = meta::generation(&self.conn())? as i64;
        self.write_auto_export(&path, format.clone(), &scope)?;
        let (kind, value) = scope.parts();
        let row = AutoExportRow {
            path: path.display().to_string(),
            format: format.name().to_string(),
            scope_kind: kind.to_string(),
            scope_value: value.to_string(),
            generation: Some(generation),
            written_at: Some(now_rfc3339()),
            error: None,
        };
        auto_exports::put(&self.conn(), &row)?;
        to_export(row)
    }

    /// The library's generation: it changes with every change to what the library holds.
    pub fn generation(&self) -> Result<u64> {
        Ok(meta::generation(&self.conn())?)
    }

    /// Every keep-updated export, by path.
    pub fn auto_exports(&self) -> Result<Vec<AutoExport>> {
        auto_exports::list(&self.conn())?
            .into_iter()
            .map(to_export)
            .collect()
    }

    /// Stops keeping `path` updated (the file stays as it is).
    pub fn remove_auto_export(&self, path: &Path) -> Result<()> {
        let path = absolute(path)?;
        if !auto_exports::remove(&self.conn(), &path.display().to_string())? {
            return Err(Error::NotFound(format!(
                "keep-updated export {} (see `topica-cli auto-export list`)",
                path.display()
            )));
        }
        Ok(())
    }

    /// Brings every keep-updated export that is behind the library up to date: renders it,
    /// and writes the file when its bytes differ. A failure is recorded on that export (and
    /// returned in the list) and does not stop the others. Returns the exports it looked at.
    pub fn refresh_auto_exports(&self) -> Result<Vec<AutoExport>> {
        let generation = meta::generation(&self.conn())? as i64;
        if !auto_exports::any_behind(&self.conn(), generation)? {
            return Ok(Vec::new());
        }
        let mut looked = Vec::new();
        // Listed first: the connection's guard must not live through the loop, which renders.
        let rows = auto_exports::list(&self.conn())?;
        for row in rows {
            if row.generation == Some(generation) {
                continue;
            }
            let attempt = (|| -> Result<bool> {
                // An added style is looked up at each write: editing it (re-adding the file)
                // shows at the next refresh, and removing it is this export's error.
                let format = self.named_format(&row.format)?;
                let scope = AutoScope::from_parts(&row.scope_kind, row.scope_value.clone())?;
                self.write_auto_export(Path::new(&row.path), format, &scope)
            })();
            let (written, error) = match attempt {
                Ok(true) => (Some(now_rfc3339()), None),
                Ok(false) => (None, None),
                Err(e) => (None, Some(e.to_string())),
            };
            auto_exports::record(
                &self.conn(),
                &row.path,
                generation,
                written.as_deref(),
                error.as_deref(),
            )?;
            looked.push(AutoExport {
                written_at: written.or(row.written_at.clone()),
                error,
                ..to_export(row)?
            });
        }
        Ok(looked)
    }

    /// Renders `scope` in `format` and writes it to `path` unless the file already holds
    /// exactly that. Returns whether it wrote.
    fn write_auto_export(
        &self,
        path: &Path,
        format: ExportFormat,
        scope: &AutoScope,
    ) -> Result<bool> {
        let scope = match scope {
            AutoScope::All => Scope::All,
            AutoScope::Collection(c) => Scope::Collection(c.clone()),
            AutoScope::Tag(t) => Scope::Tag(t.clone()),
            AutoScope::Topic(t) => Scope::Topic(t.clone()),
            AutoScope::Query(q) => Scope::Query(q.clone()),
            AutoScope::Saved(name) => Scope::Query(
                saved::get(&self.conn(), name)?
                    .ok_or_else(|| Error::NotFound(format!("saved search {name:?}")))?,
            ),
        };
        let is_tag = matches!(scope, Scope::Tag(_));
        let options = |scope| ExportOptions {
            format: Some(format.clone()),
            scope,
            ..ExportOptions::default()
        };
        let text = match self.export(&options(scope)) {
            // A tag no paper carries (yet, or any more) holds nothing: the file is an empty
            // bibliography, not an error. (An unknown collection, topic or saved search is.)
            Err(Error::NotFound(_)) if is_tag => self.export(&options(Scope::Ids(Vec::new())))?,
            other => other?,
        };
        if std::fs::read(path).is_ok_and(|old| old == text.as_bytes()) {
            return Ok(false);
        }
        crate::export::atomic::write(path, text.as_bytes(), true)?;
        Ok(true)
    }
}

impl Library {
    /// A data format or a style by name, bundled or added.
    fn named_format(&self, format: &str) -> Result<ExportFormat> {
        match format.parse::<ExportFormat>() {
            Ok(f) => Ok(f),
            Err(e) => self.style(format).map(ExportFormat::Style).map_err(|_| e),
        }
    }
}

/// `path` made absolute against the working directory, so the binding holds wherever the
/// next command runs from.
fn absolute(path: &Path) -> Result<PathBuf> {
    if path.is_absolute() {
        return Ok(path.to_path_buf());
    }
    let cwd = std::env::current_dir().map_err(|e| Error::file(path, e))?;
    Ok(cwd.join(path))
}
