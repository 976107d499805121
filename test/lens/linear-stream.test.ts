/**
 * `lens fit` streams its corpus with flat memory (issue #24): the normal equations run on fixed-size
 * chunks of rows (the same graph shapes every run, the last chunk padded with zero rows) and sum to
 * the same X̃ᵀX̃ and X̃ᵀY as the rows taken at once; the corpus is read as the fit goes, not tokenised
 * whole before the first forward.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LoadedModel } from '../../src/engine/model/model';
import { fitLinearLens, NormalEquations } from '../../src/engine/lens/linear';
import type { Corpus, CorpusText } from '../../src/engine/corpus/types';
import { DEFAULT_MODEL } from '../reference/lens-cases';

test('normal equations over chunks of rows (the last padded with zeros) equal X̃ᵀX̃ and X̃ᵀY of all rows at once', async () => {
  const m = LoadedModel.load(DEFAULT_MODEL, { threads: 1 });
  try {
    const L = 2, D = 3, R = 4;
    // Three forwards of 5, 3 and 4 positions; rows 1 and 4 of the first are left out (special tokens).
    const forwards = [5, 3, 4].map((N, f) => Array.from({ length: L + 1 }, (_, l) => Float32Array.from({ length: N * D }, (_, i) => Math.sin(1 + f * 31 + l * 7 + i * 0.37) * (l + 1))));
    const picks = [[0, 2, 3], [0, 1, 2], [0, 1, 2, 3]];
    const eq = new NormalEquations(L, D, R);
    for (const [f, hidden] of forwards.entries()) await eq.addRows(m, hidden, picks[f]!);
    assert.equal(eq.runs, 2, 'two full chunks of 4 rows ran as the rows came');
    await eq.flush(m);
    assert.equal(eq.runs, 3, 'the last 2 rows ran padded to a chunk');
    assert.equal(eq.n, 10);
    // The reference: every picked row at once, in F64.
    const rows = forwards.flatMap((h, f) => picks[f]!.map((r) => h.map((layer) => Array.from(layer.subarray(r * D, (r + 1) * D)))));
    for (let l = 0; l < L; l++) {
      for (let i = 0; i <= D; i++) {
        for (let j = 0; j <= D; j++) {
          const want = rows.reduce((s, x) => s + (i < D ? x[l]![i]! : 1) * (j < D ? x[l]![j]! : 1), 0);
          assert.ok(Math.abs(eq.gram[l]![i * (D + 1) + j]! - want) <= 1e-9 * Math.max(1, Math.abs(want)), `gram[${l}][${i},${j}]`);
        }
        for (let j = 0; j < D; j++) {
          const want = rows.reduce((s, x) => s + (i < D ? x[l]![i]! : 1) * x[L]![j]!, 0);
          assert.ok(Math.abs(eq.cross[l]![i * D + j]! - want) <= 1e-9 * Math.max(1, Math.abs(want)), `cross[${l}][${i},${j}]`);
        }
      }
    }
    const ySum = Array.from({ length: D }, (_, j) => rows.reduce((s, x) => s + x[L]![j]!, 0));
    ySum.forEach((v, j) => assert.ok(Math.abs(eq.ySum[j]! - v) <= 1e-9));
    assert.ok(Math.abs(eq.ySq - rows.reduce((s, x) => s + x[L]!.reduce((t, v) => t + v * v, 0), 0)) <= 1e-9);
  } finally {
    await m.dispose();
  }
});

test('lens fit reads the corpus as it goes: the first forward runs before most of the corpus was read', async () => {
  const m = LoadedModel.load(DEFAULT_MODEL, { threads: 1 });
  const total = 20_000; // texts of ~8 tokens: 160k tokens, ten times the batching window
  let read = 0;
  const words = ['the cat sees the dog', 'a small bird sings', 'the river is long', 'we eat bread today'];
  const corpus: Corpus = {
    name: 'synthetic',
    scan: async () => ({ languages: ['en'], counts: new Map([['en', total]]) }),
    async *texts(): AsyncGenerator<CorpusText> {
      for (let i = 0; i < total; i++) {
        read++;
        yield { lang: 'en', text: `${words[i % words.length]} ${i}.`, where: `synthetic:${i + 1}` };
      }
    },
    parallel: () => {
      throw new Error('not used');
    },
  };
  const stop = new AbortController();
  let readAtFirstForward = -1;
  const runMany = m.runMany.bind(m);
  m.runMany = async (...args: Parameters<typeof m.runMany>) => {
    if (readAtFirstForward < 0) readAtFirstForward = read;
    stop.abort();
    return runMany(...args);
  };
  try {
    await assert.rejects(fitLinearLens(m, corpus, { signal: stop.signal }));
    assert.ok(readAtFirstForward > 0, 'a forward ran');
    assert.ok(readAtFirstForward < total / 5, `the first forward ran after ${readAtFirstForward} of ${total} texts were read`);
    assert.ok(read < total / 5, `${read} of ${total} texts were read when the fit stopped`);
  } finally {
    await m.dispose();
  }
});
