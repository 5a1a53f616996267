//! Integration tests of `topica-core`, one binary (as ripgrep does). One module per area;
//! `util` gives each test its own temporary library.

mod util;

mod add;
mod auto_export;
mod backups;
mod csl_golden;
mod csl_suite;
mod duplicates;
mod enrich;
mod export;
mod export_roundtrip;
mod files;
mod import_formats;
mod manage;
mod organize;
mod search;
mod seed;
mod semantic;
mod storage;
mod styles;
mod topics;
mod topics_view;
mod zotero;
