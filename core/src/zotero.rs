//! Moving in from Zotero: a `zotero.sqlite` (or the data folder holding it) imported as one
//! import — papers with their tags, collections, child notes and files — in one transaction
//! and one undo step. Reading the database is `db::zotero`'s; what its items mean for a paper
//! is here.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::db::{files as file_store, papers, user, zotero as z};
use crate::files::{write_file, AttachMode, Prepared};
use crate::import::{ImportReport, Record};
use crate::undo::Op;
use crate::{ArxivId, Author, Error, Library, Paper, ProgressFn, Result};
use topica_model::{normalize_doi, RecordError};

/// The Zotero database a path names: `zotero.sqlite` itself, or a data folder holding it.
/// `None` when the path is neither (another format's file).
pub fn zotero_database(path: &Path) -> Option<PathBuf> {
    if path.is_dir() {
        let db = path.join("zotero.sqlite");
        return db.is_file().then_some(db);
    }
    let mut head = [0u8; 16];
    let read = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .is_ok();
    // Any SQLite file given to import is read as Zotero's; one that is not says so by name.
    (read && &head == b"SQLite format 3\0").then(|| path.to_path_buf())
}

/// A paper read from an item, and what comes with it.
struct Incoming {
    record: Record,
    tags: Vec<String>,
    notes: String,
    files: Vec<(Prepared, AttachMode)>,
}

impl Library {
    /// Imports the user library of the Zotero database `db` (see [`zotero_database`]): every
    /// regular item not in Zotero's trash becomes a paper, or merges into the paper it already
    /// is. A new paper gets the item's tags, collections, child notes and attached files
    /// (stored files copied in, linked files linked); a paper already here keeps its own user
    /// fields. Neither Zotero's database nor its files are written.
    pub fn import_zotero(
        &self,
        db: &Path,
        strict: bool,
        progress: ProgressFn<'_>,
    ) -> Result<ImportReport> {
        let dir = db.parent().unwrap_or_else(|| Path::new("."));
        let lib = z::read(db, Some(&dir.join("better-bibtex.sqlite")))?;
        let file = db.display().to_string();
        let said = |line: i64, reason: String| RecordError {
            text: String::new(),
            file: file.clone(),
            line: usize::try_from(line).unwrap_or(0),
            reason,
        };
        let mut skipped: Vec<RecordError> = lib
            .skipped
            .iter()
            .map(|s| {
                said(
                    s.item_id,
                    format!("Zotero item {} ({}): {}", s.key, s.item_type, s.reason),
                )
            })
            .collect();
        let mut warnings = Vec::new();
        if lib.annotations > 0 {
            warnings.push(said(
                0,
                format!(
                    "{} annotation{} on attachments not imported (Topica does not keep annotations)",
                    lib.annotations,
                    if lib.annotations == 1 { "" } else { "s" }
                ),
            ));
        }
        let mut incoming = Vec::with_capacity(lib.items.len());
        for item in &lib.items {
            let (paper, mut notes_warn) = paper_of(item);
            let mut files: Vec<(Prepared, AttachMode)> = Vec::new();
            for a in &item.attachments {
                match attachment_path(dir, a) {
                    Ok(None) => {}
                    Ok(Some(path)) => match self.read_file(&path, None, &[]) {
                        Ok(f) => {
                            let mode = if a.link_mode == 2 {
                                AttachMode::Link
                            } else {
                                AttachMode::Copy
                            };
                            files.push((f, mode));
                        }
                        Err(reason) => warnings.push(said(
                            item.item_id,
                            format!(
                                "Zotero item {}: attachment {} not imported: {reason}",
                                item.key,
                                path.display()
                            ),
                        )),
                    },
                    Err(reason) => warnings.push(said(
                        item.item_id,
                        format!(
                            "Zotero item {}: attachment {} not imported: {reason}",
                            item.key, a.key
                        ),
                    )),
                }
            }
            let mut record = Record::new(usize::try_from(item.item_id).unwrap_or(0), paper);
            record.file.clone_from(&file);
            record
                .warnings
                .extend(notes_warn.drain(..).map(|w| said(item.item_id, w)));
            let notes = item
                .notes
                .iter()
                .map(|n| html_to_text(n))
                .filter(|n| !n.is_empty())
                .collect::<Vec<_>>()
                .join("\n\n");
            incoming.push(Incoming {
                tags: record.paper.tags.clone(),
                notes,
                record,
                files,
            });
        }
        let mut words = self.index.words();
        for i in &incoming {
            words.note(&i.record.paper);
        }
        self.index.stage_words(words);
        let mut copies: Vec<PathBuf> = Vec::new();
        let label_n = incoming.len();
        let result = self.change(&crate::trash::papers_label("Import", label_n), |c| {
            let records = incoming.iter().map(|i| Ok(i.record.clone()));
            let mut placed = Vec::new();
            let (mut report, mut ops) = crate::library::write_records(
                c,
                &self.index,
                records,
                strict,
                true,
                progress,
                &mut placed,
            )?;
            let mut new_papers: HashSet<i64> = HashSet::new();
            if let Some(Op::Restore { ids }) = ops.first() {
                new_papers.extend(ids.iter().copied());
            }
            // A new paper's user fields are the item's: its tags and child notes (collections
            // were written with the paper). A paper already here keeps its own.
            let mut tagged: BTreeMap<String, Vec<i64>> = BTreeMap::new();
            let mut notes: HashMap<i64, Vec<String>> = HashMap::new();
            let mut attached = Vec::new();
            let mut done: Vec<Prepared> = Vec::new();
            for (inc, id) in incoming.into_iter().zip(placed) {
                let Some(id) = id else { continue };
                if new_papers.contains(&id) {
                    for t in &inc.tags {
                        let ids = tagged.entry(t.trim().to_string()).or_default();
                        if !ids.contains(&id) {
                            ids.push(id);
                        }
                    }
                    if !inc.notes.is_empty() {
                        notes.entry(id).or_default().push(inc.notes);
                    }
                }
                let key = papers::get(c, id)?.and_then(|p| p.citation_key);
                for (mut f, mode) in inc.files {
                    // A file this paper has already (a re-import) is not attached twice.
                    if file_store::attached_with_hash(c, id, &f.sha256)?.is_some() {
                        continue;
                    }
                    self.place_file(c, &mut f, key.as_deref(), id, mode, &done)
                        .map_err(|reason| Error::file(&f.source, reason))?;
                    copies.extend(f.copied.clone());
                    attached.push((write_file(c, id, &f)?, id));
                    done.push(f);
                }
            }
            for (id, texts) in &notes {
                user::set_notes(c, *id, &texts.join("\n\n"))?;
            }
            for (tag, ids) in tagged {
                if tag.is_empty() {
                    continue;
                }
                let ids = user::tag_many(c, &ids, &tag, true)?;
                if !ids.is_empty() {
                    ops.push(Op::Tag { tag, ids, on: true });
                }
            }
            if !attached.is_empty() {
                ops.push(Op::Files {
                    files: attached,
                    on: true,
                });
            }
            report.skipped.splice(0..0, skipped.drain(..));
            report.warnings.splice(0..0, warnings.drain(..));
            Ok((ops, report))
        });
        match result {
            Ok(report) => {
                // New papers join their nearest topic; derived data, so a failure here leaves
                // the import standing.
                let _ = self.assign_new_papers();
                Ok(report)
            }
            Err(e) => {
                // Copies made for this import go again (they were made for it).
                for c in copies {
                    let _ = std::fs::remove_file(c);
                }
                Err(e)
            }
        }
    }
}

/// Where an attachment's file is: `Ok(None)` for one without a file (a link to a web page).
fn attachment_path(
    dir: &Path,
    a: &z::ZoteroAttachment,
) -> std::result::Result<Option<PathBuf>, String> {
    let Some(path) = a.path.as_deref().filter(|p| !p.is_empty()) else {
        return Ok(None);
    };
    match a.link_mode {
        0 | 1 => {
            let name = path.strip_prefix("storage:").unwrap_or(path);
            Ok(Some(dir.join("storage").join(&a.key).join(name)))
        }
        2 => {
            if path.starts_with("attachments:") {
                return Err(format!(
                    "{path} is relative to Zotero's linked attachment base directory, a Zotero preference Topica cannot read"
                ));
            }
            Ok(Some(PathBuf::from(path)))
        }
        _ => Ok(None),
    }
}

/// Topica's entry type for a Zotero item type (BibTeX's names, as the other importers use).
fn kind(item_type: &str) -> &'static str {
    match item_type {
        "journalArticle" | "magazineArticle" | "newspaperArticle" => "article",
        "conferencePaper" => "inproceedings",
        "bookSection" | "encyclopediaArticle" | "dictionaryEntry" => "incollection",
        "book" => "book",
        "thesis" => "thesis",
        "report" => "report",
        "manuscript" => "unpublished",
        "webpage" | "blogPost" | "forumPost" => "online",
        "computerProgram" => "software",
        "dataset" => "dataset",
        "patent" => "patent",
        "statute" | "case" | "bill" => "legislation",
        _ => "misc",
    }
}

/// Creator types that are the work's makers (Topica's authors) for the types that name them so.
const AUTHORS: [&str; 12] = [
    "author",
    "programmer",
    "artist",
    "director",
    "inventor",
    "presenter",
    "podcaster",
    "cartographer",
    "interviewee",
    "performer",
    "sponsor",
    "composer",
];

/// The paper an item describes, and what was read otherwise than written.
fn paper_of(item: &z::ZoteroItem) -> (Paper, Vec<String>) {
    let mut p = Paper {
        kind: Some(kind(&item.item_type).to_string()),
        ..Paper::default()
    };
    let mut warnings = Vec::new();
    let mut others: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in &item.creators {
        let name = if c.single_field || c.first_name.trim().is_empty() {
            Author::literal(c.last_name.trim())
        } else {
            Author::new(c.last_name.trim(), c.first_name.trim())
        };
        if name.family.is_empty() && name.given.is_empty() {
            continue;
        }
        if AUTHORS.contains(&c.creator_type.as_str()) {
            p.authors.push(name);
        } else if c.creator_type == "editor" {
            p.editors.push(name);
        } else {
            others
                .entry(c.creator_type.clone())
                .or_default()
                .push(name.display_name());
        }
    }
    for (role, names) in others {
        p.extra.insert(role, names.join(" and "));
    }
    let mut extra_text = None;
    let mut native_key = None;
    for (name, value) in &item.fields {
        let v = value.trim();
        if v.is_empty() {
            continue;
        }
        let set = |slot: &mut Option<String>| {
            if slot.is_none() {
                *slot = Some(v.to_string());
            }
        };
        match name.as_str() {
            "title" => set(&mut p.title),
            "abstractNote" => set(&mut p.abstract_text),
            "publicationTitle" | "proceedingsTitle" | "bookTitle" | "encyclopediaTitle"
            | "dictionaryTitle" | "websiteTitle" | "blogTitle" | "forumTitle" => {
                set(&mut p.container)
            }
            "volume" => set(&mut p.volume),
            "issue" => set(&mut p.issue),
            "pages" => set(&mut p.pages),
            "publisher" | "university" | "institution" | "company" | "label" => {
                set(&mut p.publisher)
            }
            "url" => set(&mut p.url),
            "DOI" => match normalize_doi(v) {
                Some(d) => p.doi = Some(d),
                None => {
                    warnings.push(format!("DOI {v:?} is not a DOI; kept in extra"));
                    p.extra.insert("doi".into(), v.to_string());
                }
            },
            "date" => {
                let (y, m) = zotero_date(v);
                p.year = y;
                p.month = m;
                if y.is_none() {
                    warnings.push(format!("date {v:?} has no year; kept in extra"));
                    p.extra.insert("date".into(), v.to_string());
                }
            }
            "extra" => extra_text = Some(v.to_string()),
            "citationKey" => native_key = Some(v.to_string()),
            "archiveID" => {
                if let Some(a) = ArxivId::parse(v) {
                    p.arxiv_id = Some(a.id);
                    p.arxiv_version = a.version;
                } else {
                    p.extra.insert("archiveID".into(), v.to_string());
                }
            }
            "ISBN" => {
                p.extra.insert("isbn".into(), v.to_string());
            }
            "ISSN" => {
                p.extra.insert("issn".into(), v.to_string());
            }
            "place" => {
                p.extra.insert("address".into(), v.to_string());
            }
            // Zotero's bookkeeping, not the work's.
            "accessDate" => {}
            other => {
                p.extra.insert(other.to_string(), v.to_string());
            }
        }
    }
    // `extra` holds what Zotero has no field for, one `Name: value` per line by convention.
    let mut extra_key = None;
    if let Some(text) = extra_text {
        let mut rest = Vec::new();
        for line in text.lines() {
            let Some((name, value)) = line.split_once(':') else {
                rest.push(line);
                continue;
            };
            let value = value.trim();
            match name.trim().to_ascii_lowercase().as_str() {
                "citation key" | "bibtex" if !value.is_empty() => {
                    extra_key = Some(value.to_string());
                }
                "arxiv" if p.arxiv_id.is_none() => match ArxivId::parse(value) {
                    Some(a) => {
                        p.arxiv_id = Some(a.id);
                        p.arxiv_version = a.version;
                    }
                    None => rest.push(line),
                },
                "doi" if p.doi.is_none() => match normalize_doi(value) {
                    Some(d) => p.doi = Some(d),
                    None => rest.push(line),
                },
                _ => rest.push(line),
            }
        }
        let rest = rest.join("\n");
        if !rest.trim().is_empty() {
            p.extra.insert("note".into(), rest.trim().to_string());
        }
    }
    // An arXiv id in the DOI arXiv registers (10.48550/arXiv.X) or in an arXiv link.
    if p.arxiv_id.is_none() {
        let from_doi = p
            .doi
            .as_deref()
            .and_then(|d| d.strip_prefix("10.48550/arxiv."))
            .and_then(ArxivId::parse);
        let from_url = p
            .url
            .as_deref()
            .filter(|u| u.to_ascii_lowercase().contains("arxiv.org/"))
            .and_then(ArxivId::parse);
        if let Some(a) = from_doi.or(from_url) {
            p.arxiv_id = Some(a.id);
            p.arxiv_version = a.version;
        }
    }
    if p.kind.as_deref() == Some("misc") && p.arxiv_id.is_some() && item.item_type == "preprint" {
        p.extra
            .entry("eprinttype".into())
            .or_insert_with(|| "arxiv".into());
    }
    // What the user's documents cite: Better BibTeX's key, else Zotero 7's field, else the
    // `Citation Key:` line (BBT's pinned keys before it had a table).
    p.citation_key = item.bbt_key.clone().or(native_key).or(extra_key);
    p.tags = item.tags.clone();
    p.collections = item.collections.clone();
    (p, warnings)
}

/// Year and month of a Zotero date: stored as `YYYY-MM-DD original` (`2019-03-00 March 2019`),
/// `00` for an unknown part; a date Zotero could not parse is kept as typed.
fn zotero_date(v: &str) -> (Option<i32>, Option<u8>) {
    let b = v.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let s = v.get(r)?;
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    if b.len() >= 10 && b.get(4) == Some(&b'-') && b.get(7) == Some(&b'-') {
        if let Some(y) = digits(0..4).filter(|&y| y > 0) {
            let m = digits(5..7)
                .filter(|m| (1..=12).contains(m))
                .and_then(|m| u8::try_from(m).ok());
            return (i32::try_from(y).ok(), m);
        }
    }
    // Else the first four-digit number that can be a year.
    let year = v
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 4)
        .and_then(|w| w.parse::<i32>().ok())
        .filter(|y| (1000..=2999).contains(y));
    (year, None)
}

/// A note's HTML as plain text: paragraphs and line breaks kept, list items as `- `, tags
/// dropped, entities decoded.
pub(crate) fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&decode_entities(rest.get(..lt).unwrap_or_default()));
        let after = rest.get(lt..).unwrap_or_default();
        let Some(gt) = after.find('>') else {
            out.push_str(&decode_entities(after));
            rest = "";
            break;
        };
        let tag = after
            .get(1..gt)
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let closing = tag.starts_with('/');
        match name.as_str() {
            "br" => out.push('\n'),
            "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote" | "pre" | "ul"
            | "ol" | "tr"
                if closing || !out.ends_with('\n') =>
            {
                out.push('\n');
            }
            "li" if !closing => {
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                out.push_str("- ");
            }
            _ => {}
        }
        rest = after.get(gt + 1..).unwrap_or_default();
    }
    out.push_str(&decode_entities(rest));
    // At most one blank line between paragraphs; no trailing spaces.
    let mut text = String::new();
    let mut blank = 0;
    for line in out.lines().map(str::trim_end) {
        if line.trim().is_empty() {
            blank += 1;
            continue;
        }
        if !text.is_empty() {
            text.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        text.push_str(line);
    }
    text
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp).unwrap_or_default());
        let after = rest.get(amp..).unwrap_or_default();
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = after.get(1..e)?;
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => ' ',
                n if n.starts_with("#x") || n.starts_with("#X") => {
                    char::from_u32(u32::from_str_radix(n.get(2..)?, 16).ok()?)?
                }
                n if n.starts_with('#') => char::from_u32(n.get(1..)?.parse().ok()?)?,
                _ => return None,
            };
            Some((c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = after.get(e + 1..).unwrap_or_default();
            }
            None => {
                out.push('&');
                rest = after.get(1..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_become_text() {
        assert_eq!(
            html_to_text(
                "<div data-schema-version=\"9\"><h1>Reading</h1><p>Good &amp; <b>short</b>.</p><ul><li>one</li><li>two&#33;</li></ul></div>"
            ),
            "Reading\nGood & short.\n- one\n- two!"
        );
    }

    #[test]
    fn dates_as_zotero_stores_them() {
        assert_eq!(zotero_date("2019-03-00 March 2019"), (Some(2019), Some(3)));
        assert_eq!(zotero_date("2019-00-00 2019"), (Some(2019), None));
        assert_eq!(zotero_date("Spring 2018"), (Some(2018), None));
        assert_eq!(zotero_date("forthcoming"), (None, None));
    }
}
