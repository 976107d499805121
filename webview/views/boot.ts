/**
 * Panel start-up shared by every entry: styles, theme, hover card, the bridge, state restore
 * (vscode.setState holds the last `show` message and the UI state, so a reloaded window redraws
 * without the host), then `panel/ready`.
 */
import { isHostToWebviewMessage, isProvenance, type HostToWebviewMessage, type PanelKind, type PanelProvenance } from '../../src/shared/protocol';
import { createBridge, type Bridge } from './bridge';
import type { MountedView, ViewContext } from './context';
import { h } from './dom';
import { HoverCardView } from './hoverCard';
import { ProvenanceView } from './provenance';
import { installStyles } from './styles';
import { onThemeChange, readTheme } from './theme';

interface PanelState { kind: PanelKind; show: HostToWebviewMessage; ui: Record<string, unknown>; provenance?: PanelProvenance }

export interface PanelSpec<M extends HostToWebviewMessage> {
  kind: PanelKind;
  /** The `…/show` message type this panel draws. */
  showType: M['type'];
  mount(root: HTMLElement, msg: M, ctx: ViewContext): MountedView;
  /**
   * Other host messages (e.g. activations/revealToken); `view` is the mounted view, if any.
   * `persist` replaces the saved show message, for messages that complete it (a continuation).
   */
  onMessage?(msg: HostToWebviewMessage, root: HTMLElement, view: MountedView | null, persist: (update: (show: M) => M) => void): void;
}

export function bootPanel<M extends HostToWebviewMessage>(spec: PanelSpec<M>): void {
  installStyles();
  const bridge = createBridge();
  let theme = readTheme();
  const hover = new HoverCardView(() => theme);
  const root = h('main', { 'data-testid': `panel-${spec.kind}` });
  // One polite live region per panel, outside the re-rendered root, so announcements survive a redraw.
  const live = h('div', { class: 'sr-only', role: 'status', 'aria-live': 'polite', 'data-testid': 'live-region' });
  const header = new ProvenanceView(bridge);
  document.body.append(header.el, root, live);
  const announce = (text: string) => { live.textContent = text; };
  let view: MountedView | null = null;
  let state: PanelState | null = null;

  function show(msg: M, ui: Record<string, unknown>): void {
    const t0 = performance.now();
    view?.destroy();
    root.replaceChildren();
    state = { kind: spec.kind, show: msg, ui, ...(header.value ? { provenance: header.value } : {}) };
    const ctx: ViewContext = {
      bridge, theme: () => theme, hover, t0, ui, announce,
      saveUi: (next) => { if (state) { state.ui = next; ctx.ui = next; bridge.setState(state); } },
    };
    try {
      view = spec.mount(root, msg, ctx);
      bridge.setState(state);
    } catch (e) {
      fail(bridge, root, e);
    }
  }

  onThemeChange(() => { theme = readTheme(); view?.redraw(); });
  bridge.onMessage((msg) => {
    if (msg.type === spec.showType) { header.set(undefined, false); show(msg as M, {}); }
    else if (msg.type === 'panel/provenance') {
      header.set(msg.provenance, false);
      if (state) { state.provenance = msg.provenance; bridge.setState(state); }
    }
    else if (msg.type === 'panel/exported') { if (!msg.ok && msg.error) root.prepend(h('div', { class: 'error' }, `Export failed: ${msg.error}`)); }
    else spec.onMessage?.(msg, root, view, (update) => { if (state) { state.show = update(state.show as M); bridge.setState(state); } });
  });
  const saved = bridge.getState() as Partial<PanelState> | undefined;
  if (saved && saved.kind === spec.kind && isHostToWebviewMessage(saved.show) && saved.show.type === spec.showType) {
    // Restored (after a window reload, or shown again after being hidden): the saved data, said to be a snapshot until the host answers.
    const provenance = isProvenance(saved.provenance) ? saved.provenance : undefined;
    header.set(provenance, true);
    show(saved.show as M, typeof saved.ui === 'object' && saved.ui !== null ? saved.ui : {});
    bridge.post({ type: 'panel/restored', show: saved.show, ...(provenance ? { provenance } : {}) });
  } else {
    root.append(h('p', { class: 'empty', 'data-testid': 'waiting' }, 'Waiting for data…'));
  }
  bridge.post({ type: 'panel/ready', kind: spec.kind });
}

export function fail(bridge: Bridge, root: HTMLElement, e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  root.replaceChildren(h('div', { class: 'error', 'data-testid': 'panel-error' }, `Cannot show this result: ${message}`));
  bridge.post({ type: 'panel/error', message });
}
