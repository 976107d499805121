/**
 * Editor ↔ panel linking. Panel → editor: clicking a token row selects the token's characters
 * in the prompt; hovering a neuron highlights its `L3.N127` references in visible prompts;
 * clicking one selects them; features brushed in the scatter (`down` inputs are MLP neurons)
 * highlight theirs. Editor → panel: moving the cursor onto a token selects it in the
 * Activations panel and the Latent language panel (each for the prompt it shows). The offset arithmetic is in prompt/linking.ts (unit-tested).
 */
import * as vscode from 'vscode';
import { renderPrompt, type RenderedPrompt } from '../shared/prompt/render';
import type { PolyglotContext } from './context';
import type { ActivationAnalysis } from '../shared/analysis';
import { LensPanel } from './panels/lensPanel';
import { revealTokenInPanel } from './panels/activations';
import { revealTokenInLatentLanguage } from './panels/latentLanguage';
import { neuronReferences, tokenAtSource, tokenSourceRange } from './prompt/linking';
import { isPromptDocument, type PromptDocuments } from './promptDocuments';

export function registerLinking(ctx: PolyglotContext, prompts: PromptDocuments): void {
  const highlight = ctx.own(vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('editor.findMatchHighlightBackground'),
    borderColor: new vscode.ThemeColor('contrastActiveBorder'),
    borderStyle: 'solid',
    borderWidth: '1px',
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.findMatchForeground'),
  }));
  type Linked = 'activations' | 'latentLanguage';
  /** The last token revealed in each panel from the editor (not revealed again while the cursor stays in it). */
  const revealed: Partial<Record<Linked, number>> = {};
  /** What a panel shows (its tokens and the rendering their offsets refer to), if the file still renders to that text. */
  const shown = (kind: Linked): { doc: vscode.TextDocument; tokens: Pick<ActivationAnalysis, 'tokens'>; rendered: RenderedPrompt } | undefined => {
    const stored = kind === 'activations' ? ctx.shownActivations && ctx.analyses.get(ctx.shownActivations.toString()) : undefined;
    const src = kind === 'activations'
      ? stored && ctx.shownActivations && { uri: ctx.shownActivations, text: stored.analysis.text, tokens: stored.analysis, rendered: stored.rendered }
      : ctx.shownLens && { uri: ctx.shownLens.uri, text: ctx.shownLens.result.text, tokens: ctx.shownLens.result, rendered: ctx.shownLens.rendered };
    const doc = src && vscode.workspace.textDocuments.find((d) => d.uri.toString() === src.uri.toString());
    if (!src?.rendered || !doc || !isPromptDocument(doc)) return undefined;
    const parsed = prompts.get(doc);
    try {
      const now = renderPrompt(parsed.doc, parsed.partials, src.rendered.input);
      return now.text === src.text ? { doc, tokens: src.tokens, rendered: now } : undefined;
    } catch {
      return undefined;
    }
  };

  const promptEditors = () => vscode.window.visibleTextEditors.filter((e) => isPromptDocument(e.document));
  const highlightNeurons = (neurons: { layer: number; index: number }[]) => {
    for (const e of promptEditors()) {
      const ranges = neuronReferences(e.document.getText(), neurons).map(([s, t]) => new vscode.Range(e.document.positionAt(s), e.document.positionAt(t)));
      e.setDecorations(highlight, ranges);
    }
  };

  async function selectToken(kind: Linked, pos: number): Promise<void> {
    const s = shown(kind);
    if (!s) return;
    const range = tokenSourceRange(s.tokens, s.rendered, pos);
    if (!range) {
      vscode.window.setStatusBarMessage(`Polyglot Lens: token ${pos} is not written in ${vscode.workspace.asRelativePath(s.doc.uri)} (a variable, helper or special token)`, 4000);
      return;
    }
    const selection = new vscode.Selection(s.doc.positionAt(range[0]), s.doc.positionAt(range[1]));
    const visible = vscode.window.visibleTextEditors.find((e) => e.document === s.doc);
    const editor = await vscode.window.showTextDocument(s.doc, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One, preserveFocus: true, selection });
    editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    ctx.e2e.event('editor-selection', { file: s.doc.fileName, pos, start: range[0], end: range[1], text: s.doc.getText(selection) });
  }

  async function selectNeuron(neuron: { layer: number; index: number }): Promise<void> {
    for (const e of promptEditors()) {
      const found = neuronReferences(e.document.getText(), [neuron]);
      if (found.length === 0) continue;
      e.selections = found.map(([a, b]) => new vscode.Selection(e.document.positionAt(a), e.document.positionAt(b)));
      e.revealRange(e.selections[0]!, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
      ctx.e2e.event('neuron-revealed', { file: e.document.fileName, neuron: `L${neuron.layer}.N${neuron.index}`, ranges: found });
      return;
    }
    vscode.window.setStatusBarMessage(`Polyglot Lens: L${neuron.layer}.N${neuron.index} is not referenced in a visible prompt`, 4000);
    ctx.e2e.event('neuron-revealed', { neuron: `L${neuron.layer}.N${neuron.index}`, ranges: [] });
  }

  ctx.own(
    ctx.panelMessages.event(({ msg }) => {
      if (msg.type === 'activations/selectToken') void selectToken('activations', msg.pos);
      else if (msg.type === 'latentLanguage/selectToken') void selectToken('latentLanguage', msg.pos);
      else if (msg.type === 'neuron/hover') highlightNeurons(msg.neuron ? [msg.neuron] : []);
      else if (msg.type === 'neuron/select') void selectNeuron(msg.neuron);
      else if (msg.type === 'features/select') highlightNeurons(msg.kind === 'down' && msg.layer !== null ? msg.indices.map((index) => ({ layer: msg.layer!, index })) : []);
    }),
    vscode.window.onDidChangeTextEditorSelection((e) => {
      // Only the user's own cursor moves (keyboard, mouse): a selection made from the panel (a
      // Command or programmatic change) is not echoed back, so arrowing in the panel never fights
      // with its own reflection in the editor.
      if (e.kind !== vscode.TextEditorSelectionChangeKind.Keyboard && e.kind !== vscode.TextEditorSelectionChangeKind.Mouse) return;
      for (const kind of ['activations', 'latentLanguage'] as const) {
        const s = shown(kind);
        if (!s || e.textEditor.document !== s.doc) continue;
        const panel = LensPanel.get(ctx, kind);
        if (!panel) continue;
        const pos = tokenAtSource(s.tokens, s.rendered, s.doc.offsetAt(e.selections[0]!.active));
        if (pos < 0 || pos === revealed[kind]) continue;
        revealed[kind] = pos;
        if (kind === 'activations') revealTokenInPanel(panel, pos);
        else revealTokenInLatentLanguage(panel, pos);
        ctx.e2e.event('panel-reveal', { file: s.doc.fileName, pos, panel: kind });
      }
    }),
    ctx.onDidAnalyze.event(() => { revealed.activations = undefined; revealed.latentLanguage = undefined; }),
  );
}
