/**
 * `--plan` on the study, lens, ablation and intervention commands (issue #25: every corpus/eval
 * command): the counts a plan gives equal what the real job runs — checked against the real run's
 * own pass count on the same model — greedy generation is scaled by a slice run for real (exact
 * when the slice is the whole job), graphs outside the forward plans (the lens head) are run once
 * per shape and counted as often as the job runs them, and the CLI prints one plan line and
 * writes nothing. No timing is asserted (bench/plan.mjs records real/estimated ratios).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { assertOneLineError, cli } from '../helpers/cli';
import { tempDir } from '../lape/helpers';
import { LoadedModel } from '../../src/engine/model/model';
import { defaultModelDir } from '../../src/engine/paths';
import { planSubjects } from '../../src/engine/eval/plan';
import { parseModelSpec, SubjectLoader } from '../../src/engine/eval/subjects';
import { scoreItems } from '../../src/engine/studies/bias';
import { loadPromptFile, loadTask } from '../../src/engine/studies/taskPrompt';
import { readDataset } from '../../src/engine/studies/dataset';
import { compareInstructions } from '../../src/engine/studies/instructions';
import { sampleDecodeSteps } from '../../src/engine/plan/decode';
import { WorkRecorder } from '../../src/engine/plan/work';
import { planJob, type JobPlan } from '../../src/engine/plan/estimate';
import { readLensItems, runLensDataset } from '../../src/engine/lens/dataset';

const STUDIES = join(__dirname, '..', '..', 'examples', 'studies');

function planOf(stdout: string): JobPlan {
  const lines = stdout.trim().split('\n');
  assert.equal(lines.length, 1, stdout);
  return (JSON.parse(lines[0]!) as { plan: JobPlan }).plan;
}

test('bias --plan counts what the study runs: one pass an item a range a model entry, a pruned entry\'s passes masked', async () => {
  const prompt = loadPromptFile(join(STUDIES, 'size.prompt'));
  const items = readDataset(join(STUDIES, 'size.jsonl'), 6);
  const ranges = [{ min: 1, max: 5 }, { min: 0, max: 9 }];
  const specs = ['default', 'default@magnitude:0.3'].map((s) => parseModelSpec(s));
  const loader = new SubjectLoader({ threads: 1 });
  try {
    const plan = await planSubjects({ command: 'bias', specs, loader, work: async (subject) => { for (const r of ranges) await scoreItems(subject, prompt, items, r); } });
    const model = loader.base(specs[0]!.dir);
    const before = model.passCount;
    for (const spec of specs) {
      const subject = await loader.load(spec);
      for (const r of ranges) await scoreItems(subject, prompt, items, r);
    }
    // Magnitude pruning calibrates on nothing: every pass is an item's.
    assert.equal(plan.forwardPasses, model.passCount - before);
    assert.equal(plan.forwardPasses, 2 * 2 * 6);
    assert.equal(plan.sequences, 24);
    assert.deepEqual(Object.keys(plan.estimate.extra), ['masks default@magnitude:0.3']);
    assert.ok(plan.calibration.plans.some((p) => p.plan.endsWith('pruning masks')) && plan.calibration.plans.some((p) => !p.plan.endsWith('pruning masks')));
    assert.equal(plan.decode, undefined);
  } finally {
    await loader.dispose();
  }
});

test('compare-instructions --plan: generation scaled by answers sampled for real — exact when the sample is the whole job — and the variant neurons\' passes counted', async () => {
  const task = loadTask(join(STUDIES, 'animal-fr.prompt'));
  const items = readDataset(join(STUDIES, 'animal-fr.jsonl'), 2);
  const loader = new SubjectLoader({ threads: 1 });
  try {
    const specs = [parseModelSpec('default')];
    const plan = await planSubjects({
      command: 'compare-instructions',
      specs,
      loader,
      work: (subject) => compareInstructions(subject, task, items),
      decode: (first) => sampleDecodeSteps(first.model, 'both items', () => compareInstructions(first, task, items, { skipNeurons: true })),
    });
    const model = loader.base(specs[0]!.dir);
    const before = model.passCount;
    const real = await compareInstructions({ name: 'default', model }, task, items);
    assert.ok(real.neurons, 'the real run computed the variant neurons');
    assert.equal(plan.forwardPasses, model.passCount - before);
    const d = plan.decode as { sampledItems: number; generatedTokens: number; budgetTokens: number; stepsScale: number };
    // One generation an item a variant; each generated token is one pass of the sample.
    assert.equal(d.sampledItems, items.length * task.variants.length);
    assert.ok(d.generatedTokens >= d.sampledItems && d.generatedTokens <= d.budgetTokens, JSON.stringify(d));
    assert.ok(plan.calibration.plans.some((p) => p.plan.startsWith('statistics')), 'LAPE over the rendered prompts');
    assert.ok(plan.calibration.plans.some((p) => p.plan === 'generation (KV cache, last logits)'));
  } finally {
    await loader.dispose();
  }
});

test('lens --dataset --plan: the forward passes the job runs, and the lens head run once per shape but counted as often as the job runs it', async () => {
  const dir = tempDir();
  const file = join(dir, 'items.jsonl');
  const built = cli(['lens', 'build', '--words', join(STUDIES, '..', 'lens', 'toyworld-words.jsonl'), '--task', 'translate', '--src', 'fr', '--tgt', 'de', '--out', file]);
  assert.equal(built.code, 0, built.stderr);
  const items = readLensItems(file).slice(0, 6);
  const model = LoadedModel.load(defaultModelDir(), { threads: 1 });
  try {
    const work = new WorkRecorder(model);
    await work.run(() => runLensDataset(model, items, { resamples: 10 }));
    const realGraphRuns = { n: 0 };
    const runGraph = model.runGraph.bind(model);
    model.runGraph = (key, build, feeds, signal) => {
      realGraphRuns.n += feeds.length;
      return runGraph(key, build, feeds, signal);
    };
    const before = model.passCount;
    await runLensDataset(model, items, { resamples: 10 });
    assert.equal(work.passes, model.passCount - before);
    const recorded = [...work.graphRuns.values()];
    assert.equal(recorded.reduce((n, g) => n + g.count, 0), realGraphRuns.n);
    assert.ok(realGraphRuns.n > 0 && recorded.length <= realGraphRuns.n);
    const plan = await planJob({ command: 'lens --dataset', parts: [{ model, work, loadSeconds: 0 }], enumerateSeconds: 0 });
    const g = work.graphSeconds();
    assert.ok(g.estimated >= g.measured && g.measured > 0, JSON.stringify(g));
    assert.equal(plan.estimate.extra['graph runs'], Math.round(g.estimated * 100) / 100);
  } finally {
    await model.dispose();
  }
});

test('CLI: bias, compare-instructions, lens --dataset, lens fit, lens languages, ablate and intervene --prompts take --plan: one JSON line, nothing written', () => {
  const dir = tempDir();
  const never = (name: string): string => join(dir, name);
  const fields = ['command', 'models', 'sequences', 'tokens', 'forwardPasses', 'modelCalls', 'flops', 'peakMemoryBytes', 'calibration', 'estimate'];
  const items = join(dir, 'items.jsonl');
  assert.equal(cli(['lens', 'build', '--words', join(STUDIES, '..', 'lens', 'toyworld-words.jsonl'), '--task', 'translate', '--src', 'fr', '--tgt', 'de', '--out', items]).code, 0);
  const lape = never('lape');
  assert.equal(cli(['neurons', '--corpus', 'udhr:en,fr', '--max-tokens-per-lang', '200', '--threads', '1', '--out', lape]).code, 0);
  const runs: [string, string[], (p: JobPlan) => void][] = [
    ['bias', ['bias', join(STUDIES, 'size.prompt'), '--dataset', join(STUDIES, 'size.jsonl'), '--limit', '4', '--ranges', '1-5,0-9'], (p) => assert.equal(p.forwardPasses, 8)],
    ['compare-instructions', ['compare-instructions', join(STUDIES, 'animal-fr.prompt'), '--dataset', join(STUDIES, 'animal-fr.jsonl'), '--limit', '2', '--no-neurons'], (p) => assert.ok(p.decode && p.calibration.plans.every((c) => !c.plan.startsWith('statistics')))],
    ['lens --dataset', ['lens', '--dataset', items], (p) => assert.ok(p.estimate.extra['graph runs']! > 0 && p.forwardPasses > 0)],
    ['lens fit', ['lens', 'fit', '--corpus', 'udhr:en,fr', '--max-tokens-per-lang', '200'], (p) => assert.equal(p.tokens.real, 400)],
    // Counting tokens per language runs no model pass: the plan says so.
    ['lens languages', ['lens', 'languages', '--corpus', 'udhr:en,fr', '--max-tokens-per-lang', '100'], (p) => assert.equal(p.forwardPasses, 0)],
    ['ablate', ['ablate', '--pairs', 'fr-en', '--limit', '2', '--calibration-sequences', '2'], (p) => assert.ok(p.decode && p.calibration.plans.some((c) => c.plan.endsWith('pruning masks')))],
    ['intervene --prompts', ['intervene', '--prompts', 'udhr:en,fr', '--limit', '1', '--lape', lape], (p) => assert.equal(p.sequences, 2 * 2)],
  ];
  for (const [command, args, check] of runs) {
    const out = never(command.replace(/\W+/g, '-'));
    const r = cli([...args, '--threads', '1', '--plan', ...(command === 'intervene --prompts' ? [] : ['--out', out])]);
    assert.equal(r.code, 0, `${command}: ${r.stderr}`);
    assert.match(r.stderr, /^polyglot-lens: plan: \d+ sequences, \d+ tokens \(\d+ padded\), \d+ forward passes, [\d.]+ GFLOP; about /m, command);
    const p = planOf(r.stdout);
    for (const k of fields) assert.ok(k in p, `${command}: ${k}`);
    assert.equal(p.command, command);
    assert.equal(p.target, undefined);
    check(p);
    assert.ok(!existsSync(out), `${command} wrote ${out}`);
  }
  // These commands do not shard: no --target; --plan belongs to their corpus form.
  assertOneLineError(cli(['bias', join(STUDIES, 'size.prompt'), '--dataset', join(STUDIES, 'size.jsonl'), '--plan', '--target', '2h']), /--target: unknown option/);
  assertOneLineError(cli(['lens', '--prompt', 'Bonjour', '--plan']), /--plan: goes with --dataset/);
  assertOneLineError(cli(['intervene', '--prompt', 'Bonjour', '--lape', lape, '--deactivate', 'fr', '--plan']), /--plan: goes with --prompts/);
});
