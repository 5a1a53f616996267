//! `topica-search`: the tantivy index beside a library's database — schema, analyzers, the query
//! language, indexing and search with snippets. It knows papers (`topica-model`), not SQLite:
//! `topica-core` feeds it and decides when it is rebuilt.
//!
//! **Invariant:** the index is derived data. Its commit payload records the database
//! generation it reflects; on open, a missing, stale or unreadable index is rebuilt from SQLite.

mod checked;
mod error;
mod holder;
mod in_part;
#[cfg(test)]
mod in_part_property;
mod lexicon;
mod phrase_words;
mod positions;
mod prose;
mod query;
mod schema;
mod seeking_sum;
mod tags;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, MoreLikeThisQuery, Occur, TermSetQuery};
use tantivy::schema::{OwnedValue, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

pub use lexicon::Words;
pub use query::parse as parse_query;
pub(crate) use schema::Fields;

pub use error::{Error, Result};
use topica_model::{unglue, GluedWords, Paper};

/// One search hit.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    /// Library id of the paper.
    pub id: i64,
    pub arxiv_id: Option<String>,
    pub title: String,
    pub year: Option<i32>,
    pub score: f32,
    /// A fragment of the abstract with matches in `<b>…</b>` (HTML-escaped otherwise), or of the
    /// page of an attached file that matched when the title and abstract did not.
    pub snippet: String,
    /// The attached file and its page (1-based) the snippet comes from, when it is full text.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_id: Option<i64>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<i64>,
}

/// Search results: the best hits and how many papers matched in all.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<SearchHit>,
    /// Library ids of the hits ranked after `hits`, best first, when only the first hits were
    /// asked for in full (see `topica_core::Library::search_ranked`); empty otherwise.
    pub more_ids: Vec<i64>,
    /// True when some word matched no paper as typed and its typo-tolerant neighbours were used.
    pub fuzzy: bool,
}

/// The open index.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// Created at the first write and kept for the next ones, until released when idle.
    writer: Mutex<Option<IndexWriter>>,
    /// When the writer was last used (for `release_if_idle`).
    last_write: Mutex<std::time::Instant>,
    /// Words of the papers staged since the last commit (lock after `writer`).
    lexicon: Mutex<lexicon::Pending>,
    /// Who holds the writer, for the message another process gets (see `holder`).
    holder_file: std::path::PathBuf,
    /// Papers by tag, searched beside the documents (see `tags`); lock after `writer`.
    tags: Mutex<tags::TagPostings>,
    /// The library's glued words, whose words each document gets beside its text.
    glued: Mutex<Arc<GluedWords>>,
}

impl Drop for SearchIndex {
    /// A writer given up on exit takes its holder note with it.
    fn drop(&mut self) {
        if self.writer.get_mut().is_ok_and(|w| w.is_some()) {
            holder::clear(&self.holder_file);
        }
    }
}

/// Memory budget of the index writer.
const WRITER_BUDGET: usize = 256 * 1024 * 1024;

impl SearchIndex {
    /// Opens the index at `dir`; `None` when it must be rebuilt (missing, stale or corrupt).
    pub fn open_if_current(dir: &Path, generation: u64) -> Option<SearchIndex> {
        // The index is derived data: any failure here, even a panic inside tantivy on a
        // damaged file, only means "rebuild it from SQLite".
        std::panic::catch_unwind(|| SearchIndex::try_open_current(dir, generation))
            .ok()
            .flatten()
    }

    fn try_open_current(dir: &Path, generation: u64) -> Option<SearchIndex> {
        let index = Index::open_in_dir(dir).ok()?;
        let metas = index.load_metas().ok()?;
        if metas.payload.as_deref() != Some(generation.to_string().as_str()) {
            return None;
        }
        if !checked::segments_sound(&index, dir) {
            return None;
        }
        // Opening the reader opens every segment, which catches missing files.
        let s = SearchIndex::from_index(index, dir).ok()?;
        let searcher = s.reader.searcher();
        for seg in searcher.segment_readers() {
            seg.get_store_reader(0).ok()?;
        }
        Some(s)
    }

    /// The live process holding the writer of the index at `dir` ("PID 1234, topica"), if any.
    pub fn writer_holder(dir: &Path) -> Option<String> {
        holder::read(&dir.join(holder::FILE))
    }

    /// Creates an empty index at `dir`, replacing whatever was there.
    pub fn create(dir: &Path) -> Result<SearchIndex> {
        if dir.exists() {
            std::fs::remove_dir_all(dir)?;
        }
        std::fs::create_dir_all(dir)?;
        let index = Index::create_in_dir(dir, schema::build())?;
        SearchIndex::from_index(index, dir)
    }

    fn from_index(index: Index, dir: &Path) -> Result<SearchIndex> {
        schema::register_tokenizers(&index);
        let fields = Fields::from_schema(&index.schema())?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let analyzer = index
            .tokenizers()
            .get(schema::NAMES)
            .expect("registered just above");
        let tag_analyzer = analyzer.clone();
        Ok(SearchIndex {
            index,
            reader,
            fields,
            writer: Mutex::new(None),
            last_write: Mutex::new(std::time::Instant::now()),
            lexicon: Mutex::new(lexicon::Pending::new(analyzer)),
            holder_file: dir.join(holder::FILE),
            tags: Mutex::new(tags::TagPostings::new(tag_analyzer)),
            glued: Mutex::new(Arc::default()),
        })
    }

    fn pending(&self) -> std::sync::MutexGuard<'_, lexicon::Pending> {
        self.lexicon.lock().expect("lexicon lock")
    }

    /// Runs `f` with the (lazily created) writer.
    fn with_writer<T, E: From<Error>>(
        &self,
        f: impl FnOnce(&mut IndexWriter, &Fields) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut guard = self.writer.lock().expect("index writer lock");
        *self.last_write.lock().expect("last write lock") = std::time::Instant::now();
        if guard.is_none() {
            let writer = self.index.writer(WRITER_BUDGET).map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => {
                    Error::Busy(holder::read(&self.holder_file))
                }
                e => Error::from(e),
            })?;
            holder::write(&self.holder_file);
            *guard = Some(writer);
        }
        f(guard.as_mut().expect("writer just created"), &self.fields)
    }

    /// Stages `paper` with the full text of its files (replacing an older document of the same
    /// id). Visible after [`commit`].
    pub fn upsert(&self, paper: &Paper, fulltext: Option<&str>) -> Result<()> {
        self.upsert_noted(paper, fulltext)?;
        self.pending().note(paper);
        Ok(())
    }

    /// [`SearchIndex::upsert`] for a paper whose words are already in a [`Words`] collection
    /// given to [`SearchIndex::stage_words`].
    pub fn upsert_noted(&self, paper: &Paper, fulltext: Option<&str>) -> Result<()> {
        let glued = self.glued();
        self.with_writer(|w, f| {
            w.delete_term(Term::from_field_u64(f.paper_id, paper.id as u64));
            w.add_document(f.document(paper, fulltext, &glued))?;
            Ok(())
        })
    }

    /// Stages the removal of paper `id`'s document (a paper gone to the trash). Visible after
    /// [`commit`].
    pub fn remove(&self, id: i64) -> Result<()> {
        self.with_writer(|w, f| {
            w.delete_term(Term::from_field_u64(f.paper_id, id as u64));
            Ok(())
        })
    }

    /// Stages a paper known not to be in the index yet (a new paper, or a rebuild after
    /// [`SearchIndex::clear`]): no delete to apply at commit, which is what makes bulk imports fast.
    pub fn add(&self, paper: &Paper, fulltext: Option<&str>) -> Result<()> {
        self.add_noted(paper, fulltext)?;
        self.pending().note(paper);
        Ok(())
    }

    /// [`SearchIndex::add`] for a paper whose words are already in a [`Words`] collection.
    pub fn add_noted(&self, paper: &Paper, fulltext: Option<&str>) -> Result<()> {
        let glued = self.glued();
        self.with_writer(|w, f| {
            w.add_document(f.document(paper, fulltext, &glued))?;
            Ok(())
        })
    }

    /// An empty collection of papers' words for the typo-tolerance lexicon.
    pub fn words(&self) -> Words {
        Words::new(
            self.index
                .tokenizers()
                .get(schema::NAMES)
                .expect("registered on open"),
        )
    }

    /// Stages collected words; the next commit adds those the lexicon lacks.
    pub fn stage_words(&self, words: Words) {
        self.pending().add(words);
    }

    /// Stages removal of everything (before a rebuild).
    pub fn clear(&self) -> Result<()> {
        self.with_writer(|w, _| {
            w.delete_all_documents()?;
            self.pending().clear();
            Ok(())
        })
    }

    /// Sets the library's glued words: documents staged from now on are searchable by their
    /// words too ("short texts" finds "onshorttexts"); documents already in stay as they are.
    pub fn set_glued(&self, glued: GluedWords) {
        *self.glued.lock().expect("glued lock") = Arc::new(glued);
    }

    /// The library's glued words, as last set.
    pub fn glued(&self) -> Arc<GluedWords> {
        self.glued.lock().expect("glued lock").clone()
    }

    /// Stages a paper's tags (all of them; `None` when the paper left the index), visible with
    /// the next commit. Tags are searched from memory, not from the documents: see `tags`.
    pub fn stage_tags(&self, paper: i64, tags: Option<Vec<String>>) {
        self.tag_postings().stage(paper as u64, tags);
    }

    /// Replaces every paper's tags at once (a library opened, the index rebuilt, another
    /// process's changes read).
    pub fn load_tags(&self, all: impl IntoIterator<Item = (i64, Vec<String>)>) {
        self.tag_postings()
            .load(all.into_iter().map(|(p, t)| (p as u64, t)));
    }

    fn tag_postings(&self) -> std::sync::MutexGuard<'_, tags::TagPostings> {
        self.tags.lock().expect("tags lock")
    }

    /// Makes staged changes visible and records the database generation they reflect (a
    /// generation the database has committed).
    pub fn commit(&self, generation: u64) -> Result<()> {
        self.commit_after(generation, || Ok(()))
    }

    /// Commits the database with `commit_db`, then makes staged changes visible as of
    /// `generation`; when `commit_db` fails, drops them instead and returns its error.
    ///
    /// At the end of a large import both commits are long and single-threaded: the database's
    /// (with its WAL checkpoint) about 0.65 s for 100k papers, the index's flush of its
    /// segments about 0.4 s. The flush runs on its own thread alongside `commit_db`; only the
    /// index's meta file, which names the generation, waits for the database, so the index is
    /// never ahead of it.
    pub fn commit_after<E: From<Error>>(
        &self,
        generation: u64,
        commit_db: impl FnOnce() -> Result<(), E>,
    ) -> Result<(), E> {
        self.with_writer(|w, f| {
            let (db, flushed) = std::thread::scope(|scope| {
                let flush = scope.spawn(|| -> Result<tantivy::indexer::PreparedCommit<'_>> {
                    if let Some(doc) = self
                        .pending()
                        .take_new(&self.reader.searcher(), f.lexicon)?
                    {
                        w.add_document(doc)?;
                    }
                    Ok(w.prepare_commit()?)
                });
                let db = commit_db();
                let flushed = flush
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                (db, flushed)
            });
            match (db, flushed) {
                (Ok(()), Ok(mut prepared)) => {
                    prepared.set_payload(&generation.to_string());
                    prepared.commit().map_err(Error::from)?;
                    self.tag_postings().commit();
                    Ok(())
                }
                // The database is committed and the index is not: it is stale, and the next
                // open rebuilds it.
                (Ok(()), Err(e)) => Err(e.into()),
                (Err(e), flushed) => {
                    self.pending().rollback();
                    self.tag_postings().rollback();
                    match flushed {
                        Ok(prepared) => {
                            prepared.abort().map_err(Error::from)?;
                        }
                        Err(_) => {
                            w.rollback().map_err(Error::from)?;
                        }
                    }
                    Err(e)
                }
            }
        })?;
        self.reader.reload().map_err(Error::from)?;
        Ok(())
    }

    /// Lets go of the index's writer (and its lock file) when nothing was written for `idle`,
    /// after its merges finish, so another process (a topica-cli beside the app) can write.
    /// Returns whether it was released. Every change commits or rolls back before returning,
    /// so a writer between changes holds nothing uncommitted.
    pub fn release_if_idle(&self, idle: std::time::Duration) -> Result<bool> {
        let mut guard = self.writer.lock().expect("index writer lock");
        if guard.is_none() || self.last_write.lock().expect("last write lock").elapsed() < idle {
            return Ok(false);
        }
        if let Some(w) = guard.take() {
            holder::clear(&self.holder_file);
            w.wait_merging_threads()?;
        }
        Ok(true)
    }

    /// Reads the index as last committed by anyone (another process's commit included).
    pub fn reload(&self) -> Result<()> {
        Ok(self.reader.reload()?)
    }

    /// Drops staged changes (after a failed import).
    pub fn rollback(&self) -> Result<()> {
        let mut guard = self.writer.lock().expect("index writer lock");
        if let Some(w) = guard.as_mut() {
            w.rollback()?;
        }
        self.pending().rollback();
        self.tag_postings().rollback();
        Ok(())
    }

    /// Runs `query` (engine syntax; see [`parse_query`]) and returns the best `limit` hits, the
    /// first `detailed` of them in full and the rest as ids in `more_ids`. `abstracts` gives the
    /// abstracts of the papers shown in full (by id), for their snippets: the index does not
    /// store them.
    pub fn search<E: From<Error>>(
        &self,
        query: &str,
        limit: usize,
        detailed: usize,
        abstracts: impl FnOnce(&[i64]) -> Result<HashMap<i64, String>, E>,
    ) -> Result<SearchResults, E> {
        let searcher = self.reader.searcher();
        let Compiled { parsed, q, fuzzy } = self.compile(&searcher, query)?;
        let best = TopDocs::with_limit(limit.max(1)).order_by_score();
        let (total, top) = if single_terms(&*q) {
            // Plain words found in one field each (`words`): tantivy ranks their intersection
            // with block-max pruning, skipping blocks that cannot reach the best hits, and counts
            // it without scores. Two passes then cost less than one that scores every match;
            // for any other query (a word also in full text: a union) they cost two.
            let top = searcher.search(&*q, &best).map_err(Error::from)?;
            (searcher.search(&*q, &Count).map_err(Error::from)?, top)
        } else {
            // One pass over the matches gives both the count and the best hits.
            searcher.search(&*q, &(Count, best)).map_err(Error::from)?
        };
        let snippets = Snippets::new(&searcher, &*q, &parsed, &self.fields, self.glued())?;
        let mut top = top.into_iter().take(limit);
        let mut docs = Vec::with_capacity(detailed.min(limit));
        for (score, addr) in top.by_ref().take(detailed) {
            docs.push((
                searcher.doc::<TantivyDocument>(addr).map_err(Error::from)?,
                score,
            ));
        }
        let hits = snippets.hits(docs, abstracts)?;
        // The rest need only their ids: a fast-field read each, no stored document, no snippet.
        let rest: Vec<_> = top.collect();
        let mut more_ids = Vec::with_capacity(rest.len());
        if !rest.is_empty() {
            let columns = searcher
                .segment_readers()
                .iter()
                .map(paper_id_column)
                .collect::<tantivy::Result<Vec<_>>>()
                .map_err(Error::from)?;
            for (_, addr) in rest {
                let column = &columns[addr.segment_ord as usize];
                more_ids.extend(column.first(addr.doc_id).map(|v| v as i64));
            }
        }
        Ok(SearchResults {
            total,
            hits,
            more_ids,
            fuzzy,
        })
    }
}

impl SearchIndex {
    /// The hits, in full (snippet included), of the papers among `ids` that match `query`, best
    /// first: the rows of a results list that came as ids only (`more_ids`), once the user
    /// scrolls to them. Ids that do not match (or do not exist) are left out.
    pub fn hits_among<E: From<Error>>(
        &self,
        query: &str,
        ids: &[i64],
        abstracts: impl FnOnce(&[i64]) -> Result<HashMap<i64, String>, E>,
    ) -> Result<Vec<SearchHit>, E> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let Compiled { parsed, q, .. } = self.compile(&searcher, query)?;
        let among = TermSetQuery::new(
            ids.iter()
                .map(|&id| Term::from_field_u64(self.fields.paper_id, id as u64)),
        );
        let both = BooleanQuery::new(vec![
            (Occur::Must, q.box_clone()),
            (Occur::Must, Box::new(among)),
        ]);
        let top = searcher
            .search(&both, &TopDocs::with_limit(ids.len()).order_by_score())
            .map_err(Error::from)?;
        // Snippets mark the terms of the query alone, as the first hits' do.
        let snippets = Snippets::new(&searcher, &*q, &parsed, &self.fields, self.glued())?;
        let docs = top
            .into_iter()
            .map(|(score, addr)| Ok((searcher.doc::<TantivyDocument>(addr)?, score)))
            .collect::<Result<Vec<_>>>()?;
        snippets.hits(docs, abstracts)
    }

    /// Of `pages` (a paper's full text, page by page), the one where `query`'s full-text words
    /// match most, with a snippet of it: its position in `pages` and the snippet's HTML. `None`
    /// when no page holds a word of the query.
    pub fn page_snippet(&self, query: &str, pages: &[&str]) -> Result<Option<(usize, String)>> {
        let searcher = self.reader.searcher();
        let q = self.compile(&searcher, query)?.q;
        let mut generator = SnippetGenerator::create(&searcher, &*q, self.fields.fulltext)?;
        generator.set_max_num_chars(SNIPPET_CHARS);
        let mut best: Option<(usize, usize, String)> = None;
        for (i, text) in pages.iter().enumerate() {
            let snippet = generator.snippet(text);
            let marks = snippet.highlighted().len();
            if marks > 0 && best.as_ref().is_none_or(|(_, m, _)| marks > *m) {
                best = Some((i, marks, snippet.to_html()));
            }
        }
        Ok(best.map(|(i, _, html)| (i, html)))
    }

    /// Whether `query` looks in full text only (`fulltext:` clauses and nothing else that
    /// matches words), so its hits' snippets come from the pages.
    pub fn targets_fulltext(query: &str) -> bool {
        query::parse(query).is_ok_and(|p| p.targets_fulltext())
    }

    /// Library ids of up to `limit` papers whose titles and abstracts share the most
    /// distinctive words with `title` and `abstract_text`, best first: tantivy's more-like-this
    /// query (the text's [`SIMILAR_TERMS`] strongest terms by tf-idf, searched as one
    /// disjunction). The candidates of related papers in a large library, which cannot score
    /// every paper at each call.
    pub fn similar_ids(&self, title: &str, abstract_text: &str, limit: usize) -> Result<Vec<i64>> {
        let searcher = self.reader.searcher();
        let texts: Vec<OwnedValue> = [title, abstract_text]
            .into_iter()
            .filter(|text| !text.trim().is_empty())
            .map(|text| OwnedValue::Str(text.to_string()))
            .collect();
        if texts.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let fields = vec![(self.fields.words, texts)];
        // A word in a tenth of the library tells little and has the longest postings to walk;
        // a word no other paper has finds nothing (the paper itself counts once).
        let common = (searcher.num_docs() / 10).max(2);
        let q = MoreLikeThisQuery::builder()
            .with_min_term_frequency(1)
            .with_min_doc_frequency(2)
            .with_max_doc_frequency(common)
            .with_max_query_terms(SIMILAR_TERMS)
            .with_document_fields(fields);
        let top = searcher.search(&q, &TopDocs::with_limit(limit).order_by_score())?;
        let columns = searcher
            .segment_readers()
            .iter()
            .map(paper_id_column)
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(top
            .into_iter()
            .filter_map(|(_, addr)| columns[addr.segment_ord as usize].first(addr.doc_id))
            .map(|v| v as i64)
            .collect())
    }

    /// Library ids of every paper matching `query` (for counts per topic).
    pub fn matching_ids(&self, query: &str) -> Result<Vec<i64>> {
        let searcher = self.reader.searcher();
        let q = self.compile(&searcher, query)?.q;
        Ok(searcher.search(&*q, &PaperIds)?)
    }

    /// `query` parsed (engine syntax) and turned into a tantivy query against `searcher`'s
    /// terms, which typo tolerance looks words up in.
    fn compile(&self, searcher: &tantivy::Searcher, query: &str) -> Result<Compiled> {
        let parsed = query::parse(query)?;
        let cx = query::Ctx {
            f: &self.fields,
            searcher,
            fuzzy_used: std::cell::Cell::new(false),
            tags: &self.tags,
        };
        let q = parsed.to_tantivy(&cx)?;
        let fuzzy = cx.fuzzy_used.get();
        Ok(Compiled { parsed, q, fuzzy })
    }
}

/// Whether `q` is an intersection of single terms, which tantivy ranks with block-max pruning.
fn single_terms(q: &dyn tantivy::query::Query) -> bool {
    q.downcast_ref::<BooleanQuery>().is_some_and(|b| {
        b.clauses()
            .iter()
            .all(|(occur, c)| *occur == Occur::Must && c.is::<tantivy::query::TermQuery>())
    })
}

/// A query ready to run: the parse (for its phrases), the tantivy query, and whether some word
/// fell back to its typo-tolerant neighbours.
struct Compiled {
    parsed: query::ParsedQuery,
    q: Box<dyn tantivy::query::Query>,
    fuzzy: bool,
}

/// A segment's column of library ids (`paper_id`), the way from a match to its paper.
/// How many of a paper's strongest terms [`SearchIndex::similar_ids`] searches for.
pub const SIMILAR_TERMS: usize = 16;

fn paper_id_column(
    reader: &tantivy::SegmentReader,
) -> tantivy::Result<tantivy::columnar::Column<u64>> {
    reader.fast_fields().u64("paper_id")
}

/// Collects the library ids of all matches, unscored: one fast-field column per segment.
/// (Collecting document addresses and opening the column for each one took 2.8 s for a broad
/// query at 100k papers, and ran at every keystroke for the counts per topic.)
struct PaperIds;

impl tantivy::collector::Collector for PaperIds {
    type Fruit = Vec<i64>;
    type Child = SegmentPaperIds;

    fn for_segment(
        &self,
        _segment: tantivy::SegmentOrdinal,
        reader: &tantivy::SegmentReader,
    ) -> tantivy::Result<SegmentPaperIds> {
        Ok(SegmentPaperIds {
            column: paper_id_column(reader)?,
            ids: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<i64>>) -> tantivy::Result<Vec<i64>> {
        Ok(fruits.concat())
    }
}

struct SegmentPaperIds {
    column: tantivy::columnar::Column<u64>,
    ids: Vec<i64>,
}

impl tantivy::collector::SegmentCollector for SegmentPaperIds {
    type Fruit = Vec<i64>;

    fn collect(&mut self, doc: tantivy::DocId, _score: tantivy::Score) {
        self.ids.extend(self.column.first(doc).map(|v| v as i64));
    }

    fn harvest(self) -> Vec<i64> {
        self.ids
    }
}

/// Makes hits, with their snippets, for one query: the one way a match becomes a [`SearchHit`].
struct Snippets<'f> {
    generator: SnippetGenerator,
    phrases: Vec<String>,
    fields: &'f Fields,
    /// Hits show titles and abstracts with glued words apart, as the paper is shown, so a
    /// snippet marks "short texts" where the text says "onshorttexts".
    glued: Arc<GluedWords>,
}

impl<'f> Snippets<'f> {
    fn new(
        searcher: &tantivy::Searcher,
        q: &dyn tantivy::query::Query,
        parsed: &query::ParsedQuery,
        fields: &'f Fields,
        glued: Arc<GluedWords>,
    ) -> Result<Self> {
        // The abstract is searched as part of `words`: its terms are the ones to mark.
        let mut generator = SnippetGenerator::create(searcher, q, fields.words)?;
        generator.set_max_num_chars(SNIPPET_CHARS);
        Ok(Snippets {
            generator,
            phrases: parsed.phrases(),
            fields,
            glued,
        })
    }

    /// The hits of stored documents (with their scores), their abstracts asked of `abstracts`
    /// all at once.
    fn hits<E: From<Error>>(
        &self,
        docs: Vec<(TantivyDocument, f32)>,
        abstracts: impl FnOnce(&[i64]) -> Result<HashMap<i64, String>, E>,
    ) -> Result<Vec<SearchHit>, E> {
        let id_of = |doc: &TantivyDocument| {
            doc.get_first(self.fields.paper_id)
                .and_then(|v| v.as_u64())
                .unwrap_or(0) as i64
        };
        let ids: Vec<i64> = docs.iter().map(|(d, _)| id_of(d)).collect();
        let mut texts = if ids.is_empty() {
            HashMap::new()
        } else {
            abstracts(&ids)?
        };
        Ok(docs
            .into_iter()
            .map(|(doc, score)| {
                let text = texts.remove(&id_of(&doc)).unwrap_or_default();
                self.hit(&doc, score, text)
            })
            .collect())
    }

    fn hit(&self, doc: &TantivyDocument, score: f32, abstract_text: String) -> SearchHit {
        let f = self.fields;
        let get_str = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let readable = |text: String| match unglue(&text, &self.glued) {
            std::borrow::Cow::Owned(t) => t,
            std::borrow::Cow::Borrowed(_) => text,
        };
        let abstract_text = readable(abstract_text);
        let snippet =
            self.generator
                .snippet(phrase_window(&abstract_text, &self.phrases, SNIPPET_CHARS));
        let snippet = if snippet.is_empty() {
            html_escape(&abstract_text.chars().take(240).collect::<String>())
        } else {
            snippet.to_html()
        };
        SearchHit {
            id: doc
                .get_first(f.paper_id)
                .and_then(|v| v.as_u64())
                .unwrap_or(0) as i64,
            arxiv_id: get_str(f.arxiv_id),
            title: readable(get_str(f.display_title).unwrap_or_default()),
            year: doc
                .get_first(f.year)
                .and_then(|v| v.as_i64())
                .map(|y| y as i32),
            score,
            snippet,
            file_id: None,
            page: None,
        }
    }
}

/// Length of a snippet, in characters.
const SNIPPET_CHARS: usize = 240;

/// The part of `text` the snippet comes from: around the first quoted phrase it contains, since
/// the snippet generator scores words one by one and would often show them apart; else all of it.
fn phrase_window<'t>(text: &'t str, phrases: &[String], width: usize) -> &'t str {
    // ASCII lower-casing keeps byte offsets, so positions found in the copy hold in `text`.
    let lower = text.to_ascii_lowercase();
    let Some(pos) = phrases
        .iter()
        .filter_map(|p| lower.find(&p.to_ascii_lowercase()))
        .min()
    else {
        return text;
    };
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = floor(pos.saturating_sub(width / 3));
    let end = floor((start + width).min(text.len()));
    &text[start..end]
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use topica_model::Author;

    /// What a database commit that fails says (the library's error, in `topica-core`).
    #[derive(Debug)]
    enum DbFailed {
        Commit,
        // Shown by `{:?}` when an assertion fails.
        #[allow(dead_code)]
        Index(Error),
    }

    impl From<Error> for DbFailed {
        fn from(e: Error) -> DbFailed {
            DbFailed::Index(e)
        }
    }

    fn paper(id: i64, title: &str) -> Paper {
        Paper {
            id,
            title: Some(title.to_owned()),
            ..Paper::default()
        }
    }

    /// Hits' abstracts come from the library's database; these tests look at titles and counts.
    fn no_abstracts(_: &[i64]) -> Result<HashMap<i64, String>> {
        Ok(HashMap::new())
    }

    fn titles(index: &SearchIndex, query: &str) -> Vec<String> {
        let mut t: Vec<String> = index
            .search(query, 10, 10, no_abstracts)
            .expect("search")
            .hits
            .into_iter()
            .map(|h| h.title)
            .collect();
        t.sort();
        t
    }

    /// The index does not store abstracts: a search asks its caller for those of the hits it
    /// details, and of those only, and makes their snippets from them; a hit whose abstract the
    /// caller lacks keeps its title and gets no snippet.
    #[test]
    fn hits_take_their_abstracts_from_the_caller() {
        let dir = tempfile::tempdir().expect("temp dir");
        let index = SearchIndex::create(dir.path()).expect("create");
        let texts: HashMap<i64, String> = [
            (1, "Annealing schedules for spin glasses."),
            (2, "Quantum annealing on a chip."),
            (3, "Simulated annealing revisited."),
        ]
        .into_iter()
        .map(|(id, t)| (id, t.to_string()))
        .collect();
        for (&id, text) in &texts {
            let mut p = paper(id, &format!("Paper {id}"));
            p.abstract_text = Some(text.clone());
            index.add(&p, None).unwrap();
        }
        index.commit(1).unwrap();
        let mut asked: Vec<i64> = Vec::new();
        let found = index
            .search("annealing", 10, 2, |ids: &[i64]| {
                asked.extend(ids);
                // The best hit's abstract is missing.
                let known = ids.iter().skip(1).map(|id| (*id, texts[id].clone()));
                Ok::<_, Error>(known.collect())
            })
            .unwrap();
        let missing = asked[0];
        assert_eq!(found.total, 3);
        assert_eq!((found.hits.len(), found.more_ids.len()), (2, 1));
        let mut detailed: Vec<i64> = found.hits.iter().map(|h| h.id).collect();
        detailed.sort_unstable();
        asked.sort_unstable();
        assert_eq!(asked, detailed, "asked for the detailed hits only");
        for h in &found.hits {
            if h.id == missing {
                let title = format!("Paper {missing}");
                assert_eq!((h.title.as_str(), h.snippet.as_str()), (title.as_str(), ""));
            } else {
                assert!(
                    h.snippet.contains("<b>annealing</b>")
                        || h.snippet.contains("<b>Annealing</b>"),
                    "{h:?}"
                );
            }
        }
        // The rows detailed later are made the same way.
        let later = index
            .hits_among("annealing", &found.more_ids, |ids: &[i64]| {
                Ok::<_, Error>(ids.iter().map(|id| (*id, texts[id].clone())).collect())
            })
            .unwrap();
        assert_eq!(later.len(), 1);
        assert!(
            later[0].snippet.to_lowercase().contains("<b>annealing</b>"),
            "{later:?}"
        );
        // A caller that cannot give them fails the search with its own error.
        let failed = index.search("annealing", 10, 2, |_: &[i64]| {
            Err::<HashMap<i64, String>, _>(Error::Io(std::io::Error::other("database gone")))
        });
        assert!(matches!(failed, Err(Error::Io(_))));
    }

    /// `title:` and `abstract:` find what the title and the abstract say, from the first word
    /// to the last, and not what the notes or the topic labels say, which lie between them in
    /// `words`; a plain word finds all of them, and the authors. A title's word weighs more
    /// than an abstract's.
    #[test]
    fn title_and_abstract_are_parts_of_words() {
        let dir = tempfile::tempdir().expect("temp dir");
        let index = SearchIndex::create(dir.path()).expect("create");
        let full = Paper {
            id: 1,
            title: Some("Kernel methods for flows".into()),
            abstract_text: Some(
                "Annealing schedules are studied. A pneumonoultramicroscopicsilicovolcanoconiosis \
                 (a word past the length limit) ends here with turbulence"
                    .into(),
            ),
            authors: vec![Author::new("Okafor", "Chidi")],
            notes: "read with care".into(),
            topics: vec!["fluid dynamics".into()],
            ..Paper::default()
        };
        let other = Paper {
            id: 2,
            title: Some("Turbulence in pipes".into()),
            abstract_text: Some("We measure kernel flows and annealing.".into()),
            ..Paper::default()
        };
        index.add(&full, None).unwrap();
        index.add(&other, None).unwrap();
        index.commit(1).unwrap();
        let both = ["Kernel methods for flows", "Turbulence in pipes"];
        let first = ["Kernel methods for flows"];
        let second = ["Turbulence in pipes"];
        // First and last words of the abstract, and a phrase in it.
        assert_eq!(titles(&index, "abstract:annealing"), both);
        assert_eq!(titles(&index, "abstract:turbulence"), first);
        assert_eq!(titles(&index, "abstract:\"schedules are studied\""), first);
        assert_eq!(titles(&index, "abstract:\"ends here\""), first);
        assert!(titles(&index, "abstract:\"studied schedules\"").is_empty());
        // Nor in the title: the title's words, the notes, the topic labels and the authors.
        for before in ["methods", "okafor", "care", "fluid", "dynamics"] {
            assert!(
                titles(&index, &format!("abstract:{before}")).is_empty(),
                "{before}"
            );
            assert_eq!(titles(&index, before), first, "{before}");
        }
        for elsewhere in ["care", "fluid", "dynamics", "schedules", "okafor"] {
            assert!(
                titles(&index, &format!("title:{elsewhere}")).is_empty(),
                "{elsewhere}"
            );
        }
        assert_eq!(titles(&index, "title:kernel"), first);
        assert_eq!(titles(&index, "title:flows"), first);
        assert_eq!(titles(&index, "title:turbulence"), second);
        assert_eq!(titles(&index, "title:\"methods for flows\""), first);
        assert_eq!(titles(&index, "title:meth*"), first);
        // The title is in `words` twice: a phrase does not run from one copy into the other.
        assert!(titles(&index, "title:\"flows kernel\"").is_empty());
        assert_eq!(titles(&index, "abstract:kernel"), second);
        assert_eq!(titles(&index, "abstract:kern*"), second);
        assert_eq!(titles(&index, "kernel flows"), both);
        // A phrase does not run from one part into the next.
        assert!(titles(&index, "\"flows kernel\"").is_empty());
        assert!(titles(&index, "\"flows read\"").is_empty());
        // The title's word ranks first.
        let hits = index
            .search("turbulence", 10, 10, no_abstracts)
            .unwrap()
            .hits;
        assert_eq!(hits[0].title, "Turbulence in pipes");
        assert_eq!(
            index
                .search("abstract:annealing", 10, 10, no_abstracts)
                .unwrap()
                .total,
            2
        );
    }

    /// Plain words found only in `words` make an intersection of single terms, the query that
    /// is ranked in a pruned pass and counted in a second; a word also in full text, a phrase or
    /// an excluded word do not, and are ranked and counted in one pass.
    #[test]
    fn plain_words_in_one_field_are_single_terms() {
        let dir = tempfile::tempdir().expect("temp dir");
        let index = SearchIndex::create(dir.path()).expect("create");
        let p = Paper {
            id: 1,
            title: Some("Kernel methods".into()),
            abstract_text: Some("Annealing schedules for kernels.".into()),
            ..Paper::default()
        };
        index.add(&p, Some("a kernel in the full text")).unwrap();
        index.commit(1).unwrap();
        let searcher = index.reader.searcher();
        let single = |q: &str| single_terms(&*index.compile(&searcher, q).unwrap().q);
        assert!(single("annealing schedules"));
        assert!(single("methods"));
        assert!(!single("kernel methods"), "kernel is in the full text too");
        assert!(!single("\"annealing schedules\""));
        assert!(!single("annealing -methods"));
        assert_eq!(
            index
                .search("annealing schedules", 10, 10, no_abstracts)
                .unwrap()
                .total,
            1
        );
        assert_eq!(
            index
                .search("kernel methods", 10, 10, no_abstracts)
                .unwrap()
                .total,
            1
        );
    }

    /// When the database's commit fails, the documents staged for it are dropped (not
    /// published by the next commit) and its error comes back; when it succeeds, they are
    /// visible and the index records the generation. The index's flush runs alongside the
    /// database's commit: the failing closure returns at once, the succeeding one only after
    /// a pause.
    #[test]
    fn commit_after_publishes_only_what_the_database_committed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let index = SearchIndex::create(dir.path()).expect("create");

        index
            .add(&paper(1, "Quantum annealing schedules"), None)
            .unwrap();
        let failed = index.commit_after(1, || Err(DbFailed::Commit));
        assert!(matches!(failed, Err(DbFailed::Commit)), "{failed:?}");
        assert!(titles(&index, "annealing").is_empty());

        index.add(&paper(2, "Graph neural networks"), None).unwrap();
        index
            .commit_after(1, || {
                std::thread::sleep(std::time::Duration::from_millis(50));
                Ok::<(), DbFailed>(())
            })
            .unwrap();
        assert_eq!(titles(&index, "graph"), ["Graph neural networks"]);
        // The failed commit's paper did not come back; the committed one's words reached the
        // typo lexicon.
        assert!(titles(&index, "annealing").is_empty());
        assert_eq!(titles(&index, "netwroks"), ["Graph neural networks"]);
        drop(index);
        assert!(SearchIndex::open_if_current(dir.path(), 1).is_some());
        assert!(SearchIndex::open_if_current(dir.path(), 0).is_none());
    }

    /// Papers about phase transitions, in two segments; with `fulltext`, the last one's PDF
    /// text (which mentions only the second word).
    fn phase_transitions(fulltext: Option<&str>) -> (tempfile::TempDir, SearchIndex) {
        let dir = tempfile::tempdir().expect("temp dir");
        let index = SearchIndex::create(dir.path()).expect("create");
        let texts = [
            (
                "Phase transitions in spin glasses",
                "A phase transition, then another phase.",
            ),
            (
                "Transition metals",
                "The phase transition of transition metal oxides.",
            ),
            (
                "Phase noise",
                "Noise in the phase of a transition; no phrase here.",
            ),
            (
                "Critical points",
                "Phase transition phase transition phase transition.",
            ),
            ("Unrelated", "Diffusion models for images."),
            ("A phase transition", "Transitions between phases."),
        ];
        for (i, (title, text)) in texts.iter().enumerate() {
            let mut p = paper(i as i64 + 1, title);
            p.abstract_text = Some(text.to_string());
            index.add(&p, None).unwrap();
        }
        // A second segment, so that the scorers start over per segment.
        index.commit(1).unwrap();
        let mut p = paper(7, "Phase transition at last");
        p.abstract_text = Some("Its phase and its transition.".into());
        index.add(&p, fulltext).unwrap();
        index.commit(2).unwrap();
        (dir, index)
    }

    /// A query's count and its best ten with their scores.
    type Ranked = (usize, Vec<(f32, tantivy::DocAddress)>);

    /// The best ten with their scores, and the count, of a query of ours and of `theirs`.
    fn both_ways(
        index: &SearchIndex,
        ours: &str,
        theirs: &dyn tantivy::query::Query,
    ) -> (Ranked, Ranked) {
        let searcher = index.reader.searcher();
        let q = index.compile(&searcher, ours).unwrap().q;
        let best = || (Count, TopDocs::with_limit(10).order_by_score());
        (
            searcher.search(&*q, &best()).unwrap(),
            searcher.search(theirs, &best()).unwrap(),
        )
    }

    /// A quoted phrase ranks its matches by the phrase and by its words wherever they occur:
    /// exactly as tantivy's own Boolean query of the phrase (Must) and its words (Should) does,
    /// same papers, same order, same scores. Where they occur only in `words`, one query reads
    /// each postings list once (`PhraseWords`); where a word also occurs in full text, the words
    /// are sought at the phrase's matches (`SeekingSum`).
    #[test]
    fn a_phrase_ranks_as_the_boolean_query_of_it_and_its_words() {
        use tantivy::query::{
            BooleanQuery, BoostQuery, DisjunctionMaxQuery, EmptyQuery, Occur, PhraseQuery, Query,
            TermQuery,
        };
        use tantivy::schema::IndexRecordOption;

        let term_query = |field, s: &String| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, s),
                IndexRecordOption::WithFreqs,
            ))
        };

        // In `words` alone.
        let (_dir, index) = phase_transitions(None);
        let stems = query::analyze(&index.index, schema::PROSE, "phase transition");
        let words = index.fields.words;
        let phrase: Vec<Term> = stems
            .iter()
            .map(|s| Term::from_field_text(words, s))
            .collect();
        let mut plain: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, Box::new(PhraseQuery::new(phrase.clone())))];
        for s in &stems {
            plain.push((Occur::Should, term_query(words, s)));
        }
        let searcher = index.reader.searcher();
        let ours = index.compile(&searcher, "\"phase transition\"").unwrap().q;
        assert!(format!("{ours:?}").contains("PhraseWords"), "{ours:?}");
        let ((n, got), (m, want)) =
            both_ways(&index, "\"phase transition\"", &BooleanQuery::new(plain));
        assert_eq!(n, 5, "papers 1, 2, 4, 6 and 7 hold the phrase");
        assert_eq!((n, &got), (m, &want));

        // The second word in a PDF's text too: the phrase in `words` (the PDF lacks the first
        // word), the first word there, the second in either (`across`).
        let (_dir, index) = phase_transitions(Some("A transition, and another transition."));
        let fulltext = index.fields.fulltext;
        let second: Box<dyn Query> = Box::new(DisjunctionMaxQuery::with_tie_breaker(
            vec![
                term_query(words, &stems[1]),
                Box::new(BoostQuery::new(term_query(fulltext, &stems[1]), 0.3)),
            ],
            0.3,
        ));
        let plain: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, Box::new(PhraseQuery::new(phrase))),
            (Occur::Should, term_query(words, &stems[0])),
            (Occur::Should, second),
        ];
        let searcher = index.reader.searcher();
        let ours = index.compile(&searcher, "\"phase transition\"").unwrap().q;
        assert!(format!("{ours:?}").contains("SeekingSum"), "{ours:?}");
        let ((n, got), (m, want)) =
            both_ways(&index, "\"phase transition\"", &BooleanQuery::new(plain));
        assert_eq!(n, 5);
        assert_eq!((n, &got), (m, &want));
        // The PDF's mentions count: paper 7 scores more than without them.
        let (_plain_dir, without) = phase_transitions(None);
        let ((_, before), _) = both_ways(&without, "\"phase transition\"", &EmptyQuery);
        let score_of_7 = |index: &SearchIndex, hits: &[(f32, tantivy::DocAddress)]| {
            let searcher = index.reader.searcher();
            hits.iter()
                .find(|(_, a)| {
                    let column = paper_id_column(searcher.segment_reader(a.segment_ord)).unwrap();
                    column.first(a.doc_id) == Some(7)
                })
                .map(|(s, _)| *s)
                .expect("paper 7 found")
        };
        assert!(score_of_7(&index, &got) > score_of_7(&without, &before));
    }
}
