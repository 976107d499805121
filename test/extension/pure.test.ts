import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ActivationAnalysis } from '../../src/shared/analysis';
import { chooseModel } from '../../src/extension/prompt/modelChoice';
import { completionSite } from '../../src/extension/prompt/completionContext';
import { evalCompareTitles, evalLensTitle } from '../../src/extension/prompt/evalLens';
import { neuronHoverMarkdown, tokenAt, tokenHoverMarkdown } from '../../src/extension/prompt/hoverText';
import { splitPrompt } from '../../src/shared/prompt/frontmatter';

test('workspace trust: a prompt\'s model: is refused untrusted, followed trusted', () => {
  const frontmatter = { written: '../m', resolved: '/w/m', promptName: 'a.prompt' };
  const refused = chooseModel({ frontmatter, userSetting: '/u', trusted: false });
  assert.equal(refused.ok, false);
  assert.match((refused as { reason: string }).reason, /^a\.prompt names model "\.\.\/m", but this workspace is not trusted/);
  assert.deepEqual(chooseModel({ frontmatter, trusted: true }), { ok: true, dir: '/w/m', source: 'prompt' });
});

test('workspace trust: the workspace setting is ignored untrusted (user setting or default instead)', () => {
  assert.deepEqual(chooseModel({ workspaceSetting: '/ws', userSetting: '/u', trusted: true }), { ok: true, dir: '/ws', source: 'workspace setting' });
  assert.deepEqual(chooseModel({ workspaceSetting: '/ws', userSetting: '/u', trusted: false }),
    { ok: true, dir: '/u', source: 'user setting', note: 'ignored the workspace\'s polyglotLens.modelPath ("/ws") because the workspace is not trusted' });
  assert.deepEqual(chooseModel({ workspaceSetting: '/ws', trusted: false }).ok && chooseModel({ workspaceSetting: '/ws', trusted: false }), {
    ok: true, dir: undefined, source: 'default model', note: 'ignored the workspace\'s polyglotLens.modelPath ("/ws") because the workspace is not trusted' });
  assert.deepEqual(chooseModel({ userSetting: '  ', trusted: true }), { ok: true, dir: undefined, source: 'default model', note: undefined });
});

test('completion sites in the frontmatter', () => {
  const at = (text: string) => {
    const offset = text.indexOf('|');
    const src = text.replace('|', '');
    return completionSite(src, offset, splitPrompt(src).frontmatter);
  };
  assert.deepEqual(at('---\npol|\n---\nx'), { kind: 'key', scope: 'top', prefix: 'pol' });
  assert.deepEqual(at('---\npolyglot:\n  to|\n---\nx'), { kind: 'key', scope: 'polyglot', prefix: 'to' });
  assert.deepEqual(at('---\npolyglot.pruning:\n  me|\n---\nx'), { kind: 'key', scope: 'pruning', prefix: 'me' });
  assert.deepEqual(at('---\npolyglot:\n  pruning:\n    sp|\n---\nx'), { kind: 'key', scope: 'pruning', prefix: 'sp' });
  assert.deepEqual(at('---\npolyglot.languages: [en, f|]\n---\nx'), { kind: 'language', prefix: 'f' });
  assert.deepEqual(at('---\npolyglot.languages:\n  - j|\n---\nx'), { kind: 'language', prefix: 'j' });
  assert.deepEqual(at('---\npolyglot.corpus: udhr:en,|\n---\nx'), { kind: 'language', prefix: '' });
  assert.deepEqual(at('---\npolyglot.hooks: [blocks|\n---\nx'), { kind: 'hook', prefix: 'blocks' });
  assert.deepEqual(at('---\npolyglot.pruning:\n  method: w|\n---\nx'), { kind: 'enum', values: ['wanda', 'magnitude', 'random', 'prog'], prefix: 'w' });
  assert.equal(at('---\nmodel: x\n---\nHello |'), undefined);
  assert.deepEqual(at('---\npolyglot.eval:\n  mo|\n---\nx'), { kind: 'key', scope: 'eval', prefix: 'mo' });
  assert.deepEqual(at('---\npolyglot:\n  eval:\n    ta|\n---\nx'), { kind: 'key', scope: 'eval', prefix: 'ta' });
  assert.deepEqual(at('---\npolyglot.eval:\n  task: cl|\n---\nx'), { kind: 'enum', values: ['perplexity', 'translate', 'classify'], prefix: 'cl' });
  assert.deepEqual(at('---\npolyglot.eval:\n  metric: ma|\n---\nx'), { kind: 'enum', values: ['perplexity', 'bits_per_char', 'chrf', 'bleu', 'off_target_rate', 'accuracy', 'macro_f1'], prefix: 'ma' });
});

/** 3 tokens × 2 layers × top-2, values chosen so the order is unambiguous. */
const analysis: ActivationAnalysis = {
  model: { dir: '/m', name: 'tiny', nLayers: 2, dMlp: 10 },
  text: 'Hi there',
  tokens: [{ id: 1, text: '<s>', start: null, end: null }, { id: 40, text: 'Hi', start: 0, end: 2 }, { id: 77, text: ' there', start: 2, end: 8 }],
  nLayers: 2,
  topK: 2,
  // [pos][layer][rank]
  topIndex: Int32Array.from([0, 1, 2, 3, /* pos 1 */ 5, 6, 7, 5, /* pos 2 */ 7, 9, 7, 8]),
  topValue: Float32Array.from([0.1, 0.05, 0.2, 0.1, /* pos 1 */ 1.5, 0.25, 2.5, 0.75, /* pos 2 */ 0.5, 0.25, 3, 1]),
  generated: { ids: [], text: '' },
  languageProfiles: { languages: ['en', 'fr'], neurons: { 'L1.N7': { p: [0.9, 0.1], lape: 0.325, specificTo: ['en'] } } },
};

test('token hover: text, id and the strongest neurons over all layers', () => {
  assert.equal(tokenAt(analysis, 3), 2);
  assert.equal(tokenAt(analysis, 8), -1);
  assert.equal(tokenHoverMarkdown(analysis, 1, 3), [
    '**Token 1** `"Hi"` · id 40', '', '| neuron | activation |', '|---|---|',
    '| L1.N7 | 2.500 |', '| L0.N5 | 1.500 |', '| L1.N5 | 0.750 |', '', '_tiny, top 3 of 2×2 (hook_post)_',
  ].join('\n'));
});

test('neuron hover: activation per token where it is in the top-k, and its language profile', () => {
  assert.equal(neuronHoverMarkdown(analysis, 1, 7), [
    '**L1.N7** in tiny', '', '| pos | token | activation | rank |', '|---|---|---|---|',
    '| 1 | `"Hi"` | 2.500 | 1 |', '| 2 | `" there"` | 3.000 | 1 |', '',
    'Language profile (activation probability): en 0.90 · fr 0.10', 'LAPE 0.325 · specific to en',
  ].join('\n'));
  assert.equal(neuronHoverMarkdown(analysis, 0, 4), '**L0.N4** in tiny\n\nNot in the top 2 of any token of the last analysis.');
  assert.equal(neuronHoverMarkdown(analysis, 2, 0), '**L2.N0** does not exist in tiny (2 layers × 10 neurons).');
});

test('package.json declares exactly the commands commands.ts registers, each with a title', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { contributes: { commands: { command: string; title: string }[] } };
  const table = readFileSync('src/extension/commands.ts', 'utf8');
  const registered = [...table.matchAll(/^\s+'(polyglotLens\.\w+)':/gm)].map((m) => m[1]).sort();
  assert.deepEqual(pkg.contributes.commands.map((c) => c.command).sort(), registered);
  assert.ok(registered.length >= 15, 'the table regex found every command');
});

test('polyglot.eval CodeLens: what Evaluate runs, and one Compare per listed variant (at most three)', () => {
  assert.equal(evalLensTitle({ tasks: ['classify'] }), '$(graph) Evaluate: classify · 1 model');
  assert.equal(evalLensTitle({ tasks: ['perplexity', 'translate'], models: ['default', 'default@lrp2:fr'] }), '$(graph) Evaluate: perplexity + translate · 2 models');
  const models = ['default', 'a@magnitude:0.3', 'default@lrp2:fr', 'x', 'b@random:0.5', 'c@random:0.2'];
  assert.deepEqual(evalCompareTitles({ tasks: ['classify'], models }).map((c) => c.model), ['a@magnitude:0.3', 'default@lrp2:fr', 'b@random:0.5']);
  assert.deepEqual(evalCompareTitles({ tasks: ['classify'] }), []);
});
