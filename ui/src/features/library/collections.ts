// Collections nest by name (`Thesis/Chapter 2`): the sidebar's rows in tree order, each with its
// depth and the name it shows.

export type CollectionRow = { path: string; label: string; depth: number; count: number };

/** Rows in tree order: a parent before its children, siblings A→Z (case-insensitive). */
export function collectionRows(collections: [string, number][]): CollectionRow[] {
  const parts = (p: string) => p.split('/').map((s) => s.toLowerCase());
  const sorted = [...collections].sort(([a], [b]) => {
    const pa = parts(a);
    const pb = parts(b);
    for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
      const c = pa[i].localeCompare(pb[i]);
      if (c !== 0) return c;
    }
    return pa.length - pb.length;
  });
  return sorted.map(([path, count]) => {
    const segs = path.split('/');
    return { path, label: segs[segs.length - 1], depth: segs.length - 1, count };
  });
}
