/** Reads the editor theme from VS Code's --vscode-* CSS variables, with fallbacks for the report. */
import { DEFAULT_THEME, LIGHT_THEME, type Theme } from '../render/color';

export function readTheme(): Theme {
  const cs = getComputedStyle(document.body);
  const light = document.body.classList.contains('vscode-light') || document.body.classList.contains('vscode-high-contrast-light');
  const base = light ? LIGHT_THEME : DEFAULT_THEME;
  const v = (name: string, fallback: string): string => cs.getPropertyValue(name).trim() || fallback;
  return {
    background: v('--vscode-editor-background', base.background),
    foreground: v('--vscode-foreground', base.foreground),
    muted: v('--vscode-descriptionForeground', base.muted),
    border: v('--vscode-panel-border', base.border),
    accent: v('--vscode-focusBorder', base.accent),
    positive: v('--vscode-charts-blue', base.positive),
    negative: v('--vscode-charts-red', base.negative),
    series: ['blue', 'red', 'yellow', 'green', 'purple', 'orange'].map((c, i) => v(`--vscode-charts-${c}`, base.series[i]!)),
    fontFamily: v('--vscode-font-family', base.fontFamily),
    fontSize: parseFloat(v('--vscode-font-size', String(base.fontSize))) || base.fontSize,
  };
}

/** VS Code swaps the body class (vscode-light / vscode-dark / …) and the variables on theme change. */
export function onThemeChange(cb: () => void): void {
  new MutationObserver(() => cb()).observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-id'] });
}
