// The topic map's layout: bubbles with area proportional to paper count, centred where the engine
// placed the topic (similar topics close), then pushed apart until no two overlap.

export interface Bubble {
  id: number;
  x: number;
  y: number;
  r: number;
}

/** Places `points` (x, y in [-1, 1]) in a width × height box. Deterministic. */
export function layoutBubbles(
  points: { id: number; x: number; y: number; size: number }[],
  width: number,
  height: number,
  pad = 4,
): Bubble[] {
  if (points.length === 0) return [];
  const total = points.reduce((s, p) => s + Math.max(p.size, 1), 0);
  // The bubbles together cover about a third of the box.
  const unit = Math.sqrt((width * height * 0.33) / (Math.PI * total));
  const half = { w: width / 2, h: height / 2 };
  const b: Bubble[] = points.map((p) => {
    const r = Math.max(10, unit * Math.sqrt(Math.max(p.size, 1)));
    return { id: p.id, r, x: half.w + p.x * (half.w - r - pad), y: half.h + p.y * (half.h - r - pad) };
  });
  for (let iter = 0; iter < 200; iter++) {
    let moved = false;
    for (let i = 0; i < b.length; i++) {
      for (let j = i + 1; j < b.length; j++) {
        let dx = b[j].x - b[i].x;
        let dy = b[j].y - b[i].y;
        let d = Math.hypot(dx, dy);
        const need = b[i].r + b[j].r + pad;
        if (d >= need) continue;
        if (d < 1e-6) {
          // Same spot: separate along a direction fixed by the pair's indices.
          const a = ((i * 31 + j * 17) % 360) * (Math.PI / 180);
          dx = Math.cos(a);
          dy = Math.sin(a);
          d = 1;
        }
        const push = (need - d) / 2;
        const ux = dx / d;
        const uy = dy / d;
        b[i].x -= ux * push;
        b[i].y -= uy * push;
        b[j].x += ux * push;
        b[j].y += uy * push;
        moved = true;
      }
    }
    for (const c of b) {
      c.x = Math.min(width - c.r - 1, Math.max(c.r + 1, c.x));
      c.y = Math.min(height - c.r - 1, Math.max(c.r + 1, c.y));
    }
    if (!moved) break;
  }
  return b;
}
