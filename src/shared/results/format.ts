/**
 * results.md and results.tex from the results table (table.ts): model groups, paper row labels,
 * a task header over its languages and Avg., bold best, † / ‡, and the caption saying which test
 * the marks come from. The LaTeX is a complete document (booktabs, multirow, amsmath) that
 * compiles as it is; the table environment inside it can be pasted into a paper.
 */
import { labelLatex, labelMarkdown, latexEscape } from './labels';
import { formatValue, languageLabel, markText, metricName, taskSpans, type ResultsCell, type ResultsColumn, type ResultsTable } from './table';

export { latexEscape } from './labels';

/** "translate: chrF; classify: acc. Best of each column …" */
export function captionText(t: ResultsTable): string {
  const metrics = taskSpans(t).map((s) => `${s.task}: ${metricName(s.metric)}`).join('; ');
  return `${metrics}${metrics.endsWith('.') ? '' : '.'} ${t.caption}`;
}

function mdEscape(s: string): string {
  return s.replace(/\|/g, '\\|');
}

const grouped = (t: ResultsTable): boolean => t.groups.some((g) => g !== '');

function cellMarkdown(c: ResultsColumn, cell: ResultsCell | null): string {
  if (!cell) return '';
  const v = formatValue(c.metric, cell.value);
  return `${cell.best ? `**${v}**` : v}${markText(cell.mark)}`;
}

export function resultsMarkdown(t: ResultsTable): string {
  const spans = taskSpans(t);
  const oneTask = spans.length === 1;
  const colHead = t.columns.map((c) => mdEscape(oneTask ? languageLabel(c) : `${c.task} ${languageLabel(c)}`));
  const lead = grouped(t) ? ['model', ''] : ['model'];
  const head = `| ${[...lead, ...colHead].join(' | ')} |`;
  const rule = `|${lead.map(() => '---').join('|')}|${t.columns.map(() => '---:').join('|')}|`;
  const body = t.models.map((_, i) => {
    const first = grouped(t) ? [i === 0 || t.groups[i - 1] !== t.groups[i] ? mdEscape(t.groups[i]!) : ''] : [];
    return `| ${[...first, labelMarkdown(t.labels[i]!), ...t.columns.map((c, j) => cellMarkdown(c, t.cells[i]![j]!))].join(' | ')} |`;
  });
  return `${[head, rule, ...body].join('\n')}\n\n${captionText(t)}\n`;
}

function cellLatex(c: ResultsColumn, cell: ResultsCell | null): string {
  if (!cell) return '';
  const v = formatValue(c.metric, cell.value);
  const mark = cell.mark === 'better' ? '$^{\\dagger}$' : cell.mark === 'worse' ? '$^{\\ddagger}$' : '';
  return `${cell.best ? `\\textbf{${v}}` : v}${mark}`;
}

/** Running text for LaTeX: specials escaped; †, ‡, θ and < as math (pdflatex has no glyphs for them in text mode). */
function latexText(s: string): string {
  return latexEscape(s).replace(/†/g, '$^{\\dagger}$').replace(/‡/g, '$^{\\ddagger}$').replace(/θ/g, '$\\theta$').replace(/</g, '$<$');
}

/** The table environment alone (booktabs, multirow and amsmath in the preamble). */
export function resultsLatexTable(t: ResultsTable): string {
  const spans = taskSpans(t);
  const g = grouped(t);
  const lead = g ? 2 : 1;
  const align = `${'l'.repeat(lead)}${spans.map((s) => 'r'.repeat(s.count)).join('')}`;
  const taskRow = `${'& '.repeat(lead)}${spans.map((s) => `\\multicolumn{${s.count}}{c}{${latexEscape(s.task)} (${latexEscape(metricName(s.metric))})}`).join(' & ')} \\\\`;
  const rules = spans.map((s) => `\\cmidrule(lr){${lead + s.start + 1}-${lead + s.start + s.count}}`).join(' ');
  const langRow = `${g ? 'Model & ' : 'Model'}${g ? '' : ' '}& ${t.columns.map((c) => latexEscape(languageLabel(c))).join(' & ')} \\\\`;
  const body: string[] = [];
  t.models.forEach((_, i) => {
    const startsGroup = i === 0 || t.groups[i - 1] !== t.groups[i];
    if (g && startsGroup && i > 0) body.push('\\midrule');
    const size = t.groups.filter((x) => x === t.groups[i]).length;
    const groupCell = g ? (startsGroup ? `\\multirow{${size}}{*}{${latexEscape(t.groups[i]!)}} & ` : ' & ') : '';
    body.push(`${groupCell}${labelLatex(t.labels[i]!)} & ${t.columns.map((c, j) => cellLatex(c, t.cells[i]![j]!)).join(' & ')} \\\\`);
  });
  const caption = captionText(t);
  return [
    '\\begin{table}[t]',
    '\\centering',
    // Shrunk to the text width only when wider (a language column per language runs off the page otherwise).
    '\\begin{adjustbox}{max width=\\linewidth}',
    `\\begin{tabular}{${align}}`,
    '\\toprule',
    taskRow,
    rules,
    langRow,
    '\\midrule',
    ...body,
    '\\bottomrule',
    '\\end{tabular}',
    '\\end{adjustbox}',
    `\\caption{${latexText(caption)}}`,
    '\\end{table}',
  ].join('\n');
}

/** A complete LaTeX document holding the table: `pdflatex results.tex` compiles it as it is. */
export function resultsLatex(t: ResultsTable): string {
  return [
    '% Polyglot Lens results table. Needs booktabs, multirow, adjustbox and amsmath; paste the table environment into a paper.',
    '\\documentclass{article}',
    '\\usepackage[utf8]{inputenc}',
    '\\usepackage{booktabs}',
    '\\usepackage{multirow}',
    '\\usepackage{adjustbox}',
    '\\usepackage{amsmath}',
    '\\begin{document}',
    resultsLatexTable(t),
    '\\end{document}',
    '',
  ].join('\n');
}
