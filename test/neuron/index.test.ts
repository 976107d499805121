/**
 * `neurons index` equals a brute force over captured activations (same examples, same order, ties
 * in corpus order), and is reused or rebuilt as the model and corpus change.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, ROOT } from '../helpers/cli';
import { writeTinyModel } from '../helpers/tiny-model';
import { writeTinyGpt } from '../helpers/tiny-gpt';
import { LoadedModel } from '../../src/engine/model/model';
import type { NeuronExamples } from '../../src/shared/neuron';
import { bruteForceTop } from './helpers';
import { NeuronIndexFile, OFFSETS_FILE } from '../../src/engine/neuron/indexFiles';

const DEFAULT_MODEL = join(ROOT, 'models', 'default');

// Duplicates and shared prefixes make exact ties (same tokens, same values) across texts.
const CORPUS: { lang: string; text: string }[] = [
  { lang: 'fr', text: 'Tous les êtres humains naissent libres.' },
  { lang: 'fr', text: 'Chacun a droit à la vie.' },
  { lang: 'fr', text: 'Tous les êtres humains naissent libres.' },
  { lang: 'fr', text: 'Nul ne sera tenu en esclavage.' },
  { lang: 'en', text: 'All human beings are born free.' },
  { lang: 'en', text: 'Everyone has the right to life.' },
  { lang: 'en', text: 'All human beings are born free and equal in dignity and rights.' },
  { lang: 'en', text: 'No one shall be held in slavery.' },
  { lang: 'en', text: 'Yes.' },
];

function writeCorpus(dir: string, rows = CORPUS): string {
  const file = join(dir, 'corpus.jsonl');
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return file;
}

function readIndex(dir: string): NeuronExamples[] {
  return readFileSync(join(dir, 'top-examples.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as NeuronExamples);
}

async function checkAgainstBruteForce(modelDir: string, batchTokens: string, k: number, minTies = 100): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pl-nidx-'));
  try {
    const corpus = writeCorpus(dir);
    const out = join(dir, 'index');
    const r = cli(['neurons', 'index', '--model', modelDir, '--corpus', corpus, '--top', String(k), '--out', out, '--batch-tokens', batchTokens, '--threads', '1']);
    assert.equal(r.code, 0, r.stderr);
    const model = LoadedModel.load(modelDir, { threads: 1 });
    const want = await bruteForceTop(model, CORPUS.map((c) => c.text), k, Math.min(512, model.cfg.maxPositions));
    const got = readIndex(out);
    // The reader (hovers, `neuron --index`) seeks each neuron's line by its offset.
    const file = NeuronIndexFile.open(out);
    for (const n of [0, 1, got.length - 1, Math.floor(got.length / 2)]) assert.deepEqual(file.examples(got[n]!.layer, got[n]!.index), got[n]!.examples);
    assert.equal(got.length, model.cfg.nLayers * model.cfg.dMlp);
    let ties = 0;
    got.forEach((line, n) => {
      assert.deepEqual([line.layer, line.index], [Math.floor(n / model.cfg.dMlp), n % model.cfg.dMlp]);
      const w = want[n]!;
      assert.deepEqual(
        line.examples.map((e) => [e.text, e.position, e.value]),
        w.map((e) => [e.text, e.position, e.value]),
        `L${line.layer}.N${line.index}`,
      );
      for (let i = 1; i < w.length; i++) if (w[i]!.value === w[i - 1]!.value) ties++;
      for (const e of line.examples) {
        const ids = model.tokenizer.encode(e.text);
        assert.equal(e.token, model.tokenizer.tokenTexts(ids)[e.position]);
        // A byte fragment of a character decodes alone to U+FFFD; whole tokens sit at their offsets,
        // also after an <unk> (the tiny xglm fixture's partial vocabulary makes some), which covers
        // the characters it stands for. A Metaspace token decoded alone loses its leading space.
        if (e.start === null || e.end === null || e.token.includes('\ufffd')) continue;
        const slice = e.text.slice(e.start, e.end);
        if (ids[e.position] === model.tokenizer.unkId) assert.ok(slice.trim() !== '', `<unk> at ${e.position} of ${JSON.stringify(e.text)} covers no text`);
        else assert.equal(slice.trimStart(), e.token.trimStart());
      }
    });
    // The corpus makes ties; the check above is only meaningful if they were there.
    assert.ok(ties > minTies, `only ${ties} tied neighbours`);
    await model.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('neurons index equals a brute force over captures: one text per run (default model)', async () => {
  await checkAgainstBruteForce(DEFAULT_MODEL, '1', 5);
});

test('neurons index equals a brute force over captures: padded batches of several texts (default model)', async () => {
  await checkAgainstBruteForce(DEFAULT_MODEL, '1024', 3);
});

test('neurons index equals a brute force on a tiny random Llama (another shape; K above a run\'s positions)', async () => {
  const tiny = writeTinyModel({ seed: 3 });
  try {
    // "Yes." is 5 byte tokens with BOS, run alone: TopK's k is capped at the run's 5 rows.
    await checkAgainstBruteForce(tiny.dir, '1', 12);
  } finally {
    rmSync(tiny.dir, { recursive: true, force: true });
  }
});

for (const family of ['gpt2', 'bloom', 'xglm'] as const) {
  test(`neurons index equals a brute force on a tiny ${family} (generic hooks, every architecture)`, async () => {
    const tiny = writeTinyGpt({ family, seed: 5 });
    try {
      // No BOS in gpt2's fixture: fewer exact ties (duplicate texts still make some).
      await checkAgainstBruteForce(tiny.dir, '256', 4, 20);
    } finally {
      rmSync(tiny.dir, { recursive: true, force: true });
    }
  });
}

test('neurons index --weights streaming and mapped write the index resident weights write (block by block, batches in groups)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-nidx-'));
  const tiny = writeTinyModel({ seed: 6, dtype: 'BF16', nLayers: 3 });
  try {
    const corpus = writeCorpus(dir);
    const index = (weights: string): string => {
      const out = join(dir, `index-${weights}`);
      // 48 tokens a batch: several batches, which block by block pass each block together.
      const r = cli(['neurons', 'index', '--model', tiny.dir, '--corpus', corpus, '--top', '4', '--out', out, '--batch-tokens', '48', '--threads', '1', '--weights', weights]);
      assert.equal(r.code, 0, r.stderr);
      return readFileSync(join(out, 'top-examples.jsonl'), 'utf8');
    };
    const resident = index('resident');
    assert.equal(index('streaming'), resident);
    assert.equal(index('mapped'), resident);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(tiny.dir, { recursive: true, force: true });
  }
});

test('neurons index is reused while model and corpus are unchanged, rebuilt when either changes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-nidx-'));
  const modelDir = join(dir, 'model');
  mkdirSync(modelDir);
  writeTinyModel({ seed: 4 }, modelDir);
  try {
    const corpus = writeCorpus(dir);
    const out = join(dir, 'index');
    const run = () => {
      const r = cli(['neurons', 'index', '--model', modelDir, '--corpus', corpus, '--top', '2', '--out', out]);
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout) as { reused: boolean; rebuilt?: boolean };
    };
    assert.equal(run().reused, false);
    const first = readFileSync(join(out, 'top-examples.jsonl'), 'utf8');
    assert.equal(run().reused, true);
    writeCorpus(dir, CORPUS.slice(0, 5));
    const changed = run();
    assert.equal(changed.reused, false);
    assert.equal(changed.rebuilt, true);
    assert.equal(run().reused, true);
    assert.notEqual(readFileSync(join(out, 'top-examples.jsonl'), 'utf8'), first);
    writeTinyModel({ seed: 5 }, modelDir);
    const r = run();
    assert.equal(r.reused, false);
    assert.equal(r.rebuilt, true);
    // a folder that is not an index is never replaced
    const other = join(dir, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'keep.txt'), 'mine');
    const bad = cli(['neurons', 'index', '--model', modelDir, '--corpus', corpus, '--out', other]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^polyglot-lens: .*other: exists and is not a neuron index folder/);
    assert.equal(readFileSync(join(other, 'keep.txt'), 'utf8'), 'mine');
    // The shared output policy: never into the model folder.
    const inModel = cli(['neurons', 'index', '--model', modelDir, '--corpus', corpus, '--out', join(modelDir, 'idx')]);
    assert.equal(inModel.code, 1);
    assert.match(inModel.stderr, /idx: is the source model's folder or inside it/);
    // A truncated offsets file is refused with the file's name, not misread.
    writeFileSync(join(out, OFFSETS_FILE), Buffer.alloc(16));
    assert.throws(() => NeuronIndexFile.open(out), /line-offsets\.bin: does not match top-examples\.jsonl/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
