/**
 * The Wendler et al. experiment over a dataset (methods.md §8): items {prompt, answers: {lang:
 * word}, target?}; per item the lens at the prompt's last position, every layer; over the items the
 * mean probability of each language's answer and the mean language mass per layer with percentile
 * bootstrap confidence intervals, and the layer from which the target language's answer stays
 * above English's. Items whose target answer shares a counted token with the English answer are
 * left out (their probabilities cannot be told apart), as Wendler et al. do.
 */
import type { JobOptions } from '../api';
import { normalizeLanguage } from '../corpus/types';
import { throwIfAborted, UserError } from '../errors';
import { readUserText } from '../io/userFile';
import { bootstrapIndices, DEFAULT_BOOTSTRAP_SEED, DEFAULT_RESAMPLES } from '../eval/metrics/bootstrap';
import type { LoadedModel } from '../model/model';
import { UNKNOWN_LANGUAGE, type LensDatasetSummary, type LensInterval, type LensKind } from '../../shared/lens';
import type { LinearLens } from './linear';
import type { TokenLanguageProfile } from './profile';
import { resolveTargets, runLens } from './run';

export interface LensItem {
  /** 1-based line in the file. */
  line: number;
  prompt: string;
  answers: Record<string, string>;
  /** The language the prompt asks for (the item's `target`, else its one non-English answer). */
  target: string;
}


export function readLensItems(file: string, target?: string): LensItem[] {
  // A plain file of at most 64 MiB of JSONL (the 'dataset' kind), stat'ed before it is opened.
  const items: LensItem[] = [];
  for (const [i, raw] of readUserText(file, 'dataset', 'items file not found').split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    const where = `${file}:${i + 1}`;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new UserError(where, 'not JSON (items are JSONL: one {"prompt": …, "answers": {"en": …, "zh": …}} per line)');
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new UserError(where, 'not a JSON object');
    const o = v as Record<string, unknown>;
    if (typeof o.prompt !== 'string' || o.prompt === '') throw new UserError(where, '"prompt" must be a non-empty string');
    if (typeof o.answers !== 'object' || o.answers === null || Array.isArray(o.answers)) throw new UserError(where, '"answers" must be an object {"en": "flower", "zh": "花"}');
    const answers: Record<string, string> = {};
    for (const [k, w] of Object.entries(o.answers)) {
      const lang = normalizeLanguage(k);
      if (!lang) throw new UserError(where, `answers: ${JSON.stringify(k)} is not a language code`);
      if (typeof w !== 'string' || w.trim() === '') throw new UserError(where, `answers.${k} must be a non-empty string`);
      answers[lang] = w;
    }
    const t = target ?? (typeof o.target === 'string' ? normalizeLanguage(o.target) : undefined);
    if (o.target !== undefined && target === undefined && !t) throw new UserError(where, `"target" must be a language code (got ${JSON.stringify(o.target)})`);
    const others = Object.keys(answers).filter((l) => l !== 'en');
    const chosen = t ?? (others.length === 1 ? others[0] : undefined);
    if (!chosen) throw new UserError(where, 'say which answer is the target: a "target" field, or exactly one non-English answer');
    if (!answers[chosen]) throw new UserError(where, `the target language ${chosen} has no answer`);
    items.push({ line: i + 1, prompt: o.prompt, answers, target: chosen });
  }
  if (items.length === 0) throw new UserError(file, 'has no items');
  return items;
}

export interface LensDatasetResult extends LensDatasetSummary {
  /** Per item: its line, target, each answer's probability per layer, and the top token per layer. */
  perItem: { line: number; target: string; answers: Record<string, number[]>; top: string[] }[];
}

export interface LensDatasetOptions extends JobOptions {
  profile?: TokenLanguageProfile;
  linear?: LinearLens;
  lens?: LensKind;
  resamples?: number;
  seed?: number;
}

/** Percentile bootstrap interval of the mean of `values` (one per item) at level 95 %. */
function meanInterval(values: Float64Array[], samples: Uint32Array[]): LensInterval {
  const layers = values[0]!.length;
  const n = values.length;
  const mean: number[] = [], lo: number[] = [], hi: number[] = [];
  for (let l = 0; l < layers; l++) {
    let s = 0;
    for (const v of values) s += v[l]!;
    mean.push(s / n);
    const means = samples.map((idx) => {
      let t = 0;
      for (const i of idx) t += values[i]![l]!;
      return t / n;
    }).sort((a, b) => a - b);
    lo.push(quantile(means, 0.025));
    hi.push(quantile(means, 0.975));
  }
  return { mean, lo, hi };
}

/** Linear interpolation between order statistics (numpy's default "linear" method). */
function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * q;
  const a = Math.floor(h);
  return sorted[a]! + (h - a) * ((sorted[Math.min(a + 1, sorted.length - 1)] ?? sorted[a]!) - sorted[a]!);
}

export async function runLensDataset(model: LoadedModel, items: LensItem[], o: LensDatasetOptions = {}): Promise<LensDatasetResult> {
  const kind = o.lens ?? 'logit';
  if (kind === 'linear' && !o.linear) throw new UserError('--lens', 'linear needs a fitted lens (--linear DIR from `lens fit`)');
  const layers = model.cfg.nLayers + 1;
  const langs: string[] = [];
  for (const it of items) for (const l of Object.keys(it.answers)) if (!langs.includes(l)) langs.push(l);
  const answerValues = new Map(langs.map((l) => [l, [] as Float64Array[]]));
  const C = o.profile ? o.profile.languages.length + 1 : 0;
  const massValues: Float64Array[][] = Array.from({ length: C }, () => []);
  const skipped: LensDatasetResult['skipped'] = [];
  const perItem: LensDatasetResult['perItem'] = [];
  for (const [i, it] of items.entries()) {
    throwIfAborted(o.signal);
    o.onProgress?.({ fraction: i / items.length, message: `item ${i + 1} of ${items.length}` });
    const order = Object.keys(it.answers);
    const resolved = resolveTargets(model, order.map((l) => it.answers[l]!));
    const idsOf = new Map(order.map((l, j) => [l, resolved[j]!.ids]));
    if (it.target !== 'en' && idsOf.has('en')) {
      const en = new Set(idsOf.get('en'));
      const shared = idsOf.get(it.target)!.filter((id) => en.has(id));
      if (shared.length) {
        skipped.push({ line: it.line, reason: `${it.target} answer ${JSON.stringify(it.answers[it.target])} and English ${JSON.stringify(it.answers.en)} share ${shared.length} counted token(s)` });
        continue;
      }
    }
    // The stand-alone head (fuse: false): over many prompts on one model its row store warms up (the
    // demonstrations' shared tokens at layer 0, BOS's column), where it is as fast as the head fused
    // into the forward or faster (docs/performance.md, lens section), and a job plan (--plan) counts
    // the same head runs the job makes.
    const r = await runLens(model, { text: it.prompt, k: 1, targets: order.map((l) => it.answers[l]!), profile: o.profile, linear: kind === 'linear' ? o.linear : undefined, fuse: false }, { signal: o.signal });
    const v = r.lenses[kind === 'linear' ? 1 : 0]!;
    const T = r.tokens.length;
    const at = (l: number): number => l * T + T - 1;
    const answers: Record<string, number[]> = {};
    order.forEach((lang, j) => {
      const p = Float64Array.from({ length: layers }, (_, l) => v.targets[j]!.p[at(l)]!);
      answerValues.get(lang)!.push(p);
      answers[lang] = [...p];
    });
    for (let c = 0; c < C; c++) massValues[c]!.push(Float64Array.from({ length: layers }, (_, l) => v.mass[at(l) * C + c]!));
    perItem.push({ line: it.line, target: it.target, answers, top: Array.from({ length: layers }, (_, l) => r.vocab[String(v.topIds[at(l)])]?.text ?? '') });
  }
  if (perItem.length === 0) throw new UserError('--dataset', `every item was left out (${skipped[0]?.reason ?? 'no items'})`);
  const resamples = o.resamples ?? DEFAULT_RESAMPLES;
  const seed = o.seed ?? DEFAULT_BOOTSTRAP_SEED;
  const answers: Record<string, LensInterval> = {};
  for (const l of langs) {
    const vals = answerValues.get(l)!;
    // Each language's mean is over the items that give an answer in it.
    if (vals.length) answers[l] = meanInterval(vals, bootstrapIndices(vals.length, { resamples, seed }));
  }
  const mass: Record<string, LensInterval> = {};
  const massNames = o.profile ? [...o.profile.languages, UNKNOWN_LANGUAGE] : [];
  const samples = bootstrapIndices(perItem.length, { resamples, seed });
  massNames.forEach((name, c) => (mass[name] = meanInterval(massValues[c]!, samples)));
  const targets = [...new Set(perItem.map((p) => p.target))];
  const tgt = targets.length === 1 && targets[0] !== 'en' ? answers[targets[0]!] : undefined;
  const en = answers.en;
  let overtakes: number | null = null;
  const englishAbove: number[] = [];
  if (tgt && en) {
    for (let l = layers - 1; l >= 0 && tgt.mean[l]! > en.mean[l]!; l--) overtakes = l;
    for (let l = 0; l < layers; l++) if (en.lo[l]! > tgt.hi[l]!) englishAbove.push(l);
  }
  o.onProgress?.({ fraction: 1, message: `${perItem.length} items` });
  return {
    model: model.name,
    lens: kind,
    items: perItem.length,
    skipped,
    layers,
    targets,
    answers,
    languages: o.profile?.languages ?? [],
    mass,
    overtakes,
    englishAbove,
    bootstrap: { resamples, seed, level: 0.95 },
    perItem,
  };
}
