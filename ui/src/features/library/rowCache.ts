// Rows of the paper list, fetched by window: the list knows every id, but asks the engine for
// titles and authors only of the rows in view (in chunks, each id at most once in flight).

import type { PaperRow } from '../../lib/ipc/bindings';

export class RowCache {
  private rows = new Map<number, PaperRow>();
  private pending = new Set<number>();
  /** Bumped whenever rows arrive, so a view can re-render. */
  version = 0;

  constructor(
    private fetch: (ids: number[]) => Promise<PaperRow[]>,
    private onChange: () => void = () => {},
    private chunk = 200,
  ) {}

  get(id: number): PaperRow | undefined {
    return this.rows.get(id);
  }

  /** Starts fetching whichever of `ids` are neither cached nor in flight. */
  async ensure(ids: number[]): Promise<void> {
    const missing = ids.filter((id) => !this.rows.has(id) && !this.pending.has(id));
    if (missing.length === 0) return;
    missing.forEach((id) => this.pending.add(id));
    const batches: Promise<void>[] = [];
    for (let i = 0; i < missing.length; i += this.chunk) {
      const part = missing.slice(i, i + this.chunk);
      batches.push(
        this.fetch(part)
          .then((got) => {
            for (const r of got) this.rows.set(r.id, r);
            this.version++;
            this.onChange();
          })
          .finally(() => part.forEach((id) => this.pending.delete(id))),
      );
    }
    await Promise.all(batches);
  }

  /** Replaces one row after an edit (star, read) without refetching. */
  patch(id: number, change: Partial<PaperRow>) {
    const r = this.rows.get(id);
    if (r) {
      this.rows.set(id, { ...r, ...change });
      this.version++;
      this.onChange();
    }
  }

  clear() {
    this.rows.clear();
    this.version++;
  }
}
