import * as vscode from 'vscode';
import type { App } from '../app';
import { runJob } from '../jobs';
import { planCommand } from './runPlan';
import { ensurePromptVariant } from './variantRun';

/** Polyglot Lens: Generate — greedy continuation of the rendered prompt, printed to the log. */
export async function generate(app: App, uri?: unknown, exampleIndex?: unknown): Promise<void> {
  const planned = await planCommand(app, 'Generate', uri, { exampleIndex, noDocument: 'open a .prompt file (or any text) to generate from.' });
  if (!planned) return;
  const { doc, plan: p } = planned;
  const result = await runJob(app.ctx, app.jobs, `Generate ${p.fileName}`, async (opts) => {
    const { engine } = await app.engine.load(p.modelDir);
    await ensurePromptVariant(app, engine, p, opts);
    const { ids } = await engine.tokenize(p.text);
    return engine.generate({ ids, maxNewTokens: p.maxNewTokens, deactivate: p.deactivate, variant: p.variant }, opts);
  });
  if (!result) return;
  app.ctx.output.info(`${p.fileName} → ${JSON.stringify(result.text)} (${result.generatedIds.length} tokens after ${result.promptIds.length})`);
  app.ctx.e2e.event('generated', { file: doc.fileName, text: result.text });
  const shown = result.text.length > 120 ? `${result.text.slice(0, 119)}…` : result.text;
  void vscode.window.showInformationMessage(`Polyglot Lens: ${p.fileName} → ${shown}`, 'Show Log').then((pick) => {
    if (pick === 'Show Log') app.ctx.output.show(true);
  });
}
