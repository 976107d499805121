/** How a calibration set is identified in a variant and in pruning.json. */
import { createHash } from 'node:crypto';
import type { CalibrationRecord, CalibrationInput } from './types';

/**
 * sha256 (hex) of the token ids as `JSON.stringify(sequences)` — e.g. `[[1,2],[1,5]]`, no spaces —
 * so anyone can recompute it (Python: `json.dumps(seqs, separators=(",", ":"))`).
 */
export function calibrationHash(sequences: number[][]): string {
  return createHash('sha256').update(JSON.stringify(sequences)).digest('hex');
}

export function calibrationRecord(c: CalibrationInput): CalibrationRecord {
  if (c.precomputed) return c.precomputed.record;
  return {
    source: c.source,
    sequences: c.sequences.length,
    tokens: c.sequences.reduce((n, s) => n + s.length, 0),
    sha256: calibrationHash(c.sequences),
  };
}
