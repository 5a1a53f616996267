//! Export commands: a scope in a format to a file (atomic) or to text for the clipboard, and the
//! library's citation key pattern.

use std::path::PathBuf;

use serde::Deserialize;
use tauri::State;
use topica_core::export::{ExportFormat, ExportOptions, ExportReport, Scope, SortOrder};
use topica_core::{AutoExport, AutoScope};

use super::blocking;
use crate::error::CmdResult;
use crate::state::AppState;

/// What the UI exports (mirrors `topica_core::export::Scope`, which has no serde form).
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", tag = "kind", content = "value")]
pub enum ExportScope {
    All,
    Ids(Vec<String>),
    Topic(String),
    Collection(String),
    /// A collection without its sub-collections.
    CollectionOnly(String),
    Tag(String),
    Query(String),
}

impl From<ExportScope> for Scope {
    fn from(s: ExportScope) -> Scope {
        match s {
            ExportScope::All => Scope::All,
            ExportScope::Ids(v) => Scope::Ids(v),
            ExportScope::Topic(v) => Scope::Topic(v),
            ExportScope::Collection(v) => Scope::Collection(v),
            ExportScope::CollectionOnly(v) => Scope::CollectionOnly(v),
            ExportScope::Tag(v) => Scope::Tag(v),
            ExportScope::Query(v) => Scope::Query(v),
        }
    }
}

/// `format`: a data format, a bundled style or a style added to the library — never a
/// `.csl` path, which would let the webview name a file to read.
fn options(
    l: &topica_core::Library,
    format: &str,
    scope: ExportScope,
    locale: Option<String>,
) -> topica_core::Result<ExportOptions> {
    let format: ExportFormat = match format.parse() {
        Ok(f) => f,
        Err(_) => ExportFormat::Style(l.style(format)?),
    };
    // Styled references keep the style's own order; data formats sort by key.
    let sort = if matches!(format, ExportFormat::Style(_)) {
        SortOrder::Style
    } else {
        SortOrder::CitationKey
    };
    Ok(ExportOptions {
        format: Some(format),
        scope: scope.into(),
        sort,
        locale,
        ..ExportOptions::default()
    })
}

/// Writes the export to `path` (the user confirmed any overwrite in the save dialog).
#[tauri::command]
pub async fn export_file(
    state: State<'_, AppState>,
    format: String,
    scope: ExportScope,
    path: PathBuf,
    locale: Option<String>,
) -> CmdResult<ExportReport> {
    state.check_granted(&path)?;
    blocking(&state, move |l| {
        l.export_to_file(&options(l, &format, scope, locale)?, &path, true)
    })
    .await
}

/// The keep-updated exports with when each was last written and its last error.
#[tauri::command]
pub async fn auto_exports(state: State<'_, AppState>) -> CmdResult<Vec<AutoExport>> {
    blocking(&state, |l| l.auto_exports()).await
}

/// Keeps `path` (chosen in the save dialog, which confirmed any overwrite) updated with what
/// `scope` holds; written now.
#[tauri::command]
pub async fn add_auto_export(
    state: State<'_, AppState>,
    format: String,
    scope: AutoScope,
    path: PathBuf,
) -> CmdResult<AutoExport> {
    state.check_granted(&path)?;
    blocking(&state, move |l| {
        l.add_auto_export(&path, &format, scope, true)
    })
    .await
}

/// Stops keeping `path` updated (the file stays).
#[tauri::command]
pub async fn remove_auto_export(state: State<'_, AppState>, path: PathBuf) -> CmdResult<()> {
    blocking(&state, move |l| l.remove_auto_export(&path)).await
}

/// The export as text (Copy citation); `locale`: the settings' citation locale, None for the
/// style's own.
#[tauri::command]
pub async fn export_text(
    state: State<'_, AppState>,
    format: String,
    scope: ExportScope,
    locale: Option<String>,
    html: Option<bool>,
) -> CmdResult<String> {
    blocking(&state, move |l| {
        let mut opts = options(l, &format, scope, locale)?;
        // References as HTML too, for a rich-text copy word processors paste with italics.
        if html == Some(true) {
            opts.flavor = topica_core::export::Flavor::Html;
        }
        l.export(&opts)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_json_from_the_ui() {
        let s: ExportScope = serde_json::from_value(
            serde_json::json!({"kind": "ids", "value": ["3", "2201.12288"]}),
        )
        .unwrap();
        assert!(matches!(Scope::from(s), Scope::Ids(v) if v == ["3", "2201.12288"]));
        let s: ExportScope = serde_json::from_value(serde_json::json!({"kind": "all"})).unwrap();
        assert_eq!(Scope::from(s), Scope::All);
        let dir =
            std::env::temp_dir().join(format!("topica-export-options-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let lib = topica_core::Library::open(&dir).unwrap();
        assert!(options(&lib, "nonsense", ExportScope::All, None).is_err());
        assert!(options(&lib, "harvard", ExportScope::All, Some("de-DE".into())).is_ok());
        // A path is not a style here: the webview names no file.
        let csl = dir.join("x.csl");
        std::fs::write(&csl, topica_core::export::CslStyle::Nature.xml()).unwrap();
        assert!(options(&lib, csl.to_str().unwrap(), ExportScope::All, None).is_err());
        drop(lib);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// The library's citation key pattern (applies to papers that get a key from now on).
#[tauri::command]
pub async fn citation_key_pattern(state: State<'_, AppState>) -> CmdResult<String> {
    blocking(&state, |l| Ok(l.citation_key_pattern()?.to_string())).await
}

/// Sets the pattern for new keys; existing keys never change. A pattern that does not parse is
/// refused with the reason. Returns the pattern as stored.
#[tauri::command]
pub async fn set_citation_key_pattern(
    state: State<'_, AppState>,
    pattern: String,
) -> CmdResult<String> {
    blocking(&state, move |l| {
        Ok(l.set_citation_key_pattern(&pattern)?.to_string())
    })
    .await
}
