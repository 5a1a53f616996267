import { describe, expect, it } from 'vitest';
import { SIDEBAR_DEFAULT, SIDEBAR_MAX, SIDEBAR_MIN, SIDEBAR_STEP, clampWidth, dragWidth, keyWidth } from './sidebarWidth';

describe('sidebar width', () => {
  it('keeps a stored width within its bounds, the default when none', () => {
    expect(clampWidth(null)).toBe(SIDEBAR_DEFAULT);
    expect(clampWidth(undefined)).toBe(SIDEBAR_DEFAULT);
    expect(clampWidth(Number.NaN)).toBe(SIDEBAR_DEFAULT);
    expect(clampWidth(10)).toBe(SIDEBAR_MIN);
    expect(clampWidth(5000)).toBe(SIDEBAR_MAX);
    expect(clampWidth(301.6)).toBe(302);
  });
  it('moves by a step per arrow key, four with Shift, to the ends with Home and End', () => {
    expect(keyWidth(250, 'ArrowRight')).toBe(250 + SIDEBAR_STEP);
    expect(keyWidth(250, 'ArrowLeft')).toBe(250 - SIDEBAR_STEP);
    expect(keyWidth(250, 'ArrowRight', true)).toBe(250 + 4 * SIDEBAR_STEP);
    expect(keyWidth(SIDEBAR_MAX - 3, 'ArrowRight')).toBe(SIDEBAR_MAX);
    expect(keyWidth(SIDEBAR_MIN + 3, 'ArrowLeft')).toBe(SIDEBAR_MIN);
    expect(keyWidth(300, 'Home')).toBe(SIDEBAR_MIN);
    expect(keyWidth(300, 'End')).toBe(SIDEBAR_MAX);
    expect(keyWidth(300, 'Enter')).toBe(SIDEBAR_DEFAULT);
    expect(keyWidth(300, 'ArrowUp')).toBeNull();
    expect(keyWidth(300, 'a')).toBeNull();
  });
  it('follows the pointer, in CSS pixels under zoom, within the bounds', () => {
    expect(dragWidth(250, 100)).toBe(350);
    expect(dragWidth(250, 100, 2)).toBe(300);
    expect(dragWidth(250, -500)).toBe(SIDEBAR_MIN);
    expect(dragWidth(250, 900)).toBe(SIDEBAR_MAX);
    expect(dragWidth(250, 10, 0)).toBe(260);
  });
});
