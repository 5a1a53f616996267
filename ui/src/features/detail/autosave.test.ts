import { describe, expect, it, vi } from 'vitest';
import { NoteSaver } from './autosave';

function memoryStore() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), m };
}

describe('NoteSaver', () => {
  it('saves the last text once after typing pauses and clears the draft', async () => {
    vi.useFakeTimers();
    const save = vi.fn(async () => {});
    const drafts = memoryStore();
    const n = new NoteSaver(save, () => {}, drafts, 300);
    n.edit(1, 'h');
    n.edit(1, 'he');
    n.edit(1, 'hello');
    expect(n.draft(1)).toBe('hello');
    await vi.advanceTimersByTimeAsync(400);
    expect(save).toHaveBeenCalledTimes(1);
    expect(save).toHaveBeenCalledWith(1, 'hello');
    expect(n.state).toBe('saved');
    expect(n.draft(1)).toBeNull();
    vi.useRealTimers();
  });

  it('flush saves at once, for every paper edited', async () => {
    const save = vi.fn(async () => {});
    const n = new NoteSaver(save, () => {}, null, 10_000);
    n.edit(1, 'a');
    n.edit(2, 'b');
    await n.flush();
    expect(save.mock.calls).toEqual([[1, 'a'], [2, 'b']]);
  });

  it('keeps the text and the draft when a save fails, and retries', async () => {
    vi.useFakeTimers();
    let fail = true;
    const saved: string[] = [];
    const save = vi.fn(async (_id: number, t: string) => {
      if (fail) throw new Error('disk full');
      saved.push(t);
    });
    const drafts = memoryStore();
    const n = new NoteSaver(save, () => {}, drafts, 10, 50);
    n.edit(3, 'precious');
    await vi.advanceTimersByTimeAsync(20);
    expect(n.state).toBe('error');
    expect(n.error).toBe('disk full');
    expect(n.draft(3)).toBe('precious');
    fail = false;
    await vi.advanceTimersByTimeAsync(60);
    expect(saved).toEqual(['precious']);
    expect(n.state).toBe('saved');
    vi.useRealTimers();
  });

  it('does not overwrite newer typing with a failed older save', async () => {
    let release: (v?: unknown) => void = () => {};
    const calls: string[] = [];
    const save = vi.fn((_id: number, t: string) => {
      calls.push(t);
      return t === 'old' ? new Promise((_, rej) => (release = () => rej(new Error('x')))) : Promise.resolve();
    });
    const n = new NoteSaver(save, () => {}, null, 100_000, 100_000);
    n.edit(1, 'old');
    const f = n.flush();
    n.edit(1, 'newer');
    release();
    await f;
    await n.flush();
    expect(calls).toEqual(['old', 'newer']);
  });
});
