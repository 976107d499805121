// Perplexity impact of LAPE deactivation (Tang et al. 2024's languages × deactivated-language
// matrix) against a naive reference written here: every text captured alone with captureHooks
// (whole `logits`, no batching, no padding), −ln softmax summed in plain F64 JS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LoadedModel } from '../../src/engine/model/model';
import { captureHooks } from '../../src/engine/capture';
import { openCorpus } from '../../src/engine/corpus/open';
import { languageMask, type LapeJson } from '../../src/engine/lape/files';
import { batchNll, impactVerdicts, perplexityImpact, type PerplexityImpact } from '../../src/engine/lape/perplexityImpact';
import { writeTinyModel } from '../helpers/tiny-model';
import { SMALL_CORPUS, smallCorpusFile } from './helpers';

const MAX_LENGTH = 32; // below the longest texts (up to ~110 bytes), so truncation is exercised
// fr and de share neuron 2 of layer 0; en has none, so its row must be exactly the dense run.
const LAPE: LapeJson = {
  languages: ['en', 'fr', 'de'],
  neurons: { en: [[], []], fr: [[1, 2, 3, 30], [5, 7, 40]], de: [[2, 11], [0, 10, 20, 33, 47]] },
  bar: 0.5,
  entropyThreshold: 0.1,
};

/** Mean NLL per language of one deactivation, each text run alone. */
async function reference(model: LoadedModel, lang: string, deactivate: ReturnType<typeof languageMask> | undefined, appendEos: boolean): Promise<{ mean: number; count: number }> {
  let nll = 0;
  let count = 0;
  for (const r of SMALL_CORPUS.filter((x) => x.lang === lang)) {
    let ids = model.tokenizer.encode(r.text).slice(0, appendEos ? MAX_LENGTH - 1 : MAX_LENGTH);
    if (appendEos) ids = [...ids, model.tokenizer.eosId!];
    const logits = (await captureHooks(model, { ids, hooks: ['logits'], deactivate }))['logits']!;
    const V = model.cfg.vocabSize;
    assert.deepEqual(logits.dims, [ids.length, V]);
    for (let t = 0; t + 1 < ids.length; t++) {
      const row = Array.from(logits.data.subarray(t * V, (t + 1) * V));
      const max = Math.max(...row);
      const lse = max + Math.log(row.reduce((z, x) => z + Math.exp(x - max), 0));
      nll += lse - row[ids[t + 1]!]!;
      count++;
    }
  }
  return { mean: nll / count, count };
}

/** Predicted tokens of a language under the byte tokenizer: BOS + one id per UTF-8 byte (+ EOS), cut, minus the last. */
function expectedTokens(lang: string, appendEos: boolean): number {
  return SMALL_CORPUS.filter((x) => x.lang === lang)
    .map((x) => (appendEos ? Math.min(1 + Buffer.byteLength(x.text), MAX_LENGTH - 1) + 1 : Math.min(1 + Buffer.byteLength(x.text), MAX_LENGTH)) - 1)
    .reduce((a, b) => a + b, 0);
}

async function checkAgainstReference(model: LoadedModel, r: PerplexityImpact, appendEos: boolean): Promise<void> {
  assert.deepEqual(r.languages, ['en', 'fr', 'de']);
  assert.deepEqual(r.deactivated, ['en', 'fr', 'de']);
  assert.deepEqual(r.neuronCounts, [0, 7, 7]);
  for (const [l, lang] of r.languages.entries()) {
    const dense = await reference(model, lang, undefined, appendEos);
    assert.equal(r.tokens[l], dense.count);
    assert.equal(r.tokens[l], expectedTokens(lang, appendEos));
    assert.ok(Math.abs(r.dense[l]! - dense.mean) < 1e-5, `${lang} dense ${r.dense[l]} vs ${dense.mean}`);
    for (const [d, deact] of r.deactivated.entries()) {
      const ref = await reference(model, lang, languageMask(LAPE, [deact]), appendEos);
      const want = ref.mean - dense.mean;
      assert.ok(Math.abs(r.delta[d]![l]! - want) < 1e-5, `Δ[${deact}][${lang}] ${r.delta[d]![l]} vs ${want}`);
    }
    assert.equal(r.delta[0]![l], 0); // en has no neurons: bit-identical to the dense run
  }
  // The masks do something: a language's deactivation moves its perplexity.
  assert.ok(Math.abs(r.delta[1]![1]!) > 1e-4 && Math.abs(r.delta[2]![2]!) > 1e-4);
}

test('perplexity impact: batched in-graph logits match per-text captures (padding excluded), with and without EOS', async () => {
  const tiny = writeTinyModel({ nLayers: 2, dMlp: 48, maxPositions: 64, seed: 7 });
  const model = LoadedModel.load(tiny.dir, { threads: 1 });
  const corpus = openCorpus(smallCorpusFile());
  // 64 tokens per run: texts of 13–32 tokens are packed 2–4 to a batch with right padding.
  const plain = await perplexityImpact(model, corpus, LAPE, { maxLength: MAX_LENGTH, batchTokens: 64 });
  await checkAgainstReference(model, plain, false);
  const eos = await perplexityImpact(model, corpus, LAPE, { maxLength: MAX_LENGTH, batchTokens: 64, appendEos: true });
  await checkAgainstReference(model, eos, true);
  // Batch size changes nothing but rounding: one text per run gives the same matrix.
  const single = await perplexityImpact(model, corpus, LAPE, { maxLength: MAX_LENGTH, batchTokens: 1 });
  single.delta.forEach((row, d) => row.forEach((v, l) => assert.ok(Math.abs(v - plain.delta[d]![l]!) < 1e-5)));
  // Subsets and order of rows and columns follow the options.
  const sub = await perplexityImpact(model, corpus, LAPE, { maxLength: MAX_LENGTH, languages: ['de', 'fr'], deactivated: ['fr'] });
  assert.deepEqual([sub.languages, sub.deactivated, sub.tokens], [['de', 'fr'], ['fr'], [plain.tokens[2], plain.tokens[1]]]);
  assert.ok(Math.abs(sub.delta[0]![0]! - plain.delta[1]![2]!) < 1e-5);
  await assert.rejects(perplexityImpact(model, corpus, LAPE, { deactivated: ['ja'] }), /deactivated: language ja has no neurons/);
  await assert.rejects(perplexityImpact(model, corpus, { ...LAPE, neurons: { ...LAPE.neurons, fr: [[], [], [1]] } }), /layer 2 does not exist/);
  await model.dispose();
});

test('batchNll: −ln softmax of the next token, padded rows never read', () => {
  // vocab 2, padded length 3. Sequence A = [0, 1, 0]: t0 logits (0, ln 3) → p(1) = 3/4; t1 logits (ln 2, 0) → p(0) = 2/3.
  // Sequence B = [1, 0] (one padding row): t0 logits (5, 5) → p(0) = 1/2. NaN marks rows that must not be read.
  const logits = Float32Array.from([0, Math.log(3), Math.log(2), 0, NaN, NaN, 5, 5, NaN, NaN, NaN, NaN]);
  const r = batchNll(logits, [[0, 1, 0], [1, 0]], 2);
  assert.equal(r.count, 3);
  assert.ok(Math.abs(r.nll - (Math.log(4 / 3) + Math.log(3 / 2) + Math.log(2))) < 1e-6);
  // Large logits: the max shift keeps exp finite (−ln softmax of (1000, 0) at token 1 is 1000).
  assert.ok(Math.abs(batchNll(Float32Array.from([1000, 0]), [[0, 1]], 2).nll - 1000) < 1e-9);
});

test('impact verdicts: own Δ must be the strict maximum of its row and of its column; no neurons fails both', () => {
  const r: PerplexityImpact = {
    languages: ['a', 'b', 'c'],
    deactivated: ['a', 'b', 'c'],
    neuronCounts: [3, 2, 0],
    tokens: [10, 10, 10],
    dense: [1, 1, 1],
    delta: [
      [0.5, 0.1, 0.6], // a: own 0.5 < 0.6 on c → row fails; column a max (0.5 > 0.4, 0) → passes
      [0.4, 0.3, 0.0], // b: own 0.3 < 0.4 on a → row fails; column b: 0.3 > 0.1 → passes
      [0.0, 0.0, 0.0], // c: no neurons
    ],
  };
  const v = impactVerdicts(r);
  assert.deepEqual(
    v.map((x) => [x.lang, x.own, x.rowMax, x.colMax, x.rowRunnerUp.lang, x.colRunnerUp.lang]),
    [
      ['a', 0.5, false, true, 'c', 'b'],
      ['b', 0.3, false, true, 'a', 'a'],
      ['c', 0, false, false, 'a', 'a'],
    ],
  );
});
