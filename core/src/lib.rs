//! `topica-core`: the engine behind Topica, a reference manager whose library organises itself.
//!
//! # Brief overview
//! - [`Library`]: the facade. One directory holds `library.sqlite` (the source of truth) and a
//!   tantivy index in `.topica/index/` (derived, rebuilt when stale).
//! - [`Paper`] and [`Author`]: the model; user fields are never written by imports.
//! - [`import`]: format detection and parsers; [`Library::import_files`] is atomic.
//! - [`search`]: the query language and search results.
//!
//! # What a library can do
//! [`Library`] is one type; its methods live beside the code they compose, one module per
//! area. This is the map (every method's SQL is `topica-store`'s):
//!
//! | area | methods | module |
//! |---|---|---|
//! | open, read | `open`, `dir`, `paper`, `find`, `papers`, `len`, `stats`, `rebuild_index` | `library` |
//! | import | `import_files(_with)`, `import_text`, `import_sample` | `library`, `import` |
//! | add from the network | `add_identifiers`, `add_text`, `enrich` | `add`, `enrich`, `online` |
//! | edit | `update_paper`; `set_notes`, `set_tags`, `set_collections`, `set_flags` | `edit`, `library` |
//! | bulk actions | `tag_papers`, `collect_papers`, `flag_papers`, `rename_tag` | `bulk` |
//! | collections (nested as `A/B`) | `create_collection`, `rename_collection`, `move_collection`, `delete_collection` | `collections` |
//! | trash | `trash`, `restore`, `trashed`, `empty_trash` | `trash` |
//! | files | `attach_files`, `files`, `file`, `detach_files`, `relink_file`, `fulltext`, `import_pdfs`, `set_pdf_reader` | `files/` |
//! | duplicates | `duplicates`, `merge_papers`, `mark_not_duplicates` | `duplicates/` |
//! | undo | `undo`, `redo`, `history` | `undo` |
//! | search | `search`, `search_ranked`, `search_hits` | `library` (`topica-search`) |
//! | saved searches | `save_search`, `delete_saved_search`, `saved_searches` | `saved` |
//! | list | `list_ids`, `rows` | `browse` |
//! | topics | `topics`, `topic_members`, `in_topic`, `recompute_topics`, `assign_new_papers`, `paper_topics`, `related`, `topic_counts`, `topics_status`, `set_topic_leaves` | `topics/` |
//! | topic edits | `rename_topic`, `pin_topic`, `merge_topics`, `move_paper(s)`, `create_topic`, `split_topic` | `topics/edits` |
//! | topic views | `has_topics`, `topic_paper_ids`, `topic_years` | `topics_view` |
//! | the paper map | `paper_map` | `paper_map` |
//! | backups | `backup`, `backups`, `daily_backup`, `restore_backup`, `backup_dir` | `backups` |
//! | export | `export`, `export_to_file`, `scope_papers`, `clear_reference_cache` | `export/` |
//! | citation keys | `citation_key_pattern`, `set_citation_key_pattern`, `set_citation_key`, `ensure_citation_keys`, `regenerate_citation_keys` | `citekey` |
//!
//! Every method that changes what a user owns is one transaction and one undo step
//! (`Library::change` in `undo`), or an import (one transaction, one undo step).
//!
//! ```
//! # fn main() -> topica_core::Result<()> {
//! let dir = tempfile::tempdir().unwrap();
//! let lib = topica_core::Library::open(dir.path())?;
//! lib.import_sample()?;
//! assert_eq!(lib.len()?, 94);
//! let results = lib.search("\"speech enhancement\"", 3)?;
//! let top3: Vec<_> = results.hits.iter().filter_map(|h| h.arxiv_id.as_deref()).collect();
//! assert!(top3.contains(&"2302.14748") && top3.contains(&"2212.11851"), "{top3:?}");
//! # Ok(()) }
//! ```

mod add;
mod auto_export;
mod backups;
mod browse;
mod bulk;
pub mod citekey;
mod collections;
mod duplicates;
use topica_store as db;
mod edit;
mod enrich;
mod error;
pub mod export;
pub mod files;
pub mod import;
mod library;
mod library_dir;
mod merge;
mod online;
mod paper_map;
mod saved;
pub mod semantic;
mod styles;
pub use topica_search as search;
pub mod topics;
mod topics_view;
mod trash;
mod undo;
pub mod zotero;

pub use add::{AddFailure, AddReport, AddedPaper, PasteReport};
pub use auto_export::{AutoExport, AutoScope};
pub use backups::{BackupFile, RestoreReport, BACKUP_DIR};
pub use browse::{short_authors, PaperRow, SortBy, View};
pub use bulk::BulkReport;
pub use duplicates::{DuplicateGroup, MergeReport, KEY_ALIASES};
pub use enrich::{EnrichOptions, EnrichReport};
pub use error::{Error, RecordError, Result};
pub use files::{
    serve_pdf_worker_if_asked, AttachMode, AttachReport, AttachedFile, FileFailure, FulltextPage,
    PdfImportReport, PdfOutcome, PdfReader, PdfResult, TextState,
};
pub use import::{Format, ImportOptions, ImportReport};
pub use library::{Library, Progress, ProgressFn, Stats, SAMPLE_LIBRARY};
pub use library_dir::{DATABASE_FILE, DERIVED_DIR, INDEX_DIR};
pub use online::model_download::{download_model, ModelDownload, DEFAULT_MODEL_HUB};
pub use online::{Services, DEFAULT_ARXIV_API, DEFAULT_CROSSREF_API, DEFAULT_DOI_RESOLVER};
pub use paper_map::{MapTopic, PaperMap, PaperPoint};
pub use saved::SavedSearch;
pub use search::{SearchHit, SearchResults};
pub use semantic::{EmbedReport, SemanticStatus, TopicMode};
pub use styles::StyleEntry;
pub use topica_model::ArxivId;
pub use topica_model::{normalize_doi, title_key, Author, Paper};
pub use topica_model::{FieldError, PaperEdit, EDITABLE_FIELDS};
pub use topics::{RelatedPaper, Topic, TopicCount, TopicWeight};
pub use topics::{TopicsStatus, RECOMPUTE_SHARE};
pub use topics_view::TopicYear;
pub use trash::EmptiedTrash;
pub use undo::{History, UndoReport};

/// The desktop app's identifier; its data directory holds the default library.
pub const APP_IDENTIFIER: &str = "io.topica.desktop";
/// The identifier before 0.2 (it ended in `.app`, which macOS reads as a bundle): a library
/// that was made there stays where it is.
pub const LEGACY_APP_IDENTIFIER: &str = "io.topica.app";

/// Where the desktop app keeps its library: `$XDG_DATA_HOME/io.topica.desktop/library` on
/// Linux, or the library an earlier version made under its old identifier.
pub fn default_library_dir() -> std::path::PathBuf {
    let data = dirs::data_dir().unwrap_or_else(std::env::temp_dir);
    let dir = data.join(APP_IDENTIFIER).join("library");
    let legacy = data.join(LEGACY_APP_IDENTIFIER).join("library");
    if !dir.exists() && legacy.join(DATABASE_FILE).is_file() {
        return legacy;
    }
    dir
}
