import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PaperRow } from '../../lib/ipc/bindings';

// The app state talks to the shell only through api.ts; replace it with an in-memory library.
const rows: PaperRow[] = [
  { id: 1, title: 'Attention for speech', authors: 'A', year: 2021, arxivId: '2101.00001', read: false, starred: false, dateAdded: '2026-01-01' },
  { id: 2, title: 'Diffusion models', authors: 'B', year: 2023, arxivId: '2301.00002', read: true, starred: true, dateAdded: '2026-01-02' },
  { id: 3, title: 'Speech enhancement', authors: 'C', year: 2019, arxivId: null, read: false, starred: false, dateAdded: '2026-01-03' },
];
vi.mock('../../lib/ipc/api', async () => {
  class TopicaError extends Error {
    constructor(public kind: string, message: string) { super(message); }
  }
  return {
    TopicaError,
    toTopicaError: (e: unknown) => (e instanceof TopicaError ? e : new TopicaError('internal', String(e))),
    libraryInfo: vi.fn(async () => ({ dir: '/lib', openedSample: true, stats: { papers: 3, tags: [], collections: [] } })),
    getSettings: vi.fn(async () => ({ theme: 'system', citationStyle: 'apa', libraryDir: null, lastView: { view: { kind: 'starred' }, sort: 'year' } })),
    setSettings: vi.fn(async () => {}),
    listIds: vi.fn(async (view: { kind: string }, sort: string) => {
      let r = view.kind === 'starred' ? rows.filter((x) => x.starred) : [...rows];
      if (sort === 'year') r.sort((a, b) => (b.year ?? 0) - (a.year ?? 0));
      return r.map((x) => x.id);
    }),
    rows: vi.fn(async (ids: number[]) => rows.filter((r) => ids.includes(r.id))),
    searchRanked: vi.fn(async (q: string, limit: number, detailed: number) => {
      if (q.includes('"') && q.split('"').length % 2 === 0) throw new TopicaError('invalidQuery', 'invalid query at character 0: unclosed quote');
      const all = rows.filter((r) => r.title.toLowerCase().includes(q.toLowerCase())).map((r, i) => ({ id: r.id, arxivId: r.arxivId, title: r.title, year: r.year, score: 10 - i, snippet: r.title }));
      const top = all.slice(0, limit);
      return { total: all.length, hits: top.slice(0, detailed), moreIds: top.slice(detailed).map((h) => h.id), fuzzy: false };
    }),
    searchHits: vi.fn(async (q: string, ids: number[]) =>
      rows.filter((r) => ids.includes(r.id)).map((r) => ({ id: r.id, arxivId: r.arxivId, title: r.title, year: r.year, score: 1, snippet: `<b>${q}</b> in ${r.id}` })),
    ),
    paper: vi.fn(async (id: number) => ({ ...rows.find((r) => r.id === id), notes: '', tags: [], collections: [] })),
    topicIds: vi.fn(async (topic: number) => (topic === 7 ? [3, 1] : [])),
    duplicates: vi.fn(async () => [{ ids: [1, 2], reason: 'same title', similarity: 1 }]),
    topicCounts: vi.fn(async () => [{ topic: 7, label: 'speech', parent: null, count: 2 }, { topic: 8, label: 'other', parent: null, count: 1 }]),
    topics: vi.fn(async () => [
      { id: 7, label: 'speech', keyphrases: [], size: 2, parent: null, level: 'leaf', pinned: false, renamed: false },
      { id: 8, label: 'other', keyphrases: [], size: 1, parent: null, level: 'leaf', pinned: false, renamed: false },
    ]),
    // The engine knows each paper's leaf: 7 lists papers 1 and 3, 8 lists paper 2.
    inTopic: vi.fn(async (ids: number[], topic: number) => ids.filter((id) => (id === 2 ? 8 : 7) === topic)),
    topicsStatus: vi.fn(async () => ({ fittedPapers: 3, papers: 3, addedSinceFit: 0, changedShare: 0, needsRecompute: false, chosenLeaves: null })),
    history: vi.fn(async () => ({ undo: 'Delete 1 paper' })),
    trash: vi.fn(async (ids: number[]) => ids),
    undo: vi.fn(async () => ({ label: 'Delete 1 paper', papers: [1], history: { redo: 'Delete 1 paper' } })),
    setFlags: vi.fn(async (id: number, f: { starred?: boolean }) => ({ ...rows.find((r) => r.id === id), starred: f.starred })),
  };
});

const { AppState } = await import('./app.svelte');
const { topics } = await import('../topics/topics.svelte');
const api = await import('../../lib/ipc/api');

describe('AppState', () => {
  beforeEach(() => vi.clearAllMocks());

  it('starts on the remembered view and sort', async () => {
    const s = new AppState();
    await s.start();
    expect(s.view).toEqual({ kind: 'starred' });
    expect(s.sort).toBe('year');
    expect(s.ids).toEqual([2]);
    expect(s.message).toBeNull();
  });

  it('says so when opening rebuilt the search index', async () => {
    vi.mocked(api.libraryInfo).mockResolvedValueOnce({ dir: '/lib', openedSample: false, indexRebuilt: 1234, stats: { papers: 1234, tags: [], collections: [] } } as never);
    const s = new AppState();
    await s.start();
    expect(s.message?.text).toBe('The search index was missing, out of date or damaged: rebuilt from the database (1,234 papers).');
  });

  it('says it is opening the library while that takes long, with the settings applied, then what opening did', async () => {
    let opened!: () => void;
    const info = { dir: '/lib', openedSample: false, indexRebuilt: 1234, stats: { papers: 1234, tags: [], collections: [] } };
    vi.mocked(api.libraryInfo).mockImplementationOnce(() => new Promise((done) => (opened = () => done(info as never))));
    const s = new AppState();
    const started = s.start();
    await vi.waitFor(() => expect(s.message?.text).toBe('Opening the library…'), { timeout: 2000 });
    // The theme (the settings) does not wait for the library.
    expect(s.settings?.theme).toBe('system');
    opened();
    await started;
    expect(s.message?.text).toMatch(/^The search index was missing.*\(1,234 papers\)\.$/);
  });

  it('an opening that takes a glance says nothing', async () => {
    vi.useFakeTimers();
    try {
      const s = new AppState();
      await s.start();
      await vi.advanceTimersByTimeAsync(1000);
      expect(s.message).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('search shows hits by relevance, an invalid query keeps a readable error, clearing returns to the view', async () => {
    const s = new AppState();
    await s.start();
    await s.setView({ kind: 'all' });
    await s.setSort('relevance');
    await s.searchNow('speech');
    expect(s.ids).toEqual([1, 3]);
    expect(s.searchTotal).toBe(2);
    await s.searchNow('"speech');
    expect(s.queryError).toMatch(/unclosed quote/);
    expect(s.ids).toEqual([1, 3]); // the last good results stay on screen
    s.typed('');
    await vi.waitFor(() => expect(s.ids.length).toBe(3));
    expect(s.queryError).toBeNull();
    expect(s.sort).toBe('added');
  });

  it('rows ranked past the first hits get their snippets once, when shown', async () => {
    const s = new AppState();
    await s.start();
    await s.setView({ kind: 'all' });
    await s.setSort('relevance');
    vi.mocked(api.searchRanked).mockImplementationOnce(async () => ({
      total: 3,
      hits: [{ id: 1, arxivId: null, title: 'Attention for speech', year: 2021, score: 3, snippet: 'first' }],
      moreIds: [3, 2],
      fuzzy: false,
    }));
    await s.searchNow('e');
    expect(s.ids).toEqual([1, 3, 2]);
    expect([...s.snippets.keys()]).toEqual([1]);
    await s.ensureSnippets([1, 3]);
    expect(api.searchHits).toHaveBeenCalledWith('e', [3]);
    expect(s.snippets.get(3)).toBe('<b>e</b> in 3');
    await s.ensureSnippets([1, 3]); // shown again: nothing asked
    expect(api.searchHits).toHaveBeenCalledTimes(1);
    // A view replaces the results while snippets are on their way: they are dropped.
    let release!: () => void;
    vi.mocked(api.searchHits).mockImplementationOnce(async () => {
      await new Promise<void>((r) => (release = r));
      return [{ id: 2, arxivId: null, title: 'x', year: null, score: 1, snippet: 'stale' }];
    });
    const pending = s.ensureSnippets([2]);
    s.typed('');
    await vi.waitFor(() => expect(s.resultsFor).toBeNull());
    release();
    await pending;
    expect(s.snippets.has(2)).toBe(false);
  });

  it('a query typed while the cleared view\'s ids are on their way keeps its results', async () => {
    const s = new AppState();
    await s.start();
    await s.setView({ kind: 'all' });
    let release: (ids: number[]) => void = () => {};
    vi.mocked(api.listIds).mockImplementationOnce(() => new Promise((r) => (release = r)));
    s.typed('speech');
    await vi.waitFor(() => expect(s.ids).toEqual([1, 3]));
    s.typed(''); // the view's ids are requested…
    s.typed('diffusion'); // …and a new query is typed before they arrive
    await vi.waitFor(() => expect(s.ids).toEqual([2]));
    release([3, 2, 1]);
    await new Promise((r) => setTimeout(r, 10));
    expect(s.ids).toEqual([2]);
  });

  it('lists every ranked hit: the detailed ones with snippets, then the ids that came without', async () => {
    const s = new AppState();
    await s.start();
    vi.mocked(api.searchRanked).mockResolvedValueOnce({
      total: 3,
      hits: [{ id: 1, arxivId: null, title: 'Attention for speech', year: 2021, score: 9, snippet: '<b>speech</b>' }],
      moreIds: [3, 2],
      fuzzy: false,
    });
    await s.searchNow('speech');
    expect(api.searchRanked).toHaveBeenCalledWith('speech', 500, 60);
    expect(s.ids).toEqual([1, 3, 2]);
    expect([...s.snippets.keys()]).toEqual([1]);
  });

  it('search results can be re-sorted by year', async () => {
    const s = new AppState();
    await s.start();
    await s.searchNow('s');
    expect(s.sort).toBe('relevance'); // a new search starts by relevance
    await s.setSort('year');
    expect(s.ids).toEqual([2, 1, 3]);
  });

  it('starring updates the cached row without a refetch, and a view change remembers itself', async () => {
    const s = new AppState();
    await s.start();
    await s.setView({ kind: 'all' });
    await s.rows.ensure([3]);
    await s.toggleStar(3);
    expect(api.setFlags).toHaveBeenCalledWith(3, { starred: true });
    expect(s.rows.get(3)?.starred).toBe(true);
    expect(api.setSettings).toHaveBeenLastCalledWith(expect.objectContaining({ lastView: { view: { kind: 'all' }, sort: 'year' } }));
  });

  it('a topic view lists the topic\'s papers; search facets count hits per topic and narrow the results', async () => {
    const s = new AppState();
    await s.start();
    await topics.load();
    await s.setView({ kind: 'topic', id: 7, name: 'speech' });
    expect(api.topicIds).toHaveBeenCalledWith(7, 'year');
    expect(s.ids).toEqual([3, 1]);

    await s.searchNow('s');
    expect(s.ids).toEqual([1, 2, 3]);
    await vi.waitFor(() => expect(s.facets.map((f) => f.count)).toEqual([2, 1]));
    await s.setFacet(8);
    expect(api.inTopic).toHaveBeenCalledWith([1, 2, 3], 8);
    expect(s.ids).toEqual([2]);
    await s.setFacet(8); // the same facet again: all results
    expect(s.ids).toEqual([1, 2, 3]);
    await s.setFacet(7);
    expect(s.ids).toEqual([1, 3]);
    s.typed('');
    expect(s.facets).toEqual([]);
    expect(s.facet).toBeNull();
  });

  it('deleting closes the paper and offers Undo, which says what it undid', async () => {
    const s = new AppState();
    await s.start();
    await s.open(1);
    await s.trashPapers([1]);
    expect(api.trash).toHaveBeenCalledWith([1]);
    expect(s.paper).toBeNull();
    expect(s.message?.text).toBe('Moved 1 paper to the trash');
    expect(s.history.undo).toBe('Delete 1 paper');
    s.message?.action?.run();
    await vi.waitFor(() => expect(s.message?.text).toBe('Undid: Delete 1 paper'));
    expect(api.undo).toHaveBeenCalledTimes(1);
  });

  it('the duplicates view lists no papers, loads its groups, and a failed background count says nothing', async () => {
    const s = new AppState();
    await s.start();
    await vi.waitFor(() => expect(s.duplicates).toEqual([{ ids: [1, 2], reason: 'same title', similarity: 1 }]));
    await s.setView({ kind: 'duplicates' });
    expect(s.ids).toEqual([]);
    vi.mocked(api.duplicates).mockRejectedValueOnce(new Error('busy'));
    s.info_('kept');
    await s.loadDuplicates(true);
    expect(s.message?.text).toBe('kept');
    await s.setView({ kind: 'all' });
    expect(s.ids.length).toBeGreaterThan(0);
  });
});
