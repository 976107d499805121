/**
 * The long results format other tools rely on (docs/cli.md): header `model,task,language,
 * metric,value`, one number per row. Fields are quoted RFC 4180-style when they hold a comma,
 * quote or newline; NaN (an undefined statistic, e.g. a correlation of constant predictions)
 * is written as `NaN`, as pandas reads it.
 */
export interface LongRow {
  model: string;
  task: string;
  language: string;
  metric: string;
  value: number;
}

export const LONG_CSV_HEADER = 'model,task,language,metric,value';

function field(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function longCsv(rows: readonly LongRow[]): string {
  const lines = rows.map((r) => [r.model, r.task, r.language, r.metric].map(field).concat(Number.isNaN(r.value) ? 'NaN' : String(r.value)).join(','));
  return `${LONG_CSV_HEADER}\n${lines.join('\n')}${lines.length ? '\n' : ''}`;
}
