/**
 * The editor side of the studies: the engine-process methods answer the same sections the CLI
 * report has, the studies/show message validates them, and a summary row's failing outputs are
 * the ones the report lists.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { HANDLERS, type EngineState } from '../../src/engine/worker/handlers';
import { isHostToWebviewMessage } from '../../src/shared/protocol';
import { failuresOf, type InstructionOutput } from '../../src/shared/studies';
import { toWire } from '../../src/shared/wire';
import { ROOT } from '../helpers/cli';

const EX = join(ROOT, 'examples', 'studies');

test('studies/bias and studies/instructions on the default model: sections the Studies panel accepts', async () => {
  const s: EngineState = { threads: 1, cacheDir: mkdtempSync(join(tmpdir(), 'pl-cache-')), log: () => {} };
  await HANDLERS['engine/load'](s, {}, {});
  const fractions: number[] = [];
  const bias = await HANDLERS['studies/bias'](s, { file: join(EX, 'quality.prompt'), dataset: join(EX, 'quality.jsonl'), limit: 3, ranges: [{ min: 1, max: 5 }, { min: 0, max: 9 }] }, { onProgress: (p) => fractions.push(p.fraction) });
  assert.deepEqual(bias.sections.map((x) => x.kind), ['scoreHistograms', 'scoreHistograms', 'table', 'table']);
  // A variant of the loaded model as the second model (@SPEC), as the editor's "Also score a variant…" sends it.
  const pair = await HANDLERS['studies/bias'](s, { file: join(EX, 'mtqe.prompt'), dataset: join(EX, 'mtqe.jsonl'), limit: 12, ranges: [{ min: 1, max: 5 }], compareWith: ['@magnitude:0.3'] }, {});
  assert.deepEqual(pair.metrics.map((m) => m.model), ['default', 'default@magnitude:0.3']);
  const table = pair.sections.find((x) => x.kind === 'table')!;
  assert.ok(table.kind === 'table' && table.data.columns[0] === 'pair' && table.data.rows[0]![0] === 'en-fr' && table.data.rows[0]![1] === 'default@magnitude:0.3');
  assert.equal(s.model!.variants.size, 0, 'the variant built for the job is removed again');
  assert.deepEqual(bias.metrics.map((m) => m.range), ['1-5', '0-9']);
  assert.ok(fractions.length >= 6 && Math.max(...fractions) <= 1 && fractions.at(-1) === 1);
  assert.ok(isHostToWebviewMessage({ type: 'studies/show', title: bias.title, sections: toWire(bias.sections) }));

  const instr = await HANDLERS['studies/instructions'](s, { file: join(EX, 'rights.fr.prompt'), dataset: join(EX, 'rights-fr.jsonl'), limit: 2 }, {});
  assert.deepEqual(instr.sections.map((x) => x.kind), ['table', 'table', 'table', 'table', 'table', 'instructionResults', 'languageNeurons']);
  assert.deepEqual([...new Set(instr.summaries.map((x) => x.variant))], ['en', 'fr', 'mt'], 'opened from a variant file, the whole task is compared');
  assert.ok(isHostToWebviewMessage({ type: 'studies/show', title: instr.title, sections: toWire(instr.sections) }));
  await s.model?.dispose();
});

test('studies/show rejects sections of unknown kinds or without data', () => {
  assert.equal(isHostToWebviewMessage({ type: 'studies/show', title: 't', sections: [{ kind: 'script', title: 'x', data: {} }] }), false);
  assert.equal(isHostToWebviewMessage({ type: 'studies/show', title: 't', sections: [{ kind: 'table', title: 'x' }] }), false);
  assert.equal(isHostToWebviewMessage({ type: 'studies/show', sections: [] }), false);
});

test('a summary row lists its failures and off-target answers; "all" pools the languages', () => {
  const o = (variant: string, lang: string, outcome: InstructionOutput['outcome'], offTarget: boolean | null) => ({ variant, lang, outcome, offTarget });
  const outs = [o('en', 'fr', 'correct', false), o('en', 'fr', 'failure', null), o('en', 'de', 'correct', true), o('fr', 'fr', 'failure', false)];
  assert.deepEqual(failuresOf(outs, 'en', 'fr'), [outs[1]]);
  assert.deepEqual(failuresOf(outs, 'en', 'all'), [outs[1], outs[2]]);
  assert.deepEqual(failuresOf(outs, 'fr', 'all'), [outs[3]]);
});
