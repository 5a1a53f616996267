// The app's state: the open library, the current view or search, the list, the selection and
// the open paper. Components read it and call its actions; only api.ts talks to the shell.

import * as api from '../../lib/ipc/api';
import { RowCache } from './rowCache';
import { Selection } from './selection';
import { LatestOnly } from '../search/latest';
import { queryTerms } from '../search/highlight';
import { clampWidth } from './sidebarWidth';
import { topics } from '../topics/topics.svelte';
import type { DuplicateGroup, History, LibraryInfo, Paper, SearchHit, SearchResults, Settings, TopicCount, UndoReport } from '../../lib/ipc/bindings';
import type { ListSort, View } from './view';

export const SEARCH_LIMIT = 500;
/** Hits that come with their snippet; the rest of the list shows authors and arXiv id. */
export const SEARCH_DETAILED = 60;
/** Rows fetched before search results replace the list: more than a tall window shows. */
const FIRST_SCREEN = 40;
/** Libraries up to this size count their possible duplicates at start and after every change. */
const DUPLICATES_FOLLOW = 20_000;

/** What the window says when opening had to rebuild the search index from the database. */
function rebuiltNotice(papers: number): string {
  return `The search index was missing, out of date or damaged: rebuilt from the database (${papers.toLocaleString('en')} paper${papers === 1 ? '' : 's'}).`;
}

/** What the status line says while the library opens, once that takes longer than a glance. */
export const OPENING = 'Opening the library…';
/** How long opening may take before the status line says so, in ms. */
const OPENING_SHOWN_AFTER = 300;

/** `performance.now()` at each startup step, sent with the first paint for the startup benchmark. */
export const startupMarks: Record<string, number> = {};

export function viewLabel(v: View): string {
  switch (v.kind) {
    case 'all': return 'All papers';
    case 'unread': return 'Unread';
    case 'starred': return 'Starred';
    case 'recent': return 'Recently added';
    case 'tag': return `Tag: ${v.name}`;
    case 'collection': return `Collection: ${v.name}`;
    case 'topic': return `Topic: ${v.name}`;
    case 'trash': return 'Trash';
    case 'duplicates': return 'Possible duplicates';
  }
}

export function sameView(a: View, b: View): boolean {
  if (a.kind === 'topic' || b.kind === 'topic') return a.kind === b.kind && (a as { id: number }).id === (b as { id: number }).id;
  return a.kind === b.kind && ('name' in a ? a.name : '') === ('name' in b ? b.name : '');
}

/** The hits whose snippet is from a page of an attached file, by paper id. */
function pagesOf(hits: SearchHit[]): Map<number, { fileId: number; page: number }> {
  const m = new Map<number, { fileId: number; page: number }>();
  for (const h of hits) if (h.fileId != null && h.page != null) m.set(h.id, { fileId: h.fileId, page: h.page });
  return m;
}

export class AppState {
  info = $state.raw<LibraryInfo | null>(null);
  settings = $state.raw<Settings | null>(null);
  fatal = $state<string | null>(null);
  /** The status line's message; `action` is a button beside it ("Undo"). */
  message = $state<{ text: string; kind: 'error' | 'info'; action?: { label: string; run: () => void } } | null>(null);
  /** What Edit ▸ Undo and Redo would do. */
  history = $state.raw<History>({});

  view = $state.raw<View>({ kind: 'all' });
  sort = $state<ListSort>('added');
  query = $state('');
  queryError = $state<string | null>(null);
  /** The query whose results the list shows (null: a view); the list carries it as `data-results-for`. */
  resultsFor = $state<string | null>(null);
  searchTotal = $state(0);
  fuzzy = $state(false);
  /** The ids listed, in order (a view or search results). */
  ids = $state.raw<number[]>([]);
  snippets = $state.raw<Map<number, string>>(new Map());
  /** Hits whose snippet comes from a page of an attached file: that file and page. */
  hitPages = $state.raw<Map<number, { fileId: number; page: number }>>(new Map());
  /** The paper files being dragged over the window would be attached to (null: none). */
  dropPaper = $state<number | null>(null);
  rowsVersion = $state(0);
  selectionVersion = $state(0);
  paper = $state.raw<Paper | null>(null);
  /** Hits of the current search per leaf topic (facets), and the facet chosen (a topic id). */
  facets = $state.raw<TopicCount[]>([]);
  facet = $state<number | null>(null);
  /** The groups of possible duplicates (null: not looked for yet), for the view and its count. */
  duplicates = $state.raw<DuplicateGroup[] | null>(null);
  /** Search hits before the facet filter. */
  private hitIds: number[] = [];
  /** Ids whose snippets were asked for since the list last changed: each is asked for once. */
  private snippetsAsked = new Set<number>();

  readonly rows = new RowCache(api.rows, () => this.rowsVersion++);
  readonly selection = new Selection();
  private searcher = new LatestOnly<string, SearchResults>(
    (q) => api.searchRanked(q, SEARCH_LIMIT, SEARCH_DETAILED),
    (q, r) => this.showResults(q, r),
    (_q, e) => {
      const err = api.toTopicaError(e);
      this.queryError = err.message;
    },
    400, // a typed query's error shows once typing pauses
  );

  get searching() {
    return this.query.trim().length > 0;
  }
  get terms() {
    return this.searching ? queryTerms(this.query) : [];
  }
  get theme() {
    return this.settings?.theme ?? 'system';
  }
  get zoom() {
    return this.settings?.zoom ?? 1;
  }
  /** The sidebar's width in CSS pixels (the settings' `sidebarWidth`, within its bounds). */
  get sidebarWidth() {
    return clampWidth(this.settings?.sidebarWidth);
  }

  /** Resizes the sidebar at once; `save` remembers the width (the end of a drag, a key). */
  async setSidebarWidth(width: number, save: boolean) {
    if (!this.settings) return;
    const s = { ...this.settings, sidebarWidth: clampWidth(width) };
    if (save) await this.saveSettings(s);
    else this.settings = s;
  }

  /** View → Zoom: steps of 10 %, from 50 % to 200 %; `0` goes back to actual size. */
  async zoomBy(step: number) {
    if (!this.settings) return;
    const z = step === 0 ? 1 : Math.min(2, Math.max(0.5, Math.round((this.zoom + step) * 10) / 10));
    await this.saveSettings({ ...this.settings, zoom: z });
  }

  /** View → Light / dark: the other one of what is shown now. */
  async toggleTheme() {
    if (!this.settings) return;
    const dark = document.documentElement.dataset.theme === 'dark';
    await this.saveSettings({ ...this.settings, theme: dark ? 'light' : 'dark' });
  }

  async start() {
    startupMarks.start = performance.now();
    // The library opens beside the first paint; one whose search index must be rebuilt takes
    // a while (a minute at a million papers), so the window says what it is waiting for.
    const opening = setTimeout(() => this.info_(OPENING), OPENING_SHOWN_AFTER);
    try {
      // The settings (the theme) apply at once, not when the library has opened.
      const settingsRead = api.getSettings().then((settings) => (this.settings = settings));
      const [info, settings] = await Promise.all([api.libraryInfo(), settingsRead]);
      startupMarks.info = performance.now();
      clearTimeout(opening);
      if (this.message?.text === OPENING) this.message = null;
      this.info = info;
      const last = settings.lastView as { view?: View; sort?: ListSort } | null;
      if (last?.view && typeof last.view === 'object' && 'kind' in last.view) this.view = last.view;
      if (last?.sort && last.sort !== 'relevance') this.sort = last.sort;
      // Not reload(): that would ask for the library info a second time.
      await this.loadView();
      startupMarks.list = performance.now();
      if (info.indexRebuilt) this.info_(rebuiltNotice(info.indexRebuilt));
      void topics.load();
      // The sidebar's count of possible duplicates, after the first paint; a large library's
      // is counted when its view is opened (a scan of every paper: seconds at a million).
      if (this.view.kind !== 'duplicates' && (info.stats.papers ?? 0) <= DUPLICATES_FOLLOW) void this.loadDuplicates(true);
    } catch (e) {
      clearTimeout(opening);
      this.fatal = api.toTopicaError(e).message;
    }
  }

  /** Opens (or creates, in an empty folder) the library at `dir` and shows it. */
  async openLibrary(dir: string) {
    try {
      this.info = await api.setLibraryDir(dir);
      this.settings = await api.getSettings();
      this.paper = null;
      await this.setView({ kind: 'all' });
      void topics.load();
      this.info_(`Opened ${dir}${this.info.indexRebuilt ? `. ${rebuiltNotice(this.info.indexRebuilt)}` : ''}`);
    } catch (e) {
      this.error(e);
    }
  }

  /** A bulk action over the selection: one undo step, offered in the message. */
  async bulk(what: string, f: () => Promise<{ changed: number[] }>, countPapers = true) {
    try {
      const r = await f();
      const n = r.changed.length;
      // Reshaping collections and saved searches changes no paper: the message says what was done.
      const text = countPapers ? `${what}: ${n} paper${n === 1 ? '' : 's'} changed` : what;
      this.message = { text, kind: 'info', action: { label: 'Undo', run: () => void this.undo() } };
      await this.reload();
    } catch (e) {
      this.error(e);
    }
  }

  /** Moves papers to the trash and offers to undo it. */
  async trashPapers(ids: number[]) {
    if (ids.length === 0) return;
    try {
      const moved = await api.trash(ids);
      if (this.paper && moved.includes(this.paper.id)) this.paper = null;
      const n = moved.length;
      this.message = {
        text: `Moved ${n} paper${n === 1 ? '' : 's'} to the trash`,
        kind: 'info',
        action: { label: 'Undo', run: () => void this.undo() },
      };
      await this.reload();
    } catch (e) {
      this.error(e);
    }
  }

  async restorePapers(ids: number[]) {
    if (ids.length === 0) return;
    try {
      const back = await api.restore(ids);
      if (this.paper && back.includes(this.paper.id)) this.paper = null;
      this.info_(`Restored ${back.length} paper${back.length === 1 ? '' : 's'}`);
      await this.reload();
    } catch (e) {
      this.error(e);
    }
  }

  async emptyTrash() {
    try {
      const r = await api.emptyTrash();
      this.paper = null;
      let text = `Deleted ${r.deleted} paper${r.deleted === 1 ? '' : 's'} for good`;
      if (r.filesTrashed) text += `; ${r.filesTrashed} stored file${r.filesTrashed === 1 ? '' : 's'} moved to the system trash`;
      if (r.filesKept.length) {
        // Nothing is lost: these stay in the library folder, and the user should know why.
        const kept = r.filesKept.map((f) => `${f.path.split(/[\\/]/).pop()} (${f.reason})`).join('; ');
        this.message = { text: `${text}. Kept in the library folder, as they could not be moved to the system trash: ${kept}`, kind: 'error' };
      } else {
        this.info_(text);
      }
      await this.reload();
    } catch (e) {
      this.error(e);
    }
  }

  async undo() {
    await this.step(api.undo, 'Undid', 'Nothing to undo');
  }

  async redo() {
    await this.step(api.redo, 'Redid', 'Nothing to redo');
  }

  private async step(f: () => Promise<UndoReport | null>, done: string, none: string) {
    try {
      const r = await f();
      if (!r) {
        this.info_(none);
        return;
      }
      this.history = r.history;
      this.info_(`${done}: ${r.label}`);
      await this.reload();
    } catch (e) {
      this.error(e);
    }
  }

  error(e: unknown) {
    this.message = { text: api.toTopicaError(e).message, kind: 'error' };
  }
  info_(text: string) {
    this.message = { text, kind: 'info' };
  }

  /** Re-reads the library (after an import or a move) and the current list. */
  async reload() {
    try {
      [this.info, this.history] = await Promise.all([api.libraryInfo(), api.history()]);
      this.rows.clear();
      if (this.searching) await this.searcher.now(this.query);
      else await this.loadView();
      if (this.paper) this.paper = await api.paper(this.paper.id).catch(() => null);
      if (topics.status !== 'idle') void topics.load();
      // The sidebar's duplicate count follows changes where looking is cheap (≤ 0.15 s); a
      // bigger library counts again when the view is opened.
      if (this.view.kind !== 'duplicates' && (this.info?.stats.papers ?? 0) <= DUPLICATES_FOLLOW) void this.loadDuplicates(true);
    } catch (e) {
      this.error(e);
    }
  }

  async setView(v: View) {
    this.view = v;
    this.facets = [];
    this.facet = null;
    this.query = '';
    this.queryError = null;
    this.searcher.cancel();
    if (this.sort === 'relevance') this.sort = 'added';
    await this.loadView();
    void this.remember();
  }

  async setSort(s: ListSort) {
    this.sort = s;
    if (this.searching) await this.searcher.now(this.query);
    else await this.loadView();
    void this.remember();
  }

  /** Number of the last view load started: an older one's ids never replace a newer list. */
  private viewLoads = 0;

  /** Looks for possible duplicates again (linear in the library: 0.7 s at 100k papers).
   *  `quiet`: a background refresh of the sidebar's count, whose failure is not worth a message. */
  async loadDuplicates(quiet = false) {
    try {
      const groups = await api.duplicates();
      // Each group is listed by its first paper's title.
      await this.rows.ensure(groups.map((g) => g.ids[0]));
      this.duplicates = groups;
    } catch (e) {
      if (!quiet) this.error(e);
    }
  }

  private async loadView() {
    const sort = this.sort === 'relevance' ? 'added' : this.sort;
    const v = this.view;
    const mine = ++this.viewLoads;
    if (v.kind === 'duplicates') {
      this.setIds([]);
      await this.loadDuplicates();
      return;
    }
    try {
      const ids = v.kind === 'topic' ? await api.topicIds(v.id, sort) : await api.listIds(v, sort);
      // Superseded by another view, or the user typed a query while 100k ids were on their way.
      if (mine !== this.viewLoads || this.searching) return;
      this.setSnippets(new Map());
      this.resultsFor = null;
      this.setIds(ids);
    } catch (e) {
      this.error(e);
    }
  }

  /** Typing in the search bar. */
  typed(q: string) {
    if (!this.searching && q.trim()) this.sort = 'relevance'; // a new search starts by relevance
    this.query = q;
    this.facet = null;
    if (!q.trim()) {
      this.searcher.cancel();
      this.queryError = null;
      this.facets = [];
      this.facet = null;
      if (this.sort === 'relevance') this.sort = 'added';
      void this.loadView();
      return;
    }
    this.searcher.push(q);
  }

  searchNow(q: string) {
    if (!this.searching && q.trim()) this.sort = 'relevance';
    this.query = q;
    return this.searcher.now(q);
  }

  private async showResults(_q: string, r: SearchResults) {
    this.queryError = null;
    let ids = [...r.hits.map((h) => h.id), ...r.moreIds];
    if (this.sort === 'relevance') {
      // The first screen's rows come before the list changes, so the results paint once, whole;
      // a query typed meanwhile supersedes these results.
      await this.rows.ensure(ids.slice(0, FIRST_SCREEN));
      if (_q !== this.query) return;
    } else if (ids.length > 0) {
      // Search results are at most SEARCH_LIMIT: fetch their rows and order them here.
      await this.rows.ensure(ids);
      const key = (id: number) => this.rows.get(id);
      const cmp: Record<string, (a: number, b: number) => number> = {
        year: (a, b) => (key(b)?.year ?? -1e9) - (key(a)?.year ?? -1e9),
        title: (a, b) => (key(a)?.title ?? '').localeCompare(key(b)?.title ?? ''),
        added: (a, b) => (key(b)?.dateAdded ?? '').localeCompare(key(a)?.dateAdded ?? '') || b - a,
      };
      ids = [...ids].sort(cmp[this.sort]);
    }
    this.hitIds = ids;
    // Count, snippets and list change together: a superseded search above changes none.
    this.searchTotal = r.total;
    this.fuzzy = r.fuzzy;
    this.setSnippets(new Map(r.hits.map((h) => [h.id, h.snippet])), pagesOf(r.hits));
    this.resultsFor = _q;
    const shown = await this.facetFilter(ids);
    if (_q !== this.query) return;
    this.setIds(shown);
    // Counts per topic read every match: asked for after the list, so they never delay it.
    void this.loadFacets(_q);
  }

  private setSnippets(m: Map<number, string>, pages = new Map<number, { fileId: number; page: number }>()) {
    this.snippets = m;
    this.hitPages = pages;
    this.snippetsAsked = new Set();
  }

  /**
   * Snippets for rows on screen that came as ids only (ranked after the first, detailed hits),
   * asked for once as the user scrolls to them; until they come the row shows its authors.
   */
  async ensureSnippets(ids: number[]) {
    const q = this.resultsFor;
    if (q === null) return;
    const asked = this.snippetsAsked;
    const missing = ids.filter((id) => !this.snippets.has(id) && !asked.has(id));
    if (missing.length === 0) return;
    missing.forEach((id) => asked.add(id));
    try {
      const hits = await api.searchHits(q, missing);
      if (asked !== this.snippetsAsked) return; // the list changed meanwhile
      const next = new Map(this.snippets);
      for (const h of hits) next.set(h.id, h.snippet);
      this.snippets = next;
      const found = pagesOf(hits);
      if (found.size) this.hitPages = new Map([...this.hitPages, ...found]);
    } catch {
      // Rows keep their authors and arXiv id; the query itself was accepted moments ago.
    }
  }

  private async loadFacets(q: string) {
    try {
      const f = await api.topicCounts(q);
      if (q === this.query) this.facets = f;
    } catch {
      this.facets = []; // the list already says what is wrong with the query
    }
  }

  /** The results listed under the chosen facet; the engine knows each paper's leaf. */
  private async facetFilter(ids: number[]) {
    const f = this.facet;
    return f === null ? ids : api.inTopic(ids, f);
  }

  /** Narrows the search results to one leaf topic (null: all results). */
  async setFacet(topic: number | null) {
    this.facet = this.facet === topic ? null : topic;
    const facet = this.facet;
    const shown = await this.facetFilter(this.hitIds);
    if (facet === this.facet) this.setIds(shown);
  }

  private setIds(ids: number[]) {
    this.ids = ids;
    this.selection.reset(ids);
    this.selectionVersion++;
  }

  async open(id: number | null) {
    if (id === null) {
      this.paper = null;
      return;
    }
    try {
      this.paper = await api.paper(id);
    } catch (e) {
      this.error(e);
    }
  }

  /** Makes exactly `ids` the selection (a lasso on the map). When some are not in the list on
   *  screen (another view, a search), all papers are listed first, so each one is selected and
   *  the selection's bulk actions reach all of them. */
  async selectPapers(ids: number[]) {
    const listed = new Set(this.ids);
    if (!ids.every((id) => listed.has(id))) await this.setView({ kind: 'all' });
    this.selection.only(ids);
    this.selectionVersion++;
  }

  /** Opens a paper that may not be in the current list (a related paper). */
  async openAnywhere(id: number) {
    const idx = this.ids.indexOf(id);
    if (idx >= 0) {
      this.selection.click(idx);
      this.selectionVersion++;
    }
    await this.open(id);
  }

  async toggleStar(id: number) {
    const row = this.rows.get(id);
    const current = this.paper?.id === id ? this.paper.starred : (row?.starred ?? false);
    await this.edit(id, () => api.setFlags(id, { starred: !current }));
  }

  async setRead(id: number, read: boolean) {
    await this.edit(id, () => api.setFlags(id, { read }));
  }

  /** Applies an edit, then refreshes the row, the open paper and the sidebar counts. */
  async edit(id: number, f: () => Promise<Paper>) {
    try {
      const p = await f();
      this.rows.patch(id, { starred: p.starred, read: p.read });
      if (this.paper?.id === id) this.paper = p;
      this.info = await api.libraryInfo();
    } catch (e) {
      this.error(e);
    }
  }

  async saveSettings(s: Settings) {
    this.settings = s;
    try {
      await api.setSettings(s);
    } catch (e) {
      this.error(e);
    }
  }

  private async remember() {
    if (!this.settings) return;
    await this.saveSettings({ ...this.settings, lastView: { view: this.view, sort: this.sort } });
  }
}

export const app = new AppState();
