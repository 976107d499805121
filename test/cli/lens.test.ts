/** The `lens` commands' contract (docs/cli.md): JSON shape, files written, bad input. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertOneLineError, cli, ROOT } from '../helpers/cli';
import { LoadedModel } from '../../src/engine/model/model';
import { runLens } from '../../src/engine/lens/run';

const DEV = 'examples/eval/toyworld/dev.jsonl';
const PROMPT = 'French: Le chat voit le chien.</s>English:';

interface LensJson {
  model: string;
  lens: string;
  tokens: { id: number; text: string }[];
  k: number;
  languages: string[];
  targets: { text: string; ids: number[] }[];
  layers: { layer: number; top: { id: number; token: string; p: number }[][]; entropy: number[]; targets: Record<string, number>; languageMass?: Record<string, number> }[];
}

test('lens --prompt --json: per layer the top-K {id, token, p} per position and each target\'s probability at the last position', async () => {
  const r = cli(['lens', '--prompt', PROMPT, '--top', '3', '--targets', 'The,Le', '--languages', DEV, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as LensJson;
  assert.equal(j.lens, 'logit');
  assert.equal(j.layers.length, 7);
  assert.deepEqual(j.languages, ['en', 'fr', 'de', 'ru', 'ja', 'zh', 'ar', 'hi', 'unknown']);
  const T = j.tokens.length;
  const m = LoadedModel.load(join(ROOT, 'models', 'default'), { threads: 1 });
  const e = await runLens(m, { text: PROMPT, k: 3, targets: ['The', 'Le'] });
  assert.deepEqual(j.tokens.map((t) => t.id), e.tokens.map((t) => t.id));
  for (const L of j.layers) {
    assert.deepEqual(Object.keys(L), ['layer', 'top', 'entropy', 'targets', 'languageMass']);
    assert.equal(L.top.length, T);
    for (const [t, cell] of L.top.entries()) {
      assert.equal(cell.length, 3);
      cell.forEach((x, rank) => {
        assert.deepEqual(Object.keys(x), ['id', 'token', 'p']);
        assert.equal(x.id, e.lenses[0]!.topIds[(L.layer * T + t) * 3 + rank]);
        if (rank > 0) assert.ok(x.p <= cell[rank - 1]!.p);
      });
    }
    for (const [i, name] of ['The', 'Le'].entries()) {
      const p = e.lenses[0]!.targets[i]!.p[L.layer * T + T - 1]!;
      assert.ok(Math.abs(L.targets[name]! - p) <= 1e-5 * Math.max(p, 1e-30), `${name} at layer ${L.layer}`);
    }
    const mass = Object.values(L.languageMass!).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(mass - 1) < 1e-4, `mass sums to ${mass}`);
  }
  // At the last layer the model continues the translation in English: " The" leads.
  assert.equal(j.layers[6]!.top[T - 1]![0]!.token, ' The');
  assert.ok(j.layers[6]!.targets.The! > 0.5);
  await m.dispose();
});

test('lens fit, then lens --lens linear: the fit is reused from its folder; its last layer is the logit lens\'s', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-lens-fit-'));
  try {
    const fit = cli(['lens', 'fit', '--corpus', DEV, '--languages', 'en,fr', '--out', join(dir, 'fit')]);
    assert.equal(fit.code, 0, fit.stderr);
    const info = JSON.parse(fit.stdout) as { positions: number; r2: number[]; file: string };
    assert.equal(info.r2.length, 6);
    assert.ok(info.r2.every((x) => x > 0 && x < 1));
    assert.deepEqual(readdirSync(join(dir, 'fit')).sort(), ['.polyglot-lens-output.json', 'fit.json', 'linear-lens.safetensors']);
    const lin = JSON.parse(cli(['lens', '--prompt', PROMPT, '--top', '2', '--lens', 'linear', '--linear', join(dir, 'fit'), '--languages', 'none', '--json']).stdout) as LensJson;
    const log = JSON.parse(cli(['lens', '--prompt', PROMPT, '--top', '2', '--languages', 'none', '--json']).stdout) as LensJson;
    assert.equal(lin.lens, 'linear');
    assert.deepEqual(lin.layers[6]!.top, log.layers[6]!.top);
    assert.notDeepEqual(lin.layers[1]!.top, log.layers[1]!.top);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('lens fit --layers-per-pass 4: two passes over the corpus, the same file as one pass; 0 is refused in one line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-lens-fit-groups-'));
  try {
    const one = cli(['lens', 'fit', '--corpus', DEV, '--languages', 'en,fr', '--out', join(dir, 'one')]);
    const two = cli(['lens', 'fit', '--corpus', DEV, '--languages', 'en,fr', '--layers-per-pass', '4', '--out', join(dir, 'two')]);
    assert.equal(two.code, 0, two.stderr);
    assert.equal((JSON.parse(one.stdout) as { passes: number }).passes, 1);
    assert.equal((JSON.parse(two.stdout) as { passes: number }).passes, 2);
    assert.ok(readFileSync(join(dir, 'two', 'linear-lens.safetensors')).equals(readFileSync(join(dir, 'one', 'linear-lens.safetensors'))));
    const bad = cli(['lens', 'fit', '--corpus', DEV, '--layers-per-pass', '0', '--out', join(dir, 'bad')]);
    assertOneLineError(bad, /--layers-per-pass/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('lens languages writes a profile folder that --languages reuses; lens build and lens --dataset write their files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-lens-cli-'));
  try {
    const lang = cli(['lens', 'languages', '--corpus', DEV, '--out', join(dir, 'langs')]);
    assert.equal(lang.code, 0, lang.stderr);
    const s = JSON.parse(lang.stdout) as { languages: string[]; rows: Record<string, number> };
    assert.equal(s.languages.length, 8);
    assert.equal(s.rows.counts + s.rows.case + s.rows.script + s.rows.unknown, 4096);
    // A `neurons` folder: the profile of the corpus its LAPE run read.
    assert.equal(cli(['neurons', '--corpus', 'udhr:en,fr', '--max-tokens-per-lang', '300', '--out', join(dir, 'lape')]).code, 0);
    const viaLape = JSON.parse(cli(['lens', '--prompt', PROMPT, '--top', '1', '--languages', join(dir, 'lape'), '--json']).stdout) as LensJson;
    assert.deepEqual(viaLape.languages, ['en', 'fr', 'unknown']);
    const items = join(dir, 'items.jsonl');
    const b = cli(['lens', 'build', '--words', 'examples/lens/toyworld-words.jsonl', '--task', 'translate', '--src', 'fr', '--tgt', 'ja', '--shots', '2', '--format', 'polyglot', '--out', items]);
    assert.equal(b.code, 0, b.stderr);
    assert.equal((JSON.parse(b.stdout) as { items: number }).items, 36);
    assertOneLineError(cli(['lens', 'build', '--words', 'examples/lens/toyworld-words.jsonl', '--task', 'repeat', '--tgt', 'ja', '--out', items]), /already exists/);
    assert.equal(cli(['lens', 'build', '--words', 'examples/lens/toyworld-words.jsonl', '--task', 'repeat', '--tgt', 'ja', '--out', items, '--overwrite']).code, 0);
    const out = join(dir, 'run');
    const d = cli(['lens', '--dataset', items, '--out', out, '--languages', join(dir, 'langs'), '--resamples', '100']);
    assert.equal(d.code, 0, d.stderr);
    const res = JSON.parse(d.stdout) as { items: number; targets: string[]; overtakes: number | null };
    assert.equal(res.items, 36);
    assert.deepEqual(res.targets, ['ja']);
    assert.deepEqual(readdirSync(out).sort(), ['.polyglot-lens-output.json', 'items.jsonl', 'lens.csv', 'lens.json', 'report.html', 'report.json']);
    const csv = readFileSync(join(out, 'lens.csv'), 'utf8').trim().split('\n');
    assert.equal(csv[0], 'layer,series,language,mean,lo,hi');
    // ja and en answers (repeat: no source), 8 languages + unknown of mass, 7 layers each.
    assert.equal(csv.length - 1, (2 + 9) * 7);
    assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /"lensDataset"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('lens: bad input is one line naming the option or file, and nothing is written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-lens-bad-'));
  try {
    assertOneLineError(cli(['lens', '--prompt', 'x', '--lens', 'linear', '--json']), /--lens: linear needs --linear DIR/);
    assertOneLineError(cli(['lens', '--prompt', 'x', '--lens', 'tuned']), /--lens: must be logit or linear/);
    assertOneLineError(cli(['lens', '--prompt', 'x', '--top', '0']), /--top: must be an integer ≥ 1/);
    assertOneLineError(cli(['lens', '--prompt', 'x', '--linear', join(dir, 'nope')]), /nope: not found/);
    assertOneLineError(cli(['lens', '--dataset', join(dir, 'missing.jsonl'), '--out', join(dir, 'o')]), /missing\.jsonl: items file not found/);
    assertOneLineError(cli(['lens', '--prompt', 'x', '--out', join(ROOT, 'examples')]), /output folder already exists/);
    assertOneLineError(cli(['lens', 'build', '--words', 'examples/lens/toyworld-words.jsonl', '--task', 'guess', '--tgt', 'ja', '--out', join(dir, 'i.jsonl')]), /--task: must be one of translate, repeat, cloze/);
    assert.ok(!existsSync(join(dir, 'o')) && !existsSync(join(dir, 'i.jsonl')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
