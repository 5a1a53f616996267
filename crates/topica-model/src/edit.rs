//! A user's edit of a paper's metadata: which fields can be edited, their names, and how a
//! value given as text (a form field, `topica-cli edit --set name=value`) becomes a field.
//!
//! Validation is here, with one message per field, so every front end refuses the same values
//! with the same words. Whether a DOI or key is already another paper's is the engine's check.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{normalize_doi, ArxivId, Author, Paper};

/// The bibliographic fields a user may edit, by the names `--set`, the edit form and
/// [`Paper::edited`] use.
pub const EDITABLE_FIELDS: &[&str] = &[
    "title",
    "authors",
    "year",
    "month",
    "kind",
    "container",
    "volume",
    "issue",
    "pages",
    "publisher",
    "doi",
    "url",
    "arxiv_id",
    "abstract",
    "citation_key",
];

/// Years a paper may carry: ancient works (Plato's Republic is cited as -375) to a few years
/// ahead (in press); a five-digit year is a typo.
pub const YEARS: std::ops::RangeInclusive<i32> = -9999..=2100;

/// Changes to one paper's metadata: each named field gets the text given ("" clears it);
/// fields not named keep their value. `authors` is given as a list when present.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PaperEdit {
    /// Field name (one of [`EDITABLE_FIELDS`] but `authors`) → new text.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// The new author list, in order, when it changes.
    #[serde(default)]
    #[ts(optional)]
    pub authors: Option<Vec<Author>>,
}

/// Why one field's new value was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct FieldError {
    pub field: String,
    pub reason: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

impl std::error::Error for FieldError {}

fn refuse(field: &str, reason: impl Into<String>) -> FieldError {
    FieldError {
        field: field.to_string(),
        reason: reason.into(),
    }
}

/// Characters BibTeX and biber cannot take in a citation key.
const KEY_FORBIDDEN: &[char] = &['{', '}', '(', ')', ',', '=', '\\', '"', '#', '%', '\'', '~'];

impl PaperEdit {
    /// Reads `name=value` pairs (`authors` as BibTeX names joined by " and ").
    pub fn from_assignments<'a>(
        pairs: impl IntoIterator<Item = &'a str>,
    ) -> Result<PaperEdit, FieldError> {
        let mut edit = PaperEdit::default();
        for pair in pairs {
            let Some((name, value)) = pair.split_once('=') else {
                return Err(refuse(pair, "expected field=value"));
            };
            let name = name.trim();
            if !EDITABLE_FIELDS.contains(&name) {
                return Err(refuse(
                    name,
                    format!(
                        "not an editable field (one of {})",
                        EDITABLE_FIELDS.join(", ")
                    ),
                ));
            }
            if name == "authors" {
                edit.authors = Some(
                    value
                        .split(" and ")
                        .map(str::trim)
                        .filter(|n| !n.is_empty())
                        .map(Author::parse)
                        .collect(),
                );
            } else {
                edit.fields.insert(name.to_string(), value.to_string());
            }
        }
        Ok(edit)
    }

    /// Applies the edit to `paper`; returns the names of the fields whose value changed, or
    /// every refused field with its reason. `paper` is unchanged when anything is refused.
    pub fn apply(&self, paper: &mut Paper) -> Result<Vec<String>, Vec<FieldError>> {
        let mut next = paper.clone();
        let mut errors = Vec::new();
        for (name, value) in &self.fields {
            if let Err(e) = set_field(&mut next, name, value) {
                errors.push(e);
            }
        }
        if let Some(authors) = &self.authors {
            let authors: Vec<Author> = authors
                .iter()
                .map(|a| Author {
                    family: a.family.trim().to_string(),
                    given: a.given.trim().to_string(),
                    particle: a.particle.trim().to_string(),
                    suffix: a.suffix.trim().to_string(),
                    literal: a.literal,
                })
                .collect();
            if authors.iter().any(|a| a.family.is_empty()) {
                errors.push(refuse("authors", "every author needs a family name"));
            }
            next.authors = authors;
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let changed: Vec<String> = EDITABLE_FIELDS
            .iter()
            .filter(|f| field_differs(paper, &next, f))
            .map(|f| f.to_string())
            .collect();
        *paper = next;
        Ok(changed)
    }
}

/// Sets one field from text, validating it.
fn set_field(p: &mut Paper, name: &str, value: &str) -> Result<(), FieldError> {
    let v = value.trim();
    let text = || (!v.is_empty()).then(|| v.to_string());
    match name {
        "title" => {
            if v.is_empty() {
                return Err(refuse(name, "a paper needs a title"));
            }
            p.title = text();
        }
        "year" => {
            p.year = if v.is_empty() {
                None
            } else {
                let y: i32 = v
                    .parse()
                    .map_err(|_| refuse(name, format!("{v:?} is not a year")))?;
                if !YEARS.contains(&y) {
                    return Err(refuse(
                        name,
                        format!("{y} is outside {}–{}", YEARS.start(), YEARS.end()),
                    ));
                }
                Some(y)
            };
        }
        "month" => {
            p.month = if v.is_empty() {
                None
            } else {
                match v.parse::<u8>() {
                    Ok(m @ 1..=12) => Some(m),
                    _ => return Err(refuse(name, format!("{v:?} is not a month (1–12)"))),
                }
            };
        }
        "kind" => {
            if !v.is_empty() && !v.chars().all(|c| c.is_ascii_alphabetic()) {
                return Err(refuse(
                    name,
                    format!("{v:?} is not an entry type (article, inproceedings, book…)"),
                ));
            }
            p.kind = text().map(|k| k.to_ascii_lowercase());
        }
        "container" => p.container = text(),
        "volume" => p.volume = text(),
        "issue" => p.issue = text(),
        "pages" => p.pages = text(),
        "publisher" => p.publisher = text(),
        "abstract" => p.abstract_text = text(),
        "doi" => {
            p.doi = if v.is_empty() {
                None
            } else {
                match normalize_doi(v) {
                    Some(d)
                        if d.contains('/')
                            && !d.ends_with('/')
                            && !d.contains(char::is_whitespace) =>
                    {
                        Some(d)
                    }
                    _ => return Err(refuse(name, format!("{v:?} is not a DOI (10.NNNN/…)"))),
                }
            };
        }
        "url" => {
            let web = v.starts_with("http://") || v.starts_with("https://");
            if !(v.is_empty() || web) || v.contains(char::is_whitespace) {
                return Err(refuse(
                    name,
                    format!("{v:?} is not a web address (http:// or https://)"),
                ));
            }
            p.url = text();
        }
        "arxiv_id" => {
            if v.is_empty() {
                p.arxiv_id = None;
                p.arxiv_version = None;
            } else {
                let a = ArxivId::parse(v).ok_or_else(|| {
                    refuse(name, format!("{v:?} is not an arXiv id (2101.00001)"))
                })?;
                p.arxiv_id = Some(a.id);
                p.arxiv_version = a.version.or(p.arxiv_version);
            }
        }
        "citation_key" => {
            if v.is_empty() {
                return Err(refuse(name, "a citation key cannot be empty"));
            }
            if let Some(c) = v
                .chars()
                .find(|c| c.is_whitespace() || KEY_FORBIDDEN.contains(c))
            {
                return Err(refuse(name, format!("a citation key cannot hold {c:?}")));
            }
            p.citation_key = text();
        }
        "authors" => {
            p.authors = v
                .split(" and ")
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(Author::parse)
                .collect();
        }
        other => {
            return Err(refuse(
                other,
                format!(
                    "not an editable field (one of {})",
                    EDITABLE_FIELDS.join(", ")
                ),
            ))
        }
    }
    Ok(())
}

/// Whether `a` and `b` differ in the editable field `name`.
pub fn field_differs(a: &Paper, b: &Paper, name: &str) -> bool {
    match name {
        "title" => a.title != b.title,
        "authors" => a.authors != b.authors,
        "year" => a.year != b.year,
        "month" => a.month != b.month,
        "kind" => a.kind != b.kind,
        "container" => a.container != b.container,
        "volume" => a.volume != b.volume,
        "issue" => a.issue != b.issue,
        "pages" => a.pages != b.pages,
        "publisher" => a.publisher != b.publisher,
        "doi" => a.doi != b.doi,
        "url" => a.url != b.url,
        "arxiv_id" => a.arxiv_id != b.arxiv_id,
        "abstract" => a.abstract_text != b.abstract_text,
        "citation_key" => a.citation_key != b.citation_key,
        _ => false,
    }
}

/// Copies the editable field `name` from `from` into `to` (a user's edit put back over an
/// import's merge).
pub fn copy_field(to: &mut Paper, from: &Paper, name: &str) {
    match name {
        "title" => to.title.clone_from(&from.title),
        "authors" => to.authors.clone_from(&from.authors),
        "year" => to.year = from.year,
        "month" => to.month = from.month,
        "kind" => to.kind.clone_from(&from.kind),
        "container" => to.container.clone_from(&from.container),
        "volume" => to.volume.clone_from(&from.volume),
        "issue" => to.issue.clone_from(&from.issue),
        "pages" => to.pages.clone_from(&from.pages),
        "publisher" => to.publisher.clone_from(&from.publisher),
        "doi" => to.doi.clone_from(&from.doi),
        "url" => to.url.clone_from(&from.url),
        "arxiv_id" => {
            to.arxiv_id.clone_from(&from.arxiv_id);
            to.arxiv_version = from.arxiv_version;
        }
        "abstract" => to.abstract_text.clone_from(&from.abstract_text),
        "citation_key" => to.citation_key.clone_from(&from.citation_key),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paper() -> Paper {
        Paper {
            title: Some("Old".into()),
            year: Some(2020),
            ..Paper::default()
        }
    }

    #[test]
    fn assignments_apply_and_name_what_changed() {
        let edit = PaperEdit::from_assignments([
            "title=New title",
            "year=2021",
            "doi=https://doi.org/10.1000/XYZ",
            "authors=Doe, Jane and Richard Roe",
            "pages=",
        ])
        .unwrap();
        let mut p = paper();
        let changed = edit.apply(&mut p).unwrap();
        assert_eq!(changed, ["title", "authors", "year", "doi"]);
        assert_eq!(p.title.as_deref(), Some("New title"));
        assert_eq!(p.doi.as_deref(), Some("10.1000/xyz"));
        assert_eq!(
            p.authors,
            [Author::new("Doe", "Jane"), Author::new("Roe", "Richard")]
        );
    }

    #[test]
    fn bad_values_are_refused_field_by_field_and_change_nothing() {
        let edit = PaperEdit::from_assignments([
            "title= ",
            "year=20x1",
            "doi=not a doi",
            "month=13",
            "citation_key=a b",
            "url=ftp:x",
        ])
        .unwrap();
        let mut p = paper();
        let errors = edit.apply(&mut p).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["citation_key", "doi", "month", "title", "url", "year"]
        );
        assert_eq!(p, paper());
        let year = PaperEdit::from_assignments(["year=3001"]).unwrap();
        assert_eq!(
            year.apply(&mut p).unwrap_err()[0].to_string(),
            "year: 3001 is outside -9999–2100"
        );
    }

    #[test]
    fn unknown_fields_are_named() {
        let e = PaperEdit::from_assignments(["colour=red"]).unwrap_err();
        assert!(
            e.to_string().starts_with("colour: not an editable field"),
            "{e}"
        );
        let e = PaperEdit::from_assignments(["title"]).unwrap_err();
        assert_eq!(e.to_string(), "title: expected field=value");
    }
}
