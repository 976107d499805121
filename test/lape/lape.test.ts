// LAPE (methods.md §2) against an independent reference written here: every sequence's hook_pre
// captured whole (captureHooks, no in-graph statistics, no batching), counted and turned into p,
// entropy, bar and selection with plain JS. Counts must match exactly; floats within 1e-6.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { LoadedModel } from '../../src/engine/model/model';
import { captureHooks } from '../../src/engine/capture';
import { openCorpus } from '../../src/engine/corpus/open';
import { runLape } from '../../src/engine/lape/lape';
import { selectLanguageNeurons } from '../../src/engine/lape/select';
import { runStatBatches } from '../../src/engine/stats/runStats';
import { CancelledError } from '../../src/engine/errors';
import { SMALL_CORPUS, sharedModel, smallCorpusFile } from './helpers';
import { writeTinyModel } from '../helpers/tiny-model';

const stories = sharedModel('stories260K');
const MAX_LENGTH = 24; // short enough that some texts are cut, long enough to keep several lengths

/** Reference counts: capture each sequence alone and count hook_pre > 0 per layer and neuron. */
async function referenceCounts(model: LoadedModel, langs: string[], maxLength: number, maxTokens = Infinity) {
  const { nLayers, dMlp } = model.cfg;
  const counts: number[][] = [];
  const tokens: number[] = [];
  for (const lang of langs) {
    const c = new Array<number>(nLayers * dMlp).fill(0);
    let n = 0;
    for (const r of SMALL_CORPUS.filter((x) => x.lang === lang)) {
      if (n >= maxTokens) break;
      const ids = model.tokenizer.encode(r.text).slice(0, Math.min(maxLength, maxTokens - n));
      n += ids.length;
      const cap = await captureHooks(model, { ids, hooks: ['blocks.*.mlp.hook_pre'] });
      for (let layer = 0; layer < nLayers; layer++) {
        const t = cap[`blocks.${layer}.mlp.hook_pre`]!;
        assert.deepEqual(t.dims, [ids.length, dMlp]);
        for (let pos = 0; pos < ids.length; pos++) for (let j = 0; j < dMlp; j++) if (t.data[pos * dMlp + j]! > 0) c[layer * dMlp + j]!++;
      }
    }
    counts.push(c);
    tokens.push(n);
  }
  return { counts, tokens };
}

/** Reference selection, written from the text of §2 as identify.py does it: bar = kthvalue(round(n·q)),
 * every neuron ranked by LAPE with filtered ones last, the round(topRate·all) first kept. */
function referenceSelect(counts: number[][], tokens: number[], nLayers: number, dMlp: number, probQ: number, topRate: number) {
  const pyRound = (x: number): number => (Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : Math.round(x));
  const p = counts.map((c, l) => c.map((v) => v / tokens[l]!));
  const lape: number[] = [];
  for (let k = 0; k < nLayers * dMlp; k++) {
    const col = p.map((row) => row[k]!);
    const sum = col.reduce((a, b) => a + b, 0);
    lape.push(sum === 0 ? NaN : -col.map((v) => v / sum).reduce((h, q) => h + (q > 0 ? q * Math.log(q) : 0), 0));
  }
  const sorted = p.flat().sort((a, b) => a - b);
  const bar = sorted[Math.min(sorted.length, Math.max(1, pyRound(sorted.length * probQ))) - 1]!;
  const rankKey = (k: number): number => (Math.max(...p.map((row) => row[k]!)) > bar ? lape[k]! : Infinity);
  const ranked = lape.map((_, k) => k).sort((a, b) => rankKey(a) - rankKey(b) || a - b);
  const kept = new Set(ranked.slice(0, pyRound(nLayers * dMlp * topRate)).filter((k) => rankKey(k) < Infinity));
  const neurons = p.map((row) =>
    Array.from({ length: nLayers }, (_, layer) => [...kept].filter((k) => Math.floor(k / dMlp) === layer && row[k]! > bar).map((k) => k % dMlp).sort((a, b) => a - b)),
  );
  return { p, lape, bar, kept: kept.size, neurons };
}

function assertClose(actual: ArrayLike<number>, expected: number[], tol: number, what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!, e = expected[i]!;
    if (Number.isNaN(e)) assert.ok(Number.isNaN(a), `${what}[${i}]: expected NaN, got ${a}`);
    else assert.ok(Math.abs(a - e) <= tol, `${what}[${i}]: ${a} vs ${e}`);
  }
}

test('LAPE matches the capture-based reference (counts exact, floats 1e-6)', { skip: !stories && 'needs ../shared/models/stories260K' }, async () => {
  const model = LoadedModel.load(stories!, { threads: 1 });
  const langs = ['en', 'fr', 'de'];
  const ref = await referenceCounts(model, langs, MAX_LENGTH);
  const run = await runLape(model, openCorpus(smallCorpusFile()), { maxLength: MAX_LENGTH });
  assert.deepEqual(run.result.languages, langs); // first-appearance order
  assert.deepEqual(run.tokenCounts, ref.tokens);
  run.counts.forEach((c, l) => assert.deepEqual([...c], ref.counts[l]!, `counts of ${langs[l]}`));
  const { nLayers, dMlp } = model.cfg;
  const want = referenceSelect(ref.counts, ref.tokens, nLayers, dMlp, 0.95, 0.01);
  assertClose(run.result.activationProbability, want.p.flat(), 1e-6, 'p');
  assertClose(run.result.lape, want.lape, 1e-6, 'lape');
  assert.ok(Math.abs(run.result.bar - want.bar) < 1e-12);
  assert.deepEqual(run.result.neurons, want.neurons);
  // Looser quantiles select many neurons, some for several languages: the same counts, the same choice.
  for (const [pq, eq] of [[0.5, 0.3], [0.8, 1], [0, 0.05]] as const) {
    const sel = selectLanguageNeurons({ counts: run.counts, tokens: run.tokenCounts, nLayers, dMlp, probQuantile: pq, entropyQuantile: eq });
    const w = referenceSelect(ref.counts, ref.tokens, nLayers, dMlp, pq, eq);
    assert.deepEqual(sel.neurons, w.neurons, `selection at ${pq}/${eq}`);
    assert.ok(sel.neurons.flat(2).length > 10, 'the check covers a real selection');
  }
  await model.dispose();
});

test('LAPE counts on tiny random qwen2 (bias, GQA) and mistral checkpoints match the reference', async () => {
  for (const spec of [{ modelType: 'qwen2' as const, bias: true, tied: false, seed: 3 }, { modelType: 'mistral' as const, slidingWindow: 8, seed: 4 }]) {
    const model = LoadedModel.load(writeTinyModel(spec).dir, { threads: 1 });
    const ref = await referenceCounts(model, ['en', 'fr', 'de'], 40);
    const run = await runLape(model, openCorpus(smallCorpusFile()), { maxLength: 40, batchTokens: 120 });
    assert.deepEqual(run.tokenCounts, ref.tokens);
    run.counts.forEach((c, l) => assert.deepEqual([...c], ref.counts[l]!, `${spec.modelType} ${l}`));
    await model.dispose();
  }
});

test('padding never counts: mixed lengths in one batch = one sequence per run', { skip: !stories && 'needs stories260K' }, async () => {
  const model = LoadedModel.load(stories!, { threads: 1 });
  const corpus = openCorpus(smallCorpusFile());
  const batched = await runLape(model, corpus, { maxLength: 64, batchTokens: 100_000 });
  const single = await runLape(model, corpus, { maxLength: 64, batchTokens: 1 });
  assert.deepEqual(batched.tokenCounts, single.tokenCounts);
  batched.counts.forEach((c, l) => assert.deepEqual([...c], [...single.counts[l]!]));
  // and the batch really was padded: the language's texts differ in length
  const lens = SMALL_CORPUS.filter((r) => r.lang === 'en').map((r) => model.tokenizer.encode(r.text).length);
  assert.ok(Math.max(...lens) > Math.min(...lens) + 5);
  await model.dispose();
});

test('max-tokens-per-lang caps every language exactly and the reference agrees', { skip: !stories && 'needs stories260K' }, async () => {
  const model = LoadedModel.load(stories!, { threads: 1 });
  const run = await runLape(model, openCorpus(smallCorpusFile()), { maxLength: 64, maxTokensPerLang: 30, languages: ['fr', 'en'] });
  assert.deepEqual(run.result.languages, ['fr', 'en']);
  assert.deepEqual(run.tokenCounts, [30, 30]);
  const ref = await referenceCounts(model, ['fr', 'en'], 64, 30);
  run.counts.forEach((c, l) => assert.deepEqual([...c], ref.counts[l]!));
  await model.dispose();
});

test('engine counts match the PyTorch baseline (torch_baseline.py lape_counts) on stories260K', { skip: !stories && 'needs stories260K' }, async () => {
  const fx = join(__dirname, '..', 'fixtures', 'lape');
  const ids = JSON.parse(readFileSync(join(fx, 'stories260K-ids.json'), 'utf8')) as { languages: string[]; ids: Record<string, number[][]> };
  const want = JSON.parse(readFileSync(join(fx, 'stories260K-counts.json'), 'utf8')) as { tokens: Record<string, number>; counts: Record<string, number[][]> };
  const model = LoadedModel.load(stories!, { threads: 1 });
  const { nLayers, dMlp } = model.cfg;
  for (const lang of ids.languages) {
    const got = new Float64Array(nLayers * dMlp);
    async function* one() {
      yield ids.ids[lang]!; // all sequences of the language in one padded batch
    }
    await runStatBatches(model, one(), Array.from({ length: nLayers }, (_, i) => ({ hook: `blocks.${i}.mlp.hook_pre`, kind: 'countPos' as const })), (out) => {
      for (let l = 0; l < nLayers; l++) out[`stat:countPos:blocks.${l}.mlp.hook_pre`]!.data.forEach((v, j) => (got[l * dMlp + j]! += v));
    });
    const expected = want.counts[lang]!.flat();
    // Exact today (0 differences). Float rounding differs between PyTorch and onnxruntime, so on
    // another BLAS a pre-activation within ~1e-7 of 0 could flip; then this names the neurons.
    const differ = expected.map((e, k) => (e === got[k] ? '' : `L${Math.floor(k / dMlp)}.N${k % dMlp}: ${got[k]} vs ${e}`)).filter(Boolean);
    assert.deepEqual(differ, [], lang);
    assert.equal(ids.ids[lang]!.reduce((n, s) => n + s.length, 0), want.tokens[lang]);
  }
  await model.dispose();
});

test('cancellation stops the job with CancelledError', { skip: !stories && 'needs stories260K' }, async () => {
  const model = LoadedModel.load(stories!, { threads: 1 });
  const ac = new AbortController();
  const p = runLape(model, openCorpus('udhr:en,fr'), { signal: ac.signal, batchTokens: 64, onProgress: (x) => x.fraction > 0.1 && ac.abort() });
  await assert.rejects(p, CancelledError);
  await model.dispose();
});

test('bad settings are one-line errors naming the option', { skip: !stories && 'needs stories260K' }, async () => {
  const model = LoadedModel.load(stories!, { threads: 1 });
  const c = openCorpus(smallCorpusFile());
  await assert.rejects(runLape(model, c, { probQuantile: 1.5 }), /--prob-quantile: must be in \[0, 1\]/);
  await assert.rejects(runLape(model, c, { entropyQuantile: 0 }), /--top-rate/);
  await assert.rejects(runLape(model, c, { languages: ['fr'] }), /--languages: LAPE compares languages and needs at least 2; got only fr/);
  await assert.rejects(runLape(model, openCorpus('udhr:de')), /udhr:de: LAPE compares languages and needs at least 2/);
  await assert.rejects(runLape(model, c, { maxLength: 4096 }), /--max-length: 4096 exceeds the model's max_position_embeddings \(512\)/);
  await assert.rejects(runLape(model, c, { languages: ['ja'] }), /has no text in language ja/);
  assert.ok(existsSync(stories!));
  await model.dispose();
});
