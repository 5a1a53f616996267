//! `topica-model`: the plain data every other crate of Topica speaks — papers, their authors,
//! arXiv identifiers, and the reasons a record is refused. No I/O, no storage, no search.

mod arxiv_id;
mod paper;
mod record;

pub use arxiv_id::ArxivId;
pub use paper::{first_sentence, normalize_doi, title_key, Author, Paper};
pub use record::RecordError;
