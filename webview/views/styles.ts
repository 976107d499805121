/**
 * Panel CSS, installed as a constructable stylesheet: no <style> or <link> in the panel HTML, so
 * the CSP needs neither 'unsafe-inline' nor a stylesheet URL. Colours come from --vscode-*
 * variables; the report defines light defaults for them (body.report).
 */
const CSS = `
:root { color-scheme: light dark; }
body { margin: 0; padding: 8px 12px; color: var(--vscode-foreground); background: var(--vscode-editor-background);
  font-family: var(--vscode-font-family, system-ui, sans-serif); font-size: var(--vscode-font-size, 13px); }
body.report { --vscode-foreground: #3b3b3b; --vscode-editor-background: #ffffff; --vscode-descriptionForeground: #717171;
  --vscode-panel-border: #e5e5e5; --vscode-focusBorder: #005fb8; --vscode-editorHoverWidget-background: #f8f8f8;
  --vscode-editorHoverWidget-border: #c8c8c8; --vscode-list-hoverBackground: #f2f2f2; --vscode-list-activeSelectionBackground: #e8e8e8;
  --vscode-editor-font-family: ui-monospace, Menlo, Consolas, monospace;
  --vscode-button-background: #005fb8; --vscode-button-foreground: #ffffff; --vscode-button-hoverBackground: #0258a8;
  --vscode-button-secondaryBackground: #e5e5e5; --vscode-button-secondaryForeground: #3b3b3b; --vscode-button-secondaryHoverBackground: #cccccc;
  --vscode-settings-textInputBackground: #ffffff; --vscode-settings-textInputForeground: #3b3b3b; --vscode-settings-textInputBorder: #cecece;
  --vscode-settings-dropdownBackground: #ffffff; --vscode-settings-dropdownForeground: #3b3b3b; --vscode-settings-dropdownBorder: #cecece;
  --vscode-settings-dropdownListBorder: #cecece; --vscode-input-placeholderForeground: #767676; --vscode-list-activeSelectionForeground: #3b3b3b;
  max-width: 1400px; margin: 0 auto; padding: 16px 24px; }
body.report.vscode-dark { --vscode-foreground: #cccccc; --vscode-editor-background: #1f1f1f; --vscode-descriptionForeground: #9d9d9d;
  --vscode-panel-border: #3c3c3c; --vscode-editorHoverWidget-background: #252526; --vscode-editorHoverWidget-border: #454545;
  --vscode-list-hoverBackground: #2a2d2e; --vscode-list-activeSelectionBackground: #04395e; --vscode-list-activeSelectionForeground: #ffffff;
  --vscode-button-background: #0078d4; --vscode-button-secondaryBackground: #313131; --vscode-button-secondaryForeground: #cccccc;
  --vscode-button-secondaryHoverBackground: #3c3c3c; --vscode-settings-textInputBackground: #313131; --vscode-settings-textInputForeground: #cccccc;
  --vscode-settings-dropdownBackground: #313131; --vscode-settings-dropdownForeground: #cccccc; --vscode-settings-dropdownBorder: #3c3c3c; }
h1 { font-size: 1.5em; margin: 0 0 4px; } h2 { font-size: 1.2em; margin: 16px 0 8px; } h3 { font-size: 1em; margin: 12px 0 6px; }
.muted { color: var(--vscode-descriptionForeground); }
.mono { font-family: var(--vscode-editor-font-family, monospace); }
section.report-section { border-top: 1px solid var(--vscode-panel-border); margin-top: 16px; }
.toolbar { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 4px 0 10px; }
.toolbar .spacer { flex: 1; }
.row { display: flex; gap: 16px; align-items: flex-start; flex-wrap: wrap; }
.grow { flex: 1 1 420px; min-width: 0; }
.side { flex: 0 1 340px; min-width: 260px; }
.heatmap { display: grid; grid-template-columns: auto 1fr; overflow: auto; max-height: 70vh; border: 1px solid var(--vscode-panel-border); }
.heatmap .axis { grid-column: 2; position: sticky; top: 0; background: var(--vscode-editor-background); height: 18px; z-index: 1; }
.heatmap .corner { position: sticky; top: 0; left: 0; z-index: 2; background: var(--vscode-editor-background); font-size: 11px; padding: 0 6px; }
.heatmap .labels { position: sticky; left: 0; background: var(--vscode-editor-background); z-index: 1; }
.token { height: 18px; line-height: 18px; padding: 0 6px; white-space: pre; font-family: var(--vscode-editor-font-family, monospace);
  font-size: 12px; cursor: pointer; max-width: 180px; overflow: hidden; text-overflow: ellipsis; }
.token:hover { background: var(--vscode-list-hoverBackground); }
.token.selected { background: var(--vscode-list-activeSelectionBackground); outline: 1px solid var(--vscode-focusBorder); }
.token .pos { color: var(--vscode-descriptionForeground); margin-right: 6px; }
canvas.cells { display: block; cursor: crosshair; image-rendering: pixelated; }
canvas:focus { outline: 1px solid var(--vscode-focusBorder); }
.legend { display: flex; align-items: center; gap: 6px; font-size: 11px; }
.legend canvas { width: 120px; height: 10px; border: 1px solid var(--vscode-panel-border); image-rendering: pixelated; }
.legend-empty { display: inline-block; width: 10px; height: 10px; border: 1px solid var(--vscode-panel-border); margin-left: 6px; }
table.data { border-collapse: collapse; width: 100%; font-size: 12px; }
table.data th, table.data td { text-align: left; padding: 2px 8px 2px 0; border-bottom: 1px solid var(--vscode-panel-border); }
table.data td.num, table.data th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.data tr[data-neuron]:hover { background: var(--vscode-list-hoverBackground); cursor: default; }
table.data td.best { font-weight: bold; }
table.data th.sortable { cursor: pointer; user-select: none; }
table.data th.sortable:focus-visible { outline: 1px solid var(--vscode-focusBorder, #0078d4); outline-offset: -1px; }
table.data td[data-better="true"] { color: var(--vscode-testing-iconPassed, #388a34); }
table.data td[data-better="false"] { color: var(--vscode-errorForeground, #c72e0f); }
table.data tr[role="button"] { cursor: pointer; }
table.data th.task { text-align: center; border-bottom: 1px solid var(--vscode-foreground, #888); }
table.data tr.group-start td { border-top: 1px solid var(--vscode-foreground, #888); }
table.data td.group { font-weight: bold; vertical-align: top; }
table.data td[data-mark="worse"] { color: var(--vscode-errorForeground, #c72e0f); }
.scroll-x { overflow-x: auto; max-width: 100%; }
table.data tr[role="button"]:hover { background: var(--vscode-list-hoverBackground); }
table.data tr[aria-selected="true"] { background: var(--vscode-list-activeSelectionBackground, #cce4ff); color: var(--vscode-list-activeSelectionForeground, inherit); }
table.data tr[role="button"]:focus-visible { outline: 1px solid var(--vscode-focusBorder, #0078d4); outline-offset: -1px; }
.scroll { max-height: 60vh; overflow: auto; }
.bar-cell { display: inline-block; height: 8px; background: var(--vscode-charts-blue, #3794ff); vertical-align: middle; }
.continuation, .output { white-space: pre-wrap; font-family: var(--vscode-editor-font-family, monospace); padding: 6px 8px;
  border: 1px solid var(--vscode-panel-border); border-radius: 2px; }
.selected-cell { font-size: 12px; min-height: 18px; }
.hover-card { position: absolute; z-index: 10; pointer-events: none; max-width: min(340px, calc(100vw - 8px)); box-sizing: border-box; padding: 6px 8px; font-size: 12px;
  background: var(--vscode-editorHoverWidget-background, #252526); color: var(--vscode-editorHoverWidget-foreground, var(--vscode-foreground));
  border: 1px solid var(--vscode-editorHoverWidget-border, #454545); border-radius: 3px; box-shadow: 0 2px 8px rgba(0,0,0,.3); }
.hover-card[hidden] { display: none; }
.hc-title { font-weight: bold; margin-bottom: 4px; font-family: var(--vscode-editor-font-family, monospace); }
.hc-rows th { text-align: left; font-weight: normal; color: var(--vscode-descriptionForeground); padding-right: 8px; vertical-align: top; }
.hc-bar { display: grid; grid-template-columns: 44px 1fr 48px; gap: 6px; align-items: center; margin-top: 2px; }
.hc-bar.strong .hc-label { font-weight: bold; }
.hc-track { height: 8px; background: var(--vscode-panel-border); position: relative; }
.hc-fill { position: absolute; left: 0; top: 0; bottom: 0; }
.hc-text { text-align: right; font-variant-numeric: tabular-nums; }
.hc-note { margin-top: 4px; color: var(--vscode-descriptionForeground); }
.scatter-wrap { position: relative; }
.scatter-wrap canvas { display: block; }
.brush { position: absolute; border: 1px dashed var(--vscode-focusBorder); background: rgba(0,120,212,.1); pointer-events: none; }
.brush[hidden] { display: none; }
.compare { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.error { color: var(--vscode-errorForeground, #f14c4c); white-space: pre-wrap; }
.empty { color: var(--vscode-descriptionForeground); font-style: italic; }
.provenance-bar { margin: 0 0 6px; font-size: 12px; }
.provenance-bar[hidden] { display: none; }
.stale-banner { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin-top: 4px; padding: 4px 8px;
  background: var(--vscode-inputValidation-warningBackground, #fff4ce); color: var(--vscode-inputValidation-warningForeground, inherit);
  border: 1px solid var(--vscode-inputValidation-warningBorder, #b89500); border-radius: 2px; }
svg { max-width: 100%; height: auto; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.token:focus-visible, tr[tabindex]:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: -1px; }
/* High-contrast themes: VS Code marks the body; selection and focus get the theme's contrast borders. */
body.vscode-high-contrast .token.selected, body.vscode-high-contrast-light .token.selected { outline: 1px dashed var(--vscode-contrastActiveBorder, var(--vscode-focusBorder)); }
body.vscode-high-contrast table.data th, body.vscode-high-contrast table.data td { border-bottom-color: var(--vscode-contrastBorder, currentColor); }
/* Forced colours (Windows contrast themes): system colours for what colour alone would carry. */
@media (forced-colors: active) {
  .token.selected { outline: 2px solid Highlight; forced-color-adjust: none; background: Highlight; color: HighlightText; }
  .token:focus-visible, tr[tabindex]:focus-visible, canvas:focus { outline: 2px solid Highlight; }
  .bar-cell, .hc-fill { forced-color-adjust: none; background: CanvasText !important; }
  .brush { border-color: Highlight; }
  canvas, svg { forced-color-adjust: none; }
}
`;

let installed = false;

export function installStyles(): void {
  if (installed) return;
  installed = true;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}
