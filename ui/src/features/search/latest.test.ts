import { describe, expect, it, vi } from 'vitest';
import { LatestOnly } from './latest';

/** A search whose answers the test releases one by one. */
function controlled() {
  const pending: { q: string; resolve: (v: string) => void; reject: (e: Error) => void }[] = [];
  const run = vi.fn((q: string) => new Promise<string>((resolve, reject) => pending.push({ q, resolve, reject })));
  return { run, pending };
}

describe('LatestOnly', () => {
  it('runs a keystroke at once when no search is in flight', async () => {
    const run = vi.fn(async (q: string) => q.length);
    const got: number[] = [];
    const s = new LatestOnly(run, (_q, r) => { got.push(r); }, () => {});
    s.push('a');
    expect(run).toHaveBeenCalledTimes(1); // no timer: the search starts within the keystroke
    await vi.waitFor(() => expect(got).toEqual([1]));
  });

  it('keeps only the newest of the queries typed while a search runs, and runs it when that returns', async () => {
    const { run, pending } = controlled();
    const got: string[] = [];
    const s = new LatestOnly(run, (_q, r) => { got.push(r); }, () => {});
    s.push('q');
    s.push('qu');
    s.push('qua');
    s.push('quan');
    expect(run.mock.calls.map((c) => c[0])).toEqual(['q']);
    pending[0].resolve('Q');
    await vi.waitFor(() => expect(run).toHaveBeenCalledTimes(2));
    expect(run.mock.calls[1][0]).toBe('quan');
    expect(got).toEqual([]); // 'q' was stale once 'quan' was typed: not shown
    pending[1].resolve('QUAN');
    await vi.waitFor(() => expect(got).toEqual(['QUAN']));
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('drops a slow older response that lands after a newer one', async () => {
    const resolvers: Record<string, (v: string) => void> = {};
    const run = (q: string) => new Promise<string>((r) => (resolvers[q] = r));
    const got: string[] = [];
    const s = new LatestOnly(run, (_q, r) => { got.push(r); }, () => {});
    const a = s.now('old');
    const b = s.now('new');
    resolvers['new']('NEW');
    resolvers['old']('OLD');
    await Promise.all([a, b]);
    expect(got).toEqual(['NEW']);
  });

  it('reports errors of the latest query only; a typed one once typing pauses', async () => {
    vi.useFakeTimers();
    const fail = vi.fn();
    const s = new LatestOnly(async (q: string) => { throw new Error(q); }, () => {}, fail, 300);
    await s.now('bad');
    expect(fail).toHaveBeenCalledWith('bad', expect.any(Error)); // Enter: at once
    fail.mockClear();
    s.push('author:"smi');
    await vi.advanceTimersByTimeAsync(100);
    expect(fail).not.toHaveBeenCalled();
    s.push('author:"smit'); // still typing: the first error never shows
    await vi.advanceTimersByTimeAsync(350);
    expect(fail).toHaveBeenCalledTimes(1);
    expect(fail).toHaveBeenCalledWith('author:"smit', expect.any(Error));
    vi.useRealTimers();
  });

  it('forgets a search in flight and the query waiting when cleared', async () => {
    const { run, pending } = controlled();
    const got: string[] = [];
    const s = new LatestOnly(run, (_q, r) => { got.push(r); }, () => {});
    s.push('a');
    s.push('ab');
    s.cancel();
    pending[0].resolve('A');
    await new Promise((r) => setTimeout(r, 10));
    expect(run).toHaveBeenCalledTimes(1);
    expect(got).toEqual([]);
  });
});
