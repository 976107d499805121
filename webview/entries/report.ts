/**
 * The CLI report's renderer (dist/webview/report.js, inlined into the HTML by
 * src/shared/report/html.ts): reads the embedded JSON and mounts every section with the same
 * views as the panels (views/sectionsView.ts). No VS Code API here; exports become downloads.
 */
import '../views/elements';
import { REPORT_DATA_ID } from '../../src/shared/report/html';
import { createBridge } from '../views/bridge';
import type { MountedView, ViewContext } from '../views/context';
import { h } from '../views/dom';
import { HoverCardView } from '../views/hoverCard';
import { mountSections } from '../views/sectionsView';
import { installStyles } from '../views/styles';
import { readTheme } from '../views/theme';

installStyles();
const bridge = createBridge();
const theme = readTheme();
const hover = new HoverCardView(() => theme);
const app = document.getElementById('app') ?? document.body;
const t0 = performance.now();
const views: MountedView[] = [];
// The standalone report's one live region (selection changes for screen readers).
const live = h('div', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
document.body.append(live);
const announce = (text: string): void => {
  live.textContent = text;
};

try {
  const raw = JSON.parse(document.getElementById(REPORT_DATA_ID)?.textContent ?? '{}') as { sections?: unknown[] };
  const ctx: ViewContext = { bridge, theme: () => theme, hover, t0, ui: {}, saveUi: () => {}, announce };
  views.push(mountSections(app, raw.sections ?? [], ctx));
  // All sections together, for the benchmark: data parse → first frame.
  requestAnimationFrame(() => setTimeout(() => document.body.setAttribute('data-paint-ms', (performance.now() - t0).toFixed(1)), 0));
} catch (e) {
  app.append(h('div', { class: 'error', 'data-testid': 'report-error' }, `Cannot read the report data: ${e instanceof Error ? e.message : String(e)}`));
}
