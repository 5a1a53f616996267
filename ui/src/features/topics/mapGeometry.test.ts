import { describe, expect, it } from 'vitest';
import { PointGrid, pointInPolygon } from './mapGeometry';

describe('pointInPolygon', () => {
  const square = [0, 0, 10, 0, 10, 10, 0, 10];
  // A "C": the notch (x 3..10, y 3..7) is outside.
  const c = [0, 0, 10, 0, 10, 3, 3, 3, 3, 7, 10, 7, 10, 10, 0, 10];
  it('tells inside from outside, concave shapes included', () => {
    expect(pointInPolygon(5, 5, square)).toBe(true);
    expect(pointInPolygon(11, 5, square)).toBe(false);
    expect(pointInPolygon(-1, -1, square)).toBe(false);
    expect(pointInPolygon(1, 5, c)).toBe(true);
    expect(pointInPolygon(6, 5, c)).toBe(false);
    expect(pointInPolygon(6, 8, c)).toBe(true);
  });
  it('holds nothing in fewer than three corners', () => {
    expect(pointInPolygon(0, 0, [])).toBe(false);
    expect(pointInPolygon(0, 0, [0, 0, 1, 1])).toBe(false);
  });
});

describe('PointGrid', () => {
  // A deterministic cloud: 2,000 points on a spiral, plus a far-away one.
  const n = 2000;
  const xs = new Float32Array(n + 1);
  const ys = new Float32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const r = Math.sqrt(i + 0.5);
    xs[i] = r * Math.cos(i * 2.39996);
    ys[i] = r * Math.sin(i * 2.39996);
  }
  xs[n] = 500;
  ys[n] = -300;
  const grid = new PointGrid(xs, ys);

  const brute = (x: number, y: number, radius: number) => {
    let best = -1;
    let bestD = radius * radius;
    for (let i = 0; i < xs.length; i++) {
      const d = (xs[i] - x) ** 2 + (ys[i] - y) ** 2;
      if (d < bestD) {
        best = i;
        bestD = d;
      }
    }
    return best;
  };

  it('finds the nearest point within a radius, as a scan of all points would', () => {
    for (const [x, y] of [[0, 0], [3.3, -7.1], [20, 20], [44, 0], [499, -301], [200, 200]]) {
      expect(grid.nearest(x, y, 2)).toBe(brute(x, y, 2));
    }
    expect(grid.nearest(499.5, -300, 1)).toBe(n);
    expect(grid.nearest(200, 200, 2)).toBe(-1);
  });

  it('selects exactly the points inside a lasso', () => {
    const lasso = [-10, -10, 15, -12, 12, 10, 0, 20, -12, 8];
    const expected = [...xs.keys()].filter((i) => pointInPolygon(xs[i], ys[i], lasso));
    expect(expected.length).toBeGreaterThan(100);
    expect(grid.inPolygon(lasso)).toEqual(expected);
    expect(grid.inPolygon([0, 0, 1, 1])).toEqual([]);
  });

  it('copes with no points and with all points on one spot', () => {
    expect(new PointGrid([], []).nearest(0, 0, 10)).toBe(-1);
    const same = new PointGrid([1, 1, 1], [2, 2, 2]);
    expect(same.nearest(1, 2, 0.5)).toBe(0);
    expect(same.inPolygon([0, 0, 3, 0, 3, 3, 0, 3])).toEqual([0, 1, 2]);
  });
});
