/**
 * results.csv of the study commands, in the long results contract of src/shared/results/rows.ts
 * (same header and quoting as `eval`). One difference, documented in docs/studies.md: an
 * undefined statistic (a correlation of constant predictions) is written as `NaN`, as pandas reads
 * it, rather than left empty.
 */
import { csvField, RESULTS_CSV_HEADER } from '../../shared/results/rows';

export interface LongRow {
  model: string;
  task: string;
  language: string;
  metric: string;
  value: number;
}

export function longCsv(rows: readonly LongRow[]): string {
  const lines = rows.map((r) => [r.model, r.task, r.language, r.metric].map(csvField).concat(Number.isNaN(r.value) ? 'NaN' : String(r.value)).join(','));
  return `${RESULTS_CSV_HEADER}\n${lines.join('\n')}${lines.length ? '\n' : ''}`;
}
