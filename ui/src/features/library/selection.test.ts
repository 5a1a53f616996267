import { describe, expect, it } from 'vitest';
import { Selection } from './selection';

describe('Selection', () => {
  const ids = [10, 11, 12, 13, 14, 15];

  it('click selects one, ctrl-click toggles, shift-click selects a range', () => {
    const s = new Selection(ids);
    s.click(1);
    expect(s.selected()).toEqual([11]);
    s.click(3, { toggle: true });
    expect(s.selected()).toEqual([11, 13]);
    s.click(5, { range: true });
    expect(s.selected()).toEqual([13, 14, 15]);
    s.click(3, { toggle: true });
    expect(s.selected()).toEqual([14, 15]);
  });

  it('selects exactly a given set of listed ids, in list order', () => {
    const s = new Selection(ids);
    s.click(0);
    s.only([15, 12, 99]);
    expect(s.selected()).toEqual([12, 15]);
    expect(s.focusedId()).toBe(10);
    s.only([]);
    expect(s.selected()).toEqual([]);
  });

  it('arrow keys move the cursor and shift extends from the anchor', () => {
    const s = new Selection(ids);
    s.move(1);
    expect(s.focusedId()).toBe(10);
    s.move(1);
    s.move(1, true);
    s.move(1, true);
    expect(s.selected()).toEqual([11, 12, 13]);
    s.move(-10);
    expect(s.selected()).toEqual([10]);
    s.move(100);
    expect(s.focusedId()).toBe(15);
  });

  it('keeps the focused paper when the list is re-sorted, drops vanished ids', () => {
    const s = new Selection(ids);
    s.click(2);
    s.click(4, { toggle: true });
    s.reset([14, 99, 10]);
    expect(s.focusedId()).toBe(14);
    expect(s.selected()).toEqual([14]);
  });
});
