import * as vscode from 'vscode';
import type { ActivationAnalysis } from '../shared/analysis';
import type { LapeResult } from '../shared/lape';
import type { LatentLanguageResult } from '../shared/lens';
import type { RenderedPrompt } from '../shared/prompt/render';
import type { PanelKind, PanelProvenance, WebviewToHostMessage } from '../shared/protocol';
import { E2eDump } from './e2eDump';
import { SECTION } from './settings';
import type { Deactivation } from '../engine/worker/protocol';

/** The last analysis of a document and the rendering its token offsets refer to. */
export interface StoredAnalysis {
  analysis: ActivationAnalysis;
  rendered?: RenderedPrompt;
  /** The example index rendered (−1 = input.default only). */
  example: number;
  /** The intervention the analysis ran with: a neuron hover reuses its forward only when they match. */
  run?: { deactivate?: Deactivation; variant?: string };
  /** What the panel's header says about it (Show Activations shows it again). */
  provenance?: PanelProvenance;
  /** What ran (commands/panelState.ts RunSignature), to tell when the prompt would now run something else. */
  signature?: { model: string; variant: string; text: string; topK?: number; maxNewTokens?: number };
}

/**
 * The one object that owns the extension's state and disposables. Passed to every feature
 * (and to the panels: `extensionUri`, `subscriptions` and `log` are what they need), so nothing
 * keeps module-level state and `dispose()` really releases everything.
 */
export class PolyglotContext implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  readonly analyses = new Map<string, StoredAnalysis>();
  /** Fired when an analysis is stored (hovers, CodeLens and the status bar refresh). */
  readonly onDidAnalyze = new vscode.EventEmitter<vscode.Uri>();
  readonly e2e: E2eDump;
  private readonly disposables: vscode.Disposable[] = [];
  lastAnalysis?: StoredAnalysis;
  /** The last Find Language Neurons result (hovers on `L3.N127` show its language profile). */
  lastLape?: LapeResult;
  /** The document whose analysis the Activations panel shows (editor ↔ panel linking). */
  shownActivations?: vscode.Uri;
  /** What the Latent language panel shows: the document, the lens result and the rendering its offsets refer to. */
  shownLens?: { uri: vscode.Uri; result: LatentLanguageResult; rendered?: RenderedPrompt };
  /** Every validated message from a panel (LensPanel calls onPanelMessage). */
  readonly panelMessages = new vscode.EventEmitter<{ kind: PanelKind; msg: WebviewToHostMessage }>();

  constructor(readonly extension: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('Polyglot Lens', { log: true });
    this.e2e = new E2eDump(process.env.POLYGLOT_LENS_E2E_DUMP);
    this.own(this.output, this.onDidAnalyze, this.panelMessages);
    // The e2e driver waits for a settings change to reach the extension host instead of sleeping.
    if (this.e2e.enabled) this.own(vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      const c = vscode.workspace.getConfiguration(SECTION);
      const keys = Object.keys(c).filter((k) => typeof (c as unknown as Record<string, unknown>)[k] !== 'function');
      this.e2e.event('configuration', { workspace: Object.fromEntries(keys.map((k) => [k, c.inspect(k)?.workspaceValue])) });
    }));
  }

  onPanelMessage(kind: PanelKind, msg: WebviewToHostMessage): void {
    this.panelMessages.fire({ kind, msg });
  }

  get extensionUri(): vscode.Uri {
    return this.extension.extensionUri;
  }
  get subscriptions(): vscode.Disposable[] {
    return this.disposables;
  }

  /** Registers things to dispose when the extension deactivates. */
  own<T extends vscode.Disposable>(first: T, ...rest: vscode.Disposable[]): T {
    this.disposables.push(first, ...rest);
    return first;
  }

  log(line: string): void {
    this.output.info(line);
  }

  storeAnalysis(uri: vscode.Uri, stored: StoredAnalysis): void {
    this.analyses.set(uri.toString(), stored);
    this.lastAnalysis = stored;
    this.onDidAnalyze.fire(uri);
  }

  storeLape(lape: LapeResult): void {
    this.lastLape = lape;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) {
      try {
        d.dispose();
      } catch (e) {
        console.error('Polyglot Lens: dispose failed', e);
      }
    }
  }
}
