import { describe, expect, it } from 'vitest';
import { layoutBubbles } from './layout';

describe('layoutBubbles', () => {
  const pts = [
    { id: 1, x: 0, y: 0, size: 50 },
    { id: 2, x: 0.02, y: 0, size: 10 },
    { id: 3, x: 0, y: 0, size: 10 }, // same spot as 1
    { id: 4, x: 1, y: -1, size: 2 },
  ];

  it('sizes bubbles by paper count (area ∝ papers)', () => {
    const b = layoutBubbles(pts, 800, 600);
    const r = new Map(b.map((x) => [x.id, x.r]));
    expect(r.get(1)! / r.get(2)!).toBeCloseTo(Math.sqrt(5), 1);
  });

  it('leaves no two bubbles overlapping and keeps all inside the box', () => {
    const b = layoutBubbles(pts, 800, 600);
    for (let i = 0; i < b.length; i++) {
      expect(b[i].x - b[i].r).toBeGreaterThanOrEqual(0);
      expect(b[i].y + b[i].r).toBeLessThanOrEqual(600);
      for (let j = i + 1; j < b.length; j++) {
        expect(Math.hypot(b[i].x - b[j].x, b[i].y - b[j].y)).toBeGreaterThanOrEqual(b[i].r + b[j].r - 0.5);
      }
    }
  });

  it('keeps far-apart topics apart and is deterministic', () => {
    const b = layoutBubbles(pts, 800, 600);
    const four = b.find((x) => x.id === 4)!;
    expect(four.x).toBeGreaterThan(600);
    expect(four.y).toBeLessThan(200);
    expect(layoutBubbles(pts, 800, 600)).toEqual(b);
    expect(layoutBubbles([], 800, 600)).toEqual([]);
  });
});
