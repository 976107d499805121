/**
 * Paint timing: from data receipt (t0) to the first frame that shows it. The synchronous render
 * runs first; the time is taken in the next animation frame's callback plus a macrotask, i.e. after
 * style, layout and the canvas commit, which is when the user sees it.
 */
import type { Bridge } from './bridge';

export function reportPaint(bridge: Bridge, view: string, t0: number, root: Element): void {
  // The synchronous part alone (decode + DOM + canvas draw calls), to tell script cost from frame wait.
  root.setAttribute('data-sync-ms', (performance.now() - t0).toFixed(1));
  requestAnimationFrame(() => setTimeout(() => {
    const ms = Math.round((performance.now() - t0) * 10) / 10;
    // Also in the DOM, so tests and the standalone report can read it without a host.
    root.setAttribute('data-paint-ms', String(ms));
    bridge.post({ type: 'panel/painted', view, ms });
  }, 0));
}
