/** The floating hover card: renders render/hover.ts data next to the pointer. */
import { seriesColor, type Theme } from '../render/color';
import { placeInside, type HoverCard } from '../render/hover';
import { clear, h } from './dom';

export class HoverCardView {
  readonly el: HTMLElement;
  constructor(private theme: () => Theme) {
    this.el = h('div', { class: 'hover-card', 'data-testid': 'hover-card', role: 'tooltip', hidden: true });
    document.body.append(this.el);
  }

  show(card: HoverCard, clientX: number, clientY: number): void {
    const el = this.el;
    clear(el);
    el.append(h('div', { class: 'hc-title', 'data-testid': 'hover-title' }, card.title));
    if (card.rows.length) {
      const t = h('table', { class: 'hc-rows' });
      for (const [k, v] of card.rows) t.append(h('tr', {}, h('th', {}, k), h('td', { 'data-key': k }, v)));
      el.append(t);
    }
    for (const b of card.bars) {
      const fill = h('span', { class: 'hc-fill' });
      // Style properties set through the CSSOM are allowed by the CSP (only style attributes in markup are not).
      fill.style.width = `${(b.fraction * 100).toFixed(1)}%`;
      fill.style.background = b.series >= 0 ? seriesColor(this.theme(), b.series) : this.theme().accent;
      el.append(h('div', { class: `hc-bar${b.strong ? ' strong' : ''}`, 'data-label': b.label, 'data-fraction': b.fraction.toFixed(4) },
        h('span', { class: 'hc-label' }, b.label), h('span', { class: 'hc-track' }, fill), h('span', { class: 'hc-text' }, b.text)));
    }
    for (const n of card.notes) el.append(h('div', { class: 'hc-note' }, n));
    el.hidden = false;
    // Measured at the page's left edge first: an absolutely positioned box near the right edge is
    // shrunk to the room left there, so measuring it where it was gave a width too small to flip by.
    el.style.left = `${window.scrollX}px`;
    el.style.top = `${window.scrollY}px`;
    const r = el.getBoundingClientRect();
    // Keep the card inside the viewport: flip to the pointer's left/top when it would overflow
    // (12 px gap from the pointer), and never past an edge when neither side has room.
    const x = placeInside(clientX, r.width, window.innerWidth);
    const y = placeInside(clientY, r.height, window.innerHeight);
    el.style.left = `${x + window.scrollX}px`;
    el.style.top = `${y + window.scrollY}px`;
  }

  hide(): void {
    this.el.hidden = true;
  }
}
