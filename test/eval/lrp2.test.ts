// LRP2 (methods.md §5): the residual shifts in the graph against the double-precision reference
// forward with the same vectors added, language vectors against a direct average of hidden
// states, the sign convention by hand, and the variant end to end with the layer search.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LoadedModel } from '../../src/engine/model/model';
import { captureHooks } from '../../src/engine/capture';
import { greedyGenerate } from '../../src/engine/generate';
import { languageVectors, lrp2Shifts } from '../../src/engine/eval/lrp2';
import { parseModelSpec, parseVariantSpec, SubjectLoader } from '../../src/engine/eval/subjects';
import { subjectFor } from '../../src/engine/eval/run';
import { classifyTask } from '../../src/engine/eval/tasks/classify';
import type { EvalTemplate } from '../../src/engine/eval/template';
import type { LabelledItem } from '../../src/engine/eval/datasets';
import { naiveForward, type NaiveConfig } from '../helpers/naive-llama';
import { writeTinyModel, prng } from '../helpers/tiny-model';

const tiny = writeTinyModel({ seed: 21, nLayers: 3 });
const model = LoadedModel.load(tiny.dir, { threads: 1 });
const s = tiny.spec;
const cfg: NaiveConfig = { dModel: s.dModel, nLayers: s.nLayers, nHeads: s.nHeads, nKvHeads: s.nKvHeads, dMlp: s.dMlp, vocab: s.vocab, eps: 1e-5, ropeTheta: s.ropeTheta };
const rnd = prng(4);
const vec = (): Float32Array => Float32Array.from({ length: s.dModel }, () => rnd() - 0.5);
const maxDiff = (a: ArrayLike<number>, b: number[]): number => b.reduce((m, v, i) => Math.max(m, Math.abs(v - a[i]!)), 0);

test('residual shifts at a block input and after the final norm equal the reference forward', async () => {
  const ids = [1, 50, 60, 70, 80, 90];
  for (const [a, b] of [[0, 3], [1, 2]] as const) {
    const shifts = { [a]: vec(), [b]: vec() };
    const ref = naiveForward(cfg, (n) => tiny.weights.get(n), ids, shifts);
    const out = await model.run([ids], { capture: ['logits'], stats: [], kvCache: false, lastPositionOnly: false, ...model.interventionPlan(undefined, undefined, shifts) }, { shifts });
    assert.ok(maxDiff(out.logits!.data, ref.logits.flat()) < 1e-4, `shifts ${a},${b}`);
    // Generation with the KV cache carries the shifts at every new position too.
    const g = await greedyGenerate(model, ids, { maxNewTokens: 3, stopIds: [], shifts });
    const seq = [...ids];
    for (const next of g.generatedIds) {
      const r = naiveForward(cfg, (n) => tiny.weights.get(n), seq, shifts).logits.at(-1)!;
      assert.equal(next, r.indexOf(Math.max(...r)));
      seq.push(next);
    }
  }
});

test('language vectors: mean over texts of the mean over positions of each hidden state', async () => {
  const texts = ['hello world', 'a longer sentence here'];
  const v = await languageVectors(model, texts);
  assert.equal(v.length, s.nLayers + 1);
  const want = Array.from({ length: s.nLayers + 1 }, () => new Array<number>(s.dModel).fill(0));
  for (const t of texts) {
    const ids = model.tokenizer.encode(t);
    const hooks = [...Array.from({ length: s.nLayers }, (_, i) => `blocks.${i}.hook_resid_pre`), 'ln_final.hook_normalized'];
    const cap = await captureHooks(model, { ids, hooks });
    hooks.forEach((h, i) => {
      for (let p = 0; p < ids.length; p++) for (let d = 0; d < s.dModel; d++) want[i]![d]! += cap[h]!.data[p * s.dModel + d]! / ids.length / texts.length;
    });
  }
  v.forEach((x, i) => assert.ok(maxDiff(x, want[i]!) < 1e-5, `hidden state ${i}`));
});

test('LRP2 shifts: −v_T + v_E at a, −v_E + v_T at b', () => {
  const vT = [0, 1, 2].map((k) => Float32Array.from([k, 10 * k]));
  const vE = [0, 1, 2].map((k) => Float32Array.from([k + 1, -k]));
  const sh = lrp2Shifts(vT, vE, 0, 2);
  assert.deepEqual([...sh[0]!].map((x) => x + 0), [1, 0]);
  assert.deepEqual([...sh[2]!], [2 - 3, 20 + 2]);
  assert.throws(() => lrp2Shifts(vT, vE, 2, 1), /0 ≤ a < b/);
  assert.deepEqual(parseVariantSpec('lrp2:fr:1-4', 'x'), { kind: 'lrp2', lang: 'fr', layers: [1, 4] });
  assert.throws(() => parseVariantSpec('lrp2:en', 'x'), /non-English/);
  assert.throws(() => parseVariantSpec('lrp2:fr:4-1', 'x'), /A < B/);
});

test('default@lrp2:fr searches (a, b) on the dev split and reports the pair', async () => {
  const loader = new SubjectLoader({ threads: 1 });
  const subj = await loader.load(parseModelSpec('default@lrp2:fr'));
  const info = subj.info as { layers: [number, number]; searched: boolean; search: { a: number; b: number; logProb: number }[] };
  assert.equal(info.searched, true);
  assert.deepEqual(info.layers, [info.search[0]!.a, info.search[0]!.b]);
  assert.ok(info.search.every((x, i) => i === 0 || x.logProb <= info.search[i - 1]!.logProb));
  assert.deepEqual(Object.keys(subj.shifts!).map(Number), info.layers);
  await loader.dispose();
});

test('default@lrp2 (the paper\'s LRP2 row): each language its own shifts, English and code unchanged, wired into the tasks', async () => {
  assert.deepEqual(parseVariantSpec('lrp2', 'x'), { kind: 'lrp2' });
  const loader = new SubjectLoader({ threads: 1 });
  const each = await loader.load(parseModelSpec('default@lrp2'));
  assert.equal(each.shifts, undefined, 'no language, no shift');
  const fr = await subjectFor(each, 'fr');
  const info = each.info as { perLanguage: Record<string, { layers: [number, number]; searched: boolean } | string> };
  const chosen = info.perLanguage.fr as { layers: [number, number]; searched: boolean };
  assert.equal(chosen.searched, true);
  assert.deepEqual(Object.keys(fr.shifts!).map(Number), chosen.layers);
  assert.equal(await subjectFor(each, 'fr'), fr, 'built once per language');
  // The same vectors and layers as the single-language variant with those layers.
  const single = await loader.load(parseModelSpec(`default@lrp2:fr:${chosen.layers[0]}-${chosen.layers[1]}`));
  for (const k of chosen.layers) assert.deepEqual([...fr.shifts![k]!], [...single.shifts![k]!]);
  for (const lang of ['en', 'code']) assert.equal((await subjectFor(each, lang)).shifts, undefined, lang);
  assert.equal(info.perLanguage.en, 'unchanged (English)');
  assert.match(String(info.perLanguage.code), /no UDHR text/);
  // classify: French items scored under French LRP2, English items as the dense model.
  const template: EvalTemplate = { source: 'inline', render: (v) => `Is the subject of this sentence an animal? Answer yes or no.\nSentence: ${String(v.text)}\nAnswer: ${String(v.label)}` };
  const items: LabelledItem[] = [['en', 'The black dog finds the old tree.', 0], ['en', 'The old tree sees the dog.', 1], ['fr', 'Le chien noir trouve le vieil arbre.', 0], ['fr', 'Le vieil arbre voit le chien.', 1]]
    .map(([lang, text, gold], i) => ({ lang: lang as string, label: gold ? 'no' : 'yes', gold: gold as number, vars: { text }, where: `item ${i}` }));
  const opts = { labels: ['yes', 'no'], template };
  const scores = (r: Awaited<ReturnType<typeof classifyTask>>, lang: string) => r.find((x) => x.language === lang)!.items.map((it) => it.scores);
  const got = await classifyTask(each, items, opts);
  const dense = await classifyTask({ name: 'default', model: each.model }, items.filter((i) => i.lang === 'en'), opts);
  const byFr = await classifyTask(single, items.filter((i) => i.lang === 'fr'), opts);
  assert.deepEqual(scores(got, 'en'), scores(dense, 'en'));
  assert.deepEqual(scores(got, 'fr'), scores(byFr, 'fr'));
  assert.notDeepEqual(scores(got, 'fr'), scores(await classifyTask({ name: 'default', model: each.model }, items.filter((i) => i.lang === 'fr'), opts), 'fr'), 'the shift changes the scores');
  await loader.dispose();
});
