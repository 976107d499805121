/** CSV text (RFC 4180: comma separated, CRLF, fields quoted when they hold , " CR or LF). */
import type { ActivationAnalysis } from '../../src/shared/analysis';

export type Cell = string | number | null;

export function csvField(v: Cell): string {
  if (v === null || (typeof v === 'number' && Number.isNaN(v))) return '';
  const s = typeof v === 'number' ? String(v) : v;
  // A leading = + - @ makes spreadsheets evaluate the cell as a formula; a quote mark keeps it text.
  const safe = typeof v === 'string' && /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(header: string[], rows: Cell[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** Every stored (token, layer, rank) value: the full top-k, not only what the heatmap shows. */
export function activationsCsv(a: ActivationAnalysis): string {
  const rows: Cell[][] = [];
  for (let p = 0; p < a.tokens.length; p++) {
    const t = a.tokens[p]!;
    for (let l = 0; l < a.nLayers; l++) {
      for (let r = 0; r < a.topK; r++) {
        const i = ((p * a.nLayers) + l) * a.topK + r;
        rows.push([p, t.text, t.id, l, r, a.topIndex[i]!, a.topValue[i]!]);
      }
    }
  }
  return toCsv(['pos', 'token', 'token_id', 'layer', 'rank', 'neuron', 'activation'], rows);
}
