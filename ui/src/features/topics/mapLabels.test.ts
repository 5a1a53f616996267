import { describe, expect, it } from 'vitest';
import { labelLevel, placeLabels, shorten } from './mapLabels';

const measure = (t: string) => t.length * 7;

describe('map labels', () => {
  it('labels broader topics at the overview and leaves once zoomed in', () => {
    expect(labelLevel(10, 10)).toBe('parent');
    expect(labelLevel(17, 10)).toBe('parent');
    expect(labelLevel(19, 10)).toBe('leaf');
  });

  it('places the biggest topics first and leaves out what would overlap', () => {
    const placed = placeLabels(
      [
        { id: 1, x: 100, y: 100, text: 'small', weight: 3 },
        { id: 2, x: 110, y: 104, text: 'big topic', weight: 50 },
        { id: 3, x: 100, y: 160, text: 'apart', weight: 1 },
      ],
      measure,
      400,
      300,
    );
    expect(placed.map((p) => p.id)).toEqual([2, 3]);
    for (const a of placed) {
      for (const b of placed) {
        if (a === b) continue;
        const apart = a.left + a.width <= b.left || b.left + b.width <= a.left || a.top + a.height <= b.top || b.top + b.height <= a.top;
        expect(apart).toBe(true);
      }
    }
    expect(placed[0]).toMatchObject({ left: 110 - 31.5, top: 96, width: 63, height: 16 });
  });

  it('keeps clear of the controls drawn over the canvas', () => {
    const c = [{ id: 1, x: 350, y: 20, text: 'corner', weight: 9 }, { id: 2, x: 200, y: 150, text: 'middle', weight: 1 }];
    expect(placeLabels(c, measure, 400, 300).map((p) => p.id)).toEqual([1, 2]);
    const tools = { left: 300, top: 0, width: 100, height: 40 };
    expect(placeLabels(c, measure, 400, 300, 16, 4, [tools]).map((p) => p.id)).toEqual([2]);
  });

  it('leaves out labels that would cross the canvas edge', () => {
    const placed = placeLabels([{ id: 1, x: 5, y: 50, text: 'edge', weight: 1 }, { id: 2, x: 200, y: 295, text: 'low', weight: 1 }], measure, 400, 300);
    expect(placed).toEqual([]);
  });

  it('shortens a label to its leading terms that fit', () => {
    expect(shorten('speech · audio · generation', measure, 1000)).toBe('speech · audio · generation');
    expect(shorten('speech · audio · generation', measure, 100)).toBe('speech · audio');
    expect(shorten('speech · audio · generation', measure, 10)).toBe('speech');
  });
});
