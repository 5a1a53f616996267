//! Adding papers by identifier: arXiv ids and DOIs, in any spelling a researcher pastes
//! (`arXiv:2201.12288v2`, an abs or pdf URL, `doi:10.…`, a doi.org URL), one or many.
//!
//! Everything is fetched before anything is written. Each identifier either comes in whole or
//! is reported with its reason; the ones that came are written in one import transaction (merged
//! with the papers they duplicate, by the import's rules) and are one undo step.

use std::collections::HashSet;

use serde::Serialize;

use crate::db::papers;
use crate::import::{ImportReport, Record};
use crate::online::{arxiv, doi, Http, Services};
use crate::{ArxivId, Library, Result};
use topica_model::{normalize_doi, Paper};

/// What adding by identifier did, identifier by identifier, in the order given.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct AddReport {
    pub added: Vec<AddedPaper>,
    pub failed: Vec<AddFailure>,
}

/// An identifier that is now a paper of the library.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct AddedPaper {
    /// The identifier as given.
    pub input: String,
    pub id: i64,
    pub title: String,
    /// `false` when the paper was already in the library (it was merged, or brought back from
    /// the trash).
    pub new: bool,
}

/// An identifier that added nothing, and why.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct AddFailure {
    pub input: String,
    pub reason: String,
}

/// What adding pasted text did: identifiers fetched, or records of a bibliography read.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PasteReport {
    /// "identifiers", or the format the text was read as ("bibtex", "ris", "csl-json"...).
    pub format: String,
    /// Identifier by identifier (empty for a bibliography).
    pub identifiers: AddReport,
    /// The import of a bibliography's records (none for identifiers).
    #[ts(optional)]
    pub import: Option<ImportReport>,
}

/// One identifier understood.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Wanted {
    Arxiv(String),
    Doi(String),
}

/// Splits pasted text into identifiers: one per line, or separated by spaces or commas.
fn identifiers(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .map(|s| s.trim_matches(|c: char| matches!(c, '<' | '>' | '"' | '\'' | '(' | ')')))
        .filter(|s| !s.is_empty())
        .collect()
}

fn understand(input: &str) -> Option<Wanted> {
    if let Some(d) = normalize_doi(input).filter(|d| d.contains('/')) {
        return Some(Wanted::Doi(d));
    }
    ArxivId::parse(input).map(|a| Wanted::Arxiv(a.id))
}

impl Library {
    /// Adds what a user pasted or dropped as text: arXiv ids and DOIs (one or many), or
    /// BibTeX, RIS or CSL-JSON. A bibliography's readable records all come in and each
    /// unreadable one is reported (`import.skipped`); the whole is one undo step.
    pub fn add_text(&self, text: &str, services: &Services) -> Result<PasteReport> {
        let tokens = identifiers(text);
        if !tokens.is_empty() && tokens.iter().all(|t| understand(t).is_some()) {
            return Ok(PasteReport {
                format: "identifiers".into(),
                identifiers: self.add_identifiers(text, services)?,
                import: None,
            });
        }
        let Ok(format) =
            crate::import::detect(std::path::Path::new("pasted text"), text.as_bytes())
        else {
            // Neither identifiers nor a bibliography: say, token by token, what is not an id.
            return Ok(PasteReport {
                format: "identifiers".into(),
                identifiers: self.add_identifiers(text, services)?,
                import: None,
            });
        };
        let import = self.import_text("pasted text", text, format, false)?;
        Ok(PasteReport {
            format: format.name().to_string(),
            identifiers: AddReport::default(),
            import: Some(import),
        })
    }

    /// Adds the papers `text` names (arXiv ids, DOIs, their URLs), fetching their metadata from
    /// the services in `services`.
    pub fn add_identifiers(&self, text: &str, services: &Services) -> Result<AddReport> {
        let mut report = self.add_in_any_order(text, services)?;
        let order: Vec<&str> = identifiers(text);
        let at = |input: &str| order.iter().position(|i| *i == input);
        report.added.sort_by_key(|a| at(&a.input));
        report.failed.sort_by_key(|f| at(&f.input));
        Ok(report)
    }

    fn add_in_any_order(&self, text: &str, services: &Services) -> Result<AddReport> {
        let mut report = AddReport::default();
        let mut wanted: Vec<(String, Wanted)> = Vec::new();
        let mut seen = HashSet::new();
        for input in identifiers(text) {
            match understand(input) {
                Some(w) if seen.insert(w.clone()) => wanted.push((input.to_string(), w)),
                Some(_) => {}
                None => report.failed.push(AddFailure {
                    input: input.to_string(),
                    reason: "not an arXiv id or a DOI".into(),
                }),
            }
        }
        if wanted.is_empty() {
            return Ok(report);
        }
        let (fetched, failed) = fetch(&wanted, services);
        report.failed.extend(failed);
        if fetched.is_empty() {
            return Ok(report);
        }

        let before: HashSet<i64> = {
            let conn = self.conn();
            let mut known = HashSet::new();
            for (_, p) in &fetched {
                if let Some(id) = papers::find_duplicate(&conn, p)? {
                    known.insert(id);
                }
            }
            known
        };
        let records = fetched
            .iter()
            .map(|(_, paper)| Ok(Record::new(0, paper.clone())))
            .collect::<Vec<_>>();
        self.import_records(
            crate::library::Source::Add,
            records.into_iter(),
            true,
            &mut |_| true,
        )?;
        let conn = self.conn();
        for (input, p) in fetched {
            if let Some(id) = papers::find_duplicate(&conn, &p)? {
                let stored = papers::get(&conn, id)?;
                report.added.push(AddedPaper {
                    input,
                    id,
                    title: stored.map_or_else(|| p.display_title(), |s| s.display_title()),
                    new: !before.contains(&id),
                });
            }
        }
        Ok(report)
    }
}

/// Fetches the metadata of each wanted identifier (arXiv ids in requests of 100, DOIs one by
/// one): the papers found, each with its input, and the inputs that found none, with why.
pub(crate) fn fetch(
    wanted: &[(String, Wanted)],
    services: &Services,
) -> (Vec<(String, Paper)>, Vec<AddFailure>) {
    let http = Http::for_services(services);
    let mut fetched: Vec<(String, Paper)> = Vec::new();
    let mut failed: Vec<AddFailure> = Vec::new();
    // arXiv ids: one request for all of them (the API takes up to 100 a request).
    let arxiv_ids: Vec<&(String, Wanted)> = wanted
        .iter()
        .filter(|(_, w)| matches!(w, Wanted::Arxiv(_)))
        .collect();
    for chunk in arxiv_ids.chunks(100) {
        let ids: Vec<String> = chunk
            .iter()
            .map(|(_, w)| match w {
                Wanted::Arxiv(a) => a.clone(),
                Wanted::Doi(_) => unreachable!("filtered"),
            })
            .collect();
        match arxiv::fetch(&http, &services.arxiv_api, &ids) {
            Ok(papers) => {
                for ((input, _), id) in chunk.iter().zip(&ids) {
                    match papers.iter().find(|p| p.arxiv_id.as_deref() == Some(id)) {
                        Some(p) => fetched.push((input.clone(), p.clone())),
                        None => failed.push(AddFailure {
                            input: input.clone(),
                            reason: format!("arXiv has no paper {id}"),
                        }),
                    }
                }
            }
            Err(reason) => failed.extend(chunk.iter().map(|(input, _)| AddFailure {
                input: input.clone(),
                reason: reason.clone(),
            })),
        }
    }
    for (input, w) in wanted {
        if let Wanted::Doi(d) = w {
            match doi::fetch(&http, services, d) {
                Ok(p) => fetched.push((input.clone(), p)),
                Err(reason) => failed.push(AddFailure {
                    input: input.clone(),
                    reason,
                }),
            }
        }
    }

    (fetched, failed)
}
