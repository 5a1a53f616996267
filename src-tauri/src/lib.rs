//! Topica's desktop shell: a Tauri 2 window over the `topica_core::Library` facade.
//!
//! **Invariant:** no domain logic here. Commands (`commands/`) are one-line calls into the
//! engine; this file wires plugins, the menu, state, and the remembered window size.

pub mod bindings;
pub mod commands;
pub mod error;
pub mod events;
pub mod notify;
pub mod opened;
pub mod rendering;
pub mod startup;
pub mod state;

use tauri::menu::{MenuBuilder, SubmenuBuilder};
use tauri::{Emitter, Manager, WindowEvent};

use commands::settings;
use state::AppState;

/// Starts the app.
pub fn run() {
    startup::begin();
    rendering::choose();
    tauri::Builder::default()
        // First: a second launch must hand over its arguments before anything else starts.
        .plugin(tauri_plugin_single_instance::init(opened::second_launch))
        .plugin(tauri_plugin_deep_link::init())
        .plugin(
            tauri_plugin_window_state::Builder::default()
                .with_filename(settings::window_state_file())
                .build(),
        )
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_store::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        // Copy from Rust: the web clipboard needs a user gesture, which an export awaited before
        // the copy (Copy citation, Copy \cite of a selection) has used up.
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_opener::init())
        .setup(|app| {
            startup::mark("setup");
            let handle = app.handle();
            settings::adopt_legacy(handle);
            let remembered = settings::load(handle);
            let dir = state::library_dir(remembered.library_dir);
            let model = state::model_dir(remembered.model_dir.as_deref());
            // The library opens beside the window's first paint; commands wait for it.
            app.manage(AppState::opening());
            app.manage(opened::Pending::default());
            let opening = handle.clone();
            std::thread::spawn(move || {
                let (library, sampled) = match state::open_library(&dir, true, &model) {
                    Ok((lib, sampled)) => (Ok(lib), sampled),
                    Err(e) => (Err(e), false),
                };
                startup::mark("opened");
                // Files and links on the command line (a double-clicked .bib, a topica://
                // link): kept until the window asks, which waits for the library.
                let args: Vec<String> = std::env::args().skip(1).collect();
                let cwd = std::env::current_dir().unwrap_or_default();
                let args = opened::parse_args(&args, &cwd);
                let first = opened::request(&opening, library.as_ref(), args);
                *opening
                    .state::<opened::Pending>()
                    .0
                    .lock()
                    .unwrap_or_else(|p| p.into_inner()) = Some(first);
                opening.state::<AppState>().finish_opening(library, sampled);
            });
            // The search index's writer holds a lock file: let it go once the window has been
            // idle a few seconds, so a topica-cli can write to the same library meanwhile; and
            // notice what such a process changed.
            let idle = app.handle().clone();
            let mut last_generation = u64::MAX;
            // The daily backup: looked at a minute after launch, then hourly (it is taken
            // when the newest is a day old).
            let mut next_backup = std::time::Instant::now() + std::time::Duration::from_secs(60);
            std::thread::spawn(move || loop {
                std::thread::sleep(std::time::Duration::from_secs(2));
                if let Ok(lib) = idle.state::<AppState>().library() {
                    if std::time::Instant::now() >= next_backup {
                        next_backup += std::time::Duration::from_secs(3600);
                        let days = settings::load(&idle).backup_days;
                        if let Err(e) = lib.daily_backup(days) {
                            tracing::warn!("daily backup: {e}");
                        }
                    }
                    if let Err(e) = lib.release_index_writer(std::time::Duration::from_secs(5)) {
                        tracing::warn!("releasing the index writer: {e}");
                    }
                    // A topica-cli (or another window) changed the library: show it.
                    if lib.changed_elsewhere().unwrap_or(false) {
                        let _ = idle.emit(events::LIBRARY_CHANGED, "external");
                    }
                    // Keep-updated exports follow the library once it has been still for a
                    // tick (a burst of edits is written once, 2–4 s after its last change).
                    let generation = lib.generation().unwrap_or(0);
                    if generation == last_generation {
                        match lib.refresh_auto_exports() {
                            Ok(looked) if !looked.is_empty() => {
                                let _ = idle.emit(events::AUTO_EXPORTS, looked);
                            }
                            Ok(_) => {}
                            Err(e) => tracing::warn!("keep-updated exports: {e}"),
                        }
                    }
                    last_generation = generation;
                }
            });

            // Shortcuts are the web view's (see App.svelte): Ctrl+Z in a text field must undo
            // typing, not a library change, which a native accelerator could not tell apart.
            let file = SubmenuBuilder::new(app, "File")
                .text("add", "Add by identifier…")
                .text("new-library", "New library…")
                .text("open-library", "Open library…")
                .text("import", "Import…")
                .text("import-zotero", "Import a Zotero library…")
                .text("import-pdfs", "Import PDFs…")
                .text("import-pdf-folder", "Import a folder of PDFs…")
                .text("export", "Export…")
                .separator()
                .text("backup-now", "Back up now")
                .text("restore-backup", "Restore from backup…")
                .separator()
                .text("settings", "Settings…")
                .separator()
                .quit()
                .build()?;
            let edit = SubmenuBuilder::new(app, "Edit")
                .text("undo", "Undo")
                .text("redo", "Redo")
                .separator()
                .text("select-all", "Select all")
                .text("delete", "Move to trash")
                .text("find", "Find")
                .build()?;
            let view = SubmenuBuilder::new(app, "View")
                .text("view-papers", "Papers")
                .text("view-map", "Topic map")
                .text("view-trash", "Trash")
                .separator()
                .text("theme", "Light / dark")
                .text("zoom-in", "Zoom in")
                .text("zoom-out", "Zoom out")
                .text("zoom-reset", "Actual size")
                .build()?;
            let help = SubmenuBuilder::new(app, "Help")
                .text("shortcuts", "Keyboard shortcuts")
                .text("reveal-library", "Show the library folder")
                .text("about", "About Topica")
                .build()?;
            let menu = MenuBuilder::new(app)
                .items(&[&file, &edit, &view, &help])
                .build()?;
            app.set_menu(menu)?;
            app.on_menu_event(|app, event| {
                let _ = app.emit(events::MENU, event.id().0.as_str());
            });
            startup::mark("setup_done");
            Ok(())
        })
        .on_window_event(|window, event| {
            // Files dropped on the window are the user's choice, like a dialog's answer.
            if let WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                window.state::<AppState>().grant(paths.iter().cloned());
            }
            // The window state plugin saves at exit; a process that is killed (a crash, a
            // session ending) has none, so each resize and move is saved as it happens.
            if matches!(event, WindowEvent::Resized(_) | WindowEvent::Moved(_)) {
                use tauri_plugin_window_state::{AppHandleExt, StateFlags};
                let _ = window.app_handle().save_window_state(StateFlags::all());
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::dialogs::choose_import_files,
            commands::styles::styles,
            commands::styles::choose_and_add_style,
            commands::styles::remove_style,
            commands::styles::add_style,
            commands::styles::locales,
            commands::dialogs::choose_folder,
            commands::dialogs::choose_save_path,
            commands::library::library_info,
            commands::library::list_ids,
            commands::library::rows,
            commands::library::paper,
            commands::library::readable_abstract,
            commands::library::set_notes,
            commands::library::set_tags,
            commands::library::set_collections,
            commands::library::set_flags,
            commands::library::import_files,
            commands::library::cancel_job,
            commands::library::enrich,
            commands::manage::add_text,
            commands::manage::update_paper,
            commands::manage::trash,
            commands::manage::restore,
            commands::manage::empty_trash,
            commands::manage::undo,
            commands::manage::redo,
            commands::manage::history,
            commands::manage::tag_papers,
            commands::manage::collect_papers,
            commands::manage::flag_papers,
            commands::manage::rename_tag,
            commands::manage::set_tag_color,
            commands::manage::duplicates,
            commands::manage::merge_papers,
            commands::manage::mark_not_duplicates,
            commands::manage::save_search,
            commands::manage::reshape_collection,
            commands::manage::delete_saved_search,
            commands::manage::rename_saved_search,
            commands::library::reveal_library,
            commands::search::search,
            commands::search::search_ranked,
            commands::search::search_hits,
            commands::export::export_file,
            commands::export::export_text,
            commands::export::auto_exports,
            commands::export::add_auto_export,
            commands::export::remove_auto_export,
            commands::export::citation_key_pattern,
            commands::export::set_citation_key_pattern,
            commands::topics::topics,
            commands::topics::paper_map,
            commands::semantic::semantic_status,
            commands::semantic::set_topic_mode,
            commands::semantic::embed_papers,
            commands::semantic::download_model,
            commands::semantic::set_model_folder,
            commands::topics::topic_years,
            commands::topics::topic_ids,
            commands::topics::in_topic,
            commands::topics::paper_topics,
            commands::topics::related,
            commands::topics::topic_counts,
            commands::topics::rename_topic,
            commands::topics::merge_topics,
            commands::topics::pin_topic,
            commands::topics::move_papers,
            commands::topics::create_topic,
            commands::topics::split_topic,
            commands::topics::topics_status,
            commands::topics::set_topic_leaves,
            commands::topics::recompute_topics,
            commands::settings::get_settings,
            commands::settings::set_settings,
            commands::settings::set_library_dir,
            commands::settings::painted,
            commands::dialogs::choose_files,
            commands::files::files,
            commands::files::attach_files,
            commands::files::detach_files,
            commands::files::relink_file,
            commands::files::import_pdfs,
            commands::files::fulltext,
            commands::files::file_bytes,
            commands::files::open_file,
            commands::files::reveal_file,
            commands::backups::backups,
            commands::backups::backup_now,
            commands::backups::restore_backup,
            opened::take_opened,
        ])
        .run(tauri::generate_context!())
        .expect("error while running Topica");
}

#[cfg(test)]
mod tests {
    /// The bundle's identity and what it registers with the desktop: an identifier that is the
    /// engine's (its data folder holds the default library) and does not end in `.app`
    /// (macOS would read it as a bundle name); the file types double-clicking imports; the
    /// link scheme `opened` reads; and `topica-cli` shipped on the PATH.
    #[test]
    fn the_bundle_registers_what_the_app_opens() {
        let conf: serde_json::Value =
            serde_json::from_str(include_str!("../tauri.conf.json")).unwrap();
        let id = conf["identifier"].as_str().unwrap();
        assert_eq!(id, topica_core::APP_IDENTIFIER);
        assert!(!id.ends_with(".app"));
        let exts: Vec<&str> = conf["bundle"]["fileAssociations"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|a| a["ext"].as_array().unwrap().iter())
            .map(|e| e.as_str().unwrap())
            .collect();
        assert_eq!(exts, ["bib", "ris", "csl"]);
        assert_eq!(
            conf["plugins"]["deep-link"]["desktop"]["schemes"][0],
            crate::opened::SCHEME
        );
        assert!(
            conf["bundle"]["linux"]["deb"]["files"]["/usr/bin/topica-cli"]
                .as_str()
                .unwrap()
                .ends_with("release/topica-cli")
        );
    }

    /// The commands the handler serves, the ones build.rs declares (each gets an `allow-…`
    /// permission) and the ones the main window's capability allows are the same list.
    #[test]
    fn every_command_is_declared_and_allowed() {
        let lib = include_str!("lib.rs");
        let handler = lib
            .split("generate_handler![")
            .nth(1)
            .unwrap()
            .split(']')
            .next()
            .unwrap();
        let mut served: Vec<String> = handler
            .split(',')
            .map(|c| c.trim().rsplit("::").next().unwrap().to_string())
            .filter(|c| !c.is_empty())
            .collect();
        let build = include_str!("../build.rs");
        let list = build
            .split("COMMANDS: &[&str] = &[")
            .nth(1)
            .unwrap()
            .split("];")
            .next()
            .unwrap();
        let mut declared: Vec<String> = list
            .split(',')
            .map(|c| c.trim().trim_matches('"').to_string())
            .filter(|c| !c.is_empty())
            .collect();
        let cap: serde_json::Value =
            serde_json::from_str(include_str!("../capabilities/main.json")).unwrap();
        let mut allowed: Vec<String> = cap["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| {
                p.as_str()?
                    .strip_prefix("allow-")
                    .map(|c| c.replace('-', "_"))
            })
            .collect();
        served.sort();
        declared.sort();
        allowed.sort();
        assert_eq!(served, declared, "build.rs's COMMANDS");
        assert_eq!(
            served, allowed,
            "capabilities/main.json's allow-… permissions"
        );
    }
}
