/**
 * Instruction-language comparison (methods.md §6; Enomoto et al.): every dataset item through
 * every instruction variant of a task, greedy output read against the variant's labels, under one
 * model entry (a checkpoint or a variant of one). Per variant and item language: task score
 * (accuracy against `label`), instruction-following failure rate (no allowed label after
 * normalisation, or a "no answer" phrase), off-target rate (the answer's language ≠ the expected
 * one — the variant's label language, else the item's `lang` — judged on short answers by the
 * task's label sets and answer words, on ≥ 10 characters by franc-min; answers.ts). Then the LAPE
 * statistics of §2 with the variant in place of the language, over the rendered prompts (for a
 * checkpoint entry; not for pruning or LRP2 variants).
 */
import type { JobOptions } from '../api';
import { throwIfAborted, UserError } from '../errors';
import { greedyGenerate } from '../generate';
import { detectLanguage } from '../intervene/langid';
import { runLape, type LapeRun } from '../lape/lape';
import { renderPrompt, PromptRenderError } from '../../shared/prompt';
import { answerLanguage, readAnswer, normalizeAnswer, type LabelSet } from './answers';
import { variantLanguages, type VariantLanguages } from './variantLanguages';
import type { EvalSubject } from '../eval/types';
import type { DatasetItem } from './dataset';
import { MemoryCorpus } from './memoryCorpus';
import type { InstructionOutput, VariantSummary } from '../../shared/studies';

export type { InstructionOutput, VariantSummary } from '../../shared/studies';
import type { TaskPrompt, TaskVariant } from './taskPrompt';

export const DEFAULT_ANSWER_TOKENS = 16;

export interface InstructionComparison {
  /** The model entry's name. */
  model: string;
  task: string;
  variants: string[];
  /** Instruction and label language of each variant (variantLanguages.ts). */
  languages: Record<string, VariantLanguages>;
  summaries: VariantSummary[];
  outputs: InstructionOutput[];
  /** LAPE over rendered prompts with variants as "languages"; null when skipped (or for a pruning / LRP2 entry). */
  neurons: LapeRun | null;
}

export interface CompareInstructionsOptions extends JobOptions {
  maxNewTokens?: number;
  /** Skip the variant-neuron statistics (they cost one extra pass over the prompts). */
  skipNeurons?: boolean;
}

function renderItem(v: TaskVariant, item: DatasetItem): string {
  const input: Record<string, unknown> = { ...item.fields };
  if (v.instruction !== undefined) input.instruction = v.instruction;
  if (v.labels) input.labels = v.labels.join(', ');
  try {
    return renderPrompt(v.doc, v.partials, input).text;
  } catch (e) {
    if (e instanceof PromptRenderError) throw new UserError(v.file, `item ${item.index + 1}: ${e.message}`);
    throw e;
  }
}

/** The gold label in this variant's label set: an index, a label of this variant, or of the base variant at the same index. */
function goldLabel(task: TaskPrompt, v: TaskVariant, item: DatasetItem, labels: string[]): string | null {
  if (item.label === undefined) return null;
  if (typeof item.label === 'number') {
    const l = labels[item.label];
    if (l === undefined) throw new UserError(`dataset item ${item.index + 1}`, `label index ${item.label} is outside ${v.name}'s ${labels.length} labels`);
    return l;
  }
  const want = normalizeAnswer(item.label);
  const own = labels.find((l) => normalizeAnswer(l) === want);
  if (own) return own;
  const at = (task.base.labels ?? []).findIndex((l) => normalizeAnswer(l) === want);
  if (at >= 0 && labels[at] !== undefined) return labels[at]!;
  throw new UserError(`dataset item ${item.index + 1}`, `label "${item.label}" is none of ${v.name}'s labels (${labels.join(', ')})`);
}

function rate(k: number, n: number): number | null {
  return n === 0 ? null : k / n;
}

export function summarize(variants: string[], outputs: InstructionOutput[]): VariantSummary[] {
  const out: VariantSummary[] = [];
  for (const variant of variants) {
    const mine = outputs.filter((o) => o.variant === variant);
    const langs = [...new Set(mine.map((o) => o.lang).filter((l): l is string => l !== null))];
    for (const language of [...langs, 'all']) {
      const rows = language === 'all' ? mine : mine.filter((o) => o.lang === language);
      const scored = rows.filter((o) => o.outcome !== 'unscored');
      const expected = rows.filter((o) => o.lang !== null);
      out.push({
        variant,
        language,
        n: rows.length,
        accuracy: rate(scored.filter((o) => o.outcome === 'correct').length, scored.length),
        failureRate: rows.filter((o) => o.failure !== null).length / rows.length,
        offTargetRate: rate(expected.filter((o) => o.offTarget === true).length, expected.length),
        undeterminedRate: rate(expected.filter((o) => o.detected === 'und').length, expected.length),
      });
    }
  }
  return out;
}

export async function compareInstructions(subject: EvalSubject, task: TaskPrompt, items: DatasetItem[], o: CompareInstructionsOptions = {}): Promise<InstructionComparison> {
  const { model } = subject;
  const variants = task.variants;
  if (variants.length < 2) throw new UserError(task.base.file, `needs at least two instruction variants (polyglot.instructions, or files ${task.name}.<variant>.prompt beside it); found ${variants.length}`);
  for (const v of variants) if (!v.labels) throw new UserError(v.file, `variant ${v.name} has no polyglot.labels (the answers the task allows)`);
  const pair = items.find((i) => i.lang?.includes('-'));
  if (pair) throw new UserError(`dataset item ${pair.index + 1}`, `"lang": "${pair.lang}" is a language pair; compare-instructions needs the language the answer is expected in`);
  const languages = variantLanguages(variants);
  const labelSets: (LabelSet & { variant: string })[] = variants.map((v) => ({ variant: v.name, language: languages.get(v.name)!.labels, labels: v.labels! }));
  const outputs: InstructionOutput[] = [];
  const prompts = new Map<string, string[]>();
  const total = variants.length * items.length;
  for (const v of variants) {
    const labels = v.labels!;
    const own = labelSets.find((x) => x.variant === v.name)!;
    const others = labelSets.filter((x) => x.language !== own.language);
    const maxNewTokens = o.maxNewTokens ?? v.doc.metadata.config.maxOutputTokens ?? DEFAULT_ANSWER_TOKENS;
    const texts: string[] = [];
    prompts.set(v.name, texts);
    for (const item of items) {
      throwIfAborted(o.signal);
      const prompt = renderItem(v, item);
      texts.push(prompt);
      const gold = goldLabel(task, v, item, labels);
      const ids = model.tokenizer.encode(prompt);
      const gen = await greedyGenerate(model, ids, { maxNewTokens, variant: subject.variant, deactivate: subject.deactivate, shifts: subject.shifts, signal: o.signal });
      const answer = readAnswer(gen.text, labels);
      const lang = item.lang ?? null;
      const expected = own.language ?? lang;
      const judged = answerLanguage(gen.text, own, others, expected, (await detectLanguage(gen.text)).code);
      outputs.push({
        model: subject.name,
        task: task.name,
        variant: v.name,
        index: item.index,
        lang,
        prompt,
        output: gen.text,
        answer: answer.kind === 'label' ? answer.label : null,
        gold,
        outcome: answer.kind !== 'label' ? 'failure' : gold === null ? 'unscored' : answer.label === gold ? 'correct' : 'wrong',
        failure: answer.kind === 'label' ? null : answer.kind === 'no-answer' ? 'no-answer' : 'invalid',
        expected,
        detected: judged.detected,
        judgedBy: judged.by,
        offTarget: judged.offTarget,
      });
      o.onProgress?.({ fraction: (0.8 * outputs.length) / total, message: `${v.name}: item ${item.index + 1}/${items.length}` });
    }
  }
  let neurons: LapeRun | null = null;
  if (!o.skipNeurons && !subject.variant && !subject.shifts && !subject.deactivate) {
    const corpus = new MemoryCorpus(`${task.name} prompts`, variants.map((v) => [v.name, prompts.get(v.name)!] as const));
    neurons = await runLape(model, corpus, {
      signal: o.signal,
      onProgress: (p) => o.onProgress?.({ fraction: 0.8 + 0.2 * p.fraction, message: `variant neurons: ${p.message}` }),
    });
  }
  const names = variants.map((v) => v.name);
  return { model: subject.name, task: task.name, variants: names, languages: Object.fromEntries(languages), summaries: summarize(names, outputs), outputs, neurons };
}
