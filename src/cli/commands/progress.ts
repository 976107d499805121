import type { Progress } from '../../engine/api';
import { terminalLine } from '../terminal';

/** Progress on stderr, only for an interactive terminal (stdout stays one JSON line for scripts);
 * redrawn at most every 200 ms so a fast job does not flood the terminal. */
export function stderrProgress(): ((p: Progress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (now - last < 200 && p.fraction < 1) return;
    last = now;
    process.stderr.write(`\r${(p.fraction * 100).toFixed(0).padStart(3)}% ${terminalLine(p.message)}`.padEnd(60) + (p.fraction >= 1 ? '\n' : ''));
  };
}
