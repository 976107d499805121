/**
 * Editor ↔ panel linking. Panel → editor: clicking a token row selects the token's characters
 * in the prompt; hovering a neuron highlights its `L3.N127` references in visible prompts;
 * clicking one selects them; features brushed in the scatter (`down` inputs are MLP neurons)
 * highlight theirs. Editor → panel: moving the cursor onto a token selects it in the
 * Activations panel. The offset arithmetic is in prompt/linking.ts (unit-tested).
 */
import * as vscode from 'vscode';
import { renderPrompt, type RenderedPrompt } from '../shared/prompt/render';
import type { PolyglotContext, StoredAnalysis } from './context';
import { LensPanel } from './panels/lensPanel';
import { revealTokenInPanel } from './panels/activations';
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
  let revealed: number | undefined;

  /** The analysis shown in the Activations panel and the rendering its offsets refer to, if the file still renders to it. */
  const shown = (): { doc: vscode.TextDocument; stored: StoredAnalysis; rendered: RenderedPrompt } | undefined => {
    const uri = ctx.shownActivations;
    const stored = uri && ctx.analyses.get(uri.toString());
    const doc = uri && vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!stored?.rendered || !doc || !isPromptDocument(doc)) return undefined;
    const parsed = prompts.get(doc);
    try {
      const now = renderPrompt(parsed.doc, parsed.partials, stored.rendered.input);
      return now.text === stored.analysis.text ? { doc, stored, rendered: now } : undefined;
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

  async function selectToken(pos: number): Promise<void> {
    const s = shown();
    if (!s) return;
    const range = tokenSourceRange(s.stored.analysis, s.rendered, pos);
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
      if (msg.type === 'activations/selectToken') void selectToken(msg.pos);
      else if (msg.type === 'neuron/hover') highlightNeurons(msg.neuron ? [msg.neuron] : []);
      else if (msg.type === 'neuron/select') void selectNeuron(msg.neuron);
      else if (msg.type === 'features/select') highlightNeurons(msg.kind === 'down' && msg.layer !== null ? msg.indices.map((index) => ({ layer: msg.layer!, index })) : []);
    }),
    vscode.window.onDidChangeTextEditorSelection((e) => {
      // Only the user's own cursor moves (keyboard, mouse): a selection made from the panel (a
      // Command or programmatic change) is not echoed back, so arrowing in the panel never fights
      // with its own reflection in the editor.
      if (e.kind !== vscode.TextEditorSelectionChangeKind.Keyboard && e.kind !== vscode.TextEditorSelectionChangeKind.Mouse) return;
      const s = shown();
      if (!s || e.textEditor.document !== s.doc) return;
      const panel = LensPanel.get(ctx, 'activations');
      if (!panel) return;
      const pos = tokenAtSource(s.stored.analysis, s.rendered, s.doc.offsetAt(e.selections[0]!.active));
      if (pos < 0 || pos === revealed) return;
      revealed = pos;
      revealTokenInPanel(panel, pos);
      ctx.e2e.event('panel-reveal', { file: s.doc.fileName, pos });
    }),
    ctx.onDidAnalyze.event(() => { revealed = undefined; }),
  );
}
