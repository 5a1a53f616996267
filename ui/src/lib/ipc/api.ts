// The only module that talks to the shell: one typed function per IPC command, rejections
// turned into TopicaError, events and dialogs wrapped. Nothing else imports @tauri-apps/*.

import { invoke, Channel } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { getCurrentWebview } from '@tauri-apps/api/webview';
import { openUrl } from '@tauri-apps/plugin-opener';
import { writeHtml, writeText } from '@tauri-apps/plugin-clipboard-manager';
import type { EmbedReport, ModelDownload, SemanticStatus, TopicMode } from './bindings';
import type { BackupFile, OpenRequest, RestoreReport } from './bindings';
import type { AttachReport, AttachedFile, FilePurpose, FulltextPage, PdfImportReport, StyleEntry } from './bindings';
import type { AutoExport, AutoScope, BulkReport, CollectionAction, DuplicateGroup, EmptiedTrash, FieldError, History, MergeReport, PaperEdit, PasteReport, UndoReport } from './bindings';
import type { EnrichReport, PaperMap, ExportReport, ExportScope, ImportReport, LibraryInfo, Paper, PaperRow, Progress, RelatedPaper, SearchHit, SearchResults, Settings, SortBy, Topic, TopicCount, TopicWeight, TopicYear, TopicsStatus, View } from './bindings';

/** A failed command: `kind` is the engine's stable code, `message` is for the user. */
export class TopicaError extends Error {
  constructor(
    public kind: string,
    message: string,
    /** For `invalidFields`: each refused field of an edit with its reason. */
    public fields: FieldError[] = [],
  ) {
    super(message);
    this.name = 'TopicaError';
  }
}

/** Turns whatever a rejected invoke gave into a TopicaError. */
export function toTopicaError(e: unknown): TopicaError {
  if (e instanceof TopicaError) return e;
  if (e && typeof e === 'object' && 'kind' in e && 'message' in e) {
    const o = e as { kind: unknown; message: unknown; fields?: unknown };
    return new TopicaError(String(o.kind), String(o.message), Array.isArray(o.fields) ? (o.fields as FieldError[]) : []);
  }
  if (e instanceof Error) return new TopicaError('internal', e.message);
  return new TopicaError('internal', String(e));
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toTopicaError(e);
  }
}

// ---- library ----
export const libraryInfo = () => call<LibraryInfo>('library_info');
export const listIds = (view: View, sort: SortBy) => call<number[]>('list_ids', { view, sort });
export const rows = (ids: number[]) => call<PaperRow[]>('rows', { ids });
export const paper = (id: number) => call<Paper>('paper', { id });
/** The abstract with its glued words written as their words; null when it has none. */
export const readableAbstract = (id: number) => call<string | null>('readable_abstract', { id });
export const setNotes = (id: number, notes: string) => call<Paper>('set_notes', { id, notes });
export const setTags = (id: number, tags: string[]) => call<Paper>('set_tags', { id, tags });
export const setCollections = (id: number, collections: string[]) =>
  call<Paper>('set_collections', { id, collections });
export const setFlags = (id: number, flags: { read?: boolean; starred?: boolean }) =>
  call<Paper>('set_flags', { id, read: flags.read ?? null, starred: flags.starred ?? null });

// ---- managing the library ----
/** arXiv ids, DOIs (any spelling, one or many) or pasted BibTeX/RIS/CSL-JSON. */
export const addText = (text: string) => call<PasteReport>('add_text', { text });
export const updatePaper = (id: number, edit: PaperEdit) => call<Paper>('update_paper', { id, edit });
export const trash = (ids: number[]) => call<number[]>('trash', { ids });
export const restore = (ids: number[]) => call<number[]>('restore', { ids });
export const emptyTrash = () => call<EmptiedTrash>('empty_trash');
export const undo = () => call<UndoReport | null>('undo');
export const redo = () => call<UndoReport | null>('redo');
export const history = () => call<History>('history');
export const tagPapers = (ids: number[], tag: string, on: boolean) => call<BulkReport>('tag_papers', { ids, tag, on });
export const collectPapers = (ids: number[], name: string, on: boolean) => call<BulkReport>('collect_papers', { ids, name, on });
export const flagPapers = (ids: number[], flags: { read?: boolean; starred?: boolean }) =>
  call<BulkReport>('flag_papers', { ids, read: flags.read ?? null, starred: flags.starred ?? null });
export const renameTag = (from: string, to: string) => call<BulkReport>('rename_tag', { from, to });
/** A tag's colour (`#rrggbb`), or `null` to take it away. */
export const setTagColor = (tag: string, color: string | null) => call<void>('set_tag_color', { tag, color });
export const duplicates = () => call<DuplicateGroup[]>('duplicates');
/** Merges `others` into `keep`; `choices` maps a field to the paper whose value it takes. */
export const mergePapers = (keep: number, others: number[], choices: Record<string, number>) =>
  call<MergeReport>('merge_papers', { keep, others, choices });
export const markNotDuplicates = (ids: number[]) => call<number>('mark_not_duplicates', { ids });
export const saveSearch = (name: string, query: string) => call<void>('save_search', { name, query });
export const deleteSavedSearch = (name: string) => call<void>('delete_saved_search', { name });
export const renameSavedSearch = (from: string, to: string) => call<void>('rename_saved_search', { from, to });
export const reshapeCollection = (action: CollectionAction) => call<void>('reshape_collection', { action });
/** Shows the open library's folder in the file manager. */
export const revealLibrary = () => call<void>('reveal_library');

let nextJob = 1;
/** A running import: await `report`, or `cancel()` it (the library is then left unchanged).
 *  Every record that can be read comes in; the report lists the others (`strict` is the CLI's). */
export function importFiles(
  paths: string[],
  onProgress: (p: Progress) => void,
): { report: Promise<ImportReport>; cancel: () => Promise<boolean> } {
  const job = nextJob++;
  const channel = new Channel<Progress>();
  channel.onmessage = onProgress;
  const report = call<ImportReport>('import_files', { job, paths, strict: false, onProgress: channel });
  return { report, cancel: () => call<boolean>('cancel_job', { job }) };
}

/** Enrichment from the arXiv API: await `report`, or `cancel()` it. */
export function enrich(onProgress: (p: Progress) => void): { report: Promise<EnrichReport>; cancel: () => Promise<boolean> } {
  const job = nextJob++;
  const channel = new Channel<Progress>();
  channel.onmessage = onProgress;
  const report = call<EnrichReport>('enrich', { job, onProgress: channel });
  return { report, cancel: () => call<boolean>('cancel_job', { job }) };
}

/** PDF import (files, or folders searched for PDFs): await `report`, or `cancel()` it (the
 *  library is then left unchanged). Copy or link, and online lookup, follow the settings. */
export function importPdfs(
  paths: string[],
  onProgress: (p: Progress) => void,
): { report: Promise<PdfImportReport>; cancel: () => Promise<boolean> } {
  const job = nextJob++;
  const channel = new Channel<Progress>();
  channel.onmessage = onProgress;
  const report = call<PdfImportReport>('import_pdfs', { job, paths, onProgress: channel });
  return { report, cancel: () => call<boolean>('cancel_job', { job }) };
}

// ---- semantic topics ----
export const semanticStatus = () => call<SemanticStatus>('semantic_status');
/** Chooses how the library's topics are found (null: semantic where the model is). */
export const setTopicMode = (mode: TopicMode | null) => call<SemanticStatus>('set_topic_mode', { mode });
/** Reads the model from `path` (a folder chosen in `chooseFolder`), or from the default folder
 *  (null); remembered. A folder without the model is refused (kind "semantic") and changes nothing. */
export const setModelFolder = (path: string | null) => call<SemanticStatus>('set_model_folder', { path });

/** Embeds the papers without a current embedding: await `report`, or `cancel()` (what was
 *  embedded is kept). */
export function embedPapers(onProgress: (p: Progress) => void): { report: Promise<EmbedReport>; cancel: () => Promise<boolean> } {
  const job = nextJob++;
  const channel = new Channel<Progress>();
  channel.onmessage = onProgress;
  const report = call<EmbedReport>('embed_papers', { job, onProgress: channel });
  return { report, cancel: () => call<boolean>('cancel_job', { job }) };
}

/** Downloads the model into the default model folder: await `report`, or `cancel()` (the
 *  next download resumes). */
export function downloadModel(onProgress: (p: Progress) => void): { report: Promise<ModelDownload>; cancel: () => Promise<boolean> } {
  const job = nextJob++;
  const channel = new Channel<Progress>();
  channel.onmessage = onProgress;
  const report = call<ModelDownload>('download_model', { job, onProgress: channel });
  return { report, cancel: () => call<boolean>('cancel_job', { job }) };
}

// ---- files attached to papers ----
export const files = (paperId: number) => call<AttachedFile[]>('files', { paperId });
/** Attaches chosen or dropped files: copied into the library, or linked where they are. */
export const attachFiles = (paperId: number, paths: string[], link: boolean) =>
  call<AttachReport>('attach_files', { paperId, paths, link });
export const detachFiles = (fileIds: number[]) => call<number[]>('detach_files', { fileIds });
/** Points a missing file at `path` (chosen with `chooseFiles('relink')`). */
export const relinkFile = (fileId: number, path: string) => call<AttachedFile>('relink_file', { fileId, path });
export const fulltext = (paperId: number) => call<FulltextPage[]>('fulltext', { paperId });
/** An attached file's bytes (for the in-app viewer). */
export async function fileBytes(fileId: number): Promise<Uint8Array> {
  const buf = await call<ArrayBuffer | number[]>('file_bytes', { fileId });
  return buf instanceof ArrayBuffer ? new Uint8Array(buf) : Uint8Array.from(buf);
}
/** Opens an attached file in the system's viewer. */
export const openFile = (fileId: number) => call<void>('open_file', { fileId });
/** Shows an attached file in the file manager. */
export const revealFile = (fileId: number) => call<void>('reveal_file', { fileId });

/** The library's backups, the newest first. */
export const backups = () => call<BackupFile[]>('backups');
export const backupNow = () => call<BackupFile>('backup_now');
/** Puts the library back as it was in a listed backup (or one chosen with `chooseFiles('backup')`). */
export const restoreBackup = (path: string) => call<RestoreReport>('restore_backup', { path });

// ---- search ----
export const search = (query: string, limit: number) => call<SearchResults>('search', { query, limit });
/** The best `limit` hits: the first `detailed` in full, the rest as ids (`moreIds`). */
export const searchRanked = (query: string, limit: number, detailed: number) =>
  call<SearchResults>('search_ranked', { query, limit, detailed });
/** The hits of `query` among `ids`, in full with snippets (ids that do not match are left out). */
export const searchHits = (query: string, ids: number[]) => call<SearchHit[]>('search_hits', { query, ids });

// ---- export ----
/** Writes `scope` in `format` (bibtex, biblatex, ris, csl-json, or a style by name, bundled or
 *  added) to `path`; a style's references in `locale` (null: the style's own). */
export const exportFile = (format: string, scope: ExportScope, path: string, locale: string | null = null) =>
  call<ExportReport>('export_file', { format, scope, path, locale });
/** Keep-updated exports: files rewritten whenever what they hold changes. */
export const autoExports = () => call<AutoExport[]>('auto_exports');
export const addAutoExport = (format: string, scope: AutoScope, path: string) =>
  call<AutoExport>('add_auto_export', { format, scope, path });
export const removeAutoExport = (path: string) => call<void>('remove_auto_export', { path });
/** Citation styles: the bundled ones, then the library's added ones. */
export const styles = () => call<StyleEntry[]>('styles');
/** Add style…: a .csl file picked in the native dialog, added to the library (null: cancelled). Rejects with `invalidStyle` (file, line, reason) when the file is not a usable style. */
export const chooseAndAddStyle = () => call<StyleEntry | null>('choose_and_add_style');
/** Adds a .csl file the app was asked to open (a double-click, a second launch): only a path the shell received that way is taken. */
export const addStyle = (path: string) => call<StyleEntry>('add_style', { path });
/** The locales references can be rendered in. */
export const locales = () => call<string[]>('locales');
/** Removes an added style. */
export const removeStyle = (name: string) => call<void>('remove_style', { name });
/** The same export as text (Copy citation). `html`: formatted references as citeproc-js HTML
 *  (a style's only), for a rich-text copy. */
export const exportText = (format: string, scope: ExportScope, locale: string | null = null, html = false) =>
  call<string>('export_text', { format, scope, locale, html });
/** The library's citation key pattern, for papers that get a key from now on. */
export const citationKeyPattern = () => call<string>('citation_key_pattern');
/** Sets it (existing keys never change); rejects a pattern that does not parse, saying why. */
export const setCitationKeyPattern = (pattern: string) => call<string>('set_citation_key_pattern', { pattern });

// ---- topics ----
/** The topic tree, parents first; the first call on a library without topics fits them (see onTopicsProgress). */
export const topics = () => call<Topic[]>('topics');
/** Every paper with a topic on a plane, and each topic's label at the centre of its papers. */
export const paperMap = () => call<PaperMap>('paper_map');
export const topicYears = (topic: number) => call<TopicYear[]>('topic_years', { topic });
/** Ids of a topic's papers (a parent: all its leaves') in list order. */
export const topicIds = (topic: number, sort: SortBy) => call<number[]>('topic_ids', { topic, sort });
/** Of `ids` (search results), those listed under `topic`, in their order. */
export const inTopic = (ids: number[], topic: number) => call<number[]>('in_topic', { ids, topic });
export const paperTopics = (id: number) => call<TopicWeight[]>('paper_topics', { id });
export const related = (id: number, limit: number) => call<RelatedPaper[]>('related', { id, limit });
/** How many hits of `query` fall in each leaf topic, largest first. */
export const topicCounts = (query: string) => call<TopicCount[]>('topic_counts', { query });
export const renameTopic = (topic: number, label: string) => call<void>('rename_topic', { topic, label });
export const mergeTopics = (from: number, into: number) => call<void>('merge_topics', { from, into });
export const movePapers = (papers: number[], topic: number) => call<void>('move_papers', { papers, topic });
export const createTopic = (label: string, parent: number | null) => call<number>('create_topic', { label, parent });
export const splitTopic = (topic: number, parts: number) => call<number[]>('split_topic', { topic, parts });
export const pinTopic = (topic: number, pinned: boolean) => call<void>('pin_topic', { topic, pinned });
export const topicsStatus = () => call<TopicsStatus>('topics_status');
/** The number of leaf topics the next fit makes (null: automatic); stored in the library. */
export const setTopicLeaves = (leaves: number | null) => call<void>('set_topic_leaves', { leaves });
/** Refits the topics on every paper, keeping renames, pins and merges (announced by onTopicsProgress). */
export const recomputeTopics = () => call<Topic[]>('recompute_topics');

// ---- settings ----
export const getSettings = () => call<Settings>('get_settings');
export const setSettings = (settings: Settings) => call<void>('set_settings', { settings });
export const setLibraryDir = (dir: string) => call<LibraryInfo>('set_library_dir', { dir });
/** Tells the shell the first rows are on screen, with the page's startup marks (startup benchmark). */
export const painted = (marks: Record<string, number>) => call<void>('painted', { marks });

// ---- events ----
/** The open library changed (import, reopen...). Returns an unsubscribe function. */
export const onLibraryChanged = (f: (what: string) => void) => listen<string>('library-changed', (e) => f(e.payload));
/** The topic model is being fitted: `done` 0 at the start, `done === total` at the end. */
export const onTopicsProgress = (f: (p: Progress) => void) => listen<Progress>('topics-progress', (e) => f(e.payload));
/** A native menu item was chosen. */
export const onMenu = (f: (id: string) => void) => listen<string>('menu', (e) => f(e.payload));
/** What this launch was asked to open (files, topica:// links), once. */
export const takeOpened = () => call<OpenRequest>('take_opened');
/** A second launch handed the running window files or links to open. */
export const onOpenRequest = (f: (r: OpenRequest) => void) => listen<OpenRequest>('open-request', (e) => f(e.payload));
/** Files dragged onto the window: `over` while hovering, `drop` with paths, `leave`. `at` is
 *  where the pointer is, in CSS pixels of the viewport (the shell gives physical pixels). */
export function onFileDrop(f: (e: { type: 'over' | 'drop' | 'leave'; paths: string[]; at: { x: number; y: number } | null }) => void) {
  return getCurrentWebview().onDragDropEvent((event) => {
    const p = event.payload;
    const ratio = window.devicePixelRatio || 1;
    const at = 'position' in p ? { x: p.position.x / ratio, y: p.position.y / ratio } : null;
    if (p.type === 'drop') f({ type: 'drop', paths: p.paths, at });
    else if (p.type === 'leave') f({ type: 'leave', paths: [], at: null });
    else f({ type: 'over', paths: p.type === 'enter' ? p.paths : [], at });
  });
}

// ---- native dialogs (shown by the shell, which records the answer as the user's choice:
// import, export and opening a library accept only chosen, dropped or recent paths) ----
export async function chooseImportFiles(): Promise<string[]> {
  return call<string[]>('choose_import_files');
}

/** Files to attach, PDFs to import, or the one file to relink (none: cancelled). */
export async function chooseFiles(purpose: FilePurpose): Promise<string[]> {
  return call<string[]>('choose_files', { purpose });
}

export async function chooseFolder(title: string): Promise<string | null> {
  return call<string | null>('choose_folder', { title });
}

export async function chooseSavePath(fileName: string, extension: string): Promise<string | null> {
  return call<string | null>('choose_save_path', { fileName, extension });
}

/** Opens an arXiv or DOI page in the system browser (the only URLs the capability allows). */
export const openExternal = (url: string) => openUrl(url);

/** Copies text through the clipboard plugin (from Rust: the web Clipboard API wants a user
 *  gesture, which an export awaited before the copy has already used up). */
/** Copies rich text (HTML, which word processors paste with its italics) with `text` as the
 *  plain-text alternative for editors that take only that. */
export async function copyRich(html: string, text: string): Promise<void> {
  try {
    await writeHtml(html, text);
  } catch (e) {
    throw new TopicaError('clipboard', `Could not copy to the clipboard: ${String(e)}`);
  }
}

export async function copyText(text: string): Promise<void> {
  try {
    await writeText(text);
  } catch (e) {
    throw new TopicaError('clipboard', `Could not copy to the clipboard: ${String(e)}`);
  }
}
