// The topic tree as the sidebar and map draw it: parents with their leaves (largest first) and a
// colour per parent (leaves share their parent's hue at different lightness).

import type { Topic } from '../../lib/ipc/bindings';

export interface TopicNode {
  topic: Topic;
  colour: string;
  leaves: { topic: Topic; colour: string }[];
}

/** Hues far apart on the wheel, in the order parents get them (largest parent first). */
const HUES = [212, 28, 145, 340, 265, 48, 185, 5, 95, 305];

export function parentHue(index: number): number {
  return HUES[index % HUES.length] + 7 * Math.floor(index / HUES.length);
}

export function colourOf(hue: number, shade = 0): string {
  const light = 50 + ((shade * 9) % 27) - 4;
  return `hsl(${hue} 62% ${light}%)`;
}

/** Parents largest first, each with its leaves largest first; leaves without a known parent
 *  (a model with one level) become their own group. */
export function buildTree(topics: Topic[]): TopicNode[] {
  const bySize = (a: Topic, b: Topic) => b.size - a.size || a.label.localeCompare(b.label) || a.id - b.id;
  const parents = topics.filter((t) => t.level === 'parent').sort(bySize);
  const known = new Set(parents.map((p) => p.id));
  const leaves = topics.filter((t) => t.level === 'leaf');
  const orphans = leaves.filter((l) => l.parent === null || !known.has(l.parent)).sort(bySize);
  const groups: Topic[] = [...parents, ...orphans].sort(bySize);
  return groups.map((g, i) => {
    const hue = parentHue(i);
    const children = g.level === 'parent' ? leaves.filter((l) => l.parent === g.id).sort(bySize) : [];
    return {
      topic: g,
      colour: colourOf(hue),
      leaves: children.map((l, j) => ({ topic: l, colour: colourOf(hue, j + 1) })),
    };
  });
}

/** Colour of every topic id (parents and leaves) in a built tree. */
export function colours(tree: TopicNode[]): Map<number, string> {
  const m = new Map<number, string>();
  for (const n of tree) {
    m.set(n.topic.id, n.colour);
    for (const l of n.leaves) m.set(l.topic.id, l.colour);
  }
  return m;
}

/** Leaves a topic can be merged into: the other topics at the same level. */
export function mergeTargets(topics: Topic[], from: Topic): Topic[] {
  return topics
    .filter((t) => t.id !== from.id && t.level === from.level)
    .sort((a, b) => a.label.localeCompare(b.label));
}

/** A row of the tree as the sidebar shows it (a collapsed parent hides its leaves). */
export interface TreeRow {
  id: number;
  /** The parent row's id, for a leaf shown under one. */
  parent: number | null;
  /** Whether the row has leaves under it (can be expanded or collapsed). */
  hasLeaves: boolean;
  collapsed: boolean;
}

/** The rows shown, top to bottom. */
export function visibleRows(tree: TopicNode[], collapsed: Set<number>): TreeRow[] {
  const rows: TreeRow[] = [];
  for (const n of tree) {
    const shut = collapsed.has(n.topic.id);
    rows.push({ id: n.topic.id, parent: null, hasLeaves: n.leaves.length > 0, collapsed: shut });
    if (!shut) for (const l of n.leaves) rows.push({ id: l.topic.id, parent: n.topic.id, hasLeaves: false, collapsed: false });
  }
  return rows;
}

export type TreeKeyAction = { focus: number } | { expand: number } | { collapse: number };

/** What a key does on the row `id` (the WAI-ARIA tree pattern): Up/Down the previous/next row,
 *  Home/End the first/last, Right expands a collapsed parent or enters an open one, Left
 *  collapses an open parent or goes up from a leaf. Null: the key is not the tree's (Enter
 *  stays the row's own: it opens the topic). */
export function treeKey(rows: TreeRow[], id: number, key: string): TreeKeyAction | null {
  const i = rows.findIndex((r) => r.id === id);
  if (i < 0 || rows.length === 0) return null;
  const row = rows[i];
  switch (key) {
    case 'ArrowDown': return i + 1 < rows.length ? { focus: rows[i + 1].id } : null;
    case 'ArrowUp': return i > 0 ? { focus: rows[i - 1].id } : null;
    case 'Home': return { focus: rows[0].id };
    case 'End': return { focus: rows[rows.length - 1].id };
    case 'ArrowRight':
      if (!row.hasLeaves) return null;
      return row.collapsed ? { expand: row.id } : { focus: rows[i + 1].id };
    case 'ArrowLeft':
      if (row.hasLeaves && !row.collapsed) return { collapse: row.id };
      return row.parent !== null ? { focus: row.parent } : null;
    default: return null;
  }
}
