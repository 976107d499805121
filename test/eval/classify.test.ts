// Zero-shot label scoring end to end on a tiny random Llama: the expected scores and predictions
// are computed directly with the plain double-precision reference forward
// (test/helpers/naive-llama.ts) on every full filled-in sequence; the KV-cache shortcut (prefix
// once, labels batched on its cache) must equal the full recomputation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LoadedModel } from '../../src/engine/model/model';
import { classifyTask, labelScores, labelSequences, scoreLabelsCached, scoreLabelsFull, type LabelScoring } from '../../src/engine/eval/tasks/classify';
import type { EvalTemplate } from '../../src/engine/eval/template';
import type { EvalSubject } from '../../src/engine/eval/types';
import type { LabelledItem } from '../../src/engine/eval/data';
import { naiveForward, type NaiveConfig } from '../helpers/naive-llama';
import { writeTinyModel } from '../helpers/tiny-model';
import { defaultModelDir } from '../../src/engine/paths';

const tiny = writeTinyModel({ seed: 11, nLayers: 2, dModel: 32, nHeads: 4, nKvHeads: 2, dMlp: 48 });
const model = LoadedModel.load(tiny.dir, { threads: 1 });
const subject: EvalSubject = { name: 'tiny', model };
const s = tiny.spec;
const cfg: NaiveConfig = { dModel: s.dModel, nLayers: s.nLayers, nHeads: s.nHeads, nKvHeads: s.nKvHeads, dMlp: s.dMlp, vocab: s.vocab, eps: 1e-5, ropeTheta: s.ropeTheta };
const LABELS = ['yes', 'no', 'perhaps'];
// Text after {{label}} belongs to every continuation, so continuation-sum scores it too.
const template: EvalTemplate = { source: 'inline', render: (v) => `Q: ${String(v.text)}? A: ${String(v.label)}.` };
const ITEMS: LabelledItem[] = ['is it', 'are we there', 'can birds fly', 'ça va', 'gibt es', 'x'].map((text, i) => ({ lang: i < 3 ? 'en' : 'fr', label: LABELS[i % 3]!, gold: i % 3, vars: { text }, where: `item ${i}` }));

/** Log-probabilities of one full sequence from the naive forward, split at the prefix length. */
function naiveLogProbs(ids: number[], prefixLen: number): { prefix: number; cont: number } {
  const { logits } = naiveForward(cfg, (n) => tiny.weights.get(n), ids);
  let prefix = 0;
  let cont = 0;
  for (let t = 0; t + 1 < ids.length; t++) {
    const row = logits[t]!;
    const max = Math.max(...row);
    const lse = max + Math.log(row.reduce((z, x) => z + Math.exp(x - max), 0));
    const lp = row[ids[t + 1]!]! - lse;
    if (t + 1 < prefixLen) prefix += lp;
    else cont += lp;
  }
  return { prefix, cont };
}

test('label sequences: prefix with BOS, each continuation is the space before {{label}}, the label and the text after it', () => {
  const seqs = labelSequences(subject, template, { text: 'ok' }, LABELS, 'x');
  // "A: no." is scored as "A:" + " no.": the label word keeps its leading space, as in running text.
  assert.deepEqual(seqs.prefix, model.tokenizer.encode('Q: ok? A:'));
  assert.equal(seqs.prefix[0], 1);
  assert.deepEqual(seqs.continuations[1], model.tokenizer.encode(' no.', false));
  const glued: EvalTemplate = { source: 'inline', render: (v) => `${String(v.label)}: ${String(v.text)}` };
  const g = labelSequences(subject, glued, { text: 'ok' }, LABELS, 'x');
  assert.deepEqual(g.continuations[0], model.tokenizer.encode('yes: ok', false));
});

for (const scoring of ['sequence-mean', 'continuation-sum'] as LabelScoring[]) {
  test(`classify (${scoring}) predicts what the reference forward computes; cached = full recomputation`, async () => {
    const res = await classifyTask(subject, ITEMS, { labels: LABELS, template, scoring });
    const expected: { predicted: string; correct: boolean }[] = [];
    for (const it of ITEMS) {
      const seqs = labelSequences(subject, template, it.vars, LABELS, it.where);
      const ref = seqs.continuations.map((c) => naiveLogProbs([...seqs.prefix, ...c], seqs.prefix.length));
      const scores = ref.map((r, i) => (scoring === 'continuation-sum' ? r.cont : (r.prefix + r.cont) / (seqs.prefix.length - 1 + seqs.continuations[i]!.length)));
      const cached = labelScores(await scoreLabelsCached(subject, seqs), scoring);
      const full = labelScores(await scoreLabelsFull(subject, seqs), scoring);
      scores.forEach((v, i) => {
        assert.ok(Math.abs(cached[i]! - v) < 1e-4, `cached ${cached[i]} vs reference ${v}`);
        assert.ok(Math.abs(full[i]! - v) < 1e-4, `full ${full[i]} vs reference ${v}`);
        assert.ok(Math.abs(cached[i]! - full[i]!) < 1e-5, `cached ${cached[i]} vs full ${full[i]}`);
      });
      const best = scores.indexOf(Math.max(...scores));
      expected.push({ predicted: LABELS[best]!, correct: LABELS[best] === it.label });
    }
    assert.deepEqual(res.map((r) => r.language), ['en', 'fr']);
    const items = res.flatMap((r) => r.items);
    assert.deepEqual(items.map((i) => i.predicted), expected.map((e) => e.predicted));
    const correct = (lang: number, from: number, to: number) => expected.slice(from, to).filter((e) => e.correct).length / (to - from);
    assert.equal(res[0]!.metrics.accuracy, correct(0, 0, 3));
    assert.equal(res[1]!.metrics.accuracy, correct(1, 3, 6));
  });
}

test('classify: the shortcut runs the prefix once per item, not once per label', async () => {
  let runs = 0;
  const orig = model.run.bind(model);
  model.run = (...a: Parameters<typeof model.run>) => {
    runs++;
    return orig(...a);
  };
  try {
    await classifyTask(subject, ITEMS.slice(0, 2), { labels: LABELS, template });
    assert.equal(runs, 4); // 2 items × (prefix + one batched continuation run)
    runs = 0;
    await classifyTask(subject, ITEMS.slice(0, 2), { labels: LABELS, template, prefixCache: false });
    assert.equal(runs, 6); // 2 items × 3 labels
  } finally {
    model.run = orig;
  }
});

test('the space before {{label}} joins the label: on the default model the tokens are those of the whole text (they were not: a lone space token)', () => {
  const dm = LoadedModel.load(defaultModelDir(), { threads: 1 });
  try {
    const t: EvalTemplate = { source: 'inline', render: (v) => `Is the subject of this sentence an animal? Answer yes or no.\nSentence: ${String(v.text)}\nAnswer: ${String(v.label)}` };
    const text = 'Le chien voit le livre.';
    const seqs = labelSequences({ name: 'default', model: dm }, t, { text }, ['yes', 'no'], 'x');
    ['yes', 'no'].forEach((l, i) => assert.deepEqual([...seqs.prefix, ...seqs.continuations[i]!], dm.tokenizer.encode(t.render({ text, label: l }))));
  } finally {
    void dm.dispose();
  }
});
