import { describe, expect, it, vi } from 'vitest';
import { LatestOnly } from './latest';

describe('LatestOnly', () => {
  it('debounces keystrokes into one search', async () => {
    vi.useFakeTimers();
    const run = vi.fn(async (q: string) => q.length);
    const got: number[] = [];
    const s = new LatestOnly(run, (_q, r) => { got.push(r); }, () => {}, 100);
    s.push('a');
    s.push('ab');
    s.push('abc');
    await vi.advanceTimersByTimeAsync(150);
    expect(run).toHaveBeenCalledTimes(1);
    expect(got).toEqual([3]);
    vi.useRealTimers();
  });

  it('drops a slow older response that lands after a newer one', async () => {
    const resolvers: Record<string, (v: string) => void> = {};
    const run = (q: string) => new Promise<string>((r) => (resolvers[q] = r));
    const got: string[] = [];
    const s = new LatestOnly(run, (_q, r) => { got.push(r); }, () => {}, 0);
    const a = s.now('old');
    const b = s.now('new');
    resolvers['new']('NEW');
    resolvers['old']('OLD');
    await Promise.all([a, b]);
    expect(got).toEqual(['NEW']);
  });

  it('reports errors of the latest query only', async () => {
    const fail = vi.fn();
    const s = new LatestOnly(async (q: string) => { throw new Error(q); }, () => {}, fail, 0);
    await s.now('bad');
    expect(fail).toHaveBeenCalledWith('bad', expect.any(Error));
  });
});
