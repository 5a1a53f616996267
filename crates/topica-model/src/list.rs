//! What the desktop list shows: sidebar views, sort orders and the light row of one paper.

use serde::{Deserialize, Serialize};

use crate::Author;

/// A sidebar view: which papers to list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", tag = "kind", content = "name")]
pub enum View {
    All,
    Unread,
    Starred,
    /// Papers added in the last 30 days of the newest addition (so an old library still shows its last import).
    Recent,
    Tag(String),
    Collection(String),
    /// Papers in the trash, the most recently trashed first whatever the sort.
    Trash,
}

/// List order (relevance only applies to search results, which come from [`Library::search`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum SortBy {
    Added,
    Year,
    Title,
}

/// One line of the paper list.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PaperRow {
    pub id: i64,
    /// The title, or the abstract's first sentence until enriched.
    pub title: String,
    /// "Vaswani et al." style; empty when no author is known.
    pub authors: String,
    pub year: Option<i32>,
    pub arxiv_id: Option<String>,
    pub read: bool,
    pub starred: bool,
    pub date_added: String,
}

/// "Family", "Family & Family" or "Family et al.".
pub fn short_authors(authors: &[Author]) -> String {
    match authors {
        [] => String::new(),
        [a] => a.family.clone(),
        [a, b] => format!("{} & {}", a.family, b.family),
        [a, ..] => format!("{} et al.", a.family),
    }
}
