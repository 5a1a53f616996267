//! `topica-formats`: every bibliographic format Topica reads and writes, as pure functions over
//! text and papers — BibTeX/BibLaTeX, RIS, CSL-JSON, arXiv JSON lines and Atom, id lists, the
//! seed table; CSL styles rendered by hayagriva; the citation key pattern language.
//!
//! No SQL, no search index, no network: the library (`topica-core`) reads files through
//! [`import::read_file`], stores what comes out, and hands papers to [`export`]'s writers.

pub mod citekey;
mod error;
pub mod export;
pub mod import;

pub use error::{Error, Result};
