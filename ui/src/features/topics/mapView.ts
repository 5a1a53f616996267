// The paper map's view transform: world coordinates (the engine's, about one unit between
// neighbouring papers) to canvas pixels, screen = world · scale + offset. Pure, so zooming at the
// pointer, panning and fitting are tested without a canvas.

export interface View {
  scale: number;
  tx: number;
  ty: number;
}

export interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export function toScreen(v: View, x: number, y: number): [number, number] {
  return [x * v.scale + v.tx, y * v.scale + v.ty];
}

export function toWorld(v: View, sx: number, sy: number): [number, number] {
  return [(sx - v.tx) / v.scale, (sy - v.ty) / v.scale];
}

/** The bounds of `n` points given as parallel coordinate arrays; null when there are none. */
export function boundsOf(xs: ArrayLike<number>, ys: ArrayLike<number>): Bounds | null {
  if (xs.length === 0) return null;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    if (xs[i] < minX) minX = xs[i];
    if (xs[i] > maxX) maxX = xs[i];
    if (ys[i] < minY) minY = ys[i];
    if (ys[i] > maxY) maxY = ys[i];
  }
  return { minX, minY, maxX, maxY };
}

/** The view that shows all of `b`, centred, inside a `width` × `height` canvas with `pad` pixels
 *  kept free on each side. A single point (zero extent) gets a scale of 20 pixels per unit. */
export function fit(b: Bounds, width: number, height: number, pad = 24): View {
  const w = Math.max(b.maxX - b.minX, 1e-9);
  const h = Math.max(b.maxY - b.minY, 1e-9);
  const room = { w: Math.max(width - 2 * pad, 1), h: Math.max(height - 2 * pad, 1) };
  const single = b.maxX - b.minX < 1e-9 && b.maxY - b.minY < 1e-9;
  const scale = single ? 20 : Math.min(room.w / w, room.h / h);
  const cx = (b.minX + b.maxX) / 2;
  const cy = (b.minY + b.maxY) / 2;
  return { scale, tx: width / 2 - cx * scale, ty: height / 2 - cy * scale };
}

/** Zooms by `factor` keeping the world point under the screen point (sx, sy) where it is; the
 *  scale stays within [min, max] (the point stays fixed then too). */
export function zoomAt(v: View, factor: number, sx: number, sy: number, min = 0, max = Infinity): View {
  const scale = Math.min(max, Math.max(min, v.scale * factor));
  const [wx, wy] = toWorld(v, sx, sy);
  return { scale, tx: sx - wx * scale, ty: sy - wy * scale };
}

/** Moves the picture by (dx, dy) pixels. */
export function pan(v: View, dx: number, dy: number): View {
  return { scale: v.scale, tx: v.tx + dx, ty: v.ty + dy };
}
