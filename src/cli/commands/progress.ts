import type { Progress } from '../../engine/api';
import { stopPoint } from '../../engine/io/interrupt';
import { terminalLine } from '../terminal';

/**
 * Progress on stderr: redrawn in place on an interactive terminal (at most every 200 ms, so a
 * fast job does not flood it), one line per report with POLYGLOT_LENS_PROGRESS=lines (for logs:
 * Slurm, CI), nothing otherwise (stdout stays one JSON line for scripts). Every command's progress
 * goes through here, which is also the `progress` stop point (io/interrupt).
 */
export function stderrProgress(): (p: Progress) => void {
  const lines = process.env.POLYGLOT_LENS_PROGRESS === 'lines';
  const tty = !lines && process.stderr.isTTY;
  let last = 0;
  return (p) => {
    if (lines) process.stderr.write(`polyglot-lens: progress ${(p.fraction * 100).toFixed(0)}% ${terminalLine(p.message)}\n`);
    else if (tty) {
      const now = Date.now();
      if (now - last >= 200 || p.fraction >= 1) {
        last = now;
        process.stderr.write(`\r${(p.fraction * 100).toFixed(0).padStart(3)}% ${terminalLine(p.message)}`.padEnd(60) + (p.fraction >= 1 ? '\n' : ''));
      }
    }
    if (p.fraction < 1) stopPoint('progress');
  };
}

/** A permanent progress line on stderr (sweep's finished cells); `more` = not the last one (the `progress` stop point). */
export function progressLine(text: string, more: boolean): void {
  process.stderr.write(`${terminalLine(text)}\n`);
  if (more) stopPoint('progress');
}
