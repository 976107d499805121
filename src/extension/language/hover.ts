import * as vscode from 'vscode';
import { parseNeuronKey } from '../../shared/analysis';
import { DOTPROMPT_KEYS, EVAL_KEYS, POLYGLOT_KEYS, PRUNING_KEYS } from '../../shared/prompt/keys';
import { docOffsetOf, renderedOffsetsOf, renderPrompt, type RenderedPrompt } from '../../shared/prompt/render';
import type { PolyglotContext, StoredAnalysis } from '../context';
import { lapeProfileMarkdown, neuronHoverMarkdown, tokenAt, tokenHoverMarkdown } from '../prompt/hoverText';
import { PROMPT_SELECTOR, type PromptDocuments } from '../promptDocuments';
import { neuronReportMarkdown } from '../prompt/neuronHover';
import type { NeuronReport } from '../../shared/neuron';

/** Answers a neuron hover from the engine (undefined: fall back to the last analysis's top-k). */
export type NeuronReportSource = (uri: vscode.Uri, layer: number, index: number) => Promise<NeuronReport | undefined>;

/**
 * Three hovers: `L3.N127` anywhere (the neuron in the last analysis, and its language profile
 * from the last Find Language Neurons run), a frontmatter key (its
 * docs), and template text after an analysis (the token there, its id and top neurons).
 * Token hovers only work on literal template text: text produced by variables, helpers or
 * partials is not written in this file, so it has no place to hover (see render.ts segments).
 */
export function registerHover(ctx: PolyglotContext, prompts: PromptDocuments, neuronReport?: NeuronReportSource): void {
  ctx.own(vscode.languages.registerHoverProvider(PROMPT_SELECTOR, {
    async provideHover(doc, position) {
      const neuronRange = doc.getWordRangeAtPosition(position, /L\d+\.N\d+/);
      if (neuronRange) {
        const ref = parseNeuronKey(doc.getText(neuronRange));
        if (ref) {
          const report = await neuronReport?.(doc.uri, ref.layer, ref.index).catch((e: unknown) => {
            ctx.log(`neuron hover: ${e instanceof Error ? e.message : String(e)}`);
            return undefined;
          });
          if (report) {
            const args = encodeURIComponent(JSON.stringify([{ layer: ref.layer, index: ref.index, uri: doc.uri.toString() }]));
            const md = new vscode.MarkdownString(neuronReportMarkdown(report, `command:polyglotLens.showNeuron?${args}`, 'command:polyglotLens.buildNeuronIndex'));
            md.isTrusted = { enabledCommands: ['polyglotLens.showNeuron', 'polyglotLens.buildNeuronIndex'] };
            return new vscode.Hover(md, neuronRange);
          }
          const stored = ctx.analyses.get(doc.uri.toString()) ?? ctx.lastAnalysis;
          const lape = ctx.lastLape ? `\n\n${lapeProfileMarkdown(ctx.lastLape, ref.layer, ref.index)}` : '';
          return new vscode.Hover(new vscode.MarkdownString(neuronHoverMarkdown(stored?.analysis, ref.layer, ref.index) + lape), neuronRange);
        }
      }
      const parsed = prompts.get(doc);
      const offset = doc.offsetAt(position);
      const fm = parsed.doc.frontmatter;
      if (fm && offset >= fm.start && offset <= fm.end) return keyHover(doc, position);
      const stored = ctx.analyses.get(doc.uri.toString());
      if (!stored || offset < parsed.doc.body.start) return undefined;
      return tokenHover(doc, offset, stored, currentRendering(parsed, stored));
    },
  }));

  function currentRendering(parsed: ReturnType<PromptDocuments['get']>, stored: StoredAnalysis): RenderedPrompt | undefined {
    if (!stored.rendered) return undefined;
    try {
      // The document may have been edited since the analysis: the mapping is only valid if it still renders to the analyzed text.
      const now = renderPrompt(parsed.doc, parsed.partials, stored.rendered.input);
      return now.text === stored.analysis.text ? now : undefined;
    } catch {
      return undefined;
    }
  }
}

function tokenHover(doc: vscode.TextDocument, offset: number, stored: StoredAnalysis, rendered: RenderedPrompt | undefined): vscode.Hover | undefined {
  if (!rendered) return undefined;
  const [renderedOffset] = renderedOffsetsOf(rendered, offset);
  if (renderedOffset === undefined) return undefined;
  const pos = tokenAt(stored.analysis, renderedOffset);
  if (pos < 0) return undefined;
  const token = stored.analysis.tokens[pos];
  // Highlight the token's characters when they all come verbatim from this file.
  const from = docOffsetOf(rendered, token.start ?? renderedOffset);
  const to = docOffsetOf(rendered, (token.end ?? renderedOffset + 1) - 1);
  const range = from !== undefined && to !== undefined && to >= from ? new vscode.Range(doc.positionAt(from), doc.positionAt(to + 1)) : undefined;
  return new vscode.Hover(new vscode.MarkdownString(tokenHoverMarkdown(stored.analysis, pos)), range);
}

function keyHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
  const range = doc.getWordRangeAtPosition(position, /[\w.]+(?=\s*:)/);
  if (!range) return undefined;
  const word = doc.getText(range).replace(/^polyglot\./, '');
  const entry = POLYGLOT_KEYS.find((k) => k.key === word) ?? PRUNING_KEYS.find((k) => k.key === word) ?? EVAL_KEYS.find((k) => k.key === word) ?? DOTPROMPT_KEYS.find((k) => k.key === word);
  return entry ? new vscode.Hover(new vscode.MarkdownString(`**${doc.getText(range)}** — ${entry.doc}`), range) : undefined;
}
