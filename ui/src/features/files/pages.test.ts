import { describe, expect, it } from 'vitest';
import { clampPage, fitWidthScale, pageForKey, pageFromInput, zoomStep } from './pages';

describe('clampPage', () => {
  it('keeps a page within the document and rounds it', () => {
    expect(clampPage(0, 7)).toBe(1);
    expect(clampPage(-3, 7)).toBe(1);
    expect(clampPage(8, 7)).toBe(7);
    expect(clampPage(2.6, 7)).toBe(3);
    expect(clampPage(NaN, 7)).toBe(1);
    // A document is at least one page long, even before it is loaded.
    expect(clampPage(5, 0)).toBe(1);
  });
});

describe('pageFromInput', () => {
  it('reads a typed page number, clamped; anything else keeps the current page', () => {
    expect(pageFromInput('2', 7)).toBe(2);
    expect(pageFromInput(' 12 ', 7)).toBe(7);
    expect(pageFromInput('0', 7)).toBe(1);
    expect(pageFromInput('', 7)).toBeNull();
    expect(pageFromInput('two', 7)).toBeNull();
  });
});

describe('pageForKey', () => {
  it('moves a page with PgUp/PgDn and the arrows, to the ends with Home/End, never past them', () => {
    expect(pageForKey('PageDown', 2, 7)).toBe(3);
    expect(pageForKey('ArrowRight', 7, 7)).toBe(7);
    expect(pageForKey('PageUp', 2, 7)).toBe(1);
    expect(pageForKey('PageUp', 1, 7)).toBe(1);
    expect(pageForKey('Home', 5, 7)).toBe(1);
    expect(pageForKey('End', 1, 7)).toBe(7);
    expect(pageForKey('a', 3, 7)).toBeNull();
  });
});

describe('fitWidthScale', () => {
  it('fills the pane less its margins, within sane bounds', () => {
    // A4 (595 pt) in an 800 px pane with 16 px margins.
    expect(fitWidthScale(800, 595)).toBeCloseTo(768 / 595);
    expect(fitWidthScale(100, 595)).toBe(0.25);
    expect(fitWidthScale(10_000, 100)).toBe(6);
    expect(fitWidthScale(0, 595)).toBe(1);
    expect(fitWidthScale(800, 0)).toBe(1);
  });
  it('zooms in steps of a fifth, within the same bounds', () => {
    expect(zoomStep(1, 1)).toBe(1.2);
    expect(zoomStep(1.2, -1)).toBe(1);
    expect(zoomStep(5.9, 1)).toBe(6);
    expect(zoomStep(0.26, -1)).toBe(0.25);
  });
});
