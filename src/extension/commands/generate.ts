import * as vscode from 'vscode';
import type { App } from '../app';
import { runJob } from '../jobs';
import { emptyOutputNote, outputLine } from '../../shared/generation';
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
  app.ctx.e2e.event('generated', { file: doc.fileName, text: result.text, ids: result.generatedIds, stoppedBy: result.stoppedBy });
  const note = emptyOutputNote({ ids: result.generatedIds, text: result.text, stoppedBy: result.stoppedBy });
  const shown = note ? `${p.fileName}: ${note}` : `${p.fileName} → ${outputLine({ ids: result.generatedIds, text: result.text })}`;
  void vscode.window.showInformationMessage(`Polyglot Lens: ${shown}`, 'Show Log').then((pick) => {
    if (pick === 'Show Log') app.ctx.output.show(true);
  });
}
