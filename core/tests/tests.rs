//! Integration tests of `topica-core`, one binary (as ripgrep does). One module per area;
//! `util` gives each test its own temporary library.

mod util;

mod seed;
mod topics;
mod import_formats;
mod enrich;
mod search;
mod storage;
mod export;
mod csl_suite;
mod export_roundtrip;
