import { describe, expect, it } from 'vitest';
import { buildTree, colours, mergeTargets, treeKey, visibleRows } from './tree';
import type { Topic } from '../../lib/ipc/bindings';

const t = (id: number, size: number, parent: number | null, level: 'leaf' | 'parent', label = `t${id}`): Topic => ({
  id, label, keyphrases: [], size, parent, level, pinned: false, renamed: false,
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

describe('keyboard in the tree', () => {
  const tree = buildTree(list); // 2 [5], 1 [4, 3], 6
  it('lists the rows shown, leaves under open parents only', () => {
    expect(visibleRows(tree, new Set()).map((r) => r.id)).toEqual([2, 5, 1, 4, 3, 6]);
    expect(visibleRows(tree, new Set([1])).map((r) => r.id)).toEqual([2, 5, 1, 6]);
  });
  it('moves up and down the rows shown, and to either end', () => {
    const rows = visibleRows(tree, new Set([2]));
    expect(treeKey(rows, 2, 'ArrowDown')).toEqual({ focus: 1 });
    expect(treeKey(rows, 1, 'ArrowDown')).toEqual({ focus: 4 });
    expect(treeKey(rows, 4, 'ArrowUp')).toEqual({ focus: 1 });
    expect(treeKey(rows, 2, 'ArrowUp')).toBeNull();
    expect(treeKey(rows, 6, 'ArrowDown')).toBeNull();
    expect(treeKey(rows, 3, 'Home')).toEqual({ focus: 2 });
    expect(treeKey(rows, 2, 'End')).toEqual({ focus: 6 });
  });
  it('opens and shuts parents with Right and Left, and goes up from a leaf', () => {
    const rows = visibleRows(tree, new Set([2]));
    expect(treeKey(rows, 2, 'ArrowRight')).toEqual({ expand: 2 });
    expect(treeKey(rows, 1, 'ArrowRight')).toEqual({ focus: 4 });
    expect(treeKey(rows, 1, 'ArrowLeft')).toEqual({ collapse: 1 });
    expect(treeKey(rows, 3, 'ArrowLeft')).toEqual({ focus: 1 });
    expect(treeKey(rows, 2, 'ArrowLeft')).toBeNull(); // already shut, at the top
    expect(treeKey(rows, 6, 'ArrowRight')).toBeNull(); // a group without leaves
    expect(treeKey(rows, 4, 'Enter')).toBeNull(); // the row's own: opens the topic
    expect(treeKey(rows, 99, 'ArrowDown')).toBeNull();
  });
});
