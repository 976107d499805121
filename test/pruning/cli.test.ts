// `polyglot-lens prune`: a loadable checkpoint and a JSON summary; every bad input is one line on
// stderr, exit 1, and nothing written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { LoadedModel } from '../../src/engine/model/model';
import { calibrationHash } from '../../src/engine/pruning';
import { STORIES, TEXTS, CODE_TEXTS } from './reference';

const skip = existsSync(STORIES) ? false : 'stories260K not found';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  // Only strings are ours: the test runner's own reporting goes through stdout as Buffers.
  const grab = (buf: string[], orig: typeof process.stdout.write) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => (typeof chunk === 'string' ? (buf.push(chunk), true) : (orig as (...a: unknown[]) => boolean)(chunk, ...rest))) as typeof process.stdout.write;
  process.stdout.write = grab(out, o);
  process.stderr.write = grab(err, e);
  try {
    const code = await main([...args, '--threads', '1']);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

test('prune wanda from a JSONL file and prog from text + code sources', { skip }, async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'prune-cli-'));
  try {
    const jsonl = join(tmp, 'cal.jsonl');
    writeFileSync(jsonl, TEXTS.map((text) => JSON.stringify({ text })).join('\n') + '\n');
    const r = await cli(['prune', '--model', STORIES, '--method', 'wanda', '--sparsity', '0.5', '--calibration', jsonl, '--mode', 'oneshot', '--out', join(tmp, 'w')]);
    assert.equal(r.code, 0, r.err);
    const s = JSON.parse(r.out);
    assert.equal(s.method, 'wanda');
    assert.equal(s.mode, 'oneshot');
    assert.equal(s.achievedSparsity, 0.5);
    assert.deepEqual(s.achievedByKind, { q: 0.5, k: 0.5, v: 0.5, o: 0.5, gate: 0.5, up: 0.5, down: 0.5 });
    const tok = LoadedModel.load(STORIES).tokenizer;
    assert.equal(s.calibration.calibration.sha256, calibrationHash(TEXTS.map((t) => tok.encode(t))));
    const rec = JSON.parse(readFileSync(join(tmp, 'w', 'pruning.json'), 'utf8'));
    assert.equal(rec.calibration.calibration.source, jsonl);
    const m = LoadedModel.load(join(tmp, 'w'));
    assert.equal(m.info.parameterCount, LoadedModel.load(STORIES).info.parameterCount);
    await m.dispose();

    mkdirSync(join(tmp, 'src'));
    CODE_TEXTS.forEach((c, i) => writeFileSync(join(tmp, 'src', `f${i}.js`), c));
    const txt = join(tmp, 'mt.txt');
    writeFileSync(txt, TEXTS.join('\n'));
    process.chdir(tmp);
    const p = await cli(['prune', '--model', STORIES, '--method', 'prog', '--nm', '2:4', '--calibration', txt, '--code-calibration', 'code:src/*.js', '--out', join(tmp, 'p')]);
    assert.equal(p.code, 0, p.err);
    const ps = JSON.parse(p.out);
    assert.equal(ps.nm, '2:4');
    assert.equal(ps.targetSparsity, 0.5);
    assert.equal(ps.calibration.translation.source, txt);
    assert.equal(ps.calibration.code.source, 'code:src/*.js');
    assert.equal(ps.calibration.code.sequences, 2);
  } finally {
    process.chdir('/');
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('bad inputs: one line, exit 1, nothing written', { skip }, async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'prune-cli-bad-'));
  try {
    const jsonl = join(tmp, 'cal.jsonl');
    writeFileSync(jsonl, `${JSON.stringify({ text: 'Once upon a time' })}\n`);
    const empty = join(tmp, 'empty.jsonl');
    writeFileSync(empty, '');
    mkdirSync(join(tmp, 'exists'));
    const out = join(tmp, 'out');
    const base = ['prune', '--model', STORIES, '--out', out];
    const cases: [string[], RegExp][] = [
      [['--method', 'wanda', '--sparsity', '0', '--calibration', jsonl], /^polyglot-lens: --sparsity: must be a number strictly between 0 and 1, got 0$/],
      [['--method', 'wanda', '--sparsity', '1.5', '--calibration', jsonl], /^polyglot-lens: --sparsity: must be a number strictly between 0 and 1, got 1.5$/],
      [['--method', 'magnitude', '--nm', '4:8'], /^polyglot-lens: nm: M=8 does not divide d_in 172 of model.layers.0.mlp.down_proj.weight$/],
      [['--method', 'magnitude', '--nm', '2-4'], /^polyglot-lens: --nm: expected N:M such as 2:4/],
      [['--method', 'wanda', '--sparsity', '0.5', '--calibration', empty], /empty calibration set/],
      [['--method', 'wanda', '--sparsity', '0.5', '--calibration', 'mono:ab'], /^polyglot-lens: udhr:ab: no translation for language code "ab"/],
      [['--method', 'wanda', '--sparsity', '0.5'], /^polyglot-lens: --calibration: wanda needs a calibration source/],
      [['--method', 'prog', '--sparsity', '0.5', '--calibration', jsonl], /^polyglot-lens: --code-calibration: prog needs a code calibration source/],
      [['--method', 'lottery', '--sparsity', '0.5'], /^polyglot-lens: --method: must be one of wanda, magnitude, random, prog/],
      [['--method', 'magnitude'], /^polyglot-lens: --sparsity: is required \(or give --nm\)$/],
    ];
    for (const [args, re] of cases) {
      const r = await cli([...base, ...args]);
      assert.equal(r.code, 1, args.join(' '));
      assert.match(r.err.trimEnd(), re);
      assert.equal(r.err.trimEnd().split('\n').length, 1, r.err);
    }
    const ex = await cli(['prune', '--model', STORIES, '--method', 'magnitude', '--sparsity', '0.5', '--out', join(tmp, 'exists')]);
    assert.match(ex.err, /exists: output folder already exists/);
    const src = await cli(['prune', '--model', STORIES, '--method', 'magnitude', '--sparsity', '0.5', '--out', join(STORIES, 'pruned')]);
    assert.match(src.err, /is the source model's folder or inside it/);
    assert.deepEqual(readdirSync(tmp).sort(), ['cal.jsonl', 'empty.jsonl', 'exists']);
    assert.deepEqual(readdirSync(join(tmp, 'exists')), []);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
