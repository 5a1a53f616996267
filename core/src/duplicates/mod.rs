//! Possible duplicates: papers the automatic merge of an import left apart (another first
//! author, another year, a typo, a preprint and its published version), proposed in groups; a
//! user merges a group or says its papers are not duplicates (remembered, never proposed again).
//!
//! A merge keeps everything both records held: the kept paper takes the fields the user chose,
//! fills its empty ones from the others, and gathers their notes, tags, collections, flags and
//! citation keys (the others' keys become aliases, BibLaTeX's `ids`). The others go to the
//! trash without their identifiers, so the kept paper can hold them. One undo step undoes all.

mod candidates;

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use topica_model::{copy_field, field_differs, Paper, EDITABLE_FIELDS};

use crate::db::{duplicates as store, papers, topics as topic_store};
use crate::library::now_rfc3339;
use crate::undo::{write_fields, write_user_fields, Op};
use crate::{Error, Library, Result};

/// The BibLaTeX field that lists a paper's other citation keys (aliases a `\cite` may use).
pub const KEY_ALIASES: &str = "ids";

/// Papers that may be one.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct DuplicateGroup {
    /// Library ids, oldest first.
    pub ids: Vec<i64>,
    /// Why they are proposed ("titles a few letters apart").
    pub reason: String,
    /// The least title similarity within the group (trigram Jaccard, 0–1).
    pub similarity: f32,
}

/// What a merge did.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct MergeReport {
    /// The paper that holds the merged record.
    pub kept: i64,
    /// The papers merged into it (now in the trash).
    pub merged: Vec<i64>,
}

impl Library {
    /// Groups of papers in the library that may be duplicates, newest group first. Linear in
    /// the library (MinHash blocking), so it can run on every visit of the view.
    pub fn duplicates(&self) -> Result<Vec<DuplicateGroup>> {
        let conn = self.reader()?;
        let probes = store::probes(&conn)?;
        let apart = store::not_duplicates(&conn)?;
        drop(conn);
        let pairs = candidates::find(&probes, &apart);
        Ok(group(&pairs))
    }

    /// Merges `others` into `keep` as one undoable step. `choices` names, for a field, the
    /// paper whose value the merged record takes (a field left out keeps `keep`'s value, or
    /// the first other's where `keep` has none).
    pub fn merge_papers(
        &self,
        keep: i64,
        others: &[i64],
        choices: &BTreeMap<String, i64>,
    ) -> Result<MergeReport> {
        let mut seen = std::collections::HashSet::from([keep]);
        let others: Vec<i64> = others.iter().copied().filter(|&o| seen.insert(o)).collect();
        if others.is_empty() {
            return Err(Error::Invalid("a merge needs two different papers".into()));
        }
        for (field, id) in choices {
            if !EDITABLE_FIELDS.contains(&field.as_str()) {
                return Err(Error::Invalid(format!(
                    "“{field}” is not a field a merge can choose"
                )));
            }
            if *id != keep && !others.contains(id) {
                return Err(Error::Invalid(format!(
                    "the value of “{field}” must come from one of the papers merged, not paper {id}"
                )));
            }
        }
        let label = format!("Merge {} papers", others.len() + 1);
        self.change(&label, |c| {
            let live = papers::ids_in_state(c, &others, false)?;
            let get = |id: i64| -> Result<Paper> {
                match papers::get(c, id)? {
                    Some(p) if p.trashed_at.is_none() => Ok(p),
                    _ => Err(Error::NotFound(id.to_string())),
                }
            };
            let kept = get(keep)?;
            if live.len() != others.len() {
                let gone = others
                    .iter()
                    .find(|o| !live.contains(o))
                    .expect("one is gone");
                return Err(Error::NotFound(gone.to_string()));
            }
            let records: Vec<Paper> = others.iter().map(|&o| get(o)).collect::<Result<_>>()?;
            let merged = merged_record(&kept, &records, choices);
            let mut ops = Vec::new();
            // The others give up their identifiers first: DOI, arXiv id and key are unique.
            for r in &records {
                let mut bare = r.clone();
                bare.doi = None;
                bare.arxiv_id = None;
                bare.arxiv_version = None;
                bare.citation_key = None;
                write_fields(c, &bare)?;
                ops.push(Op::Fields {
                    before: Box::new(r.clone()),
                    after: Box::new(bare),
                });
            }
            write_fields(c, &merged)?;
            write_user_fields(c, &merged)?;
            ops.push(Op::Fields {
                before: Box::new(kept.clone()),
                after: Box::new(merged.clone()),
            });
            ops.push(Op::User {
                before: Box::new(kept),
                after: Box::new(merged),
            });
            // The kept paper gets the others' files: a merge loses nothing.
            for &o in &others {
                let files: Vec<i64> = crate::db::files::of_paper(c, o)?
                    .into_iter()
                    .map(|f| f.id)
                    .collect();
                if !files.is_empty() {
                    crate::db::files::set_paper(c, &files, keep)?;
                    ops.push(Op::FileOwner {
                        files,
                        from: o,
                        to: keep,
                    });
                }
            }
            papers::set_trashed(c, &others, Some(&now_rfc3339()))?;
            topic_store::stash_memberships(c, &others)?;
            ops.push(Op::Trash {
                ids: others.clone(),
            });
            Ok((ops, ()))
        })?;
        Ok(MergeReport {
            kept: keep,
            merged: others,
        })
    }

    /// Remembers that these papers are not duplicates of each other (every pair among them),
    /// as one undoable step. Returns how many pairs were newly marked.
    pub fn mark_not_duplicates(&self, ids: &[i64]) -> Result<usize> {
        let live = papers::ids_in_state(&self.conn(), ids, false)?;
        if let Some(id) = ids.iter().find(|id| !live.contains(id)) {
            return Err(Error::NotFound(id.to_string()));
        }
        let mut pairs = Vec::new();
        for (k, &a) in live.iter().enumerate() {
            for &b in &live[k + 1..] {
                pairs.push((a, b));
            }
        }
        let label = format!("Not duplicates ({} papers)", live.len());
        self.change(&label, |c| {
            let changed = store::set_not_duplicates(c, &pairs, true)?;
            let n = changed.len();
            let ops = if changed.is_empty() {
                vec![]
            } else {
                vec![Op::NotDuplicates {
                    pairs: changed,
                    on: true,
                }]
            };
            Ok((ops, n))
        })
    }
}

/// The record a merge leaves: `kept`, with the chosen fields, its empty fields filled from the
/// others, and the others' user fields and keys gathered in.
fn merged_record(kept: &Paper, others: &[Paper], choices: &BTreeMap<String, i64>) -> Paper {
    let mut m = kept.clone();
    let empty = Paper::default();
    let by_id: HashMap<i64, &Paper> = others.iter().map(|o| (o.id, o)).collect();
    for &field in EDITABLE_FIELDS {
        let chosen = choices.get(field).and_then(|id| by_id.get(id).copied());
        let source = chosen.or_else(|| {
            (!field_differs(&m, &empty, field))
                .then(|| others.iter().find(|o| field_differs(o, &empty, field)))
                .flatten()
        });
        let Some(source) = source else { continue };
        // The citation key stays the kept paper's unless chosen; the others' become aliases.
        if field == "citation_key" && chosen.is_none() {
            continue;
        }
        copy_field(&mut m, source, field);
        // A value the user chose, or one another paper's user had typed, is a user's edit:
        // later imports fill around it, never over it.
        if (chosen.is_some() || source.edited.iter().any(|e| e == field))
            && !m.edited.iter().any(|e| e == field)
        {
            m.edited.push(field.to_string());
        }
    }
    for o in others {
        // Fields the merge form does not show: the richer value, as an import would merge.
        if o.categories.len() > m.categories.len() {
            m.categories.clone_from(&o.categories);
        }
        for (field, value) in [
            (&mut m.journal_ref, &o.journal_ref),
            (&mut m.comments, &o.comments),
        ] {
            if field.as_deref().is_none_or(str::is_empty) {
                field.clone_from(value);
            }
        }
        if m.editors.is_empty() {
            m.editors.clone_from(&o.editors);
        }
        for (k, v) in &o.extra {
            m.extra.entry(k.clone()).or_insert_with(|| v.clone());
        }
        let note = o.notes.trim();
        if !note.is_empty() && !m.notes.contains(note) {
            if !m.notes.trim().is_empty() {
                m.notes.push_str("\n\n");
            }
            m.notes.push_str(note);
        }
        for t in &o.tags {
            if !m.tags.contains(t) {
                m.tags.push(t.clone());
            }
        }
        for col in &o.collections {
            if !m.collections.contains(col) {
                m.collections.push(col.clone());
            }
        }
        m.read |= o.read;
        m.starred |= o.starred;
    }
    m.tags.sort();
    m.collections.sort();
    // Every key any of the records had, other than the one kept, is an alias.
    let mut aliases: Vec<String> = m
        .extra
        .get(KEY_ALIASES)
        .map(|s| {
            s.split(',')
                .map(|k| k.trim().to_string())
                .filter(|k| !k.is_empty())
                .collect()
        })
        .unwrap_or_default();
    for key in std::iter::once(kept)
        .chain(others)
        .filter_map(|p| p.citation_key.clone())
    {
        if Some(&key) != m.citation_key.as_ref() && !aliases.contains(&key) {
            aliases.push(key);
        }
    }
    if !aliases.is_empty() {
        m.extra.insert(KEY_ALIASES.to_string(), aliases.join(","));
    }
    m
}

/// Pairs joined into groups (union–find), each with its weakest similarity and its strongest
/// reason; newest group first.
fn group(pairs: &[candidates::Pair]) -> Vec<DuplicateGroup> {
    let mut parent: HashMap<i64, i64> = HashMap::new();
    fn root(parent: &mut HashMap<i64, i64>, mut i: i64) -> i64 {
        loop {
            let p = *parent.entry(i).or_insert(i);
            if p == i {
                return i;
            }
            let grand = *parent.entry(p).or_insert(p);
            parent.insert(i, grand);
            i = grand;
        }
    }
    for p in pairs {
        let (ra, rb) = (root(&mut parent, p.a), root(&mut parent, p.b));
        if ra != rb {
            parent.insert(ra.max(rb), ra.min(rb));
        }
    }
    let mut groups: BTreeMap<i64, (Vec<i64>, f32, candidates::Reason)> = BTreeMap::new();
    for p in pairs {
        let r = root(&mut parent, p.a);
        let g = groups
            .entry(r)
            .or_insert_with(|| (Vec::new(), 1.0, p.reason));
        g.0.extend([p.a, p.b]);
        g.1 = g.1.min(p.similarity);
        g.2 = g.2.max(p.reason);
    }
    let mut out: Vec<DuplicateGroup> = groups
        .into_values()
        .map(|(mut ids, similarity, reason)| {
            ids.sort_unstable();
            ids.dedup();
            DuplicateGroup {
                ids,
                reason: reason.text().to_string(),
                similarity,
            }
        })
        .collect();
    out.sort_by(|a, b| b.ids.last().cmp(&a.ids.last()));
    out
}
