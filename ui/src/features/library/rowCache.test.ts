import { describe, expect, it, vi } from 'vitest';
import { RowCache } from './rowCache';
import type { PaperRow } from '../../lib/ipc/bindings';

const row = (id: number): PaperRow => ({ id, title: `t${id}`, authors: '', year: 2020, arxivId: null, read: false, starred: false, dateAdded: '' });

describe('RowCache', () => {
  it('fetches only missing ids, in chunks, once', async () => {
    const fetch = vi.fn(async (ids: number[]) => ids.map(row));
    const c = new RowCache(fetch, () => {}, 2);
    await c.ensure([1, 2, 3]);
    expect(fetch).toHaveBeenCalledTimes(2);
    await c.ensure([2, 3, 4]);
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(fetch.mock.calls[2][0]).toEqual([4]);
    expect(c.get(4)?.title).toBe('t4');
  });

  it('does not refetch ids already in flight', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const fetch = vi.fn(async (ids: number[]) => {
      await gate;
      return ids.map(row);
    });
    const c = new RowCache(fetch);
    const a = c.ensure([1, 2]);
    const b = c.ensure([1, 2]);
    release();
    await Promise.all([a, b]);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('patches a row and notifies', async () => {
    const changed = vi.fn();
    const c = new RowCache(async (ids) => ids.map(row), changed);
    await c.ensure([7]);
    c.patch(7, { starred: true });
    expect(c.get(7)?.starred).toBe(true);
    expect(changed).toHaveBeenCalledTimes(2);
  });
});
