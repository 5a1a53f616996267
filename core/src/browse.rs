//! Browsing the library page by page: which papers a sidebar view holds, in which order, and the
//! light rows a paper list paints. Owns no storage: `db::list` reads the tables.
//!
//! A list of 100k papers is shown by sending its ids once ([`Library::list_ids`]) and the rows of
//! only the visible window ([`Library::rows`]), so first paint does not wait for 100k titles.

use crate::db;
use crate::{Library, Result};
pub use topica_model::{short_authors, PaperRow, SortBy, View};

impl Library {
    /// Ids of the papers in `view`, in `sort` order (newest first for added and year, A→Z for title).
    pub fn list_ids(&self, view: &View, sort: SortBy) -> Result<Vec<i64>> {
        Ok(db::list::view_ids(&self.conn(), view, sort)?)
    }

    /// List rows for `ids`, in the order given; unknown ids are left out.
    pub fn rows(&self, ids: &[i64]) -> Result<Vec<PaperRow>> {
        let mut rows = db::list::rows(&self.conn(), ids)?;
        // An untitled paper's row shows its abstract's first sentence, glued words apart as
        // the abstract is shown (`readable_abstract`).
        let glued = self.index.glued();
        if !glued.is_empty() {
            for r in &mut rows {
                if let std::borrow::Cow::Owned(t) = topica_model::unglue(&r.title, &glued) {
                    r.title = t;
                }
            }
        }
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use topica_model::Author;

    fn sample() -> (tempfile::TempDir, Library) {
        let dir = tempfile::tempdir().unwrap();
        let lib = Library::open(dir.path()).unwrap();
        lib.import_sample().unwrap();
        (dir, lib)
    }

    #[test]
    fn views_filter_and_rows_keep_order() {
        let (_d, lib) = sample();
        let all = lib.list_ids(&View::All, SortBy::Added).unwrap();
        assert_eq!(all.len(), 94);
        assert_eq!(
            lib.list_ids(&View::Recent, SortBy::Added).unwrap().len(),
            94
        );
        assert!(lib
            .list_ids(&View::Starred, SortBy::Added)
            .unwrap()
            .is_empty());
        lib.set_flags(all[3], None, Some(true)).unwrap();
        lib.set_flags(all[5], Some(true), None).unwrap();
        lib.set_tags(all[7], &["to-read".into()]).unwrap();
        lib.set_collections(all[9], &["thesis".into()]).unwrap();
        assert_eq!(
            lib.list_ids(&View::Starred, SortBy::Added).unwrap(),
            vec![all[3]]
        );
        assert_eq!(
            lib.list_ids(&View::Unread, SortBy::Added).unwrap().len(),
            93
        );
        assert_eq!(
            lib.list_ids(&View::Tag("to-read".into()), SortBy::Added)
                .unwrap(),
            vec![all[7]]
        );
        assert_eq!(
            lib.list_ids(&View::Collection("thesis".into()), SortBy::Added)
                .unwrap(),
            vec![all[9]]
        );

        let want = vec![all[10], all[2], 999_999, all[40]];
        let rows = lib.rows(&want).unwrap();
        assert_eq!(
            rows.iter().map(|r| r.id).collect::<Vec<_>>(),
            vec![all[10], all[2], all[40]]
        );
        assert!(rows.iter().all(|r| !r.title.is_empty()));
        assert!(lib.rows(&[all[3]]).unwrap()[0].starred);
    }

    #[test]
    fn sorts_by_year_and_title() {
        let (_d, lib) = sample();
        let by_year = lib
            .rows(&lib.list_ids(&View::All, SortBy::Year).unwrap())
            .unwrap();
        let years: Vec<i32> = by_year.iter().filter_map(|r| r.year).collect();
        assert!(years.windows(2).all(|w| w[0] >= w[1]), "{years:?}");
        let by_title = lib.list_ids(&View::All, SortBy::Title).unwrap();
        assert_eq!(by_title.len(), 94);
        assert_ne!(by_title, lib.list_ids(&View::All, SortBy::Year).unwrap());
    }

    #[test]
    fn papers_without_a_year_sort_last_by_year() {
        let (_d, lib) = sample();
        lib.import_text(
            "undated.bib",
            "@misc{undated, title = {A Note Without a Date}, author = {Doe, Jane}}",
            crate::import::Format::Bibtex,
            true,
        )
        .unwrap();
        let ids = lib.list_ids(&View::All, SortBy::Year).unwrap();
        let rows = lib.rows(&ids).unwrap();
        assert_eq!(rows.len(), 95);
        assert_eq!(rows.last().unwrap().title, "A Note Without a Date");
        assert!(rows[..94].iter().all(|r| r.year.is_some()));
        let stats = lib.stats().unwrap();
        // The sample is ids and abstracts only: its 94 papers are untitled until enriched.
        assert_eq!((stats.papers, stats.without_title), (95, 94));
        assert!(stats.first_year.is_some() && stats.first_year <= stats.last_year);
    }

    #[test]
    fn short_author_forms() {
        assert_eq!(short_authors(&[]), "");
        assert_eq!(short_authors(&[Author::new("Curie", "Marie")]), "Curie");
        assert_eq!(
            short_authors(&[Author::new("A", ""), Author::new("B", "")]),
            "A & B"
        );
        assert_eq!(
            short_authors(&[
                Author::new("A", ""),
                Author::new("B", ""),
                Author::new("C", "")
            ]),
            "A et al."
        );
    }
}
