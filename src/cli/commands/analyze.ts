/**
 * `analyze FILE.prompt --out DIR`: what the editor's Analyze Activations does, headless. Renders
 * the prompt with each example (or its input.default), runs the model the file declares, and
 * writes DIR/report.html (one self-contained file, drawn by the same view code as the panels)
 * and DIR/report.json.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { readPlainText } from '../../engine/io/readText';
import { basename, dirname, join, resolve } from 'node:path';
import { analyzeActivations } from '../../engine/analyze';
import { UserError } from '../../engine/errors';
import { defaultModelDir, packageRoot } from '../../engine/paths';
import { formatDiagnostic, parsePrompt, renderPrompt } from '../../shared/prompt';
import { deactivateMask } from '../../shared/prompt/runSettings';
import { MAX_PROMPT_FILE_BYTES, nodePromptHost } from '../../engine/io/nodePromptHost';
import { renderReportHtml, renderReportJson } from '../../shared/report/html';
import type { ReportSection } from '../../shared/report/sections';
import { writeOutputFolder } from '../../engine/io/outputs';
import { MODEL_OPTION, type Command } from './types';

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
    const file = ctx.args.positionals[0];
    if (!file) throw new UserError('analyze', 'give the .prompt file to analyze');
    if (!existsSync(file)) throw new UserError(file, 'file not found');
    const source = readPlainText(file, MAX_PROMPT_FILE_BYTES, 'prompt files');
    ctx.args.required('out');
    const host = nodePromptHost(file);
    const { doc, partials } = parsePrompt(source, { fileName: file, host });
    const errors = doc.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) throw new UserError(file, `${errors.length} problem(s); first: ${formatDiagnostic(basename(file), source, errors[0]!)}`);
    const meta = doc.metadata;
    const modelDir = ctx.args.string('model') ?? (meta.model !== undefined ? resolve(dirname(file), meta.model) : defaultModelDir());
    if (meta.polyglot.deactivate?.kind === 'language') {
      throw new UserError(file, 'polyglot.deactivate by language needs LAPE statistics: run `neurons` and list the neurons as L{layer}.N{index}');
    }
    // Checked before the model loads: a bad --out costs nothing and can never delete an input.
    const target = ctx.planOut('folder', { modelDir, inputs: [file], tool: 'polyglot-lens analyze' });
    const model = ctx.loadModel(modelDir);
    const inputs = meta.polyglot.examples?.length ? meta.polyglot.examples : [meta.input.default ?? {}];
    const sections: ReportSection[] = [];
    for (const [i, input] of inputs.entries()) {
      const rendered = renderPrompt(doc, partials, input);
      const analysis = await analyzeActivations(model, {
        text: rendered.text,
        topK: meta.polyglot.topK,
        maxNewTokens: meta.config.maxOutputTokens ?? DEFAULT_NEW_TOKENS,
        deactivate: deactivateMask(meta.polyglot.deactivate),
      });
      sections.push({ kind: 'activations', title: inputs.length > 1 ? `Example ${i + 1}` : 'Activations', data: analysis });
    }
    const script = readFileSync(join(packageRoot(), 'dist', 'webview', 'report.js'), 'utf8');
    const title = `${basename(file)} — ${model.name}`;
    await writeOutputFolder(target, (tmp) => {
      writeFileSync(join(tmp, 'report.html'), renderReportHtml(sections, { script, title, generatedBy: `polyglot-lens, ${new Date().toISOString()}` }));
      writeFileSync(join(tmp, 'report.json'), renderReportJson(sections));
    });
    const out = target.arg;
    ctx.print({ out, report: join(out, 'report.html'), sections: sections.length, generated: sections.map((s) => (s.kind === 'activations' ? s.data.generated.text : '')) });
  },
};
