//! Editing a paper's metadata by hand. A saved edit is one transaction and one undo step; the
//! fields it changed are recorded as the user's (`Paper::edited`), so later imports and
//! enrichment fill empty fields around them but never overwrite them.

use topica_model::{FieldError, Paper, PaperEdit};

use crate::db::papers::{self, IdColumn};
use crate::db::topics as topic_store;
use crate::undo::{write_fields, Op};
use crate::{Error, Library, Result};

impl Library {
    /// Applies `edit` to paper `id`. Every refused field is reported with its reason
    /// ([`Error::InvalidFields`]) and nothing changes. Search, exports and related papers see
    /// the edit at once; a paper whose title or abstract changed is placed in its topic again
    /// (unless the user moved it there).
    pub fn update_paper(&self, id: i64, edit: &PaperEdit) -> Result<Paper> {
        let label = match (
            edit.fields.len() + usize::from(edit.authors.is_some()),
            edit.fields.keys().next(),
        ) {
            (1, Some(f)) => format!("Edit {}", f.replace('_', " ")),
            (1, None) => "Edit authors".to_string(),
            (n, _) => format!("Edit {n} fields"),
        };
        self.change(&label, |c| {
            let before = papers::get(c, id)?.ok_or_else(|| Error::NotFound(id.to_string()))?;
            let mut after = before.clone();
            let changed = edit.apply(&mut after).map_err(Error::InvalidFields)?;
            let clashes = clashes(c, &before, &after, &changed)?;
            if !clashes.is_empty() {
                return Err(Error::InvalidFields(clashes));
            }
            if changed.is_empty() {
                return Ok((vec![], ()));
            }
            for f in &changed {
                if !after.edited.contains(f) {
                    after.edited.push(f.clone());
                }
            }
            write_fields(c, &after)?;
            let text_changed = changed.iter().any(|f| f == "title" || f == "abstract");
            if text_changed && topic_store::moved_to(c, id)?.is_none() {
                topic_store::forget_papers(c, &[id])?;
            }
            let op = Op::Fields {
                before: Box::new(before),
                after: Box::new(after),
            };
            Ok((vec![op], ()))
        })?;
        self.paper(id)
    }
}

/// Identifiers that would make this paper another one: a DOI or arXiv id some other paper has,
/// a citation key some other paper uses (case-insensitively, as BibTeX compares them).
fn clashes(
    c: &crate::db::Connection,
    before: &Paper,
    after: &Paper,
    changed: &[String],
) -> Result<Vec<FieldError>> {
    let mut out = Vec::new();
    let holder = |id: i64| -> Result<String> {
        let p = papers::get(c, id)?;
        Ok(p.map_or(format!("paper {id}"), |p| {
            let t: String = p.display_title().chars().take(60).collect();
            format!("paper {id} (“{t}”)")
        }))
    };
    for (field, column, value) in [
        ("doi", IdColumn::Doi, &after.doi),
        ("arxiv_id", IdColumn::Arxiv, &after.arxiv_id),
    ] {
        if let (true, Some(v)) = (changed.iter().any(|f| f == field), value) {
            if let Some(other) = papers::id_holding(c, column, v, before.id)? {
                out.push(FieldError {
                    field: field.into(),
                    reason: format!("{v} is already the identifier of {}", holder(other)?),
                });
            }
        }
    }
    if let (true, Some(key)) = (
        changed.iter().any(|f| f == "citation_key"),
        &after.citation_key,
    ) {
        if crate::citekey::key_taken(c, key, before.id)? {
            out.push(FieldError {
                field: "citation_key".into(),
                reason: format!("{key} is already another paper's key"),
            });
        }
    }
    Ok(out)
}
