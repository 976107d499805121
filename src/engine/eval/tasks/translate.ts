/**
 * Task `translate` (issue #11): greedy translation of each test pair through a prompt template
 * with k demonstrations drawn from the dev split (seeded, per item), stopping at the model's
 * stop tokens; the output is the generated text up to its first line break, trimmed. Scored
 * with chrF (sacreBLEU definition) and BLEU (13a), corpus level from summed statistics, plus
 * per-sentence statistics for the bootstrap; off-target rate = share of outputs of ≥ 10
 * characters whose detected language (franc-min) is not the target.
 */
import type { JobOptions } from '../../api';
import { throwIfAborted, UserError } from '../../errors';
import { greedyGenerate } from '../../generate';
import { detectLanguage, MIN_LANGID_CHARS } from '../../intervene/langid';
import type { Corpus, CorpusText } from '../../corpus/types';
import { normalizeLanguage } from '../../corpus/types';
import { languageName } from '../../../shared/languages';
import { mulberry32 } from '../../random';
import { distinctIndices } from '../../calibration/random';
import { chrfFromStats, chrfStats } from '../metrics/chrf';
import { bleuStats, sentenceBleu } from '../metrics/bleu';
import { ALL_UNITS, DataHash, finishGroup, type GroupScores, type ItemScore, type UnitSelection } from '../scores';
import { collect } from '../data';
import { subjectFor } from '../run';
import type { EvalTemplate } from '../template';
import type { EvalSubject, TaskResult } from '../types';

export const DEFAULT_SHOTS = 1;
export const DEFAULT_TRANSLATE_TOKENS = 64;

export interface TranslateTaskOptions extends JobOptions {
  /** Directions `src-tgt`. */
  pairs: string[];
  template: EvalTemplate;
  shots?: number;
  seed?: number;
  maxNewTokens?: number;
  /** Test pairs per direction (default: all). */
  limit?: number;
}

export function parsePair(pair: string, subject = '--pairs'): [string, string] {
  const m = /^([A-Za-z_]+)-([A-Za-z_]+)$/.exec(pair.trim());
  const src = m && normalizeLanguage(m[1]!);
  const tgt = m && normalizeLanguage(m[2]!);
  if (!src || !tgt) throw new UserError(subject, `expected SRC-TGT with ISO 639-1 codes (e.g. fr-en), got ${JSON.stringify(pair)}`);
  if (src === tgt) throw new UserError(subject, `${pair}: source and target are the same language`);
  return [src, tgt];
}

/** The generated text as a translation: up to the first line break, trimmed. */
export function cleanOutput(text: string): string {
  return text.split(/\r?\n/)[0]!.trim();
}

export interface TranslationItem {
  source: CorpusText;
  reference: CorpusText;
  demos: { source: string; target: string }[];
  prompt: string;
}

/** Test pairs and their prompts for one direction; demos are seeded per item index, so every model sees the same prompts. */
export async function translationItems(test: Corpus, dev: Corpus | undefined, src: string, tgt: string, eos: string, o: Pick<TranslateTaskOptions, 'template' | 'shots' | 'seed' | 'limit' | 'signal'>): Promise<TranslationItem[]> {
  const pairs = await collect(test.parallel(src, tgt, o.signal), o.limit);
  if (pairs.length === 0) throw new UserError(test.name, `no aligned ${src}-${tgt} pairs`);
  const shots = o.shots ?? DEFAULT_SHOTS;
  let pool: [CorpusText, CorpusText][] = [];
  if (shots > 0) {
    if (!dev) throw new UserError('--dev', `${shots}-shot prompts need a dev split for the demonstrations (give --dev, or --shots 0)`);
    pool = await collect(dev.parallel(src, tgt, o.signal));
    if (pool.length < shots) throw new UserError(dev.name, `has ${pool.length} ${src}-${tgt} pairs, fewer than --shots ${shots}`);
  }
  const names = { src: languageName(src) ?? src, tgt: languageName(tgt) ?? tgt };
  return pairs.map(([s, r], i) => {
    const rng = mulberry32(((o.seed ?? 0) * 1000003 + i) >>> 0);
    const demos = shots > 0 ? distinctIndices(pool.length, shots, rng).map((k) => ({ source: pool[k]![0].text, target: pool[k]![1].text })) : [];
    const prompt = o.template.render({ ...names, src_code: src, tgt_code: tgt, source: s.text, demos, eos });
    return { source: s, reference: r, demos, prompt };
  });
}

/** Every direction's items scored; each item (one greedy translation) is a unit of its own. */
export async function translateScores(subject: EvalSubject, test: Corpus, dev: Corpus | undefined, o: TranslateTaskOptions & { units?: UnitSelection }): Promise<GroupScores[]> {
  const { model } = subject;
  const eosId = model.tokenizer.eosId;
  const eos = eosId !== null ? (model.tokenizer.idToToken(eosId) ?? '') : '';
  const groups: GroupScores[] = [];
  for (const [pi, pair] of o.pairs.entries()) {
    const [src, tgt] = parsePair(pair);
    const keep = o.units?.(`${src}-${tgt}`) ?? ALL_UNITS;
    // Per-language interventions (MODEL@lrp2) follow the language the model reads: the source;
    // computed when this shard first translates an item of the direction.
    let perLang: EvalSubject | undefined;
    const sub = async (): Promise<EvalSubject> => (perLang ??= await subjectFor(subject, src, o));
    const items = await translationItems(test, dev, src, tgt, eos, o);
    const data = new DataHash();
    for (const it of items) data.add(it.source.where, it.prompt, it.reference.text);
    const scores = new Map<number, ItemScore>();
    let seconds = 0;
    const maxNew = o.maxNewTokens ?? DEFAULT_TRANSLATE_TOKENS;
    for (const [i, it] of items.entries()) {
      const t0 = performance.now();
      const ids = model.tokenizer.encode(it.prompt);
      if (ids.length >= model.cfg.maxPositions) throw new UserError(it.source.where, `the prompt has ${ids.length} tokens, no room to generate within ${model.cfg.maxPositions} positions (fewer --shots?)`);
      const steps = Math.min(maxNew, model.cfg.maxPositions - ids.length) - 1;
      if (!keep(i, items.length, { sequences: 1, tokens: ids.length, passes: [[1, ids.length, 0]], logits: 'last', decode: { maxSteps: steps, past: ids.length } })) continue;
      throwIfAborted(o.signal);
      const s = await sub();
      const g = await greedyGenerate(model, ids, { maxNewTokens: maxNew, variant: s.variant, deactivate: s.deactivate, shifts: s.shifts, signal: o.signal });
      seconds += (performance.now() - t0) / 1000;
      const output = cleanOutput(g.text);
      const reference = it.reference.text;
      const language = (await detectLanguage(output)).code;
      const chrf = chrfStats(output, reference);
      const offTarget = [...output.trim()].length >= MIN_LANGID_CHARS && language !== 'und' ? [language === tgt ? 0 : 1, 1] : [0, 0];
      scores.set(i, {
        stats: { chrf, bleu: bleuStats(output, reference), offTarget },
        detail: { where: it.source.where, source: it.source.text, reference, output, language, chrf: chrfFromStats(chrf), bleu: sentenceBleu(output, reference) },
      });
      o.onProgress?.({ fraction: (pi + (i + 1) / items.length) / o.pairs.length, message: `translate ${pair} ${i + 1}/${items.length}` });
    }
    groups.push({ task: 'translate', language: `${src}-${tgt}`, source: test.name, itemCount: items.length, unitCount: items.length, dataSha256: data.digest(), scores, seconds });
  }
  return groups;
}

export async function translateTask(subject: EvalSubject, test: Corpus, dev: Corpus | undefined, o: TranslateTaskOptions): Promise<TaskResult[]> {
  return (await translateScores(subject, test, dev, o)).map(finishGroup);
}
