/**
 * Score distributions (methods.md §7) on the embedded default model: the KV-cache shortcut
 * (prompt once, continuations grouped over the cached prefix) equals scoring every
 * prompt+score sequence from scratch, and argmax / expected / renormalisation follow from the
 * log-probabilities as defined.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { LoadedModel } from '../../src/engine/model/model';
import { defaultModelDir } from '../../src/engine/paths';
import { rangeValues, scoreDistribution } from '../../src/engine/studies/scoreRange';
import { directLogprob } from './direct';

const model = LoadedModel.load(defaultModelDir(), { threads: 1 });
after(() => model.dispose());

const fromScratch = (prompt: string, score: number): Promise<number> => directLogprob(model, prompt, score);

test('1-100: the cached, grouped scoring equals scoring each prompt+score from scratch', async () => {
  const prompt = 'Rate how well this sentence is written, from 1 to 100.\nSentence: Everyone has the right to life.\nScore: ';
  const d = await scoreDistribution(model, prompt, { min: 1, max: 100 });
  assert.equal(d.scores.length, 100);
  assert.ok(d.tokens.some((t) => t.length > 1), 'some scores need several tokens, so the grouped path runs');
  for (const s of [1, 7, 10, 42, 99, 100]) {
    const want = await fromScratch(prompt, s);
    assert.ok(Math.abs(d.logprobs[s - 1]! - want) < 1e-4, `score ${s}: ${d.logprobs[s - 1]} vs ${want}`);
  }
});

test('renormalised distribution, argmax and expected score follow from the log-probabilities', async () => {
  const prompt = 'How positive is this review, from 1 to 5? Review: I loved it. Score:';
  const d = await scoreDistribution(model, prompt, { min: 1, max: 5 });
  const z = d.logprobs.reduce((a, lp) => a + Math.exp(lp), 0);
  d.distribution.forEach((p, i) => assert.ok(Math.abs(p - Math.exp(d.logprobs[i]!) / z) < 1e-12));
  assert.ok(Math.abs(d.distribution.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  const best = d.logprobs.indexOf(Math.max(...d.logprobs));
  assert.equal(d.argmax, d.scores[best]);
  assert.ok(Math.abs(d.expected - d.distribution.reduce((s, p, i) => s + p * (i + 1), 0)) < 1e-12);
  for (const s of d.scores) assert.ok(Math.abs(d.logprobs[s - 1]! - (await fromScratch(prompt, s))) < 1e-4);
});

test('bad ranges are refused with the setting named', () => {
  assert.throws(() => rangeValues({ min: 5, max: 1 }, 'polyglot.scores'), /polyglot.scores: score range max/);
  assert.throws(() => rangeValues({ min: 1.5, max: 3 }, 'polyglot.scores'), /integers/);
  assert.throws(() => rangeValues({ min: 0, max: 5000 }, 'polyglot.scores'), /more than 1000/);
});
