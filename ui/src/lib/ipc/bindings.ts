// Generated from the Rust types by src-tauri/src/bindings.rs (ts-rs). Do not edit:
// `TOPICA_BLESS_BINDINGS=1 cargo test -p topica bindings` writes it again.

export type Author = { family: string, given?: string, 
/**
 * "von", "van der", "de la"...
 */
particle?: string, 
/**
 * "Jr.", "III"...
 */
suffix?: string, 
/**
 * A name that must not be split (institutions, collaborations).
 */
literal?: boolean, };

export type Paper = { 
/**
 * Library-local id (SQLite rowid); 0 before the paper is stored.
 */
id: number, 
/**
 * Versionless arXiv id, the paper's identity when present.
 */
arxivId: string | null, 
/**
 * Newest arXiv version seen.
 */
arxivVersion: number | null, 
/**
 * Lower-case DOI without a resolver prefix.
 */
doi: string | null, title: string | null, authors: Array<Author>, editors: Array<Author>, year: number | null, month: number | null, abstract: string | null, 
/**
 * arXiv categories, primary first.
 */
categories: Array<string>, journalRef: string | null, comments: string | null, 
/**
 * BibTeX-style entry type: article, inproceedings, book, misc...
 */
kind: string | null, 
/**
 * Journal, proceedings or book title.
 */
container: string | null, volume: string | null, issue: string | null, pages: string | null, publisher: string | null, url: string | null, 
/**
 * Citation key, stored and pinned once given.
 */
citationKey: string | null, 
/**
 * Fields a source had that have no column (isbn, note, address...), kept for export.
 */
extra: { [key in string]: string }, tags: Array<string>, collections: Array<string>, notes: string, read: boolean, starred: boolean, 
/**
 * RFC 3339 UTC timestamp.
 */
dateAdded: string, 
/**
 * When the paper went to the trash (RFC 3339 UTC); `None` while it is in the library.
 */
trashedAt?: string, 
/**
 * The bibliographic fields the user edited (names as in [`EDITABLE_FIELDS`]): imports and
 * enrichment never overwrite them.
 */
edited: Array<string>, 
/**
 * Labels of the paper's topic and its broader topic (derived; searchable as `topic:`).
 */
topics?: Array<string>, };

export type PaperRow = { id: number, 
/**
 * The title, or the abstract's first sentence until enriched.
 */
title: string, 
/**
 * "Vaswani et al." style; empty when no author is known.
 */
authors: string, year: number | null, arxivId: string | null, read: boolean, starred: boolean, dateAdded: string, };

export type View = { "kind": "all" } | { "kind": "unread" } | { "kind": "starred" } | { "kind": "recent" } | { "kind": "tag", "name": string } | { "kind": "collection", "name": string } | { "kind": "trash" };

export type SortBy = "added" | "year" | "title";

export type SearchHit = { 
/**
 * Library id of the paper.
 */
id: number, arxivId: string | null, title: string, year: number | null, score: number, 
/**
 * A fragment of the abstract with matches in `<b>…</b>` (HTML-escaped otherwise), or of the
 * page of an attached file that matched when the title and abstract did not.
 */
snippet: string, 
/**
 * The attached file and its page (1-based) the snippet comes from, when it is full text.
 */
fileId?: number, page?: number, };

export type SearchResults = { total: number, hits: Array<SearchHit>, 
/**
 * Library ids of the hits ranked after `hits`, best first, when only the first hits were
 * asked for in full (see `topica_core::Library::search_ranked`); empty otherwise.
 */
moreIds: Array<number>, 
/**
 * True when some word matched no paper as typed and its typo-tolerant neighbours were used.
 */
fuzzy: boolean, };

export type RecordError = { 
/**
 * The file the record came from (display form).
 */
file: string, 
/**
 * 1-based line where the record starts (or the record number where a format has no lines).
 */
line: number, 
/**
 * Why the record was refused.
 */
reason: string, 
/**
 * The record as written (its first lines), so the import report can show what was
 * skipped; empty when the format has no text to show.
 */
text: string, };

export type ImportReport = { 
/**
 * Papers new to the library.
 */
added: number, 
/**
 * Papers already in the library that records were merged into.
 */
merged: number, 
/**
 * Records that duplicated a paper added earlier by the same import (the seed's versioned
 * `2201.12288` / `2201.12288v2`, a dump listing a paper twice), merged into it. Without this
 * count, a file's records would not add up to the report.
 */
duplicates: number, 
/**
 * Records that could not be read, each with file, line and reason (the rest came in).
 */
skipped: Array<RecordError>, 
/**
 * What was read otherwise than written, though nothing was refused (a line that was not
 * UTF-8, for instance).
 */
warnings: Array<RecordError>, };

export type Progress = { 
/**
 * What is being done ("importing", "indexing"...).
 */
phase: string, done: number, 
/**
 * Total units when known.
 */
total: number | null, };

export type Stats = { papers: number, withArxivId: number, withDoi: number, withoutTitle: number, firstYear: number | null, lastYear: number | null, tags: Array<[string, number]>, 
/**
 * Tags a user gave a colour, as (tag, `#rrggbb`).
 */
tagColors: Array<[string, string]>, collections: Array<[string, number]>, schemaVersion: number, 
/**
 * Papers in the trash (counted apart: `papers` leaves them out).
 */
trashed: number, };

export type TopicsStatus = { 
/**
 * Papers the last full fit saw (0 before the first fit).
 */
fittedPapers: number, 
/**
 * Papers in the library now.
 */
papers: number, 
/**
 * Papers added since the last full fit: placed in their nearest topic, or not placed yet.
 */
addedSinceFit: number, 
/**
 * `added_since_fit / fitted_papers` (1 before the first fit).
 */
changedShare: number, 
/**
 * No fit yet, or `changed_share` ≥ [`RECOMPUTE_SHARE`]: run `recompute_topics` in the background.
 */
needsRecompute: boolean, 
/**
 * The user's number of leaf topics (`set_topic_leaves`); `None`: chosen from the data.
 */
chosenLeaves: number | null, };

export type ExportReport = { 
/**
 * References written.
 */
papers: number, 
/**
 * Papers given a citation key by this export (they had none).
 */
keysAssigned: number, bytes: number, };

export type AutoExport = { path: string, 
/**
 * `bibtex`, `biblatex`, `csl-json`, `ris`, or a style's name (plain-text references).
 */
format: string, scope: AutoScope, 
/**
 * When the file was last written (RFC 3339); a refresh that finds the same bytes does
 * not write it again.
 */
writtenAt: string | null, 
/**
 * Why the last attempt failed (the file is left as it was), or None.
 */
error: string | null, };

export type AutoScope = { "kind": "all" } | { "kind": "collection", "value": string } | { "kind": "tag", "value": string } | { "kind": "topic", "value": string } | { "kind": "query", "value": string } | { "kind": "saved", "value": string };

export type EnrichReport = { 
/**
 * Papers with an arXiv id that lacked a title or authors.
 */
candidates: number, 
/**
 * Papers that received metadata.
 */
enriched: number, 
/**
 * Requested ids the API did not return.
 */
notFound: Array<string>, 
/**
 * HTTP requests made.
 */
requests: number, };

export type Topic = { id: number, 
/**
 * The user's label if they renamed it, else the model's.
 */
label: string, keyphrases: Array<string>, size: number, 
/**
 * The broader topic of a leaf; `None` for a broader topic.
 */
parent: number | null, 
/**
 * "leaf" or "parent".
 */
level: string, pinned: boolean, renamed: boolean, };

export type TopicWeight = { topic: number, label: string, weight: number, 
/**
 * The leaf the paper is listed under.
 */
primary: boolean, };

export type RelatedPaper = { id: number, arxivId: string | null, title: string, 
/**
 * Cosine similarity of the topic-smoothed TF-IDF vectors (see `Library::related`).
 */
score: number, };

export type TopicCount = { topic: number, label: string, parent: number | null, count: number, };

export type PaperMap = { points: Array<PaperPoint>, 
/**
 * Broader topics first, then leaves, each by id.
 */
topics: Array<MapTopic>, };

export type PaperPoint = { id: number, x: number, y: number, leaf: number, parent: number, };

export type MapTopic = { topic: number, 
/**
 * The user's label if they renamed the topic, else the model's.
 */
label: string, 
/**
 * "leaf" or "parent", as in [`crate::Topic`].
 */
level: string, x: number, y: number, papers: number, };

export type TopicYear = { topic: number, year: number, papers: number, };

export type PaperEdit = { 
/**
 * Field name (one of [`EDITABLE_FIELDS`] but `authors`) → new text.
 */
fields: { [key in string]: string }, 
/**
 * The new author list, in order, when it changes.
 */
authors?: Array<Author>, };

export type FieldError = { field: string, reason: string, };

export type AddReport = { added: Array<AddedPaper>, failed: Array<AddFailure>, };

export type AddedPaper = { 
/**
 * The identifier as given.
 */
input: string, id: number, title: string, 
/**
 * `false` when the paper was already in the library (it was merged, or brought back from
 * the trash).
 */
new: boolean, };

export type AddFailure = { input: string, reason: string, };

export type PasteReport = { 
/**
 * "identifiers", or the format the text was read as ("bibtex", "ris", "csl-json"...).
 */
format: string, 
/**
 * Identifier by identifier (empty for a bibliography).
 */
identifiers: AddReport, 
/**
 * The import of a bibliography's records (none for identifiers).
 */
import?: ImportReport, };

export type UndoReport = { 
/**
 * The step's label ("Delete 3 papers").
 */
label: string, 
/**
 * Papers whose state changed (library ids).
 */
papers: Array<number>, 
/**
 * What the next undo and redo would revert or apply, for the Edit menu.
 */
history: History, };

export type History = { undo?: string, redo?: string, };

export type EmptiedTrash = { deleted: number, 
/**
 * Stored files (of the papers deleted, or detached from theirs) moved to the system trash.
 */
filesTrashed: number, 
/**
 * Stored files that could not be moved to the system trash, and why: they stay in the
 * library folder.
 */
filesKept: Array<FileFailure>, };

export type BulkReport = { 
/**
 * Papers that changed (those that already were as asked are left out).
 */
changed: Array<number>, };

export type SavedSearch = { name: string, query: string, count: number, };

export type StyleEntry = { 
/**
 * What `--format` takes.
 */
name: string, title: string, 
/**
 * Bundled with Topica (true) or added to this library (false).
 */
bundled: boolean, 
/**
 * A dependent style's parent (the style that renders it), by name.
 */
parent: string | null, };

export type DuplicateGroup = { 
/**
 * Library ids, oldest first.
 */
ids: Array<number>, 
/**
 * Why they are proposed ("titles a few letters apart").
 */
reason: string, 
/**
 * The least title similarity within the group (trigram Jaccard, 0–1).
 */
similarity: number, };

export type MergeReport = { 
/**
 * The paper that holds the merged record.
 */
kept: number, 
/**
 * The papers merged into it (now in the trash).
 */
merged: Array<number>, };

export type Services = { 
/**
 * The arXiv API's query URL (`TOPICA_ARXIV_API`).
 */
arxivApi: string, 
/**
 * The DOI resolver's base URL (`TOPICA_DOI_RESOLVER`).
 */
doiResolver: string, 
/**
 * The Crossref REST API's base URL (`TOPICA_CROSSREF_API`).
 */
crossrefApi: string, 
/**
 * Seconds one request may take, connection to last byte.
 */
timeoutSecs: number, 
/**
 * The longest `Retry-After` (seconds) waited out once before a 429 is an error.
 */
maxRetryWaitSecs: number, };

export type AttachMode = "copy" | "link";

export type AttachedFile = { id: number, paperId: number, 
/**
 * The file's name as the user had it.
 */
name: string, 
/**
 * Where it is now (absolute).
 */
path: string, 
/**
 * `true`: the user's own file, left where it was; `false`: a copy in the library folder.
 */
linked: boolean, size: number, pages?: number, addedAt: string, text: TextState, 
/**
 * The file is not where the library says (moved or deleted behind its back): relink it.
 */
missing: boolean, };

export type TextState = { "state": "read" } | { "state": "pending" } | { "state": "noTextLayer" } | { "state": "notPdf" } | { "state": "unreadable", reason: string, };

export type AttachReport = { attached: Array<AttachedFile>, failed: Array<FileFailure>, };

export type FileFailure = { path: string, reason: string, };

export type FulltextPage = { fileId: number, 
/**
 * 1-based.
 */
page: number, text: string, };

export type PdfImportReport = { files: Array<PdfResult>, 
/**
 * New papers.
 */
added: number, 
/**
 * Papers already in the library that got a file.
 */
merged: number, failed: number, };

export type PdfResult = { path: string, outcome: PdfOutcome, 
/**
 * The paper it is attached to.
 */
paperId?: number, title?: string, 
/**
 * Where the metadata came from, or why it is thin ("no arXiv id or DOI found: title and
 * authors read from the first page").
 */
note: string, };

export type PdfOutcome = { "kind": "added" } | { "kind": "merged" } | { "kind": "alreadyThere" } | { "kind": "failed", reason: string, };

export type BackupFile = { path: string, 
/**
 * When it was taken (RFC 3339 UTC), from its name.
 */
takenAt: string, bytes: number, 
/**
 * The copy a restore took of the library it replaced.
 */
beforeRestore: boolean, };

export type RestoreReport = { 
/**
 * The backup the library now holds.
 */
restored: string, 
/**
 * A backup of the library as it was just before, to go back to.
 */
previous: BackupFile, 
/**
 * Papers in the library now (trash left out).
 */
papers: number, };

export type SemanticStatus = { 
/**
 * The model folder in use, when one is set.
 */
modelDir: string | null, 
/**
 * Whether that folder holds the model.
 */
modelPresent: boolean, 
/**
 * Why it is not usable, when it is not.
 */
problem: string | null, 
/**
 * The mode the next fit uses.
 */
mode: TopicMode, 
/**
 * The mode the user chose (None: automatic).
 */
chosen: TopicMode | null, 
/**
 * Papers with a current embedding, of all papers.
 */
embedded: number, papers: number, };

export type TopicMode = "semantic" | "lexical";

export type EmbedReport = { 
/**
 * Papers embedded now (new, or their title or abstract changed).
 */
embedded: number, 
/**
 * Papers whose embedding was already current.
 */
cached: number, cancelled: boolean, seconds: number, };

export type ModelDownload = { 
/**
 * Files fetched now (in whole or the rest of a partial one).
 */
downloaded: Array<string>, 
/**
 * Files already in place with the right checksum.
 */
present: Array<string>, 
/**
 * Bytes received.
 */
bytes: number, 
/**
 * Files resumed from an earlier partial download.
 */
resumed: Array<string>, };

export type FilePurpose = "attach" | "importPdfs" | "relink" | "backup";

export type CollectionAction = { "action": "create", name: string, } | { "action": "rename", name: string, newName: string, } | { "action": "move", name: string, parent: string | null, } | { "action": "delete", name: string, };

export type IpcError = { kind: string, message: string, 
/**
 * For `invalidFields`: each refused field with its reason, for the form to show in place.
 */
fields?: Array<FieldError>, };

export type LibraryInfo = { dir: string, stats: Stats, 
/**
 * True when this launch opened the embedded sample library.
 */
openedSample: boolean, 
/**
 * Papers re-indexed when the library was opened, because its search index was missing,
 * out of date or damaged; the window says so.
 */
indexRebuilt: number | null, 
/**
 * Topica's version (Help → About).
 */
version: string, 
/**
 * The saved searches, with what each matches now (the sidebar lists them).
 */
saved: Array<SavedSearch>, };

export type Settings = { 
/**
 * "light", "dark" or "system".
 */
theme: string, citationStyle: string, 
/**
 * The locale of copied references (`de-DE`); `None` = the style's own, else en-US.
 */
citationLocale: string | null, 
/**
 * `None` = the default location.
 */
libraryDir: string | null, 
/**
 * Libraries opened before, the most recent first (File → Open library… lists them).
 */
recentLibraries: Array<string>, 
/**
 * The view the user last looked at (opaque to the shell).
 */
lastView: unknown, 
/**
 * The metadata services' base URLs (the environment's TOPICA_ARXIV_API,
 * TOPICA_DOI_RESOLVER and TOPICA_CROSSREF_API win over these).
 */
services: Services, 
/**
 * The window's zoom (View → Zoom in/out), 1 = actual size.
 */
zoom: number, 
/**
 * How attached and imported files come in: copied into the library folder, or linked
 * where they are.
 */
attachBy: AttachMode, 
/**
 * Look up the arXiv ids and DOIs found in imported PDFs with the services above; off, a
 * PDF's paper is made from its own text (offline).
 */
pdfLookup: boolean, 
/**
 * Days a daily backup of the library is kept (in its `backups/` folder); 0 = no daily
 * backups.
 */
backupDays: number, 
/**
 * The sidebar's width in CSS pixels, as the user dragged it; `None` = the default.
 */
sidebarWidth: number | null, 
/**
 * The folder semantic mode's model is read from, chosen in Settings → Semantic topics;
 * `None` = the default model folder. Only `set_model_folder` changes it, after checking
 * the folder holds the model.
 */
modelDir: string | null, };

export type ExportScope = { "kind": "all" } | { "kind": "ids", "value": Array<string> } | { "kind": "topic", "value": string } | { "kind": "collection", "value": string } | { "kind": "collectionOnly", "value": string } | { "kind": "tag", "value": string } | { "kind": "query", "value": string };

export type OpenRequest = { 
/**
 * Files that exist, as absolute paths.
 */
files: Array<string>, 
/**
 * Papers named by `topica://paper/<ref>` links, as library ids.
 */
papers: Array<number>, 
/**
 * Arguments that could not be opened, each with why.
 */
refused: Array<string>, };
