/**
 * A uniform grid over point coordinates (pixels) for hit testing: nearest point under the pointer
 * and points inside a brush rectangle, without scanning all points. Built once per layout in
 * O(n) with counting sort (no per-cell arrays, so 100k+ points build in a few ms).
 */
export interface SpatialGrid {
  cell: number;
  cols: number;
  rows: number;
  /** cellStart[c]..cellStart[c+1] index into `order`. */
  cellStart: Uint32Array;
  /** Point indices sorted by cell. */
  order: Uint32Array;
  xs: Float32Array;
  ys: Float32Array;
}

/** Points with NaN coordinates or outside [0,width)×[0,height) are left out. */
export function buildGrid(xs: Float32Array, ys: Float32Array, width: number, height: number, cell: number): SpatialGrid {
  const cols = Math.max(1, Math.ceil(width / cell)), rows = Math.max(1, Math.ceil(height / cell));
  const n = xs.length;
  const cellOf = new Int32Array(n);
  const counts = new Uint32Array(cols * rows + 1);
  for (let i = 0; i < n; i++) {
    const x = xs[i]!, y = ys[i]!;
    if (!(x >= 0 && x < width && y >= 0 && y < height)) { cellOf[i] = -1; continue; }
    const c = Math.floor(y / cell) * cols + Math.floor(x / cell);
    cellOf[i] = c;
    counts[c + 1]!++;
  }
  for (let c = 0; c < cols * rows; c++) counts[c + 1]! += counts[c]!;
  const cellStart = counts.slice();
  const fill = counts.slice(0, cols * rows);
  const order = new Uint32Array(cellStart[cols * rows]!);
  for (let i = 0; i < n; i++) { const c = cellOf[i]!; if (c >= 0) order[fill[c]!++] = i; }
  return { cell, cols, rows, cellStart, order, xs, ys };
}

/** Index of the nearest point within `radius` px of (x, y), or -1. Ties go to the later-drawn (higher) index, which is on top. */
export function nearest(g: SpatialGrid, x: number, y: number, radius: number): number {
  const c0 = Math.max(0, Math.floor((x - radius) / g.cell)), c1 = Math.min(g.cols - 1, Math.floor((x + radius) / g.cell));
  const r0 = Math.max(0, Math.floor((y - radius) / g.cell)), r1 = Math.min(g.rows - 1, Math.floor((y + radius) / g.cell));
  let best = -1, bestD = radius * radius;
  for (let r = r0; r <= r1; r++) {
    for (let c = c0; c <= c1; c++) {
      const cell = r * g.cols + c;
      for (let k = g.cellStart[cell]!; k < g.cellStart[cell + 1]!; k++) {
        const i = g.order[k]!;
        const d = (g.xs[i]! - x) ** 2 + (g.ys[i]! - y) ** 2;
        if (d < bestD || (d === bestD && i > best)) { bestD = d; best = i; }
      }
    }
  }
  return best;
}

/** Indices of all points inside the rectangle (corners in any order), ascending. */
export function inRect(g: SpatialGrid, xa: number, ya: number, xb: number, yb: number): number[] {
  const x0 = Math.min(xa, xb), x1 = Math.max(xa, xb), y0 = Math.min(ya, yb), y1 = Math.max(ya, yb);
  const c0 = Math.max(0, Math.floor(x0 / g.cell)), c1 = Math.min(g.cols - 1, Math.floor(x1 / g.cell));
  const r0 = Math.max(0, Math.floor(y0 / g.cell)), r1 = Math.min(g.rows - 1, Math.floor(y1 / g.cell));
  const out: number[] = [];
  for (let r = r0; r <= r1; r++) {
    for (let c = c0; c <= c1; c++) {
      const cell = r * g.cols + c;
      for (let k = g.cellStart[cell]!; k < g.cellStart[cell + 1]!; k++) {
        const i = g.order[k]!;
        const x = g.xs[i]!, y = g.ys[i]!;
        if (x >= x0 && x <= x1 && y >= y0 && y <= y1) out.push(i);
      }
    }
  }
  return out.sort((a, b) => a - b);
}
