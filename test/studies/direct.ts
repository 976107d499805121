/**
 * Independent score log-probabilities for the tests: one full forward per prompt+score sequence,
 * no KV cache, no grouping — what scoreRange.ts's shortcut must equal.
 */
import { captureHooks } from '../../src/engine/capture';
import type { LoadedModel } from '../../src/engine/model/model';
import { scoreContinuations } from '../../src/engine/studies/scoreRange';

export async function directLogprob(model: LoadedModel, prompt: string, score: number): Promise<number> {
  const { cuts, conts } = scoreContinuations(model, prompt, [score]);
  const ids = [...model.tokenizer.encode(prompt).slice(0, cuts[0]), ...conts[0]!];
  const logits = (await captureHooks(model, { ids, hooks: ['logits'] })).logits!;
  const V = logits.dims[1]!;
  let sum = 0;
  for (let t = cuts[0]!; t < ids.length; t++) {
    const row = Array.from(logits.data.subarray((t - 1) * V, t * V));
    const max = Math.max(...row);
    sum += row[ids[t]!]! - max - Math.log(row.reduce((z, v) => z + Math.exp(v - max), 0));
  }
  return sum;
}

/** softmax over the range of the direct log-probabilities. */
export async function directDistribution(model: LoadedModel, prompt: string, scores: number[]): Promise<number[]> {
  const lps: number[] = [];
  for (const s of scores) lps.push(await directLogprob(model, prompt, s));
  const z = lps.reduce((a, lp) => a + Math.exp(lp), 0);
  return lps.map((lp) => Math.exp(lp) / z);
}
