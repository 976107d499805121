/**
 * The toy world's corpus: every clause the lexicon allows, realised in all eight languages,
 * split so that held-out (subject, verb, object) combinations never occur in training in any
 * language or task — a model that translates them has composed what it learned, not recalled
 * it. The split is a property of the combination (a hash), not of a random draw, so it is the
 * same for every seed and every subset.
 *
 * Tasks built on the same clauses, for the instruction-language and numeric-bias studies:
 * - `animal`: "Is the subject an animal?" — yes/no, instruction and labels in English or in the
 *   clause's language;
 * - `size`: "How big is the subject, from 1 to 5?" — the animal's size in the toy world.
 *
 * Usage: node --import tsx tools/train-default-model/toyworld/generate.ts OUT_DIR [--seed N]
 *   writes OUT_DIR/{train,test}.jsonl (one clause per line, all languages) and prints counts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../../../src/engine/random';
import { realise, type Clause } from './grammar';
import { ADJECTIVES, canDescribe, canDo, NOUNS, TOY_LANGUAGES, VERBS, type Noun, type ToyLanguage } from './lexicon';

/** Share of (subject, verb, object) combinations held out of training. */
export const HELD_OUT_PERCENT = 15;

export interface ToyRecord {
  id: string;
  split: 'train' | 'test';
  clause: Clause;
  text: Record<ToyLanguage, string>;
}

/** FNV-1a over the combination's ids: stable across runs, machines and languages. */
function combinationHash(s: string, v: string, o: string): number {
  let h = 0x811c9dc5;
  for (const ch of `${s}|${v}|${o}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

export function isHeldOut(subject: string, verb: string, object: string): boolean {
  return combinationHash(subject, verb, object) % 100 < HELD_OUT_PERCENT;
}

function phrases(n: Noun): { noun: string; adj?: string }[] {
  return [{ noun: n.id }, ...ADJECTIVES.filter((a) => canDescribe(a, n)).map((a) => ({ noun: n.id, adj: a.id }))];
}

/** Every clause the lexicon allows, in a fixed order. */
export function allClauses(): Clause[] {
  const out: Clause[] = [];
  for (const s of NOUNS.filter((n) => n.animate)) {
    for (const v of VERBS) {
      for (const o of NOUNS) {
        if (!canDo(v, s, o)) continue;
        for (const sp of phrases(s)) for (const op of phrases(o)) for (const negated of [false, true]) out.push({ subject: sp, verb: v.id, object: op, negated });
      }
    }
  }
  return out;
}

export function clauseId(c: Clause): string {
  return [c.subject.adj ?? '', c.subject.noun, c.negated ? 'not' : '', c.verb, c.object.adj ?? '', c.object.noun].join('.');
}

export function records(): ToyRecord[] {
  return allClauses().map((clause) => ({
    id: clauseId(clause),
    split: isHeldOut(clause.subject.noun, clause.verb, clause.object.noun) ? 'test' : 'train',
    clause,
    text: Object.fromEntries(TOY_LANGUAGES.map((l) => [l, realise(clause, l)])) as Record<ToyLanguage, string>,
  }));
}

/** A seeded sample of `n` records of a split (Fisher–Yates over the split, mulberry32). */
export function sample(all: readonly ToyRecord[], split: ToyRecord['split'], n: number, seed: number): ToyRecord[] {
  const pool = all.filter((r) => r.split === split);
  const rng = mulberry32(seed);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, Math.min(n, pool.length));
}

if (require.main === module) {
  const out = process.argv[2];
  if (!out) throw new Error('usage: generate.ts OUT_DIR');
  mkdirSync(out, { recursive: true });
  const all = records();
  for (const split of ['train', 'test'] as const) {
    const lines = all.filter((r) => r.split === split).map((r) => JSON.stringify(r));
    writeFileSync(join(out, `${split}.jsonl`), `${lines.join('\n')}\n`);
  }
  const test = all.filter((r) => r.split === 'test').length;
  console.log(JSON.stringify({ clauses: all.length, train: all.length - test, test, languages: TOY_LANGUAGES }));
}
