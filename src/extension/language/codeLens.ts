import * as vscode from 'vscode';
import type { PolyglotContext } from '../context';
import { PROMPT_SELECTOR, type PromptDocuments } from '../promptDocuments';

/** "Analyze Activations" / "Generate" above the template body, plus one Analyze lens per extra example. */
export function registerCodeLens(ctx: PolyglotContext, prompts: PromptDocuments): void {
  const changed = new vscode.EventEmitter<void>();
  ctx.own(changed, ctx.onDidAnalyze.event(() => changed.fire()));
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
      ];
      const examples = parsed.metadata.polyglot.examples ?? [];
      examples.slice(1).forEach((ex, i) => {
        lenses.push(new vscode.CodeLens(at, { title: `Analyze example ${i + 2}: ${summary(ex)}`, command: 'polyglotLens.analyzeActivations', arguments: [doc.uri, i + 1] }));
      });
      const stored = ctx.analyses.get(doc.uri.toString());
      if (stored) lenses.push(new vscode.CodeLens(at, { title: `${stored.analysis.tokens.length} tokens analyzed · hover the text`, command: 'polyglotLens.showActivations', arguments: [doc.uri] }));
      return lenses;
    },
  }));
}

function summary(example: Record<string, unknown>): string {
  const text = Object.values(example).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
  return text.length > 30 ? `${text.slice(0, 29)}…` : text;
}
