//! The TypeScript declarations of every type that crosses IPC, generated from the Rust types
//! (ts-rs), so the front end cannot drift from what the commands send and take.
//!
//! `ui/src/lib/ipc/bindings.ts` is this module's output, committed. The test
//! `bindings_are_current` fails when it is stale; `TOPICA_BLESS_BINDINGS=1 cargo test -p topica
//! bindings` writes it again.

use ts_rs::{Config, TS};

/// Where the generated file lives, from the repository root.
pub const BINDINGS_FILE: &str = "ui/src/lib/ipc/bindings.ts";

/// The whole generated file.
pub fn typescript() -> String {
    // Ids and counts are JSON numbers: far below 2^53, so `number`, not ts-rs's default `bigint`.
    let cfg = Config::new().with_large_int("number");
    let decls = [
        topica_core::Author::decl(&cfg),
        topica_core::Paper::decl(&cfg),
        topica_core::PaperRow::decl(&cfg),
        topica_core::View::decl(&cfg),
        topica_core::SortBy::decl(&cfg),
        topica_core::SearchHit::decl(&cfg),
        topica_core::SearchResults::decl(&cfg),
        topica_core::RecordError::decl(&cfg),
        topica_core::ImportReport::decl(&cfg),
        topica_core::Progress::decl(&cfg),
        topica_core::Stats::decl(&cfg),
        topica_core::TopicsStatus::decl(&cfg),
        topica_core::export::ExportReport::decl(&cfg),
        topica_core::AutoExport::decl(&cfg),
        topica_core::AutoScope::decl(&cfg),
        topica_core::EnrichReport::decl(&cfg),
        topica_core::Topic::decl(&cfg),
        topica_core::TopicWeight::decl(&cfg),
        topica_core::RelatedPaper::decl(&cfg),
        topica_core::TopicCount::decl(&cfg),
        topica_core::PaperMap::decl(&cfg),
        topica_core::PaperPoint::decl(&cfg),
        topica_core::MapTopic::decl(&cfg),
        topica_core::TopicYear::decl(&cfg),
        topica_core::PaperEdit::decl(&cfg),
        topica_core::FieldError::decl(&cfg),
        topica_core::AddReport::decl(&cfg),
        topica_core::AddedPaper::decl(&cfg),
        topica_core::AddFailure::decl(&cfg),
        topica_core::PasteReport::decl(&cfg),
        topica_core::UndoReport::decl(&cfg),
        topica_core::History::decl(&cfg),
        topica_core::EmptiedTrash::decl(&cfg),
        topica_core::BulkReport::decl(&cfg),
        topica_core::SavedSearch::decl(&cfg),
        topica_core::StyleEntry::decl(&cfg),
        topica_core::DuplicateGroup::decl(&cfg),
        topica_core::MergeReport::decl(&cfg),
        topica_core::Services::decl(&cfg),
        topica_core::AttachMode::decl(&cfg),
        topica_core::AttachedFile::decl(&cfg),
        topica_core::TextState::decl(&cfg),
        topica_core::AttachReport::decl(&cfg),
        topica_core::FileFailure::decl(&cfg),
        topica_core::FulltextPage::decl(&cfg),
        topica_core::PdfImportReport::decl(&cfg),
        topica_core::PdfResult::decl(&cfg),
        topica_core::PdfOutcome::decl(&cfg),
        topica_core::BackupFile::decl(&cfg),
        topica_core::RestoreReport::decl(&cfg),
        topica_core::SemanticStatus::decl(&cfg),
        topica_core::TopicMode::decl(&cfg),
        topica_core::EmbedReport::decl(&cfg),
        topica_core::ModelDownload::decl(&cfg),
        crate::commands::dialogs::FilePurpose::decl(&cfg),
        crate::commands::manage::CollectionAction::decl(&cfg),
        crate::error::IpcError::decl(&cfg),
        crate::commands::library::LibraryInfo::decl(&cfg),
        crate::commands::settings::Settings::decl(&cfg),
        crate::commands::export::ExportScope::decl(&cfg),
        crate::opened::OpenRequest::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by src-tauri/src/bindings.rs (ts-rs). Do not edit:\n\
         // `TOPICA_BLESS_BINDINGS=1 cargo test -p topica bindings` writes it again.\n",
    );
    for decl in decls {
        out.push('\n');
        out.push_str("export ");
        out.push_str(&decl);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bindings_are_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(BINDINGS_FILE);
        let want = typescript();
        if std::env::var_os("TOPICA_BLESS_BINDINGS").is_some() {
            std::fs::write(&path, &want).unwrap();
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "{BINDINGS_FILE} is stale: a type that crosses IPC changed. Run \
             `TOPICA_BLESS_BINDINGS=1 cargo test -p topica bindings` and commit the file."
        );
    }
}
