/**
 * `eval` and `sweep` with `--shard i/N`, through the real CLI: N shard processes then `merge` write
 * the files one run writes (results.csv/.md/.tex byte for byte; results.json and report.html equal
 * apart from the run's time stamp and items per second), a finished shard is reused on a rerun,
 * and merge refuses gaps, duplicates, other models, other data and other settings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliOk, cliRefused, cliShards } from '../helpers/cli';
import { tempDir } from '../lape/helpers';
import { writeTinyModel } from '../helpers/tiny-model';
import { parseRecords, recordsJson } from '../../src/engine/shard/partial';

const ok = cliOk;
const refused = cliRefused;
const shards = cliShards;

/** results.json without the facts every run differs in (its time stamp, items per second). */
function resultsJson(dir: string): unknown {
  const j = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { createdAt?: string; results: { itemsPerSecond?: number }[] };
  delete j.createdAt;
  for (const r of j.results) delete r.itemsPerSecond;
  return j;
}

function sameResults(one: string, merged: string): void {
  for (const f of ['results.csv', 'results.md', 'results.tex']) assert.ok(readFileSync(join(one, f)).equals(readFileSync(join(merged, f))), f);
  assert.deepEqual(resultsJson(merged), resultsJson(one));
  const page = (d: string): string => readFileSync(join(d, 'report.html'), 'utf8').replace(/(polyglot-lens \w+), [0-9TZ:.-]+/, '$1');
  assert.equal(page(merged), page(one));
}

// All three task kinds on the default model: perplexity batches, classification items, translations.
const EVAL = ['eval', '--models', 'default,default@magnitude:0.3', '--task', 'perplexity,classify,translate', '--languages', 'en,fr,de', '--pairs', 'fr-en', '--limit', '4', '--max-new-tokens', '6', '--resamples', '200', '--significance', 'two-sided', '--threads', '1'];

let dir = '';
let parts: string[] = [];

test('eval: 3 shard processes then merge give the files of one run (p-values and intervals computed after the merge)', () => {
  dir = tempDir();
  ok([...EVAL, '--out', join(dir, 'one')]);
  parts = shards(dir, EVAL, 3);
  // Listing order does not matter.
  const m = ok(['merge', parts[1]!, parts[2]!, parts[0]!, '--out', join(dir, 'merged')]);
  assert.equal(m.kind, 'eval');
  sameResults(join(dir, 'one'), join(dir, 'merged'));
  const json = JSON.parse(readFileSync(join(dir, 'merged', 'results.json'), 'utf8')) as { pValues: { ciDelta: [number, number] | null[] }[]; intervals: { ci: [number, number] | null[] }[] };
  const ordered = (ci: [number, number] | null[]): boolean => ci[0] === null || (ci[0] as number) <= (ci[1] as number);
  assert.ok(json.pValues.length > 0 && json.pValues.every((p) => ordered(p.ciDelta)));
  assert.ok(json.intervals.length > 0 && json.intervals.every((x) => ordered(x.ci)));
  // The shards really split every task: each scored part of the items, together all of them once.
  const items = parts.map((p) => JSON.parse(readFileSync(join(p, 'partial.json'), 'utf8')) as { scalars: Record<string, number> });
  const counts = (key: string): number[] => items.map((x) => x.scalars[key]!);
  assert.deepEqual(counts('items/default/classify/en'), [2, 2, 2]);
  assert.deepEqual(counts('items/default@magnitude:0.3/translate/fr-en').sort(), [1, 1, 2]);
  // Perplexity splits by batch, as one run batches the texts (here 4 texts in 2 batches of 2).
  assert.deepEqual(counts('items/default/perplexity/fr').sort(), [0, 2, 2]);
});

test('eval: a finished shard is reused on a rerun; another job into its folder is refused without --overwrite', () => {
  assert.equal(parts.length, 3, 'runs after the first test');
  const before = readFileSync(join(parts[1]!, 'partial-records.json'));
  const again = ok([...EVAL, '--shard', '1/3', '--out', parts[1]!]);
  assert.equal(again.reused, true);
  assert.ok(readFileSync(join(parts[1]!, 'partial-records.json')).equals(before));
  refused([...EVAL, '--shard', '2/3', '--out', parts[1]!], /p1: already exists and is not this shard's finished partial \(it holds shard 1\/3\); choose a new --out, or --overwrite/);
});

test('eval merge refuses a gap, a duplicate, other models and other settings; writes nothing', () => {
  assert.equal(parts.length, 3, 'runs after the first test');
  const [p0, p1, p2] = parts as [string, string, string];
  const out = join(dir, 'refused');
  refused(['merge', p0, p2, '--out', out], /^polyglot-lens: merge: incomplete set: shard 1\/3 missing \(got 2 of 3\)$/);
  refused(['merge', p0, p1, p1, p2, '--out', out], /p1: shard 1\/3 is given twice/);
  // Shard 1 of 3 of other jobs, in place of this job's shard 1.
  const models = join(tempDir(), 'q1');
  ok([...EVAL.map((a) => (a === 'default,default@magnitude:0.3' ? 'default,default@magnitude:0.5' : a)), '--shard', '1/3', '--out', models]);
  refused(['merge', p0, models, p2, '--out', out], /computed with a different model than .*p0/);
  const settings = join(tempDir(), 'q1');
  ok([...EVAL.map((a) => (a === '200' ? '100' : a)), '--shard', '1/3', '--out', settings]);
  refused(['merge', p0, settings, p2, '--out', out], /settings differ from .*p0: bootstrap \{"resamples":100,"seed":12345\} vs \{"resamples":200,"seed":12345\}/);
  assert.deepEqual(readdirSync(dir).filter((f) => f.includes('refused')), []);
});

test('eval merge refuses shards that read other data under the same settings (a corpus file edited between shards)', () => {
  const d = tempDir();
  const corpus = join(d, 'c.jsonl');
  const write = (last: string): void => writeFileSync(corpus, ['{"lang":"en","text":"the cat sat on the mat"}', '{"lang":"en","text":"a dog ran in the park"}', `{"lang":"en","text":"${last}"}`].join('\n') + '\n');
  const base = ['eval', '--models', 'default', '--task', 'perplexity', '--corpus', corpus, '--resamples', '50', '--threads', '1'];
  write('birds sing at dawn');
  const a = shards(join(d), base, 2);
  write('fish swim in the sea');
  ok([...base, '--shard', '1/2', '--out', join(d, 'q1')]);
  refused(['merge', a[0]!, join(d, 'q1'), '--out', join(d, 'm')], /read a different corpus than .*p0/);
  // The rerun of a finished shard checks the data too: it recomputes instead of reusing (with --overwrite).
  const r = ok([...base, '--shard', '0/2', '--out', a[0]!, '--overwrite']);
  assert.equal(r.reused, false);
  ok(['merge', a[0]!, join(d, 'q1'), '--out', join(d, 'm')]);
});

test('sweep: shards then merge equal one sweep run, and the merged folder resumes as a sweep (every cell reused)', () => {
  const tiny = writeTinyModel({ seed: 5 });
  const d = tempDir();
  const corpus = join(d, 'c.jsonl');
  writeFileSync(corpus, ['{"lang":"en","text":"hello there"}', '{"lang":"en","text":"good morning to you"}', '{"lang":"fr","text":"bonjour à tous"}', '{"lang":"fr","text":"merci beaucoup"}', '{"lang":"fr","text":"à demain"}'].join('\n') + '\n');
  const base = ['sweep', '--model', tiny.dir, '--methods', 'magnitude,random', '--sparsities', '0.3,0.6', '--task', 'perplexity', '--corpus', corpus, '--resamples', '100', '--threads', '1'];
  ok([...base, '--out', join(d, 'one')]);
  const p = shards(d, base, 4);
  ok(['merge', ...p, '--out', join(d, 'merged')]);
  sameResults(join(d, 'one'), join(d, 'merged'));
  assert.equal(readFileSync(join(d, 'merged', 'sweep.json'), 'utf8'), readFileSync(join(d, 'one', 'sweep.json'), 'utf8'));
  assert.deepEqual(readdirSync(join(d, 'merged', 'cells')).sort(), readdirSync(join(d, 'one', 'cells')).sort());
  const resumed = ok([...base, '--out', join(d, 'merged')]);
  assert.deepEqual([resumed.computed, resumed.reused], [0, 5]);
  assert.ok(readFileSync(join(d, 'merged', 'results.csv')).equals(readFileSync(join(d, 'one', 'results.csv'))));
});

test('partial records keep the numbers JSON has no words for (NaN, ±Infinity, −0)', () => {
  const back = parseRecords(recordsJson({ s: [NaN, Infinity, -Infinity, -0, 0, 1.5e-300], o: { nonFinite: 'NaN', extra: 1 } })) as { s: number[]; o: unknown };
  assert.ok(Number.isNaN(back.s[0]));
  assert.deepEqual(back.s.slice(1), [Infinity, -Infinity, -0, 0, 1.5e-300]);
  assert.ok(Object.is(back.s[3], -0));
  assert.deepEqual(back.o, { nonFinite: 'NaN', extra: 1 });
});

test('eval with MODEL@lrp2 (per-language shifts): shards then merge equal one run', () => {
  const d = tempDir();
  const base = ['eval', '--models', 'default,default@lrp2', '--task', 'perplexity', '--languages', 'en,fr', '--limit', '4', '--resamples', '50', '--threads', '1'];
  ok([...base, '--out', join(d, 'one')]);
  const p = shards(d, base, 2);
  ok(['merge', ...p, '--out', join(d, 'merged')]);
  sameResults(join(d, 'one'), join(d, 'merged'));
});
