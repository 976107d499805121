/**
 * The header every panel shows above its data: what it was computed from (prompt and its version,
 * model, variant, time) and, when the editor no longer matches it or the panel was restored after
 * a window reload, a banner saying so with one Re-run button.
 */
import type { PanelProvenance } from '../../src/shared/protocol';
import type { Bridge } from './bridge';
import { clear, h } from './dom';

/** "hello.prompt v7 · default · wanda-s0.5… · 14:02:11": the header's text. Pure, unit-tested. */
export function provenanceLine(p: PanelProvenance): string {
  const when = new Date(p.ranAt);
  const time = Number.isNaN(when.getTime()) ? p.ranAt : when.toLocaleTimeString('en-GB', { hour12: false });
  return [p.source ? `${p.source}${p.version !== undefined ? ` v${p.version}` : ''}` : undefined, `model ${p.model}`, p.variant, `ran ${time}`].filter(Boolean).join(' · ');
}

export class ProvenanceView {
  readonly el = h('div', { class: 'provenance-bar', 'data-testid': 'provenance-bar' });
  private provenance?: PanelProvenance;
  private restored = false;

  constructor(private readonly bridge: Bridge) {}

  set(p: PanelProvenance | undefined, restored: boolean): void {
    this.provenance = p;
    this.restored = restored;
    this.render();
  }

  get value(): PanelProvenance | undefined {
    return this.provenance;
  }

  private render(): void {
    clear(this.el);
    const p = this.provenance;
    if (!p && !this.restored) { this.el.hidden = true; return; }
    this.el.hidden = false;
    if (!p) {
      this.el.append(h('div', { class: 'stale-banner', role: 'status', 'data-testid': 'stale-banner', 'data-kind': 'restored' }, 'Snapshot from before the window reload: nothing here is recomputed; run the command again to refresh it.'));
      return;
    }
    this.el.append(h('div', { class: 'provenance muted', 'data-testid': 'provenance', 'data-model': p.model, 'data-variant': p.variant, 'data-source': p.source,
      'data-version': p.version, title: p.version !== undefined ? `document version ${p.version} (VS Code counts every edit of the prompt)` : undefined }, provenanceLine(p)));
    const why = p.stale ? `Stale: ${p.stale}.` : this.restored ? 'Snapshot from before the window reload: nothing here is recomputed until you re-run it.' : undefined;
    if (!why) return;
    const banner = h('div', { class: 'stale-banner', role: 'status', 'data-testid': 'stale-banner', 'data-kind': p.stale ? 'stale' : 'restored' }, h('span', {}, why));
    if (p.rerun) {
      const rerun = p.rerun;
      const b = h('vscode-button', { 'data-testid': 'rerun' }, 'Re-run');
      b.addEventListener('click', () => this.bridge.post({ type: 'panel/rerun', rerun }));
      banner.append(b);
    }
    this.el.append(banner);
  }
}
