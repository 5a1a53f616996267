import { describe, expect, it } from 'vitest';
import { buildTree, colours, mergeTargets } from './tree';
import type { Topic } from '../../lib/ipc/bindings';

const t = (id: number, size: number, parent: number | null, level: 'leaf' | 'parent', label = `t${id}`): Topic => ({
  id, label, keyphrases: [], size, parent, level, pinned: false, renamed: false, papers: [],
});

const list = [
  t(1, 30, null, 'parent', 'speech'),
  t(2, 60, null, 'parent', 'language'),
  t(3, 10, 1, 'leaf'),
  t(4, 20, 1, 'leaf'),
  t(5, 60, 2, 'leaf'),
  t(6, 4, 99, 'leaf', 'orphan'),
];

describe('buildTree', () => {
  it('orders parents and leaves by size and nests leaves under their parent', () => {
    const tree = buildTree(list);
    expect(tree.map((n) => n.topic.id)).toEqual([2, 1, 6]);
    expect(tree[1].leaves.map((l) => l.topic.id)).toEqual([4, 3]);
    expect(tree[2].leaves).toEqual([]); // a leaf whose parent is unknown stands alone
  });

  it('gives each parent its own hue and its leaves shades of it', () => {
    const tree = buildTree(list);
    const hue = (c: string) => c.match(/hsl\((\d+)/)![1];
    expect(new Set(tree.map((n) => hue(n.colour))).size).toBe(3);
    for (const n of tree) for (const l of n.leaves) expect(hue(l.colour)).toBe(hue(n.colour));
    expect(tree[1].leaves[0].colour).not.toBe(tree[1].leaves[1].colour);
    const all = colours(tree);
    expect([...all.keys()].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('is empty without topics', () => {
    expect(buildTree([])).toEqual([]);
  });
});

describe('mergeTargets', () => {
  it('offers the other topics of the same level', () => {
    expect(mergeTargets(list, list[2]).map((x) => x.id).sort()).toEqual([4, 5, 6]);
    expect(mergeTargets(list, list[0]).map((x) => x.id)).toEqual([2]);
  });
});
