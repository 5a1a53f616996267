import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Topic } from '../../lib/ipc/bindings';

// An in-memory topic model behind the api module; it knows each topic's papers, the tree the
// engine sends does not.
type Held = Topic & { papers: number[] };
let model: Held[] = [];
// Papers added since the last fit, and the library's number of leaves (null: automatic).
let added = 0;
let chosen: number | null = null;
// Semantic mode: papers with an embedding (of 5 + added); null = lexical mode.
let embedded: number | null = null;
const leaf = (id: number, parent: number, papers: number[], label = `leaf ${id}`): Held => ({
  id, label, keyphrases: ['a', 'b'], size: papers.length, parent, level: 'leaf', pinned: false, renamed: false, papers,
});
function fresh() {
  added = 0;
  chosen = null;
  embedded = null;
  model = [
    { id: 1, label: 'parent', keyphrases: [], size: 5, parent: null, level: 'parent', pinned: false, renamed: false, papers: [10, 11, 12, 13, 14] },
    leaf(2, 1, [10, 11, 12]),
    leaf(3, 1, [13, 14]),
  ];
}

vi.mock('../../lib/ipc/api', async () => {
  class TopicaError extends Error {
    constructor(public kind: string, message: string) { super(message); }
  }
  return {
    TopicaError,
    toTopicaError: (e: unknown) => (e instanceof TopicaError ? e : new TopicaError('internal', String((e as Error)?.message ?? e))),
    topics: vi.fn(async () => model.map(({ papers: _, ...t }) => t)),
    paperMap: vi.fn(async () => ({
      points: model.filter((t) => t.level === 'leaf').flatMap((t, i) => t.papers.map((id) => ({ id, x: i, y: 0, leaf: t.id, parent: t.parent! }))),
      topics: model.map((t, i) => ({ topic: t.id, label: t.label, level: t.level, x: i, y: 0, papers: t.size })),
    })),
    renameTopic: vi.fn(async (id: number, label: string) => {
      if (!label.trim()) throw new TopicaError('invalid', 'a topic label cannot be empty');
      model = model.map((t) => (t.id === id ? { ...t, label, renamed: true } : t));
    }),
    pinTopic: vi.fn(async (id: number, pinned: boolean) => {
      model = model.map((t) => (t.id === id ? { ...t, pinned } : t));
    }),
    topicsStatus: vi.fn(async () => ({
      fittedPapers: 5, papers: 5 + added, addedSinceFit: added, changedShare: added / 5, needsRecompute: added / 5 >= 0.2, chosenLeaves: chosen,
    })),
    setTopicLeaves: vi.fn(async (leaves: number | null) => { chosen = leaves; }),
    semanticStatus: vi.fn(async () => ({
      modelDir: embedded === null ? null : '/models', modelPresent: embedded !== null, problem: null,
      mode: embedded === null ? 'lexical' : 'semantic', chosen: null, embedded: embedded ?? 0, papers: 5 + added,
    })),
    embedPapers: vi.fn((onProgress: (p: { phase: string; done: number; total: number | null }) => void) => {
      let cancelled = false;
      const todo = 5 + added - (embedded ?? 0);
      const report = (async () => {
        for (let done = 1; done <= todo; done++) {
          await new Promise((r) => setTimeout(r, 20));
          if (cancelled) return { embedded: done - 1, cached: 0, cancelled: true, seconds: 0 };
          embedded = (embedded ?? 0) + 1;
          onProgress({ phase: 'embedding', done, total: todo });
        }
        return { embedded: todo, cached: 5, cancelled: false, seconds: 0 };
      })();
      return { report, cancel: async () => { cancelled = true; return true; } };
    }),
    recomputeTopics: vi.fn(async () => {
      // A refit: every paper, new ones included, in as many leaves as chosen (else two).
      const papers = [10, 11, 12, 13, 14, ...Array.from({ length: added }, (_, i) => 15 + i)];
      const k = chosen ?? 2;
      model = [
        { id: 100, label: 'parent', keyphrases: [], size: papers.length, parent: null, level: 'parent', pinned: false, renamed: false, papers },
        ...Array.from({ length: k }, (_, i) => leaf(101 + i, 100, papers.filter((_, j) => j % k === i))),
      ];
      added = 0;
      return model;
    }),
    mergeTopics: vi.fn(async (from: number, into: number) => {
      const f = model.find((t) => t.id === from)!;
      model = model.filter((t) => t.id !== from).map((t) => (t.id === into ? { ...t, papers: [...t.papers, ...f.papers], size: t.size + f.size } : t));
    }),
  };
});

const { TopicsState } = await import('./topics.svelte');
const api = await import('../../lib/ipc/api');

describe('TopicsState', () => {
  beforeEach(() => {
    fresh();
    vi.clearAllMocks();
  });

  it('loads the tree with sizes and colours, no papers', async () => {
    const s = new TopicsState();
    expect(s.status).toBe('idle');
    await s.load();
    expect(s.status).toBe('ready');
    expect(s.tree.map((n) => n.leaves.map((l) => l.topic.id))).toEqual([[2, 3]]);
    expect(s.byId(3)?.size).toBe(2);
    expect(s.byId(3)).not.toHaveProperty('papers');
    expect(s.colours.get(2)).toMatch(/^hsl/);
  });

  it('shows fitting while the shell fits the first model, and counts the fits that end', async () => {
    const s = new TopicsState();
    s.progress({ phase: 'finding topics', done: 0, total: null });
    expect(s.status).toBe('fitting');
    expect(s.fits).toBe(0);
    s.progress({ phase: 'finding topics', done: 1, total: 1 });
    expect(s.fits).toBe(1);
    await s.load();
    expect(s.status).toBe('ready');
    s.progress({ phase: 'finding topics', done: 0, total: null });
    expect(s.status).toBe('ready');
  });

  it('renames, pins and merges through the engine and reloads', async () => {
    const s = new TopicsState();
    await s.load();
    await s.rename(2, '  speech enhancement ');
    expect(api.renameTopic).toHaveBeenCalledWith(2, 'speech enhancement');
    expect(s.byId(2)?.label).toBe('speech enhancement');
    await s.rename(2, 'speech enhancement'); // unchanged: no call
    await s.rename(2, '   '); // empty: no call
    expect(api.renameTopic).toHaveBeenCalledTimes(1);

    await s.pin(3, true);
    expect(s.byId(3)?.pinned).toBe(true);

    await s.merge(3, 2);
    expect(s.byId(3)).toBeUndefined();
    expect(s.byId(2)?.size).toBe(5);
  });

  it('refits in the background once enough papers were added, keeping the old tree on screen meanwhile', async () => {
    const s = new TopicsState();
    await s.load();
    expect(api.recomputeTopics).not.toHaveBeenCalled();
    expect(s.freshness?.needsRecompute).toBe(false);

    added = 2; // 40 % of the 5 fitted papers
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const refit = vi.mocked(api.recomputeTopics).getMockImplementation()!;
    vi.mocked(api.recomputeTopics).mockImplementationOnce(async () => { await gate; return refit(); });
    await s.load();
    expect(s.recomputing).toBe(true);
    expect(s.byId(2)).toBeDefined(); // the previous tree stays while the refit runs
    await s.recompute(); // a second request while one runs does nothing
    release();
    await vi.waitFor(() => expect(s.recomputing).toBe(false));
    await vi.waitFor(() => expect(s.byId(101)).toBeDefined());
    expect(api.recomputeTopics).toHaveBeenCalledTimes(1);
    expect(s.fits).toBe(1);
    // The new papers are in the new leaves.
    expect(s.list.filter((t) => t.level === 'leaf').reduce((n, t) => n + t.size, 0)).toBe(7);
    expect(s.freshness?.addedSinceFit).toBe(0);
  });

  it('sets the number of topics in the library and refits with it', async () => {
    const s = new TopicsState();
    await s.load();
    await s.setLeaves(3);
    expect(api.setTopicLeaves).toHaveBeenCalledWith(3);
    expect(s.freshness?.chosenLeaves).toBe(3);
    expect(s.list.filter((t) => t.level === 'leaf')).toHaveLength(3);
    await s.setLeaves(null);
    expect(s.freshness?.chosenLeaves).toBeNull();
    expect(s.list.filter((t) => t.level === 'leaf')).toHaveLength(2);
  });

  it('embeds the papers without an embedding before a semantic refit, with progress; Cancel keeps the topics', async () => {
    const s = new TopicsState();
    await s.load();
    embedded = 5;
    added = 3;
    const run = s.recompute();
    // Progress while it embeds: some done, of the three without an embedding.
    await vi.waitFor(() => expect(s.embedding?.done).toBeGreaterThanOrEqual(1), { interval: 2 });
    expect(s.embedding?.total).toBe(3);
    expect(s.recomputing).toBe(true);
    await run;
    expect(embedded).toBe(8);
    expect(api.recomputeTopics).toHaveBeenCalledTimes(1);
    expect(s.embedding).toBeNull();
    expect(s.byId(101)).toBeDefined();

    // Cancelled: nothing is refitted, the tree stays.
    vi.mocked(api.recomputeTopics).mockClear();
    added = 6;
    const again = s.recompute();
    await vi.waitFor(() => expect(s.embedding).not.toBeNull(), { interval: 2 });
    await s.cancelRecompute();
    await again;
    expect(api.recomputeTopics).not.toHaveBeenCalled();
    expect(s.recomputing).toBe(false);
    expect(s.embedding).toBeNull();
    expect(s.byId(101)).toBeDefined();
  });

  it('says why a refit failed', async () => {
    const s = new TopicsState();
    await s.load();
    vi.mocked(api.recomputeTopics).mockRejectedValueOnce(new Error('disk full'));
    await s.recompute();
    expect(s.status).toBe('error');
    expect(s.error).toMatch(/disk full/);
    expect(s.recomputing).toBe(false);
  });

  it('keeps the error readable when loading fails, and the map is fetched once', async () => {
    const s = new TopicsState();
    vi.mocked(api.topics).mockRejectedValueOnce(new Error('database is locked'));
    await s.load();
    expect(s.status).toBe('error');
    expect(s.error).toMatch(/locked/);
    await s.load();
    await s.loadMap();
    await s.loadMap();
    expect(api.paperMap).toHaveBeenCalledTimes(1);
    expect(s.map?.points).toHaveLength(5);
  });
});
