/**
 * One class for every Polyglot Lens webview panel: HTML + CSP, resource roots, the ready
 * handshake (data is posted only once the view listens), message validation, export saving,
 * one panel per kind (showing new data reuses and reveals it).
 */
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { isWebviewToHostMessage, type HostToWebviewMessage, type PanelKind, type PanelProvenance, type WebviewToHostMessage } from '../../shared/protocol';
import { exportBytes, writeExportFile } from './exportFile';
import { makeNonce, panelHtml } from './html';
import { TITLES } from './titles';

/** What the panels need from the extension: an ExtensionContext or the shell's PolyglotContext. */
export type PanelHost = (
  | vscode.ExtensionContext
  | { extensionUri: vscode.Uri; subscriptions: vscode.Disposable[] }
) & {
  log?(line: string): void;
  /** Sees every validated webview message (e2e harness, logging). */
  onPanelMessage?(kind: PanelKind, msg: WebviewToHostMessage): void;
};

export const VIEW_TYPES: Record<PanelKind, string> = {
  activations: 'polyglotLens.activations',
  languageNeurons: 'polyglotLens.languageNeurons',
  features: 'polyglotLens.features',
  compare: 'polyglotLens.compare',
  studies: 'polyglotLens.studies',
  neuron: 'polyglotLens.neuron',
  results: 'polyglotLens.results',
  latentLanguage: 'polyglotLens.latentLanguage',
};

export { TITLES } from './titles';

const FILTERS: Record<string, Record<string, string[]>> = {
  png: { 'PNG image': ['png'] }, svg: { 'SVG image': ['svg'] }, csv: { CSV: ['csv'] }, json: { JSON: ['json'] }, tex: { LaTeX: ['tex'] }, md: { Markdown: ['md'] },
};

/** Open panels by kind; per host object, so two extension hosts in one process (tests) do not share. */
const openPanels = new WeakMap<object, Map<PanelKind, LensPanel>>();
/** Fired when a panel opens, shows new data, changes its header or closes (the sidebar lists them). */
const changed = new vscode.EventEmitter<void>();

export class LensPanel implements vscode.Disposable {
  private ready = false;
  private pending: HostToWebviewMessage[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  /** Callers waiting for the next `panel/painted` (each `show` is followed by one paint). */
  private paintWaiters: ((ms: number) => void)[] = [];
  /** What the data on screen was computed from (the header), once the host has said it. */
  private shownProvenance?: PanelProvenance;
  /** Whether VS Code restored this panel after a window reload and the host has not reconnected it. */
  restored = false;

  /** Shows `msg` in the panel of `kind`, reusing an open one; `provenance` heads it. */
  static show(host: PanelHost, kind: PanelKind, msg: HostToWebviewMessage, title?: string, provenance?: PanelProvenance): LensPanel {
    const byKind = openPanels.get(host) ?? new Map<PanelKind, LensPanel>();
    openPanels.set(host, byKind);
    let p = byKind.get(kind);
    if (!p) {
      // No retainContextWhenHidden: the view keeps its data and UI state in vscode.setState and
      // redraws from it when shown again, so a hidden panel costs no memory. A new panel joins the
      // column the other panels are in (one column for results, not one more per panel).
      const column = [...byKind.values()].map((o) => o.panel.viewColumn).find((c) => c !== undefined) ?? vscode.ViewColumn.Beside;
      const panel = vscode.window.createWebviewPanel(VIEW_TYPES[kind], title ?? TITLES[kind], { viewColumn: column, preserveFocus: true }, webviewOptions(host.extensionUri));
      p = new LensPanel(host, kind, panel);
    } else {
      p.panel.reveal(undefined, true);
      if (title) p.panel.title = title;
    }
    p.restored = false;
    p.shownProvenance = undefined;
    p.post(msg);
    if (provenance) p.setProvenance(provenance);
    changed.fire();
    return p;
  }

  static readonly onDidChange = changed.event;

  /** Every open panel of this host. */
  static all(host: PanelHost): LensPanel[] {
    return [...(openPanels.get(host)?.values() ?? [])];
  }

  get provenance(): PanelProvenance | undefined {
    return this.shownProvenance;
  }

  /** Sets (and shows) what the data was computed from, e.g. with a new `stale` reason. */
  setProvenance(p: PanelProvenance): void {
    this.shownProvenance = p;
    this.post({ type: 'panel/provenance', provenance: p });
    changed.fire();
  }

  /** The open panel of `kind`, if any. */
  static get(host: PanelHost, kind: PanelKind): LensPanel | undefined {
    return openPanels.get(host)?.get(kind);
  }

  /** Wraps a panel VS Code restored after a reload; the webview redraws itself from its saved state. */
  static restore(host: PanelHost, kind: PanelKind, panel: vscode.WebviewPanel): LensPanel {
    panel.webview.options = webviewOptions(host.extensionUri);
    const p = new LensPanel(host, kind, panel);
    p.restored = true;
    changed.fire();
    return p;
  }

  private constructor(private readonly host: PanelHost, readonly kind: PanelKind, readonly panel: vscode.WebviewPanel) {
    const byKind = openPanels.get(host) ?? new Map<PanelKind, LensPanel>();
    openPanels.set(host, byKind);
    byKind.set(kind, this);
    const webview = panel.webview;
    const script = vscode.Uri.joinPath(host.extensionUri, 'dist', 'webview', `${kind}.js`);
    webview.html = panelHtml({ cspSource: webview.cspSource, scriptUri: webview.asWebviewUri(script).toString(), nonce: makeNonce((n) => randomBytes(n)), title: panel.title });
    this.disposables.push(
      webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      // A hidden panel's webview is discarded; messages wait until it is shown and says ready again.
      panel.onDidChangeViewState((e) => { if (!e.webviewPanel.visible) this.ready = false; }),
      panel.onDidDispose(() => this.dispose()),
    );
    host.subscriptions.push(this);
  }

  /**
   * Resolves with the paint time of the next `panel/painted`: call it right after `show`, before
   * yielding to the event loop, to time the data that `show` sent (tests and logging).
   */
  nextPaint(): Promise<number> {
    return new Promise((resolve) => this.paintWaiters.push(resolve));
  }

  post(msg: HostToWebviewMessage): void {
    if (this.ready && this.panel.visible) void this.panel.webview.postMessage(msg);
    else {
      // Only the latest `show` matters before the view is up; keep other messages in order.
      this.pending = this.pending.filter((m) => !m.type.endsWith('/show') || !msg.type.endsWith('/show'));
      this.pending.push(msg);
    }
  }

  private receive(m: unknown): void {
    if (!isWebviewToHostMessage(m)) {
      this.host.log?.(`[${this.kind} panel] ignored an invalid message`);
      return;
    }
    this.host.onPanelMessage?.(this.kind, m);
    switch (m.type) {
      case 'panel/ready':
        this.ready = true;
        for (const p of this.pending.splice(0)) void this.panel.webview.postMessage(p);
        // A live panel shown again (its webview was discarded while hidden) gets its header back at once.
        if (this.shownProvenance && !this.restored) void this.panel.webview.postMessage({ type: 'panel/provenance', provenance: this.shownProvenance } satisfies HostToWebviewMessage);
        break;
      case 'panel/painted':
        this.host.log?.(`[${this.kind} panel] ${m.view} painted in ${m.ms} ms`);
        for (const resolve of this.paintWaiters.splice(0)) resolve(m.ms);
        break;
      case 'panel/error':
        this.host.log?.(`[${this.kind} panel] ${m.message}`);
        break;
      case 'panel/export':
        void this.saveExport(m.format, m.suggestedName, m.content, m.encoding);
        break;
      default:
        break; // selection and hover messages are for onPanelMessage listeners
    }
  }

  private async saveExport(format: string, name: string, content: string, encoding: 'utf8' | 'base64'): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
    const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(folder, name), filters: FILTERS[format], saveLabel: 'Export' });
    if (!target) { this.post({ type: 'panel/exported', ok: false }); return; }
    try {
      if (target.scheme === 'file') await writeExportFile(target.fsPath, exportBytes(content, encoding));
      // Remote or virtual file systems: the policy cannot see them; the file system provider writes it.
      else await vscode.workspace.fs.writeFile(target, exportBytes(content, encoding));
      this.post({ type: 'panel/exported', ok: true, path: target.fsPath });
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      this.post({ type: 'panel/exported', ok: false, error });
      void vscode.window.showErrorMessage(`Polyglot Lens: export failed: ${error}`);
    }
  }

  dispose(): void {
    const byKind = openPanels.get(this.host);
    if (byKind?.get(this.kind) === this) byKind.delete(this.kind);
    changed.fire();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}
