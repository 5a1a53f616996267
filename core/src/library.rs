//! The facade: one [`Library`] per directory, holding `library.sqlite` and the `index/` folder.
//!
//! Every front end (CLI, desktop shell, tests) goes through this type; none of them touch
//! SQLite or tantivy directly.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use crate::db::Connection;
use serde::Serialize;

use crate::db::keys::{DuplicateKeys, TakenKeys};
use crate::db::{self, meta, papers, user};
use crate::import::{self, Format, ImportOptions, ImportReport, Record, Records};
use crate::library_dir::{self, DATABASE_FILE};
use crate::merge::merge_into;
use crate::search::{SearchHit, SearchIndex, SearchResults};
use crate::undo::Op;
use crate::{ArxivId, Error, Result};
use topica_model::Paper;
use topica_model::RecordError;

/// The sample library shipped inside the app: ML paper abstracts from a dataset-viewer dump.
pub const SAMPLE_LIBRARY: &str = include_str!("../../resources/sample-library.txt");

/// An open library.
pub struct Library {
    dir: PathBuf,
    conn: Mutex<Connection>,
    pub(crate) index: SearchIndex,
    /// Each paper's primary leaf topic, for counts per topic, kept while the database is
    /// unchanged (see `topics::facade`).
    pub(crate) primary_leaves: Mutex<Option<crate::topics::PrimaryLeaves>>,
    /// The leaves' centroids, for related papers, kept the same way.
    pub(crate) leaf_centroids: Mutex<Option<crate::topics::LeafCentroids>>,
    /// SQLite's `data_version` when this handle last looked: it moves only when another
    /// connection (another process) commits.
    seen_data_version: Mutex<Option<i64>>,
    /// How PDFs are read (`files::reader`).
    pub(crate) pdf: Mutex<crate::files::PdfReader>,
    /// How many papers opening re-indexed because the search index was missing, stale or
    /// damaged (after a crash between the two commits, a deleted `.topica/`, a new index
    /// schema); `None` when the index was current or the library empty.
    rebuilt_at_open: Option<usize>,
    /// Semantic mode's model folder and loaded encoder (`semantic`).
    pub(crate) semantic: crate::semantic::SharedSemantic,
    /// A read-only connection of its own for the abstracts search hits show, opened at the first
    /// search, so reading them never waits for a write holding `conn` (an import's transaction).
    /// It sees what is committed, and the index shows a paper only after its commit.
    hit_reader: Mutex<Option<Connection>>,
}

/// Progress of a long job, reported to a callback that may cancel it by returning `false`.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// What is being done ("importing", "indexing"...).
    pub phase: &'static str,
    pub done: u64,
    /// Total units when known.
    pub total: Option<u64>,
}

/// A callback for [`Progress`]; return `false` to cancel.
pub type ProgressFn<'a> = &'a mut dyn FnMut(&Progress) -> bool;

/// Counts that describe a library.
#[derive(Debug, Clone, Serialize, PartialEq, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    pub papers: usize,
    pub with_arxiv_id: usize,
    pub with_doi: usize,
    pub without_title: usize,
    pub first_year: Option<i32>,
    pub last_year: Option<i32>,
    pub tags: Vec<(String, usize)>,
    /// Tags a user gave a colour, as (tag, `#rrggbb`).
    pub tag_colors: Vec<(String, String)>,
    pub collections: Vec<(String, usize)>,
    pub schema_version: usize,
    /// Papers in the trash (counted apart: `papers` leaves them out).
    pub trashed: usize,
}

/// How long an opening waits for another process to finish writing an index that is behind
/// the database (the app rebuilding it after a topic fit), before saying the library is busy.
const WAIT_FOR_WRITER: std::time::Duration = std::time::Duration::from_secs(10);

/// The index, when it is current; `None` when it must be rebuilt. An index behind the database
/// while another live process holds its writer is that process's to bring up to date: deleting
/// it under its feet would fail (or worse), so the opener waits for it, then says who is busy.
fn open_current_index(conn: &db::Connection, index_dir: &Path) -> Result<Option<SearchIndex>> {
    let deadline = std::time::Instant::now() + WAIT_FOR_WRITER;
    loop {
        let generation = meta::generation(conn)?;
        if let Some(ix) = SearchIndex::open_if_current(index_dir, generation) {
            return Ok(Some(ix));
        }
        let Some(holder) = SearchIndex::writer_holder(index_dir) else {
            return Ok(None);
        };
        if std::time::Instant::now() >= deadline {
            return Err(Error::Busy {
                what: "its search index",
                holder: Some(holder),
            });
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

impl Library {
    /// Opens the library in `dir`, creating it if needed (only in a new or empty folder: see
    /// `library_dir`). A missing, stale or corrupt search index is rebuilt from the database.
    pub fn open(dir: impl AsRef<Path>) -> Result<Library> {
        let dir = dir.as_ref().to_path_buf();
        let index_dir = library_dir::prepare(&dir)?;
        let database = dir.join(DATABASE_FILE);
        let conn = db::open(&database)?;
        let (index, fresh) = match open_current_index(&conn, &index_dir)? {
            Some(ix) => (ix, false),
            None => (SearchIndex::create(&index_dir)?, true),
        };
        let mut lib = Library {
            dir,
            conn: Mutex::new(conn),
            index,
            rebuilt_at_open: None,
            primary_leaves: Mutex::new(None),
            leaf_centroids: Mutex::new(None),
            seen_data_version: Mutex::new(None),
            pdf: Mutex::new(crate::files::PdfReader::default()),
            semantic: Default::default(),
            hit_reader: Mutex::new(None),
        };
        lib.load_glued()?;
        if fresh {
            lib.rebuilt_at_open = Some(lib.rebuild_index()?).filter(|&n| n > 0);
        } else {
            lib.load_tags()?;
        }
        Ok(lib)
    }

    /// The number of papers this handle's opening re-indexed, when the search index had to be
    /// rebuilt from the database: the app and the CLI say so, since a rebuild at 1M papers
    /// takes about a minute. `None` when the index was current (or the library empty).
    pub fn index_rebuilt_at_open(&self) -> Option<usize> {
        self.rebuilt_at_open
    }

    /// SQLite's integrity check of the database: empty when sound, else each problem found.
    pub fn integrity_problems(&self) -> Result<Vec<String>> {
        let found = db::integrity_check(&self.conn())?;
        Ok(found.into_iter().filter(|p| p != "ok").collect())
    }

    /// The library's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A connection of its own for a long read, so a scan of every paper (duplicates: seconds
    /// at a million papers) never holds up the connection a keystroke's search waits for.
    pub(crate) fn reader(&self) -> Result<Connection> {
        Ok(db::open_reader(&self.dir.join(DATABASE_FILE))?)
    }

    /// Lets go of the search index's writer when nothing was written for `idle`, so another
    /// process can write to the library (the desktop app calls this when idle). Returns whether
    /// it was released.
    pub fn release_index_writer(&self, idle: std::time::Duration) -> Result<bool> {
        Ok(self.index.release_if_idle(idle)?)
    }

    /// Whether another process changed the library since the last call; if so, searches from
    /// now on see its changes (the index is read again). The desktop app asks this when idle and
    /// refreshes the window.
    pub fn changed_elsewhere(&self) -> Result<bool> {
        let now = db::data_version(&self.conn())?;
        let mut seen = self
            .seen_data_version
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let changed = seen.is_some_and(|s| s != now);
        *seen = Some(now);
        if changed {
            self.index.reload()?;
            self.load_tags()?;
            self.load_glued()?;
        }
        Ok(changed)
    }

    /// Gives the search index every paper's tags, which it searches from memory: tags are user
    /// data, and the database holds them.
    pub(crate) fn load_tags(&self) -> Result<()> {
        let tags = user::tags_by_paper(&self.conn())?;
        self.index.load_tags(tags);
        Ok(())
    }

    /// Gives the search index the glued words of the last topic fit, for the documents it
    /// writes from now on.
    fn load_glued(&self) -> Result<()> {
        self.index.set_glued(db::topics::glued_words(&self.conn())?);
        Ok(())
    }

    /// A paper's abstract as shown: its glued words ("onshorttexts") written as their words,
    /// as the last topic fit found them (held beside the search index). `None` when it has none
    /// (show the abstract as stored, which this never changes).
    pub fn readable_abstract(&self, id: i64) -> Result<Option<String>> {
        let paper =
            papers::get(&self.conn(), id)?.ok_or_else(|| Error::NotFound(id.to_string()))?;
        let Some(a) = paper.abstract_text else {
            return Ok(None);
        };
        let glued = self.index.glued();
        Ok(match topica_model::unglue(&a, &glued) {
            std::borrow::Cow::Owned(shown) => Some(shown),
            std::borrow::Cow::Borrowed(_) => None,
        })
    }

    /// Rebuilds the search index from SQLite; returns the number of papers indexed.
    pub fn rebuild_index(&self) -> Result<usize> {
        let conn = self.conn();
        let generation = meta::generation(&conn)?;
        self.index.clear()?;
        let mut n = 0;
        // Topic labels (the user's renames included) are what `topic:` searches; one query for
        // all papers (one per paper re-prepared its statement every time).
        let mut topics = crate::topics::labels_by_paper(&conn)?;
        papers::for_each(&conn, |mut p| {
            p.topics = topics.remove(&p.id).unwrap_or_default();
            let fulltext = db::files::fulltext(&conn, p.id)?;
            self.index.add(&p, fulltext.as_deref())?;
            n += 1;
            Ok::<(), Error>(())
        })?;
        self.index.commit(generation)?;
        self.index.load_tags(user::tags_by_paper(&conn)?);
        Ok(n)
    }

    /// Imports files in one transaction: every record that can be read (each other one
    /// reported in `skipped`), or with `strict`, nothing when any record cannot be read.
    pub fn import_files(&self, paths: &[PathBuf], opts: &ImportOptions) -> Result<ImportReport> {
        self.import_files_with(paths, opts, &mut |_| true)
    }

    /// [`Library::import_files`] with progress and cancellation.
    pub fn import_files_with(
        &self,
        paths: &[PathBuf],
        opts: &ImportOptions,
        progress: ProgressFn<'_>,
    ) -> Result<ImportReport> {
        // A Zotero library (its `zotero.sqlite`, or the data folder holding it) is a database,
        // not a stream of records: it is imported on its own, with its files and user fields.
        let (zotero, files): (Vec<_>, Vec<_>) = paths
            .iter()
            .map(|p| (p, crate::zotero::zotero_database(p)))
            .partition(|(_, db)| db.is_some());
        if !zotero.is_empty() {
            let mut report = ImportReport::default();
            for db in zotero.into_iter().filter_map(|(_, db)| db) {
                let r = self.import_zotero(&db, opts.strict, progress)?;
                report.added += r.added;
                report.merged += r.merged;
                report.duplicates += r.duplicates;
                report.skipped.extend(r.skipped);
                report.warnings.extend(r.warnings);
            }
            if !files.is_empty() {
                let rest: Vec<PathBuf> = files.into_iter().map(|(p, _)| p.clone()).collect();
                let r = self.import_files_with(&rest, opts, progress)?;
                report.added += r.added;
                report.merged += r.merged;
                report.duplicates += r.duplicates;
                report.skipped.extend(r.skipped);
                report.warnings.extend(r.warnings);
            }
            return Ok(report);
        }
        let mut sources: Vec<Records<'static>> = Vec::new();
        let mut warnings = Vec::new();
        for p in paths {
            let (_, records, read_warnings) = import::read_file(p, opts.format)?;
            sources.push(records);
            warnings.extend(read_warnings);
        }
        let mut report = self.import_records(
            Source::File,
            sources.into_iter().flatten(),
            opts.strict,
            progress,
        )?;
        // What reading the files noted (lines not UTF-8) comes before what the records noted.
        warnings.append(&mut report.warnings);
        report.warnings = warnings;
        Ok(report)
    }

    /// Imports in-memory text (pasted ids, the embedded sample).
    pub fn import_text(
        &self,
        name: &str,
        text: &str,
        format: Format,
        strict: bool,
    ) -> Result<ImportReport> {
        self.import_records(
            Source::File,
            import::read_str(name, text, format),
            strict,
            &mut |_| true,
        )
    }

    /// Imports the embedded sample library.
    pub fn import_sample(&self) -> Result<ImportReport> {
        self.import_text("sample-library.txt", SAMPLE_LIBRARY, Format::Seed, true)
    }

    /// Writes records as one import: one transaction, and one undo step named for `source` and the
    /// number of papers ("Import 3 papers").
    pub(crate) fn import_records(
        &self,
        source: Source,
        records: impl Iterator<Item = std::result::Result<Record, RecordError>> + Send,
        strict: bool,
        progress: ProgressFn<'_>,
    ) -> Result<ImportReport> {
        let mut conn = self.conn();
        let report = self.import_records_in(&mut conn, source, records, strict, progress);
        drop(conn);
        let report = report?;
        // New papers join their nearest topic at once. Topics are derived data: if this
        // fails the import still stands and the next `topics()` call places them.
        let _ = self.assign_new_papers();
        Ok(report)
    }

    fn import_records_in(
        &self,
        conn: &mut Connection,
        source: Source,
        records: impl Iterator<Item = std::result::Result<Record, RecordError>> + Send,
        strict: bool,
        progress: ProgressFn<'_>,
    ) -> Result<ImportReport> {
        let tx = conn.transaction()?;
        // Parsing runs on its own thread, a few batches ahead of the writer, so reading the
        // files overlaps with writing SQLite and the index. When the writer stops early (an
        // error, a cancel) it drops the receiver and the parser stops at its next send. The
        // parser also collects the records' words for the typo-tolerance lexicon, since the
        // writer is the busier thread.
        let words = self.index.words();
        let result = std::thread::scope(|scope| {
            let (send, receive) = std::sync::mpsc::sync_channel(PARSED_BATCHES_AHEAD);
            let parser = scope.spawn(move || {
                let mut words = words;
                // Records that name files (a JabRef, Mendeley or Better BibTeX `file` field),
                // by their place in the import.
                let mut named: Vec<NamedFiles> = Vec::new();
                let mut batch = Vec::with_capacity(PARSED_BATCH);
                for (n, r) in records.enumerate() {
                    if let Ok(rec) = &r {
                        words.note(&rec.paper);
                        if source == Source::File {
                            named.extend(NamedFiles::of(n, rec));
                        }
                    }
                    batch.push(r);
                    if batch.len() == PARSED_BATCH {
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(PARSED_BATCH));
                        if send.send(full).is_err() {
                            return (words, named);
                        }
                    }
                }
                let _ = send.send(batch);
                (words, named)
            });
            let mut placed = Vec::new();
            let written = write_records(
                &tx,
                &self.index,
                receive.into_iter().flatten(),
                strict,
                source == Source::File,
                progress,
                &mut placed,
            );
            let (words, named) = parser
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            let report = written.and_then(|(mut report, mut ops)| {
                self.link_named_files(&tx, &named, &placed, &mut report, &mut ops)?;
                // The import is one undo step: undoing it sends the papers it added to the
                // trash, puts back the fields it merged into stored papers, and takes off
                // the files it linked.
                if !ops.is_empty() {
                    let n = report.added + report.merged;
                    let label = crate::trash::papers_label(source.verb(), n);
                    let json = serde_json::to_string(&ops).expect("ops serialize");
                    db::undo::push(&tx, &label, &json, &now_rfc3339())?;
                }
                Ok(report)
            });
            report.map(|r| (r, words))
        });
        let result =
            result.and_then(|(report, words)| Ok((report, words, meta::bump_generation(&tx)?)));
        match result {
            Ok((report, words, generation)) => {
                self.index.stage_words(words);
                // If the index's commit fails after SQLite's, the index is stale and the next
                // open rebuilds it.
                self.index
                    .commit_after(generation, || tx.commit().map_err(Error::from))?;
                Ok(report)
            }
            Err(e) => {
                drop(tx); // rolls back
                self.index.rollback()?;
                Err(e)
            }
        }
    }

    /// Links the files imported records name (their `file` field, relative to the file they
    /// came from) to the papers they became, in the import's transaction: linked where they
    /// are, never copied or moved (they are the user's, and the other program's). A file that
    /// is not there, or that its paper has already, is a warning; the paper comes in either way.
    fn link_named_files(
        &self,
        tx: &Connection,
        named: &[NamedFiles],
        placed: &[Option<i64>],
        report: &mut ImportReport,
        ops: &mut Vec<Op>,
    ) -> Result<()> {
        let mut linked = Vec::new();
        let mut done: Vec<crate::files::Prepared> = Vec::new();
        for n in named {
            let Some(Some(id)) = placed.get(n.record) else {
                continue;
            };
            let warn = |reason: String| RecordError {
                file: n.file.clone(),
                line: n.line,
                reason,
                text: String::new(),
            };
            for path in &n.paths {
                // `paper: None`: the import holds the connection; the hash is checked here.
                let mut f = match self.read_file(path, None, &done) {
                    Ok(f) => f,
                    Err(reason) => {
                        report.warnings.push(warn(format!(
                            "file {}: not attached: {reason}",
                            path.display()
                        )));
                        continue;
                    }
                };
                if db::files::attached_with_hash(tx, *id, &f.sha256)?.is_some() {
                    continue;
                }
                let key = papers::get(tx, *id)?.and_then(|p| p.citation_key);
                if let Err(reason) = self.place_file(
                    tx,
                    &mut f,
                    key.as_deref(),
                    *id,
                    crate::files::AttachMode::Link,
                    &done,
                ) {
                    report.warnings.push(warn(format!(
                        "file {}: not attached: {reason}",
                        path.display()
                    )));
                    continue;
                }
                linked.push((crate::files::write_file(tx, *id, &f)?, *id));
                done.push(f);
            }
        }
        if linked.is_empty() {
            return Ok(());
        }
        // The papers' documents again, with their files' text.
        let ids: Vec<i64> = linked.iter().map(|(_, id)| *id).collect();
        for p in papers::get_many(tx, &ids)?.map_err(|id| Error::NotFound(id.to_string()))? {
            self.index
                .upsert(&p, db::files::fulltext(tx, p.id)?.as_deref())?;
        }
        ops.push(Op::Files {
            files: linked,
            on: true,
        });
        Ok(())
    }

    /// One paper by library id.
    pub fn paper(&self, id: i64) -> Result<Paper> {
        papers::get(&self.conn(), id)?.ok_or_else(|| Error::NotFound(id.to_string()))
    }

    /// One paper by library id, arXiv id (any spelling) or citation key.
    pub fn find(&self, reference: &str) -> Result<Paper> {
        let conn = self.conn();
        let r = reference.trim();
        let id = if let Some(a) = ArxivId::parse(r) {
            papers::id_by_arxiv(&conn, &a.id)?
        } else if let Ok(n) = r.parse::<i64>() {
            Some(n)
        } else {
            papers::id_by_citation_key(&conn, r)?
        };
        id.and_then(|id| papers::get(&conn, id).transpose())
            .transpose()?
            .ok_or_else(|| Error::NotFound(reference.to_string()))
    }

    /// Papers in the order they were added; `limit` 0 = all.
    pub fn papers(&self, limit: usize, offset: usize) -> Result<Vec<Paper>> {
        Ok(papers::list(&self.conn(), limit, offset)?)
    }

    /// Number of papers.
    pub fn len(&self) -> Result<usize> {
        Ok(papers::count(&self.conn())?)
    }

    /// Whether the library holds no paper.
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.len()? == 0)
    }

    /// Counts for `topica-cli stats` and the sidebar.
    pub fn stats(&self) -> Result<Stats> {
        let conn = self.conn();
        let c = papers::counts(&conn)?;
        Ok(Stats {
            papers: c.papers,
            with_arxiv_id: c.with_arxiv_id,
            with_doi: c.with_doi,
            without_title: c.without_title,
            first_year: c.first_year,
            last_year: c.last_year,
            tags: user::tag_counts(&conn)?,
            tag_colors: user::tag_colors(&conn)?,
            collections: user::collection_counts(&conn)?,
            schema_version: db::SCHEMA_VERSION,
            trashed: c.trashed,
        })
    }

    /// Searches the library; see [`crate::search::parse_query`] for the syntax.
    pub fn search(&self, query: &str, limit: usize) -> Result<SearchResults> {
        let mut results = self
            .index
            .search(query, limit, limit, |ids| self.abstracts_of(ids))?;
        self.snippets_from_pages(query, &mut results.hits)?;
        Ok(results)
    }

    /// Like [`Library::search`], but only the first `detailed` hits come in full (title,
    /// snippet…); the others, to `limit`, come as ids in `more_ids`. A results list asks for its
    /// first screens in full: reading every stored abstract and making every snippet cost
    /// ≈ 0.25 ms a hit, which for 500 hits was most of a keystroke's time to painted results.
    pub fn search_ranked(
        &self,
        query: &str,
        limit: usize,
        detailed: usize,
    ) -> Result<SearchResults> {
        let mut results = self
            .index
            .search(query, limit, detailed, |ids| self.abstracts_of(ids))?;
        self.snippets_from_pages(query, &mut results.hits)?;
        Ok(results)
    }

    /// The hits of `query` among `ids`, in full with their snippets, best first: for the rows
    /// of a [`Library::search_ranked`] list that came as ids only, once they are shown. Ids that
    /// do not match are left out.
    pub fn search_hits(&self, query: &str, ids: &[i64]) -> Result<Vec<SearchHit>> {
        let mut hits = self
            .index
            .hits_among(query, ids, |ids| self.abstracts_of(ids))?;
        self.snippets_from_pages(query, &mut hits)?;
        Ok(hits)
    }

    /// The abstracts of papers `ids` (those that have one), read on `hit_reader`.
    fn abstracts_of(&self, ids: &[i64]) -> Result<HashMap<i64, String>> {
        let mut reader = self.hit_reader.lock().unwrap_or_else(|p| p.into_inner());
        if reader.is_none() {
            *reader = Some(self.reader()?);
        }
        let conn = reader.as_ref().expect("opened just above");
        Ok(papers::abstracts_of(conn, ids)?)
    }

    /// Gives hits that matched in their files' text a snippet of the page that matched, with
    /// its file and page number: every hit of a `fulltext:` query, and hits whose abstract
    /// holds none of the query's words. The index does not store full text; the database
    /// holds it page by page.
    fn snippets_from_pages(&self, query: &str, hits: &mut [SearchHit]) -> Result<()> {
        let fulltext_query = SearchIndex::targets_fulltext(query);
        let wanted: Vec<i64> = hits
            .iter()
            .filter(|h| fulltext_query || !h.snippet.contains("<b>"))
            .map(|h| h.id)
            .collect();
        if wanted.is_empty() {
            return Ok(());
        }
        let conn = self.conn();
        let with_text: HashSet<i64> = db::files::with_text(&conn, &wanted)?.into_iter().collect();
        for hit in hits.iter_mut().filter(|h| with_text.contains(&h.id)) {
            let pages = db::files::pages(&conn, hit.id)?;
            let texts: Vec<&str> = pages.iter().map(|p| p.text.as_str()).collect();
            if let Some((i, snippet)) = self.index.page_snippet(query, &texts)? {
                let page = &pages[i];
                hit.snippet = snippet;
                hit.file_id = Some(page.file_id);
                hit.page = Some(page.page);
            }
        }
        Ok(())
    }

    /// Applies a change to one paper's user fields as one undoable step named `label`.
    fn edit_user_fields<E>(
        &self,
        id: i64,
        label: &str,
        f: impl FnOnce(&Connection) -> std::result::Result<(), E>,
    ) -> Result<Paper>
    where
        Error: From<E>,
    {
        self.change(label, |c| {
            let before = papers::get(c, id)?.ok_or_else(|| Error::NotFound(id.to_string()))?;
            f(c)?;
            let after = papers::get(c, id)?.ok_or_else(|| Error::NotFound(id.to_string()))?;
            let ops = if after == before {
                vec![]
            } else {
                vec![Op::User {
                    before: Box::new(before),
                    after: Box::new(after),
                }]
            };
            Ok((ops, ()))
        })?;
        self.paper(id)
    }

    /// Replaces a paper's notes.
    pub fn set_notes(&self, id: i64, notes: &str) -> Result<Paper> {
        self.edit_user_fields(id, "Edit notes", |c| user::set_notes(c, id, notes))
    }

    /// Replaces a paper's tags.
    pub fn set_tags(&self, id: i64, tags: &[String]) -> Result<Paper> {
        self.edit_user_fields(id, "Edit tags", |c| user::set_tags(c, id, tags))
    }

    /// Replaces the collections a paper belongs to.
    pub fn set_collections(&self, id: i64, names: &[String]) -> Result<Paper> {
        self.edit_user_fields(id, "Edit collections", |c| {
            user::set_collections(c, id, names)
        })
    }

    /// Sets read and/or starred.
    pub fn set_flags(&self, id: i64, read: Option<bool>, starred: Option<bool>) -> Result<Paper> {
        let label = match (read, starred) {
            (Some(true), None) => "Mark as read",
            (Some(false), None) => "Mark as unread",
            (None, Some(true)) => "Star",
            (None, Some(false)) => "Unstar",
            _ => "Change flags",
        };
        self.edit_user_fields(id, label, |c| user::set_flags(c, id, read, starred))
    }
}

/// Records parsed ahead of the writer are handed over in batches of this many...
const PARSED_BATCH: usize = 256;
/// ...and at most this many batches wait, so memory stays bounded however large the file.
const PARSED_BATCHES_AHEAD: usize = 8;

/// After this many records an import stops asking SQL for duplicates and taken citation keys
/// and hashes the whole table once instead: a few records into a large library stay cheap, a
/// bulk import costs hash lookups per record.
const SQL_LOOKUPS_UP_TO: usize = 1000;

/// How an import finds the stored duplicate of a record and whether a citation key is taken.
enum Lookups {
    Sql,
    Hashed(DuplicateKeys, TakenKeys),
}

impl Lookups {
    fn duplicate_of(&self, conn: &Connection, p: &Paper) -> Result<Option<Paper>> {
        match self {
            Lookups::Sql => match papers::find_duplicate(conn, p)? {
                Some(id) => Ok(papers::get(conn, id)?),
                None => Ok(None),
            },
            Lookups::Hashed(dups, _) => Ok(dups.find(conn, p)?),
        }
    }

    fn key_taken(&self, conn: &Connection, key: &str) -> Result<bool> {
        match self {
            Lookups::Sql => crate::citekey::key_taken(conn, key, 0),
            Lookups::Hashed(_, keys) => Ok(keys.is_taken(conn, key)?),
        }
    }

    /// Notes what `p` (just written) now holds.
    fn stored(&mut self, p: &Paper) {
        if let Lookups::Hashed(dups, keys) = self {
            dups.remember(p);
            if let Some(k) = &p.citation_key {
                keys.insert(k);
            }
        }
    }
}

/// Whether a stored paper that a record matched (by arXiv id, DOI, or title, first author and
/// year) is the same work: not when both have DOIs and they differ, nor when a DOI match has a
/// title that shares less than half its words with the stored one. The same arXiv id is the
/// same work whatever its title (titles change between versions).
fn same_work(stored: &Paper, incoming: &Paper) -> bool {
    if stored.arxiv_id.is_some() && stored.arxiv_id == incoming.arxiv_id {
        return true;
    }
    if let (Some(a), Some(b)) = (&stored.doi, &incoming.doi) {
        if a != b {
            return false;
        }
    }
    match (&stored.title, &incoming.title) {
        (Some(a), Some(b)) => title_words_overlap(a, b) >= 0.5,
        _ => true,
    }
}

/// The share of the words of the shorter title that the other title has too.
fn title_words_overlap(a: &str, b: &str) -> f64 {
    let words = |s: &str| -> HashSet<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let (a, b) = (words(a), words(b));
    let shorter = a.len().min(b.len());
    if shorter == 0 {
        return 1.0;
    }
    a.intersection(&b).count() as f64 / shorter as f64
}

/// Where an import's records come from: names its undo step, and says how far a record's
/// identifiers are trusted. Records fetched for an identifier (Add, Enrich) are that
/// identifier's work whatever their title; records from files and pasted text may carry a DOI
/// pasted by mistake, so a DOI match with a different title is not merged (see `same_work`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    File,
    Add,
    Enrich,
}

impl Source {
    fn verb(self) -> &'static str {
        match self {
            Source::File => "Import",
            Source::Add => "Add",
            Source::Enrich => "Enrich",
        }
    }
}

/// The body of an import transaction. Parses everything even after the first bad record, so
/// the error lists every problem. `placed` gets, record by record, the paper each one became
/// (`None` for one refused).
pub(crate) fn write_records(
    conn: &Connection,
    index: &SearchIndex,
    records: impl Iterator<Item = std::result::Result<Record, RecordError>>,
    strict: bool,
    check_titles: bool,
    progress: ProgressFn<'_>,
    placed: &mut Vec<Option<i64>>,
) -> Result<(ImportReport, Vec<Op>)> {
    let mut report = ImportReport::default();
    let mut ops: Vec<Op> = Vec::new();
    let mut back: Vec<i64> = Vec::new();
    let mut errors: Vec<RecordError> = Vec::new();
    let mut added: HashSet<i64> = HashSet::new();
    let mut merged: HashSet<i64> = HashSet::new();
    let now = now_rfc3339();
    let pattern = crate::citekey::stored_pattern(conn)?;
    let mut lookups = Lookups::Sql;
    for (n, rec) in records.enumerate() {
        if n % 1000 == 0
            && !progress(&Progress {
                phase: "importing",
                done: n as u64,
                total: None,
            })
        {
            return Err(Error::Cancelled);
        }
        if n == SQL_LOOKUPS_UP_TO {
            lookups = Lookups::Hashed(DuplicateKeys::load(conn)?, TakenKeys::load(conn)?);
        }
        let mut rec = match rec {
            Ok(r) => r,
            Err(e) => {
                errors.push(e);
                placed.push(None);
                continue;
            }
        };
        report.warnings.append(&mut rec.warnings);
        if !errors.is_empty() && strict {
            placed.push(None);
            continue; // the import will fail; keep parsing only to report every problem
        }
        let mut incoming = rec.paper;
        if incoming.year.is_none() {
            if let Some((y, m)) = incoming
                .arxiv_id
                .as_deref()
                .and_then(ArxivId::parse)
                .and_then(|a| a.year_month())
            {
                incoming.year = Some(y);
                incoming.month = Some(m);
            }
        }
        let mut found = lookups.duplicate_of(conn, &incoming)?;
        if let Some(stored) = found
            .as_ref()
            .filter(|s| check_titles && !same_work(s, &incoming))
        {
            // One DOI on two works (a book and its chapter, a DOI pasted into the wrong
            // entry): merging would lose one title. The entry comes in as its own paper and
            // keeps the DOI as written, beside it; the stored paper keeps it as its DOI.
            if incoming.doi.is_some() && incoming.doi == stored.doi {
                let doi = incoming.doi.take().unwrap_or_default();
                report.warnings.push(RecordError { text: String::new(),
                    file: rec.file.clone(),
                    line: rec.line,
                    reason: format!(
                        "DOI {doi} is already the DOI of {:?}, a different work; this entry comes in as its own paper, with the DOI kept in its `doi` field as written",
                        stored.title.as_deref().unwrap_or("a paper without a title")
                    ),
                });
                incoming.extra.insert("doi".into(), doi);
                // Without the DOI, the entry may still be a paper already here (by title,
                // first author and year).
                found = lookups.duplicate_of(conn, &incoming)?;
            } else {
                found = None;
            }
        }
        match found {
            Some(mut stored) => {
                let id = stored.id;
                let before = stored.clone();
                // Adding a paper that is in the trash brings it back.
                let restored = stored.trashed_at.take().is_some();
                if restored {
                    papers::set_trashed(conn, &[id], None)?;
                    crate::db::topics::unstash_memberships(conn, &[id])?;
                    back.push(id);
                }
                let changed = merge_into(&mut stored, &incoming);
                // An identifier the merge brings that another paper holds (a record matched by
                // its arXiv id naming a DOI that is another paper's) stays in `extra`, as
                // written: it must not make the whole import fail on the unique column.
                for (column, name) in [
                    (papers::IdColumn::Doi, "doi"),
                    (papers::IdColumn::Arxiv, "arxiv_id"),
                ] {
                    let (now, was) = match column {
                        papers::IdColumn::Doi => (&mut stored.doi, &before.doi),
                        papers::IdColumn::Arxiv => (&mut stored.arxiv_id, &before.arxiv_id),
                    };
                    let Some(value) = now.clone().filter(|v| Some(v) != was.as_ref()) else {
                        continue;
                    };
                    if let Some(other) = papers::id_holding(conn, column, &value, id)? {
                        *now = was.clone();
                        report.warnings.push(RecordError {
                            text: String::new(),
                            file: rec.file.clone(),
                            line: rec.line,
                            reason: format!(
                                "{name} {value} is already paper {other}'s; kept in this paper's `{name}` field as written"
                            ),
                        });
                        stored.extra.insert(name.into(), value);
                    }
                }
                if changed || restored {
                    papers::update_bibliographic(conn, &stored)?;
                    // The re-indexed document keeps the paper's topic labels (`topic:` searches them).
                    stored.topics = crate::topics::labels_of_paper(conn, id)?;
                    // Its words: the stored ones are in the lexicon, the parser noted the new ones.
                    index.upsert_noted(&stored, db::files::fulltext(conn, id)?.as_deref())?;
                    lookups.stored(&stored);
                    let mut fields_before = before;
                    fields_before.trashed_at = None;
                    if fields_before != stored {
                        ops.push(Op::Fields {
                            before: Box::new(fields_before),
                            after: Box::new(stored),
                        });
                    }
                }
                if added.contains(&id) {
                    report.duplicates += 1;
                } else {
                    merged.insert(id);
                }
                placed.push(Some(id));
            }
            None => {
                incoming.id = 0;
                incoming.date_added = now.clone();
                crate::citekey::assign_for_insert(&mut incoming, &pattern, |k| {
                    lookups.key_taken(conn, k)
                })?;
                let id = papers::insert(conn, &incoming)?;
                incoming.id = id;
                // New papers start with no user fields, whatever the file said, but for the
                // collections a library moving in brings (JabRef's groups): the user made them.
                incoming.tags.clear();
                incoming.notes.clear();
                if !incoming.collections.is_empty() {
                    user::set_collections(conn, id, &incoming.collections)?;
                }
                lookups.stored(&incoming);
                index.add_noted(&incoming, None)?; // the parser noted its words
                added.insert(id);
                back.push(id);
                placed.push(Some(id));
            }
        }
    }
    if !errors.is_empty() && strict {
        return Err(Error::ImportFailed(errors));
    }
    report.added = added.len();
    report.merged = merged.len();
    report.skipped = errors;
    if !back.is_empty() {
        ops.insert(0, Op::Restore { ids: back });
    }
    Ok((report, ops))
}

/// The files an imported record names in its `file` field, resolved against the folder of the
/// file it came from.
struct NamedFiles {
    /// The record's place among the import's records (as `write_records` places them).
    record: usize,
    file: String,
    line: usize,
    paths: Vec<PathBuf>,
}

impl NamedFiles {
    fn of(record: usize, rec: &Record) -> Option<NamedFiles> {
        let field = rec.paper.extra.get("file")?;
        let base = Path::new(&rec.file).parent().unwrap_or(Path::new(""));
        let paths: Vec<PathBuf> = topica_formats::import::file_field_paths(field)
            .into_iter()
            .map(|p| base.join(p))
            .collect();
        (!paths.is_empty()).then(|| NamedFiles {
            record,
            file: rec.file.clone(),
            line: rec.line,
            paths,
        })
    }
}

/// The current UTC time as RFC 3339, without a date-time dependency.
pub(crate) fn now_rfc3339() -> String {
    rfc3339(unix_now())
}

/// Seconds since the Unix epoch, now.
pub(crate) fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()) as i64
}

/// `secs` since the Unix epoch as RFC 3339 UTC (`2026-12-05T14:03:00Z`).
pub(crate) fn rfc3339(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}
