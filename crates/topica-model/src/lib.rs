//! `topica-model`: the plain data every other crate of Topica speaks — papers, their authors,
//! arXiv identifiers, the rows and views of the paper list, and the reasons a record is refused. No I/O, no storage, no search.

mod arxiv_id;
mod edit;
mod glued;
mod list;
mod paper;
mod record;

pub use arxiv_id::ArxivId;
pub use edit::{copy_field, field_differs, FieldError, PaperEdit, EDITABLE_FIELDS, YEARS};
pub use glued::{glued_parts, unglue, GluedWords};
pub use list::{short_authors, PaperRow, SortBy, View};
pub use paper::{first_sentence, normalize_doi, title_key, Author, Paper};
pub use record::RecordError;
