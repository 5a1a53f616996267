//! Tauri's build step, with the app's own commands declared: each gets an `allow-…`
//! permission, and the main window's capability (`capabilities/main.json`) lists those it may
//! call. A command not listed here cannot be invoked from the web view at all. The shell's test
//! `every_command_is_declared_and_allowed` keeps this list, the handler and the capability in step.

const COMMANDS: &[&str] = &[
    "library_info",
    "list_ids",
    "rows",
    "paper",
    "set_notes",
    "set_tags",
    "set_collections",
    "set_flags",
    "import_files",
    "cancel_job",
    "enrich",
    "add_text",
    "update_paper",
    "trash",
    "restore",
    "empty_trash",
    "undo",
    "redo",
    "history",
    "tag_papers",
    "collect_papers",
    "flag_papers",
    "rename_tag",
    "set_tag_color",
    "duplicates",
    "merge_papers",
    "mark_not_duplicates",
    "save_search",
    "reshape_collection",
    "delete_saved_search",
    "rename_saved_search",
    "reveal_library",
    "search",
    "search_ranked",
    "search_hits",
    "export_file",
    "export_text",
    "citation_key_pattern",
    "set_citation_key_pattern",
    "topics",
    "topic_map",
    "topic_years",
    "topic_ids",
    "paper_topics",
    "related",
    "topic_counts",
    "rename_topic",
    "merge_topics",
    "pin_topic",
    "move_papers",
    "create_topic",
    "split_topic",
    "topics_status",
    "set_topic_leaves",
    "recompute_topics",
    "get_settings",
    "set_settings",
    "set_library_dir",
    "painted",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run tauri-build");
}
