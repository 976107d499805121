import * as vscode from 'vscode';
import { pruningVariantName } from '../../shared/prompt/runSettings';
import type { PruningSettings } from '../../shared/prompt/types';
import type { PolyglotContext } from '../context';
import { polyglotKeyOffset, pruningKeyOffset, pruningLensTitle } from '../prompt/pruningLens';
import { evalCompareTitles, evalLensTitle } from '../prompt/evalLens';
import type { EvalSettings } from '../../shared/prompt/types';
import { PROMPT_SELECTOR, type PromptDocuments } from '../promptDocuments';
import type { VariantState } from '../variants';
import { modelChoiceFor } from '../promptModel';

/**
 * "Analyze Activations" / "Generate" / "Latent Language" above the template body, plus one Analyze lens per extra
 * example; above `polyglot.pruning`, what it runs ("Pruned: Wanda 30% · French→English"), Toggle
 * and Compare; above `polyglot.eval`, Evaluate and Compare with each listed variant.
 */
export function registerCodeLens(ctx: PolyglotContext, prompts: PromptDocuments, variants: VariantState): void {
  const changed = new vscode.EventEmitter<void>();
  ctx.own(changed, ctx.onDidAnalyze.event(() => changed.fire()), variants.onDidChange.event(() => changed.fire()));
  ctx.own(vscode.languages.registerCodeLensProvider(PROMPT_SELECTOR, {
    onDidChangeCodeLenses: changed.event,
    provideCodeLenses(doc) {
      const { doc: parsed } = prompts.get(doc);
      if (parsed.file.isPartial) return [];
      const line = doc.positionAt(parsed.body.start).line;
      const at = new vscode.Range(line, 0, line, 0);
      const lenses = [
        new vscode.CodeLens(at, { title: '$(pulse) Analyze Activations', command: 'polyglotLens.analyzeActivations', arguments: [doc.uri, 0] }),
        new vscode.CodeLens(at, { title: 'Generate', command: 'polyglotLens.generate', arguments: [doc.uri, 0] }),
        new vscode.CodeLens(at, { title: 'Latent Language', command: 'polyglotLens.showLatentLanguage', arguments: [doc.uri, 0], tooltip: 'Every layer read through the logit lens: which language the model is in, token by token' }),
      ];
      const examples = parsed.metadata.polyglot.examples ?? [];
      examples.slice(1).forEach((ex, i) => {
        lenses.push(new vscode.CodeLens(at, { title: `Analyze example ${i + 2}: ${summary(ex)}`, command: 'polyglotLens.analyzeActivations', arguments: [doc.uri, i + 1] }));
      });
      const choice = modelChoiceFor(doc, parsed.metadata);
      lenses.push(...pruningLenses(doc, parsed.metadata.polyglot.pruning, choice.ok ? variants.modelKey(choice.dir) : undefined, variants));
      lenses.push(...evalLenses(doc, parsed.metadata.polyglot.eval));
      const stored = ctx.analyses.get(doc.uri.toString());
      if (stored) lenses.push(new vscode.CodeLens(at, { title: `${stored.analysis.tokens.length} tokens analyzed · hover the text`, command: 'polyglotLens.showActivations', arguments: [doc.uri] }));
      return lenses;
    },
  }));
}

function pruningLenses(doc: vscode.TextDocument, pruning: PruningSettings | undefined, model: string | undefined, variants: VariantState): vscode.CodeLens[] {
  const offset = pruning && pruningKeyOffset(doc.getText());
  if (!pruning || offset === undefined) return [];
  const at = new vscode.Range(doc.positionAt(offset), doc.positionAt(offset));
  const made = pruning.enabled && model !== undefined ? variants.get(model, pruningVariantName(pruning)!)?.summary : undefined;
  // An empty command makes the first lens a label; once the variant exists it also says what was achieved.
  const title = `${pruningLensTitle(pruning)}${made ? ` (${(made.achievedSparsity * 100).toFixed(1)}% zeroed)` : ''}`;
  return [
    new vscode.CodeLens(at, { title, command: '' }),
    new vscode.CodeLens(at, { title: 'Toggle', command: 'polyglotLens.togglePruning', arguments: [doc.uri], tooltip: 'Switch polyglot.pruning.enabled and analyze again' }),
    new vscode.CodeLens(at, { title: 'Compare', command: 'polyglotLens.compare', arguments: [doc.uri], tooltip: 'Dense vs pruned, side by side' }),
  ];
}

/** Above polyglot.eval: Evaluate, and Compare with each listed variant (pruning or LRP2). */
function evalLenses(doc: vscode.TextDocument, e: EvalSettings | undefined): vscode.CodeLens[] {
  const offset = e && polyglotKeyOffset(doc.getText(), 'polyglot.eval');
  if (!e || offset === undefined) return [];
  const at = new vscode.Range(doc.positionAt(offset), doc.positionAt(offset));
  return [
    new vscode.CodeLens(at, { title: evalLensTitle(e), command: 'polyglotLens.evaluate', arguments: [doc.uri], tooltip: 'Run polyglot.eval: every model on every task, results table with significance' }),
    ...evalCompareTitles(e).map((c) => new vscode.CodeLens(at, { title: c.title, command: 'polyglotLens.compare', arguments: [doc.uri, { model: c.model }], tooltip: 'This prompt, dense vs the variant, side by side, with the last Evaluate\'s per-task deltas' })),
  ];
}

function summary(example: Record<string, unknown>): string {
  const text = Object.values(example).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
  return text.length > 30 ? `${text.slice(0, 29)}…` : text;
}
