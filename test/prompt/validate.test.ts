import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Dotprompt } from 'dotprompt';
import { parsePrompt } from '../../src/shared/prompt/parse';
import { POLYGLOT_KEYS } from '../../src/shared/prompt/keys';
import { nodePromptHost } from '../../src/engine/io/nodePromptHost';
import { folderWith, show, STORIES260K } from './helpers';

const diags = (src: string, path?: string) => {
  const { doc } = parsePrompt(src, path ? { host: nodePromptHost(path), fileName: path } : {});
  return doc.diagnostics.map((d) => show(src, d));
};

test('a valid file has no diagnostics and typed settings, in both spellings', () => {
  const dotted = [
    '---',
    'polyglot.languages: [en, fr]',
    'polyglot.topK: 8',
    'polyglot.pruning: {enabled: true, method: wanda, sparsity: 0.5, mode: oneshot, seed: 3, nm: "2:4", calibration: "udhr:fr"}',
    'polyglot.deactivate: [L0.N3, L2.N17]',
    'polyglot.hooks: [blocks.*.mlp.hook_post, logits]',
    'polyglot.corpus: udhr:en,fr,ja',
    'polyglot.examples:',
    '  - text: Bonjour',
    'config: {maxOutputTokens: 16, temperature: 0}',
    'input: {default: {text: Salut}}',
    '---',
    '{{text}}',
  ].join('\n');
  const nested = dotted.replace(/^polyglot\./gm, '  ').replace('---\n', '---\npolyglot:\n').replace('\n    - text', '\n    - text');
  for (const src of [dotted, nested.replace('  examples:\n  - text', '  examples:\n    - text')]) {
    const { doc } = parsePrompt(src);
    assert.deepEqual(doc.diagnostics, [], src);
    assert.deepEqual(doc.metadata.polyglot, {
      languages: ['en', 'fr'],
      topK: 8,
      pruning: { enabled: true, method: 'wanda', sparsity: 0.5, mode: 'oneshot', seed: 3, nm: { n: 2, m: 4 }, calibration: 'udhr:fr' },
      deactivate: { kind: 'neurons', neurons: [{ layer: 0, index: 3 }, { layer: 2, index: 17 }] },
      hooks: ['blocks.*.mlp.hook_post', 'logits'],
      corpus: 'udhr:en,fr,ja',
      examples: [{ text: 'Bonjour' }],
    });
    assert.deepEqual(doc.metadata.config, { maxOutputTokens: 16, temperature: 0 });
    assert.deepEqual(doc.metadata.input.default, { text: 'Salut' });
  }
});

test('namespaced keys land in ext exactly as Dotprompt collects them', () => {
  const src = '---\nmodel: m\npolyglot.topK: 4\npolyglot.languages: [en]\nother.ns.key: 1\n---\nHi';
  const ours = parsePrompt(src).doc.metadata.ext;
  const theirs = new Dotprompt().parse(src).ext;
  assert.deepEqual(ours, theirs);
  assert.deepEqual(ours, { polyglot: { topK: 4, languages: ['en'] }, 'other.ns': { key: 1 } });
});

test('each problem is reported at the exact characters of its key or value', () => {
  const src = [
    '---',
    'polyglot.languages: [en, xx, FR]',
    'polyglot.topk: 3',
    'polyglot.topK: ten',
    'polyglot.pruning: {enabled: yes, method: sparsegpt, sparsity: 1.5, nm: "4:2", extra: 1}',
    'polyglot.deactivate: [L1.N2, neuron7]',
    'polyglot.hooks: [blocks.0.mlp.hook_post, blocks.x.mlp]',
    'polyglot.corpus: udhr:en,zz',
    'config: {maxOutputTokens: -1, temperature: -0.5}',
    'colour: red',
    '---',
    'Hi',
  ].join('\n');
  assert.deepEqual(diags(src), [
    'unknown-language@2:26-2:28 "xx"',
    'unknown-language@2:30-2:32 "FR"',
    'unknown-key@3:1-3:14 "polyglot.topk"',
    'wrong-type@4:16-4:19 "ten"',
    'wrong-type@5:29-5:32 "yes"',
    'wrong-value@5:42-5:51 "sparsegpt"',
    'out-of-range@5:63-5:66 "1.5"',
    'wrong-type@5:72-5:77 "\\"4:2\\""',
    'unknown-key@5:79-5:84 "extra"',
    'bad-neuron@6:30-6:37 "neuron7"',
    'unknown-hook@7:42-7:54 "blocks.x.mlp"',
    'unknown-language@8:18-8:28 "udhr:en,zz"',
    'wrong-type@9:27-9:29 "-1"',
    'out-of-range@9:44-9:48 "-0.5"',
    'unknown-key@10:1-10:7 "colour"',
  ]);
});

test('messages are one line and say what is expected', () => {
  const src = '---\npolyglot.topk: 3\npolyglot.languages: [FR]\npolyglot.pruning: {sparsity: 0}\n---\nx';
  assert.deepEqual(parsePrompt(src).doc.diagnostics.map((d) => d.message), [
    'unknown key polyglot.topk; did you mean polyglot.topK?',
    'polyglot.languages: unknown language code "FR"; did you mean fr?',
    'polyglot.pruning.sparsity must be strictly between 0 and 1 (got 0)',
  ]);
});

test('malformed YAML is one diagnostic at the parser position, and settings stay empty', () => {
  const src = '---\npolyglot.topK: [1, 2\nmodel: x\n---\nHi';
  const { doc } = parsePrompt(src);
  assert.equal(doc.diagnostics.length >= 1, true);
  assert.equal(doc.diagnostics.every((d) => d.code === 'yaml' && d.severity === 'error'), true);
  assert.equal(doc.diagnostics[0].start >= 4 && doc.diagnostics[0].end <= src.indexOf('\n---'), true);
  assert.deepEqual(doc.metadata.polyglot, {});
});

test('duplicate keys are YAML errors; dotted and nested forms of one key warn and the dotted one wins', () => {
  const src = '---\npolyglot:\n  topK: 3\npolyglot.topK: 7\n---\nHi';
  const { doc } = parsePrompt(src);
  assert.deepEqual(doc.diagnostics.map((d) => show(src, d)), ['duplicate-key@3:3-3:7 "topK"']);
  assert.equal(doc.metadata.polyglot.topK, 7);
  assert.equal(diags('---\nmodel: a\nmodel: b\n---\nx')[0].startsWith('yaml@3:1'), true);
});

test('the model folder is checked relative to the prompt file, and neuron refs against its config', () => {
  const dir = folderWith({ 'models/empty/readme.txt': 'no config' });
  const prompt = join(dir, 'p.prompt');
  const src = (model: string, neurons = '[L0.N5]') => `---\nmodel: ${model}\npolyglot.deactivate: ${neurons}\n---\nHi`;
  assert.deepEqual(diags(src('./models/missing'), prompt), ['model-not-found@2:8-2:24 "./models/missing"']);
  assert.deepEqual(diags(src('models/empty'), prompt), ['model-not-found@2:8-2:20 "models/empty"']);
  assert.equal(parsePrompt(src('models/empty'), { host: nodePromptHost(prompt) }).doc.diagnostics[0].message,
    `model folder has no config.json (not a Hugging Face checkpoint): ${join(dir, 'models/empty')}`);
  // stories260K: 5 layers, intermediate_size 172.
  const real = src(STORIES260K, '[L4.N171, L5.N0, L0.N172]');
  assert.deepEqual(parsePrompt(real, { host: nodePromptHost(prompt) }).doc.diagnostics.map((d) => `${show(real, d)} ${d.message}`), [
    'neuron-out-of-range@3:32-3:37 "L5.N0" L5.N0: layer 5 does not exist (the model has 5 layers, 0–4)',
    'neuron-out-of-range@3:39-3:46 "L0.N172" L0.N172: neuron 172 does not exist (the MLP has 172 neurons, 0–171)',
  ]);
});

test('deactivate accepts a language code; a corpus path must exist', () => {
  const dir = folderWith({ 'corpus.txt': 'Bonjour\n' });
  const prompt = join(dir, 'p.prompt');
  const { doc } = parsePrompt('---\npolyglot.deactivate: ja\npolyglot.corpus: corpus.txt\n---\nx', { host: nodePromptHost(prompt) });
  assert.deepEqual(doc.diagnostics, []);
  assert.deepEqual(doc.metadata.polyglot.deactivate, { kind: 'language', language: 'ja' });
  assert.deepEqual(diags('---\npolyglot.corpus: nope.txt\n---\nx', prompt), ['path-not-found@2:18-2:26 "nope.txt"']);
});

test('the JSON schema lists exactly the keys the validator knows', () => {
  const schema = JSON.parse(readFileSync('schemas/prompt-frontmatter.schema.json', 'utf8')) as {
    properties: Record<string, unknown>;
    definitions: { polyglot: { properties: Record<string, unknown> } };
  };
  const keys = POLYGLOT_KEYS.map((k) => k.key).sort();
  assert.deepEqual(Object.keys(schema.definitions.polyglot.properties).sort(), keys);
  assert.deepEqual(Object.keys(schema.properties).filter((k) => k.startsWith('polyglot.')).map((k) => k.slice(9)).sort(), keys);
});

test('study keys: polyglot.labels, polyglot.scores and polyglot.instructions are typed, bad values diagnosed at the value', () => {
  const { doc } = parsePrompt('---\npolyglot.labels: [yes, no]\npolyglot.scores: {min: 1, max: 5}\npolyglot.instructions:\n  en: Answer yes or no.\n  ja: {text: はいかいいえで答えてください。, labels: [はい, いいえ]}\n---\n{{instruction}} {{text}}');
  assert.deepEqual(doc.diagnostics, []);
  assert.deepEqual(doc.metadata.polyglot.labels, ['yes', 'no']);
  assert.deepEqual(doc.metadata.polyglot.scores, { min: 1, max: 5 });
  assert.deepEqual(doc.metadata.polyglot.instructions, [
    { name: 'en', text: 'Answer yes or no.' },
    { name: 'ja', text: 'はいかいいえで答えてください。', labels: ['はい', 'いいえ'] },
  ]);
  assert.deepEqual(diags('---\npolyglot.scores: {min: 5, max: 1}\n---\nx'), ['out-of-range@2:18-2:34 "{min: 5, max: 1}"']);
  assert.deepEqual(diags('---\npolyglot.scores: {min: 1.5, max: 5}\n---\nx'), ['wrong-type@2:24-2:27 "1.5"']);
  assert.deepEqual(diags('---\npolyglot.labels: [yes]\n---\nx'), ['wrong-value@2:18-2:23 "[yes]"']);
  assert.deepEqual(diags('---\npolyglot.labels: [yes, yes]\n---\nx'), ['duplicate-label@2:24-2:27 "yes"']);
  // YAML booleans are not labels: the diagnostic says how to keep them (it used to say only "must be non-empty strings").
  const { doc: bools } = parsePrompt('---\npolyglot.labels: [true, false]\n---\nx');
  assert.deepEqual(bools.diagnostics.map((d) => d.message), ['polyglot.labels: YAML reads true as the boolean true, not a label; quote it: "true"']);
  assert.deepEqual(diags('---\npolyglot.labels: [true, false]\n---\nx'), ['wrong-type@2:19-2:23 "true"']);
  assert.deepEqual(diags('---\npolyglot.eval: {task: classify, dataset: d.jsonl, labels: ["yes", False]}\n---\nx').filter((d) => d.startsWith('wrong-type')), ['wrong-type@2:67-2:72 "False"']);
  assert.deepEqual(parsePrompt('---\npolyglot.labels: ["true", "false"]\n---\nx').doc.metadata.polyglot.labels, ['true', 'false']);
  assert.deepEqual(diags('---\npolyglot.instructions: [a, b]\n---\nx'), ['wrong-type@2:24-2:30 "[a, b]"']);
});
