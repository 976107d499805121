/**
 * The CLI's HTML report: ONE self-contained file. The sections travel as JSON (typed arrays as
 * base64, see wire.ts) inside <script type="application/json">, and the built report renderer
 * (dist/webview/report.js, which the CLI reads and passes in as `script`) draws them with the
 * same view code the VS Code panels use. No network, no external files.
 */
import { toWire } from '../wire';
import type { ReportSection } from './sections';

export interface ReportHtmlOptions {
  /** Contents of dist/webview/report.js. */
  script: string;
  title?: string;
  /** "light" (default; reports are often printed or shared) or "dark". */
  theme?: 'light' | 'dark';
  /** Shown under the title, e.g. "polyglot-lens 0.1.0, 2025-01-01 12:00". */
  generatedBy?: string;
}

export const REPORT_DATA_ID = 'polyglot-lens-report';

/** The report's data as JSON text (also what `--json` writes). */
export function renderReportJson(sections: ReportSection[]): string {
  return JSON.stringify({ version: 1, sections: toWire(sections) });
}

export function renderReportHtml(sections: ReportSection[], opts: ReportHtmlOptions): string {
  const title = opts.title ?? 'Polyglot Lens report';
  return `<!DOCTYPE html>
<html lang="en" data-theme="${opts.theme ?? 'light'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Polyglot Lens">
<title>${escHtml(title)}</title>
</head>
<body class="report ${opts.theme === 'dark' ? 'vscode-dark' : 'vscode-light'}">
<header class="report-header"><h1>${escHtml(title)}</h1>${opts.generatedBy ? `<p class="muted">${escHtml(opts.generatedBy)}</p>` : ''}</header>
<main id="app"></main>
<script type="application/json" id="${REPORT_DATA_ID}">${jsonForScript(renderReportJson(sections))}</script>
<script>${scriptForInline(opts.script)}</script>
</body>
</html>
`;
}

export function escHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * JSON inside a script element must not contain "</script" or "<!--"; escaping every "<" as
 * \u003c is valid JSON and rules both out. U+2028/2029 are escaped for older JS parsers.
 */
export function jsonForScript(json: string): string {
  return json.replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** An inline script ends at the first "</script" whatever the JS context; break that sequence. */
export function scriptForInline(js: string): string {
  // The sourcemap comment would point at a file the report does not ship.
  return js.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n').replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}
