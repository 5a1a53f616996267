import { describe, expect, it } from 'vitest';
import { scrollToReveal, visibleRange } from './virtual';

describe('visibleRange', () => {
  it('renders only the window plus overscan at 100k rows', () => {
    const r = visibleRange(28 * 50_000, 600, 28, 100_000, 5);
    expect(r.start).toBe(50_000 - 5);
    expect(r.end - r.start).toBeLessThan(40);
  });
  it('clamps at both ends', () => {
    expect(visibleRange(0, 600, 28, 10)).toEqual({ start: 0, end: 10 });
    expect(visibleRange(1e9, 600, 28, 10).end).toBe(10);
    expect(visibleRange(0, 600, 28, 0)).toEqual({ start: 0, end: 0 });
  });
});

describe('scrollToReveal', () => {
  it('scrolls up, down, or not at all', () => {
    expect(scrollToReveal(0, 100, 280, 28)).toBe(0);
    expect(scrollToReveal(20, 0, 280, 28)).toBe(21 * 28 - 280);
    expect(scrollToReveal(3, 0, 280, 28)).toBeNull();
  });
});
