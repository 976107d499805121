/** Editor ↔ panel linking offsets (issue 12, bug 6) and panel titles. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ActivationAnalysis } from '../../src/shared/analysis';
import { parsePrompt } from '../../src/shared/prompt/parse';
import { renderPrompt } from '../../src/shared/prompt/render';
import { neuronReferences, tokenAtSource, tokenSourceRange } from '../../src/extension/prompt/linking';
import { panelTitle } from '../../src/extension/panels/titles';
import { isWebviewToHostMessage } from '../../src/shared/protocol';

// A prompt whose body mixes literal text and a variable: "Bonjour {{name}} et merci".
const SRC = '---\ninput:\n  default:\n    name: Ana\npolyglot.topK: 2\n---\nBonjour {{name}} et merci';
const parsed = parsePrompt(SRC);
const rendered = renderPrompt(parsed.doc, parsed.partials, { name: 'Ana' });
// Tokens as a tokenizer would cut "Bonjour Ana et merci" (BOS first, then words with their space).
const words: [string, number, number][] = [['Bonjour', 0, 7], [' Ana', 7, 11], [' et', 11, 14], [' merci', 14, 20]];
const analysis = {
  text: rendered.text,
  tokens: [{ id: 1, text: '<s>', start: null, end: null }, ...words.map(([text, start, end], i) => ({ id: 10 + i, text, start, end }))],
} as unknown as ActivationAnalysis;

test('a literal token maps to its characters in the file, and back', () => {
  assert.equal(rendered.text, 'Bonjour Ana et merci');
  const bonjour = tokenSourceRange(analysis, rendered, 1)!;
  assert.equal(SRC.slice(bonjour[0], bonjour[1]), 'Bonjour');
  const merci = tokenSourceRange(analysis, rendered, 4)!;
  assert.equal(SRC.slice(merci[0], merci[1]), ' merci');
  // The cursor inside "merci" in the file is on token 4; inside "Bonjour" on token 1.
  assert.equal(tokenAtSource(analysis, rendered, SRC.indexOf('merci') + 2), 4);
  assert.equal(tokenAtSource(analysis, rendered, SRC.indexOf('Bonjour')), 1);
});

test('tokens from a variable, specials and the frontmatter have no place in the file', () => {
  assert.equal(tokenSourceRange(analysis, rendered, 2), undefined, '" Ana" comes from {{name}}');
  assert.equal(tokenSourceRange(analysis, rendered, 0), undefined, 'BOS');
  assert.equal(tokenSourceRange(analysis, rendered, 99), undefined);
  assert.equal(tokenAtSource(analysis, rendered, SRC.indexOf('polyglot')), -1);
  assert.equal(tokenAtSource(analysis, rendered, SRC.indexOf('{{name}}') + 3), -1);
});

test('neuron references: whole words only, every occurrence', () => {
  const text = 'polyglot.deactivate: [L3.N127, L3.N12, L13.N127]\n# see L3.N127; XL3.N127 and L3.N1270 are not it';
  const found = neuronReferences(text, [{ layer: 3, index: 127 }]);
  assert.deepEqual(found.map(([a, b]) => text.slice(a, b)), ['L3.N127', 'L3.N127']);
  assert.deepEqual(found.map(([a]) => a), [text.indexOf('L3.N127'), text.indexOf('see L3.N127') + 4]);
  assert.deepEqual(neuronReferences(text, []), []);
});

test('panels are titled by what was analyzed as well as the model', () => {
  assert.equal(panelTitle('activations', 'hello.en.prompt', 'default'), 'Activations: hello.en.prompt · default');
  assert.equal(panelTitle('languageNeurons', 'udhr:en,fr', 'default'), 'Language neurons: udhr:en,fr · default');
  assert.equal(panelTitle('activations', undefined, 'default'), 'Activations: default');
});

test('neuron/select is a valid webview → host message', () => {
  assert.ok(isWebviewToHostMessage({ type: 'neuron/select', neuron: { layer: 3, index: 127 } }));
  assert.equal(isWebviewToHostMessage({ type: 'neuron/select', neuron: null }), false);
  assert.equal(isWebviewToHostMessage({ type: 'neuron/select', neuron: { layer: -1, index: 0 } }), false);
});
