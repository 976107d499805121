/**
 * Keyboard navigation, the pure part (unit-tested without a DOM): moving through a list of rows,
 * and moving a cursor between scatter points in the direction of an arrow key.
 */

/** The row index after `key` in a list of `count` rows, or null when the key does not move. */
export function listStep(key: string, index: number, count: number, page = 10): number | null {
  if (count <= 0) return null;
  const last = count - 1;
  const at = Math.max(0, Math.min(last, index));
  switch (key) {
    case 'ArrowDown': return Math.min(last, index < 0 ? 0 : at + 1);
    case 'ArrowUp': return Math.max(0, index < 0 ? 0 : at - 1);
    case 'Home': return 0;
    case 'End': return last;
    case 'PageDown': return Math.min(last, at + page);
    case 'PageUp': return Math.max(0, at - page);
    default: return null;
  }
}

const DIRECTIONS: Record<string, [number, number]> = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

/**
 * The point an arrow key moves the scatter cursor to: among points strictly ahead in that
 * direction (screen coordinates, y down), the one closest along it, with sideways distance
 * counted double so the cursor keeps to a line. −1 when none; from −1 any arrow picks the
 * point nearest the plot centre (cx, cy).
 */
export function scatterStep(px: ArrayLike<number>, py: ArrayLike<number>, current: number, key: string, cx = 0, cy = 0): number {
  const d = DIRECTIONS[key];
  if (!d || px.length === 0) return -1;
  if (current < 0) {
    let best = -1, bestD = Infinity;
    for (let i = 0; i < px.length; i++) {
      const dist = (px[i]! - cx) ** 2 + (py[i]! - cy) ** 2;
      if (dist < bestD) { bestD = dist; best = i; }
    }
    return best;
  }
  const x0 = px[current]!, y0 = py[current]!;
  let best = -1, bestCost = Infinity;
  for (let i = 0; i < px.length; i++) {
    if (i === current) continue;
    const dx = px[i]! - x0, dy = py[i]! - y0;
    const along = dx * d[0] + dy * d[1];
    if (along <= 0) continue;
    const cost = along + 2 * Math.abs(dx * d[1] - dy * d[0]);
    if (cost < bestCost) { bestCost = cost; best = i; }
  }
  return best;
}
