/**
 * results.csv of the study commands, in the long results contract of src/shared/results/rows.ts
 * (same header and quoting as `eval`): an undefined statistic (the kurtosis or a correlation of
 * constant predictions) is an empty field, as in `eval`'s results.csv; the reports say why in words.
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
  const lines = rows.map((r) => [r.model, r.task, r.language, r.metric].map(csvField).concat(Number.isFinite(r.value) ? String(r.value) : '').join(','));
  return `${RESULTS_CSV_HEADER}\n${lines.join('\n')}${lines.length ? '\n' : ''}`;
}
