// Hit-testing on the paper map: which paper is under the pointer, which papers a lasso holds.
// A uniform grid over the points answers both without visiting all of them, so a hover at 100k
// papers looks at a handful of cells.

/** Whether (x, y) lies inside `poly` (flat [x0, y0, x1, y1, …], closed implicitly): the even–odd
 *  rule, by counting crossings of a ray to the right. */
export function pointInPolygon(x: number, y: number, poly: ArrayLike<number>): boolean {
  let inside = false;
  const n = poly.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = poly[2 * i], yi = poly[2 * i + 1];
    const xj = poly[2 * j], yj = poly[2 * j + 1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Points bucketed by a square grid. Indices refer to the arrays it was built from. */
export class PointGrid {
  private readonly minX: number;
  private readonly minY: number;
  private readonly cols: number;
  private readonly rows: number;
  private readonly cell: number;
  /** Cell c holds indices order[start[c] .. start[c + 1]). */
  private readonly start: Uint32Array;
  private readonly order: Uint32Array;

  /** About `perCell` points to a cell on average over the points' bounding box. */
  constructor(private readonly xs: ArrayLike<number>, private readonly ys: ArrayLike<number>, perCell = 4) {
    const n = xs.length;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      minX = Math.min(minX, xs[i]); maxX = Math.max(maxX, xs[i]);
      minY = Math.min(minY, ys[i]); maxY = Math.max(maxY, ys[i]);
    }
    if (n === 0) { minX = minY = 0; maxX = maxY = 1; }
    const w = Math.max(maxX - minX, 1e-6);
    const h = Math.max(maxY - minY, 1e-6);
    this.cell = Math.max(Math.sqrt((w * h * perCell) / Math.max(n, 1)), 1e-6);
    this.minX = minX;
    this.minY = minY;
    this.cols = Math.floor(w / this.cell) + 1;
    this.rows = Math.floor(h / this.cell) + 1;
    // Counting sort by cell: two passes, no per-cell arrays.
    const cellOf = new Uint32Array(n);
    const start = new Uint32Array(this.cols * this.rows + 1);
    for (let i = 0; i < n; i++) {
      cellOf[i] = this.cellIndex(xs[i], ys[i]);
      start[cellOf[i] + 1]++;
    }
    for (let c = 0; c < this.cols * this.rows; c++) start[c + 1] += start[c];
    const fill = start.slice(0, -1);
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[fill[cellOf[i]]++] = i;
    this.start = start;
    this.order = order;
  }

  private col(x: number) {
    return Math.min(this.cols - 1, Math.max(0, Math.floor((x - this.minX) / this.cell)));
  }
  private row(y: number) {
    return Math.min(this.rows - 1, Math.max(0, Math.floor((y - this.minY) / this.cell)));
  }
  private cellIndex(x: number, y: number) {
    return this.row(y) * this.cols + this.col(x);
  }

  /** Calls `f` with every index in the cells that overlap the box. */
  private visit(x0: number, y0: number, x1: number, y1: number, f: (i: number) => void) {
    const c0 = this.col(x0), c1 = this.col(x1), r0 = this.row(y0), r1 = this.row(y1);
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const cell = r * this.cols + c;
        for (let k = this.start[cell]; k < this.start[cell + 1]; k++) f(this.order[k]);
      }
    }
  }

  /** The index of the point nearest (x, y) within `radius`, or -1; ties go to the lower index. */
  nearest(x: number, y: number, radius: number): number {
    let best = -1;
    let bestD = radius * radius;
    this.visit(x - radius, y - radius, x + radius, y + radius, (i) => {
      const d = (this.xs[i] - x) ** 2 + (this.ys[i] - y) ** 2;
      if (d < bestD || (d === bestD && (best < 0 || i < best))) {
        best = i;
        bestD = d;
      }
    });
    return best;
  }

  /** Indices of the points inside the polygon (flat [x0, y0, …]), ascending. */
  inPolygon(poly: ArrayLike<number>): number[] {
    if (poly.length < 6) return [];
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (let k = 0; k < poly.length; k += 2) {
      x0 = Math.min(x0, poly[k]); x1 = Math.max(x1, poly[k]);
      y0 = Math.min(y0, poly[k + 1]); y1 = Math.max(y1, poly[k + 1]);
    }
    const out: number[] = [];
    this.visit(x0, y0, x1, y1, (i) => {
      const x = this.xs[i], y = this.ys[i];
      if (x >= x0 && x <= x1 && y >= y0 && y <= y1 && pointInPolygon(x, y, poly)) out.push(i);
    });
    return out.sort((a, b) => a - b);
  }
}
