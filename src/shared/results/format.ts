/** results.md and results.tex from the results table: bold best, † for p < 0.05 vs the first model. */
import { columnLabel, formatValue, type ResultsTable } from './table';

function mdEscape(s: string): string {
  return s.replace(/\|/g, '\\|');
}

export function resultsMarkdown(t: ResultsTable): string {
  const head = `| model | ${t.columns.map((c) => mdEscape(columnLabel(c))).join(' | ')} |`;
  const rule = `|---|${t.columns.map(() => '---:').join('|')}|`;
  const body = t.models.map((m, i) => {
    const cells = t.columns.map((c, j) => {
      const cell = t.cells[i]![j];
      if (!cell) return '';
      const v = formatValue(c.metric, cell.value);
      return `${cell.best ? `**${v}**` : v}${cell.significant ? '†' : ''}`;
    });
    return `| ${mdEscape(m)} | ${cells.join(' | ')} |`;
  });
  return `${[head, rule, ...body].join('\n')}\n\nBest of each column in **bold**; † p < 0.05 (paired bootstrap against ${mdEscape(t.models[0] ?? 'the first model')}).\n`;
}

export function latexEscape(s: string): string {
  return s.replace(/[\\{}$&#^_%~]/g, (c) => (c === '\\' ? '\\textbackslash{}' : c === '^' ? '\\textasciicircum{}' : c === '~' ? '\\textasciitilde{}' : `\\${c}`));
}

export function resultsLatex(t: ResultsTable): string {
  const lines = [
    `\\begin{tabular}{l${t.columns.map(() => 'r').join('')}}`,
    '\\hline',
    `Model & ${t.columns.map((c) => latexEscape(columnLabel(c))).join(' & ')} \\\\`,
    '\\hline',
    ...t.models.map((m, i) => {
      const cells = t.columns.map((c, j) => {
        const cell = t.cells[i]![j];
        if (!cell) return '';
        const v = formatValue(c.metric, cell.value);
        return `${cell.best ? `\\textbf{${v}}` : v}${cell.significant ? '$^\\dagger$' : ''}`;
      });
      return `${latexEscape(m)} & ${cells.join(' & ')} \\\\`;
    }),
    '\\hline',
    '\\end{tabular}',
  ];
  return `${lines.join('\n')}\n`;
}
