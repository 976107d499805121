/** Minimal element builder: h('div', { class: 'x', 'data-testid': 'y' }, child, 'text'). */
export type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Record<string, string | number | boolean | undefined>, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, attrs?: Record<string, string | number | boolean | undefined>, ...children: Child[]): HTMLElement;
export function h(tag: string, attrs: Record<string, string | number | boolean | undefined> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, ...children);
  return el;
}

export function append(el: Element, ...children: Child[]): void {
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/**
 * Inserts an SVG string built by render/charts.ts. Safe because those builders escape every text
 * and attribute value (render/svg.ts `esc`); no user string reaches here unescaped.
 */
export function setSvg(el: Element, svg: string): void {
  el.innerHTML = svg;
}

/** A vscode-single-select with options; `value` selected. */
export function select(testid: string, options: { value: string; label: string }[], value: string, label: string): HTMLElement {
  const s = h('vscode-single-select', { 'data-testid': testid, 'aria-label': label, title: label });
  for (const o of options) s.append(h('vscode-option', { value: o.value, selected: o.value === value }, o.label));
  return s;
}

export function valueOf(el: Element): string {
  return (el as unknown as { value: string }).value;
}
