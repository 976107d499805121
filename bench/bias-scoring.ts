/**
 * Numeric-bias scoring speed (issue: studies 2 and 3): items/s of a 1–100 score distribution on
 * the embedded default model, side by side in one run with the baseline that scores every
 * prompt+score sequence from scratch (one full forward per score, as a script without a KV
 * cache does). Both produce the same distribution (checked here to 1e-4 before timing counts).
 *
 * Run: node --import tsx bench/bias-scoring.ts [--items 10] [--range 1-100] [--threads N]
 */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LoadedModel } from '../src/engine/model/model';
import { defaultModelDir, packageRoot } from '../src/engine/paths';
import { rangeValues, scoreDistribution } from '../src/engine/studies/scoreRange';
import { directLogprob } from '../test/studies/direct';

const { values: a } = parseArgs({ options: { items: { type: 'string', default: '10' }, range: { type: 'string', default: '1-100' }, threads: { type: 'string', default: '0' } } });
const [min, max] = a.range!.split('-').map(Number) as [number, number];
const model = LoadedModel.load(defaultModelDir(), { threads: Number(a.threads) });
const lines = readFileSync(join(packageRoot(), 'examples', 'studies', 'quality.jsonl'), 'utf8').trim().split('\n').slice(0, Number(a.items));
const prompts = lines.map((l) => `Rate how fluent and well-formed this sentence is, from ${min} (broken) to ${max} (perfect).\nSentence: ${(JSON.parse(l) as { text: string }).text}\nScore:`);

/** The baseline: one full forward per prompt+score sequence (the tests' independent scorer). */
async function fromScratch(prompt: string): Promise<number[]> {
  const out: number[] = [];
  for (const score of rangeValues({ min, max }, '--range')) out.push(await directLogprob(model, prompt, score));
  return out;
}

async function main(): Promise<void> {
  // Warm-up and agreement check on the first item (sessions built, outputs equal).
  const check = await scoreDistribution(model, prompts[0]!, { min, max });
  const naive = await fromScratch(prompts[0]!);
  const worst = Math.max(...naive.map((lp, k) => Math.abs(lp - check.logprobs[k]!)));
  if (worst > 1e-4) throw new Error(`cached and from-scratch log-probs differ by ${worst}`);

  let t0 = performance.now();
  for (const p of prompts) await scoreDistribution(model, p, { min, max });
  const cached = (performance.now() - t0) / 1000;
  t0 = performance.now();
  for (const p of prompts) await fromScratch(p);
  const scratch = (performance.now() - t0) / 1000;
  // Batched runs after the prompt: one per distinct continuation length above one token.
  const batches = new Set(check.tokens.filter((t) => t.length > 1).map((t) => t.length)).size;
  console.log(JSON.stringify({
    model: model.name,
    range: `${min}-${max}`,
    items: prompts.length,
    runsPerItem: { cached: 1 + batches, fromScratch: max - min + 1 },
    itemsPerSecond: { cached: +(prompts.length / cached).toFixed(2), fromScratch: +(prompts.length / scratch).toFixed(2) },
    speedup: +(scratch / cached).toFixed(2),
    maxAbsLogprobDiff: worst,
  }));
  await model.dispose();
}

void main();
