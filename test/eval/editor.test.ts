/**
 * The editor's Evaluate (eval/run) and Compare against an evaluation variant (eval/compare) on the
 * default model with the demo data: the same output folder as the CLI, numbers recomputed from
 * the per-item results in the same run, the Results panel's exports equal to the written files,
 * and the LRP2 shifts leaving the blocks before hidden state a untouched.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HANDLERS, type EngineState } from '../../src/engine/worker/handlers';
import { isHostToWebviewMessage } from '../../src/shared/protocol';
import { parseResultsCsv, toResultsCsv } from '../../src/shared/results/rows';
import { taskDeltas } from '../../src/shared/results/deltas';
import { toWire } from '../../src/shared/wire';
import { OUTPUT_MARKER } from '../../src/engine/io/outputs';
import { resultsExports } from '../../webview/render/results';
import { ROOT } from '../helpers/cli';

const DEMO = readFileSync(join(ROOT, 'examples', 'eval', 'langid.jsonl'), 'utf8').trim().split('\n');
// Two items per language for en and fr: small enough for a fast test, paired across models.
const ITEMS = ['en', 'fr'].flatMap((l) => DEMO.filter((x) => (JSON.parse(x) as { lang: string }).lang === l).slice(0, 2));

function promptFolder(evalLines: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'pl-eval-editor-'));
  writeFileSync(join(dir, 'items.jsonl'), `${ITEMS.join('\n')}\n`);
  writeFileSync(join(dir, 'lid.prompt'), ['---', 'polyglot.labels: [English, French, German]', 'polyglot.eval:', ...evalLines.map((l) => `  ${l}`), '---', '{{label}}: {{text}}', ''].join('\n'));
  return dir;
}

test('eval/run: the prompt\'s polyglot.eval written to NAME.eval/, accuracy = share of correct items, exports = the files', async () => {
  const s: EngineState = { threads: 1, cacheDir: mkdtempSync(join(tmpdir(), 'pl-cache-')), log: () => {} };
  await HANDLERS['engine/load'](s, {}, {});
  const dir = promptFolder(['task: classify', 'dataset: items.jsonl', 'models: [default, default@magnitude:0.4]', 'resamples: 100', 'metric: macro_f1']);
  const fractions: number[] = [];
  const r = await HANDLERS['eval/run'](s, { file: join(dir, 'lid.prompt') }, { onProgress: (p) => fractions.push(p.fraction) });
  const out = join(dir, 'lid.eval');
  assert.equal(r.out, out);
  assert.deepEqual(r.models, ['default', 'default@magnitude:0.4']);
  for (const f of ['results.json', 'results.csv', 'results.md', 'results.tex', 'report.html', OUTPUT_MARKER]) assert.ok(existsSync(join(out, f)), f);
  assert.ok(fractions.length > 4 && fractions.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= fractions[i - 1]! - 1e-9)));
  assert.deepEqual(r.tableMetrics, { perplexity: 'perplexity', translate: 'chrf', classify: 'macro_f1' });

  // The written contract is the rows returned; the per-item predictions give the accuracy again.
  const csv = readFileSync(join(out, 'results.csv'), 'utf8');
  assert.equal(csv, toResultsCsv(r.rows));
  const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { results: { model: string; language: string; items: { gold: string; predicted: string }[] }[]; bootstrap: { resamples: number; against: string } };
  assert.deepEqual(json.bootstrap, { resamples: 100, seed: 12345, against: 'default', ciLevel: 0.95 });
  for (const res of json.results) {
    assert.equal(res.items.length, 2);
    const acc = res.items.filter((i) => i.gold === i.predicted).length / res.items.length;
    assert.equal(parseResultsCsv(csv).find((x) => x.model === res.model && x.language === res.language && x.metric === 'accuracy')!.value, acc);
  }
  // p_value rows test the chosen metric: one per language, for the second model only.
  assert.deepEqual(r.rows.filter((x) => x.metric === 'p_value').map((x) => `${x.model}:${x.language}`), ['default@magnitude:0.4:en', 'default@magnitude:0.4:fr', 'default@magnitude:0.4:avg']);
  const data = r.sections[0]!.data as { labels?: Record<string, string>; groups?: Record<string, string>; significance?: 'one-sided' };
  assert.deepEqual(data.labels, { default: 'θ', 'default@magnitude:0.4': 'θ_Mag' });
  const exp = resultsExports(r.rows, r.tableMetrics, data);
  assert.equal(exp.csv, csv);
  assert.equal(exp.tex, readFileSync(join(out, 'results.tex'), 'utf8'));
  assert.equal(exp.md, readFileSync(join(out, 'results.md'), 'utf8'));
  assert.ok(exp.tex.includes('\\multicolumn{3}{c}{classify (macro-F1)}'), exp.tex);
  assert.ok(isHostToWebviewMessage({ type: 'results/show', title: r.title, sections: toWire(r.sections) }));
  assert.deepEqual(r.sections.map((x) => x.kind), ['results']);

  // Run again: our own earlier output is replaced; the loaded model keeps no evaluation variant.
  const again = await HANDLERS['eval/run'](s, { file: join(dir, 'lid.prompt') }, {});
  assert.deepEqual(again.rows, r.rows, 'same items, same seeds: the same numbers');
  assert.equal([...s.model!.variants.keys()].filter((k) => k.includes('@')).length, 0);

  // Deltas for the Compare panel, from the same rows.
  const d = taskDeltas(r.rows, 'default@magnitude:0.4', 'results.csv', r.tableMetrics)!;
  const en = d.deltas.find((x) => x.language === 'en' && x.metric === 'macro_f1')!;
  const val = (m: string) => r.rows.find((x) => x.model === m && x.language === 'en' && x.metric === 'macro_f1')!.value!;
  assert.equal(en.delta, val('default@magnitude:0.4') - val('default'));
  assert.equal(en.p, r.rows.find((x) => x.model === 'default@magnitude:0.4' && x.language === 'en' && x.metric === 'p_value')!.value);
  assert.equal(d.deltas.find((x) => x.metric === 'accuracy')!.p, null, 'only the tested metric carries a p-value');
  await s.model?.dispose();
});

test('eval/run refuses a folder that is not ours and a prompt without polyglot.eval, before any work', async () => {
  const s: EngineState = { threads: 1, cacheDir: mkdtempSync(join(tmpdir(), 'pl-cache-')), log: () => {} };
  const dir = promptFolder(['task: classify', 'dataset: items.jsonl', 'out: mine']);
  mkdirSync(join(dir, 'mine'));
  writeFileSync(join(dir, 'mine', 'notes.txt'), 'keep me');
  await assert.rejects(HANDLERS['eval/run'](s, { file: join(dir, 'lid.prompt') }, {}), /mine/);
  assert.equal(readFileSync(join(dir, 'mine', 'notes.txt'), 'utf8'), 'keep me');
  writeFileSync(join(dir, 'plain.prompt'), '---\npolyglot.topK: 3\n---\nHello');
  await assert.rejects(HANDLERS['eval/run'](s, { file: join(dir, 'plain.prompt') }, {}), /declares no polyglot.eval/);
  writeFileSync(join(dir, 'bad.prompt'), '---\npolyglot.eval: {task: classify, dataset: items.jsonl, models: [default@lrp2:en]}\npolyglot.labels: [a, b]\n---\n{{label}}');
  await assert.rejects(HANDLERS['eval/run'](s, { file: join(dir, 'bad.prompt') }, {}), /bad\.prompt:2:\d+: error: polyglot\.eval\.models: default@lrp2:en: expected lrp2:LANG/);
});

test('eval/compare: dense vs default@lrp2:fr:2-4 — blocks before hidden state 2 unchanged, later ones shifted', async () => {
  const s: EngineState = { threads: 1, cacheDir: mkdtempSync(join(tmpdir(), 'pl-cache-')), log: () => {} };
  await HANDLERS['engine/load'](s, {}, {});
  const dir = promptFolder(['task: classify', 'dataset: items.jsonl', 'models: [default, default@lrp2:fr:2-4]']);
  const r = await HANDLERS['eval/compare'](s, { text: 'French: Bonjour à tous.\nEnglish:', model: 'default@lrp2:fr:2-4', file: join(dir, 'lid.prompt'), maxNewTokens: 4 }, {});
  assert.equal(r.a.label, 'dense');
  assert.equal(r.b.label, 'default@lrp2:fr:2-4');
  const change = [...r.layerChange];
  assert.equal(change.length, s.model!.cfg.nLayers);
  assert.deepEqual(change.slice(0, 2), [0, 0], 'the shift enters at the input of block 2');
  assert.ok(change.slice(2).every((x) => x > 0), String(change));
  await assert.rejects(HANDLERS['eval/compare'](s, { text: 'x', model: 'default', file: join(dir, 'lid.prompt') }, {}), /is not a variant/);
  await s.model?.dispose();
});

test('eval/run cancelled mid-run: stops with CancelledError and leaves no output folder or temp folder', async () => {
  const s: EngineState = { threads: 1, cacheDir: mkdtempSync(join(tmpdir(), 'pl-cache-')), log: () => {} };
  await HANDLERS['engine/load'](s, {}, {});
  const dir = promptFolder(['task: classify', 'dataset: items.jsonl', 'models: [default, default@random:0.5]', 'resamples: 10']);
  const ac = new AbortController();
  let seen = 0;
  await assert.rejects(
    HANDLERS['eval/run'](s, { file: join(dir, 'lid.prompt') }, { signal: ac.signal, onProgress: () => { if (++seen === 2) ac.abort(); } }),
    (e: Error) => e.name === 'CancelledError',
  );
  assert.deepEqual(readdirSync(dir).sort(), ['items.jsonl', 'lid.prompt']);
  await s.model?.dispose();
});
