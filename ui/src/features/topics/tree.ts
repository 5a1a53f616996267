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
