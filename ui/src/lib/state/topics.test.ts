import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Topic } from '../types';

// An in-memory topic model behind the api module.
let model: Topic[] = [];
const leaf = (id: number, parent: number, papers: number[], label = `leaf ${id}`): Topic => ({
  id, label, keyphrases: ['a', 'b'], size: papers.length, parent, level: 'leaf', pinned: false, renamed: false, papers,
});
function fresh() {
  model = [
    { id: 1, label: 'parent', keyphrases: [], size: 5, parent: null, level: 'parent', pinned: false, renamed: false, papers: [10, 11, 12, 13, 14] },
    leaf(2, 1, [10, 11, 12]),
    leaf(3, 1, [13, 14]),
  ];
}

vi.mock('../api', async () => {
  class TopicaError extends Error {
    constructor(public kind: string, message: string) { super(message); }
  }
  return {
    TopicaError,
    toTopicaError: (e: unknown) => (e instanceof TopicaError ? e : new TopicaError('internal', String((e as Error)?.message ?? e))),
    topics: vi.fn(async () => model.map((t) => ({ ...t }))),
    topicYears: vi.fn(async () => [{ topic: 2, year: 2020, papers: 3 }]),
    topicMap: vi.fn(async () => model.filter((t) => t.level === 'leaf').map((t, i) => ({ topic: t.id, x: i, y: 0 }))),
    renameTopic: vi.fn(async (id: number, label: string) => {
      if (!label.trim()) throw new TopicaError('invalid', 'a topic label cannot be empty');
      model = model.map((t) => (t.id === id ? { ...t, label, renamed: true } : t));
    }),
    pinTopic: vi.fn(async (id: number, pinned: boolean) => {
      model = model.map((t) => (t.id === id ? { ...t, pinned } : t));
    }),
    mergeTopics: vi.fn(async (from: number, into: number) => {
      const f = model.find((t) => t.id === from)!;
      model = model.filter((t) => t.id !== from).map((t) => (t.id === into ? { ...t, papers: [...t.papers, ...f.papers], size: t.size + f.size } : t));
    }),
  };
});

const { TopicsState } = await import('./topics.svelte');
const api = await import('../api');

describe('TopicsState', () => {
  beforeEach(() => {
    fresh();
    vi.clearAllMocks();
  });

  it('loads the tree, colours and which leaf lists each paper', async () => {
    const s = new TopicsState();
    expect(s.status).toBe('idle');
    await s.load();
    expect(s.status).toBe('ready');
    expect(s.tree.map((n) => n.leaves.map((l) => l.topic.id))).toEqual([[2, 3]]);
    expect(s.leafOf.get(13)).toBe(3);
    expect(s.colours.get(2)).toMatch(/^hsl/);
    expect(s.years).toHaveLength(1);
  });

  it('shows fitting while the shell fits the first model', async () => {
    const s = new TopicsState();
    s.progress({ phase: 'finding topics', done: 0, total: null });
    expect(s.status).toBe('fitting');
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
    expect(s.leafOf.get(14)).toBe(2);
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
    expect(api.topicMap).toHaveBeenCalledTimes(1);
    expect(s.points).toHaveLength(2);
  });
});
