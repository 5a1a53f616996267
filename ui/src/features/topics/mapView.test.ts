import { describe, expect, it } from 'vitest';
import { boundsOf, fit, pan, toScreen, toWorld, zoomAt } from './mapView';

describe('the map view transform', () => {
  it('fits the points centred in the canvas, inside the padding, on the tighter axis', () => {
    const b = boundsOf([-10, 10, 0], [-5, 5, 0])!;
    expect(b).toEqual({ minX: -10, minY: -5, maxX: 10, maxY: 5 });
    const v = fit(b, 440, 440, 20);
    expect(v.scale).toBeCloseTo(20); // 400 px for 20 units wide
    expect(toScreen(v, 0, 0)).toEqual([220, 220]);
    expect(toScreen(v, -10, -5)).toEqual([20, 120]);
    expect(toScreen(v, 10, 5)).toEqual([420, 320]);
  });

  it('fits a single point at a usable scale, and has no bounds without points', () => {
    const v = fit({ minX: 3, minY: 3, maxX: 3, maxY: 3 }, 200, 100);
    expect(v.scale).toBe(20);
    expect(toScreen(v, 3, 3)).toEqual([100, 50]);
    expect(boundsOf([], [])).toBeNull();
  });

  it('zooms at the pointer: the world point under it stays there', () => {
    const v = { scale: 2, tx: 10, ty: -4 };
    const under = toWorld(v, 130, 70);
    const z = zoomAt(v, 1.5, 130, 70);
    expect(z.scale).toBe(3);
    const [sx, sy] = toScreen(z, under[0], under[1]);
    expect(sx).toBeCloseTo(130);
    expect(sy).toBeCloseTo(70);
    // Clamped to the limits, still anchored.
    const c = zoomAt(v, 100, 130, 70, 0.5, 8);
    expect(c.scale).toBe(8);
    expect(toScreen(c, under[0], under[1])[0]).toBeCloseTo(130);
    expect(zoomAt(v, 0.001, 0, 0, 0.5, 8).scale).toBe(0.5);
  });

  it('pans by pixels, and toWorld inverts toScreen', () => {
    const v = pan({ scale: 4, tx: 0, ty: 0 }, 12, -8);
    expect(v).toEqual({ scale: 4, tx: 12, ty: -8 });
    const [x, y] = toWorld(v, ...toScreen(v, 7.5, -2.25));
    expect(x).toBeCloseTo(7.5);
    expect(y).toBeCloseTo(-2.25);
  });
});
