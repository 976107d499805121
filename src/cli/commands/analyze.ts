/**
 * `analyze FILE.prompt --out DIR`: what the editor's Analyze Activations does, headless. Renders
 * the prompt with each example (or its input.default), runs the model the file declares, and
 * writes DIR/report.html (one self-contained file, drawn by the same view code as the panels)
 * and DIR/report.json, with each run's latent-language lens (methods.md §8) beside its activations,
 * read from the same forward pass. A file with `polyglot.pruning` (enabled) or `polyglot.deactivate` gets the
 * dense run and the pruned / intervened run side by side, each section naming its variant.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../../engine/errors';
import { packageRoot } from '../../engine/paths';
import { deactivateMask, pruningVariantName } from '../../shared/prompt/runSettings';
import { pruneFromSources } from '../../engine/pruning';
import { pruneSettingsFromPrompt } from '../../engine/pruning/fromSources';
import type { Variant } from '../../engine/model/model';
import { promptModelDir, readPromptFile, renderPromptFile } from '../promptFile';
import { renderReportHtml, renderReportJson } from '../../shared/report/html';
import type { ReportSection } from '../../shared/report/sections';
import { writeOutputFolder } from '../../engine/io/outputs';
import { MODEL_OPTION, type Command } from './types';
import { analyzeWithLens } from '../../engine/lens/analyzeWithLens';
import { profileArg } from './lensOptions';

/** Without config.maxOutputTokens, a short continuation: enough to see the language it continues in. */
const DEFAULT_NEW_TOKENS = 16;

export const analyzeCommand: Command = {
  name: 'analyze',
  usage: 'analyze FILE.prompt --out DIR [--model DIR] [--overwrite]',
  summary: 'run what a .prompt file declares and write DIR/report.html (self-contained) and DIR/report.json',
  options: {
    ...MODEL_OPTION,
    out: { kind: 'string', help: 'output folder (must not exist unless --overwrite)' },
    overwrite: { kind: 'flag', help: 'replace an earlier report folder of ours (never any other folder)' },
  },
  async run(ctx) {
    const file = ctx.args.positionals[0] ?? '';
    ctx.args.required('out');
    const parsed = readPromptFile(file, 'analyze');
    const { doc } = parsed;
    const meta = doc.metadata;
    const modelDir = promptModelDir(ctx, file, meta.model);
    if (meta.polyglot.deactivate?.kind === 'language') {
      throw new UserError(file, 'polyglot.deactivate by language needs LAPE statistics: run `neurons` and list the neurons as L{layer}.N{index}');
    }
    // Checked before the model loads: a bad --out costs nothing and can never delete an input.
    const target = ctx.planOut('folder', { modelDir, inputs: [file], tool: 'polyglot-lens analyze' });
    const model = ctx.loadModel(modelDir);
    // The runs the file asks for: dense always, then the pruned variant and/or the deactivation.
    const runs: { label: string; variant?: Variant; deactivate?: Record<number, number[]> }[] = [{ label: 'dense' }];
    const pruning = meta.polyglot.pruning;
    const variantName = pruningVariantName(pruning);
    const deactivate = deactivateMask(meta.polyglot.deactivate);
    let variant: Variant | undefined;
    if (pruning && variantName) {
      variant = await pruneFromSources(model, variantName, pruneSettingsFromPrompt(pruning, dirname(resolve(file))), { ...ctx.jobOptions(), onWarning: (m) => ctx.warn(m) });
      runs.push({ label: `pruned: ${variantName}`, variant });
    }
    if (deactivate) {
      const neurons = Object.entries(deactivate).flatMap(([l, js]) => js.map((j) => `L${l}.N${j}`));
      runs.push({ label: `${variant ? `${variantName} + ` : ''}deactivated ${neurons.length > 4 ? `${neurons.length} neurons` : neurons.join(', ')}`, variant, deactivate });
    }
    const inputs = meta.polyglot.examples?.length ? meta.polyglot.examples : [meta.input.default ?? {}];
    const sections: ReportSection[] = [];
    const profile = await profileArg(ctx, model);
    for (const [i, input] of inputs.entries()) {
      const rendered = renderPromptFile(file, parsed, input);
      for (const run of runs) {
        // The same forward also reads every layer through the lens (engine/lens/analyzeWithLens.ts).
        const { analysis, lens } = await analyzeWithLens(
          model,
          { text: rendered.text, topK: meta.polyglot.topK, maxNewTokens: meta.config.maxOutputTokens ?? DEFAULT_NEW_TOKENS, deactivate: run.deactivate, variant: run.variant },
          { profile },
          ctx.jobOptions(),
        );
        // The panel titles itself with the model name: say which variant this is.
        analysis.model = { ...analysis.model, name: runs.length > 1 ? `${analysis.model.name} (${run.label})` : analysis.model.name };
        lens.model = { ...lens.model, name: analysis.model.name };
        const where = inputs.length > 1 ? `Example ${i + 1}` : 'Activations';
        sections.push({ kind: 'activations', title: runs.length > 1 ? `${where} — ${run.label}` : where, data: analysis });
        sections.push({ kind: 'latentLanguage', title: `${inputs.length > 1 ? `Example ${i + 1} — latent language` : 'Latent language'}${runs.length > 1 ? ` — ${run.label}` : ''}`, data: lens });
      }
    }
    const script = readFileSync(join(packageRoot(), 'dist', 'webview', 'report.js'), 'utf8');
    const title = `${basename(file)} — ${model.name}`;
    await writeOutputFolder(target, (tmp) => {
      writeFileSync(join(tmp, 'report.html'), renderReportHtml(sections, { script, title, generatedBy: `polyglot-lens, ${new Date().toISOString()}` }));
      writeFileSync(join(tmp, 'report.json'), renderReportJson(sections));
    });
    const out = target.arg;
    ctx.print({
      out,
      report: join(out, 'report.html'),
      sections: sections.length,
      runs: runs.map((r) => r.label),
      generated: sections.filter((s) => s.kind === 'activations').map((s) => s.data.generated.text),
    });
  },
};
