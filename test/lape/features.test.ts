// Translation features (methods.md §4) and calibration builders (§3) against references written
// here: importances from captured hook values, overlap and large-magnitude features recomputed naively.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LoadedModel } from '../../src/engine/model/model';
import { captureHooks } from '../../src/engine/capture';
import { buildCalibration, parseCalibrationArg } from '../../src/engine/calibration';
import { globFiles } from '../../src/engine/calibration/glob';
import { runFeatures } from '../../src/engine/features/features';
import { overlapPercent, setSize } from '../../src/engine/features/overlap';
import { ModelTokenizer } from '../../src/engine/tokenizer/tokenizer';
import { udhrParagraphs } from '../../src/engine/corpus/udhr';
import { sharedModel, tempDir, tempFile } from './helpers';
import { readdirSync, readFileSync } from 'node:fs';
import { readSafetensorsHeader } from '../../src/engine/checkpoint/safetensors';
import { main } from '../../src/cli/main';

const stories = sharedModel('stories260K');

test('mono: and mt: demonstrations have the exact §3 format, k shots, a BOS once, no trailing query', { skip: !stories && 'needs stories260K' }, async () => {
  const tok = ModelTokenizer.load(stories!);
  const mono = await buildCalibration('mono:fr', tok, { sequences: 3, shots: 2, length: 10_000 });
  assert.equal(mono.sequences.length, 3);
  assert.equal(mono.label, 'French');
  const text = tok.decode(mono.sequences[0]!, false);
  // (a Llama-legacy tokenizer puts its dummy-prefix space after every special token when decoding)
  assert.match(text, /^<s> ?French: [^<]+<\/s> ?French: [^<]+<\/s>$/);
  assert.equal(mono.sequences[0]!.filter((id) => id === tok.eosId).length, 2);
  assert.equal(mono.sequences[0]!.filter((id) => id === tok.bosId).length, 1);
  const mt = await buildCalibration('mt:fr-en', tok, { sequences: 2, shots: 3, length: 10_000 });
  const t = tok.decode(mt.sequences[1]!, false);
  assert.match(t, /^<s>( ?French: [^<]+<\/s> ?English: [^<]+<\/s>){3}$/);
  assert.deepEqual(mt.languages, ['fr', 'en']);
  assert.equal(mt.label, 'French→English');
  // each demonstration is a real translation pair: the same UDHR paragraph id on both sides
  const frId = new Map(udhrParagraphs('fr').map((p) => [p.text, p.id]));
  const enId = new Map(udhrParagraphs('en').map((p) => [p.text, p.id]));
  const demos = [...t.matchAll(/French: ([^<]+)<\/s> ?English: ([^<]+)<\/s>/g)];
  assert.equal(demos.length, 3);
  for (const [, f, e] of demos) assert.equal(frId.get(f!.trim()), enId.get(e!.trim()), `${f} / ${e}`);
  assert.ok(demos.every(([, f]) => frId.has(f!.trim())));
});

test('calibration: seeded, truncated, and clear errors', { skip: !stories && 'needs stories260K' }, async () => {
  const tok = ModelTokenizer.load(stories!);
  const a = await buildCalibration('mono:en', tok, { sequences: 5, seed: 7, length: 40 });
  const b = await buildCalibration('mono:en', tok, { sequences: 5, seed: 7, length: 40 });
  const c = await buildCalibration('mono:en', tok, { sequences: 5, seed: 8, length: 40 });
  assert.deepEqual(a.sequences, b.sequences);
  assert.notDeepEqual(a.sequences, c.sequences);
  assert.ok(a.sequences.every((s) => s.length === 40)); // 4 UDHR paragraphs are far longer than 40 tokens
  await assert.rejects(buildCalibration('mt:fr-xx', tok), /mt:fr-xx: unknown language code "xx"/);
  await assert.rejects(buildCalibration('mt:fr', tok), /expected mt:SRC-TGT/);
  const corpus = tempFile('p.jsonl', '{"lang":"fr","text":"Bonjour"}\n{"lang":"en","text":"Hello"}\n');
  await assert.rejects(buildCalibration('mono:de', tok, { corpus }), /mono:de: .*has no text|has no German text/);
  const mt = await buildCalibration('mt:fr-en', tok, { corpus, sequences: 2, shots: 1 });
  assert.match(tok.decode(mt.sequences[0]!, false), /French: Bonjour<\/s> ?English: Hello<\/s>$/);
  await assert.rejects(buildCalibration(tempFile('e.jsonl', '\n'), tok), /empty calibration set/);
  await assert.rejects(buildCalibration(tempFile('b.jsonl', '{"txt":"x"}\n'), tok), /b\.jsonl:1: expected \{"text"/);
  await assert.rejects(buildCalibration('code:**/*.nothing', tok, { cwd: tempDir() }), /no files match/);
  assert.throws(() => parseCalibrationArg('fr'), /expected NAME=SOURCE/);
  assert.deepEqual(parseCalibrationArg('mt:fr-en'), { name: 'fr-en', source: 'mt:fr-en' });
  assert.deepEqual(parseCalibrationArg('udhr:de'), { name: 'de', source: 'udhr:de' });
  assert.throws(() => parseCalibrationArg('mt:en-de+mt:de-en'), /expected NAME=SOURCE/); // a mix needs a name
});

test('code: globs pick source files, skipping node_modules and dot-folders', { skip: !stories && 'needs stories260K' }, async () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'pkg', 'sub'), { recursive: true });
  mkdirSync(join(dir, 'node_modules'));
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, 'a.py'), 'print(1)\n');
  writeFileSync(join(dir, 'pkg', 'sub', 'b.py'), 'def f():\n    return 2\n');
  writeFileSync(join(dir, 'pkg', 'c.js'), 'let x = 3;\n');
  writeFileSync(join(dir, 'node_modules', 'd.py'), 'x\n');
  writeFileSync(join(dir, '.git', 'e.py'), 'x\n');
  assert.deepEqual(globFiles('**/*.py', dir).map((f) => f.slice(dir.length + 1)), ['a.py', 'pkg/sub/b.py']);
  assert.deepEqual(globFiles('pkg/*.{js,py}', dir).map((f) => f.slice(dir.length + 1)), ['pkg/c.js']);
  const set = await buildCalibration('code:**/*.py', ModelTokenizer.load(stories!), { cwd: dir });
  assert.equal(set.kind, 'code');
  assert.equal(set.sequences.length, 2);
});

test('features: importances, overlap and large-magnitude features match a capture-based reference', { skip: !stories && 'needs stories260K' }, async () => {
  const model = LoadedModel.load(stories!, { threads: 1 });
  const opts = { sequences: 4, length: 48, shots: 2 };
  const run = await runFeatures(model, [{ name: 'fr-en', source: 'mt:fr-en' }, { name: 'fr', source: 'mono:fr' }, { name: 'en', source: 'mono:en' }], { ...opts, overlapK: 0.1, overlapSource: 'linear_inputs', batchTokens: 96 });
  assert.deepEqual(run.settings.map((s) => s.id), ['fr', 'en', 'fr-en']); // mono first
  assert.deepEqual(run.scatterIds, { mt: 'fr-en', mono: 'fr' });
  const { nLayers, dModel } = model.cfg;
  const hooks = ['blocks.*.ln1.hook_normalized', 'blocks.*.attn.hook_z', 'blocks.*.ln2.hook_normalized', 'blocks.*.mlp.hook_post', 'blocks.0.hook_resid_pre', 'blocks.*.hook_resid_post', 'ln_final.hook_normalized'];
  // hidden state index of a hook: 0 = embeddings (resid_pre of block 0), i = resid_post of block i-1, L = after the final norm
  const hiddenIndex = (name: string): number | undefined => {
    if (name === 'blocks.0.hook_resid_pre') return 0;
    if (name === 'ln_final.hook_normalized') return nLayers;
    const m = /^blocks\.(\d+)\.hook_resid_post$/.exec(name);
    return m && Number(m[1]) < nLayers - 1 ? Number(m[1]) + 1 : undefined;
  };
  const kindHook: Record<string, string> = { q: 'ln1.hook_normalized', k: 'ln1.hook_normalized', v: 'ln1.hook_normalized', o: 'attn.hook_z', gate: 'ln2.hook_normalized', up: 'ln2.hook_normalized', down: 'mlp.hook_post' };
  const refImp = new Map<string, number[]>();
  const normSum = new Array<number>((nLayers + 1) * dModel).fill(0);
  let nSeq = 0;
  for (const s of run.settings) {
    const set = await buildCalibration(s.source, model.tokenizer, { ...opts }); // same seed → same sequences
    const sums = new Map<string, number[]>();
    let n = 0;
    for (const ids of set.sequences) {
      const cap = await captureHooks(model, { ids, hooks });
      n += ids.length;
      nSeq++;
      for (const [name, t] of Object.entries(cap)) {
        const w = t.dims[1]!;
        const acc = sums.get(name) ?? new Array<number>(w).fill(0);
        for (let p = 0; p < ids.length; p++) for (let j = 0; j < w; j++) acc[j]! += t.data[p * w + j]! ** 2;
        sums.set(name, acc);
        const hi = hiddenIndex(name);
        if (hi !== undefined) for (let j = 0; j < w; j++) normSum[hi * dModel + j]! += Math.sqrt(Array.from({ length: ids.length }, (_, p) => t.data[p * w + j]! ** 2).reduce((x, y) => x + y, 0));
      }
    }
    assert.equal(s.positions, n);
    for (let layer = 0; layer < nLayers; layer++) {
      for (const kind of run.kinds) {
        const want = sums.get(`blocks.${layer}.${kindHook[kind]}`)!.map((v) => Math.sqrt(v / n));
        const got = run.importance(s.id, layer, kind);
        want.forEach((w, j) => assert.ok(Math.abs(got[j]! - w) <= 1e-5 * Math.max(1, w), `${s.id} L${layer} ${kind}[${j}]: ${got[j]} vs ${w}`));
        refImp.set(`${s.id}/${layer}/${kind}`, want);
      }
    }
  }
  // overlap(A,B) from the reference importances: top/bottom sets by plain sorting; one map per distinct input
  const o = run.analysis.overlap!;
  assert.equal(o.source, 'linear_inputs');
  assert.deepEqual(o.kinds, ['q/k/v', 'o', 'gate/up', 'down']);
  assert.equal(run.analysis.overlapSecond!.source, 'hidden_states');
  assert.deepEqual(run.analysis.overlapSecond!.layers, [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(run.analysis.scatter!.layers.slice(0, 4).map((l) => l.kind), ['q/k/v', 'o', 'gate/up', 'down']);
  const S = o.settings.length;
  for (const [li, layer] of o.layers.entries()) {
    for (const [ki, kinds] of o.kinds.entries()) {
      const kind = kinds.split('/')[0]!;
      for (let a = 0; a < S; a++) {
        for (let b = 0; b < S; b++) {
          const A = refImp.get(`${o.settings[a]!.id}/${layer}/${kind}`)!;
          const B = refImp.get(`${o.settings[b]!.id}/${layer}/${kind}`)!;
          const n = Math.max(1, Math.round(A.length * 0.1));
          const top = A.map((v, j) => [v, j] as const).sort((x, y) => y[0] - x[0] || x[1] - y[1]).slice(0, n).map((x) => x[1]);
          const bottom = new Set(B.map((v, j) => [v, j] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1]).slice(0, n).map((x) => x[1]));
          const want = (100 * top.filter((j) => bottom.has(j)).length) / n;
          assert.ok(Math.abs(o.values[((li * o.kinds.length + ki) * S + a) * S + b]! - want) < 1e-4, `overlap L${layer} ${kind} ${a},${b}`);
        }
      }
    }
  }
  // large-magnitude: mean per-sequence L2 norm, top 20 per hidden state (0 = embeddings … L = after the final norm)
  const lm = run.analysis.largeMagnitude!;
  assert.equal(lm.top, 20);
  assert.equal(lm.nLayers, nLayers + 1);
  for (let layer = 0; layer <= nLayers; layer++) {
    const mean = normSum.slice(layer * dModel, (layer + 1) * dModel).map((v) => v / nSeq);
    const order = mean.map((v, j) => [v, j] as const).sort((x, y) => y[0] - x[0]).slice(0, 20);
    assert.deepEqual([...lm.dims.subarray(layer * 20, layer * 20 + 3)], order.slice(0, 3).map((x) => x[1]));
    order.forEach(([v], r) => assert.ok(Math.abs(lm.norms[layer * 20 + r]! - v) <= 1e-4 * v));
  }
  await model.dispose();
});

test('overlap arithmetic: k is a fraction, set size round(width·k), a hand-checked case', () => {
  assert.equal(setSize(4096, 0.3), 1229); // round(1228.8): 30 % of the features, not 0.3 %
  assert.equal(setSize(256, 0.3), 77); // the default model's d_model
  assert.equal(setSize(10, 0.25), 2); // round(2.5) = 2, Python's rounding
  assert.equal(setSize(2, 0.1), 1); // never empty
  // top-2 of a = {3, 2}; bottom-2 of b = {3, 0} → one shared of two = 50 %
  assert.equal(overlapPercent([0, 1, 2, 3], [0, 5, 6, -1], 0.5), 50);
  assert.equal(overlapPercent([0, 1, 2, 3], [3, 2, 1, 0], 0.5), 100);
});

test('features CLI writes the documented files (four data files, report and figures) with the documented tensor names', { skip: !stories && 'needs stories260K' }, async () => {
  const out = join(tempDir(), 'feat');
  const code = await main(['features', '--model', stories!, '--calibration', 'fr=mono:fr', '--calibration', 'mt:fr-en', '--sequences', '3', '--length', '32', '--out', out, '--threads', '1']);
  assert.equal(code, 0);
  // The four data files, and the report and figures the panel draws (docs/cli.md).
  assert.deepEqual(readdirSync(out).sort(), ['.polyglot-lens-output.json', 'figures', 'importance.safetensors', 'large-magnitude.json', 'overlap.json', 'report.html', 'report.json', 'scatter.json']);
  const names = readSafetensorsHeader(join(out, 'importance.safetensors')).map((e) => e.name);
  assert.equal(names.length, 2 * 5 * 7);
  assert.ok(names.includes('fr-en/blocks.3/gate') && names.includes('fr/blocks.0/q'));
  const ov = JSON.parse(readFileSync(join(out, 'overlap.json'), 'utf8')) as { source: string; k: number; layers: number[]; kinds: string[]; settings: { id: string }[]; values: number[][][][] };
  assert.deepEqual(ov.settings.map((s) => s.id), ['fr', 'fr-en']);
  assert.equal(ov.source, 'hidden_states');
  assert.equal(ov.k, 0.3);
  assert.deepEqual(ov.layers, [0, 1, 2, 3, 4, 5]); // 5 blocks → hidden states 0 (embeddings) … 5 (after the final norm)
  assert.deepEqual(ov.kinds, ['hidden']);
  assert.equal(ov.values.length, 6);
  assert.equal(ov.values[0]!.length, 1);
  const lm = JSON.parse(readFileSync(join(out, 'large-magnitude.json'), 'utf8')) as { hiddenStates: number; all: { hidden: number }[] };
  assert.equal(lm.hiddenStates, 6);
  assert.deepEqual(lm.all.map((x) => x.hidden), [0, 1, 2, 3, 4, 5]);
  const lin = join(tempDir(), 'feat-lin');
  assert.equal(await main(['features', '--model', stories!, '--calibration', 'fr=mono:fr', '--calibration', 'mt:fr-en', '--sequences', '2', '--length', '16', '--out', lin, '--threads', '1', '--overlap-source', 'linear_inputs']), 0);
  const ovl = JSON.parse(readFileSync(join(lin, 'overlap.json'), 'utf8')) as { source: string; kinds: string[]; layers: number[] };
  assert.deepEqual([ovl.source, ovl.kinds, ovl.layers.length], ['linear_inputs', ['q/k/v', 'o', 'gate/up', 'down'], 5]);
  assert.equal(await main(['features', '--model', stories!, '--calibration', 'fr=mono:fr', '--out', join(tempDir(), 'f3'), '--overlap-k', '30']), 1);
  const sc = JSON.parse(readFileSync(join(out, 'scatter.json'), 'utf8')) as { mt: string; mono: string; layers: { x: (number | null)[] }[] };
  assert.deepEqual([sc.mt, sc.mono], ['fr-en', 'fr']);
  const x = sc.layers[0]!.x.filter((v): v is number => v !== null);
  assert.ok(Math.abs(x.reduce((s, v) => s + v, 0) / x.length) < 1e-6); // z-scores have mean 0
  assert.equal(await main(['features', '--model', stories!, '--calibration', 'de=mono:xx', '--out', join(tempDir(), 'f2')]), 1);
});
