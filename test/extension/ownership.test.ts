/** Other tools' `.prompt` files (issue 12, bug 1): no Polyglot diagnostics, Analyze not blocked. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parsePrompt } from '../../src/shared/prompt/parse';
import { isModelPath } from '../../src/shared/prompt/modelRef';
import { nodePromptHost } from '../../src/engine/io/nodePromptHost';
import { blockingDiagnostic, polyglotDiagnostics } from '../../src/extension/prompt/ownership';
import { folderWith } from '../prompt/helpers';

// A Genkit prompt as the Genkit docs write them: a provider/model name, an output schema, a role helper.
const GENKIT = [
  '---',
  'model: googleai/gemini-2.0-flash',
  'config:',
  '  temperature: 0.9',
  'input:',
  '  schema:',
  '    location: string',
  '  default:',
  '    location: a restaurant',
  'output:',
  '  format: json',
  '---',
  '{{role "system"}}',
  'You are the world\'s most welcoming AI assistant at {{location}}.',
].join('\n');

test('a Genkit prompt (no polyglot.* key) gets no Polyglot diagnostics and does not block Analyze', () => {
  const dir = folderWith({ 'p.prompt': GENKIT });
  const { doc } = parsePrompt(GENKIT, { host: nodePromptHost(join(dir, 'p.prompt')), fileName: join(dir, 'p.prompt') });
  assert.equal(doc.hasPolyglotKeys, false);
  assert.equal(doc.diagnostics.some((d) => d.code === 'model-not-found'), false, 'a provider/model name is not a missing folder');
  assert.equal(doc.metadata.model, undefined, 'runs use the setting or the default model');
  assert.equal(doc.metadata.foreignModel, 'googleai/gemini-2.0-flash');
  assert.deepEqual(polyglotDiagnostics(doc), []);
  assert.equal(blockingDiagnostic(doc), undefined);
  // Even a file whose template we would flag stays unjudged when it is not ours.
  const other = parsePrompt('---\nmodel: openai/gpt-4o\n---\n{{shout name}}', { host: nodePromptHost(join(dir, 'q.prompt')) }).doc;
  assert.ok(other.diagnostics.some((d) => d.code === 'unknown-helper'));
  assert.deepEqual(polyglotDiagnostics(other), []);
});

test('a Polyglot prompt keeps every diagnostic; a missing folder path still blocks', () => {
  const dir = folderWith({});
  const host = nodePromptHost(join(dir, 'p.prompt'));
  const ours = parsePrompt('---\nmodel: ./missing\npolyglot.topK: 3\n---\nHi', { host }).doc;
  assert.equal(ours.hasPolyglotKeys, true);
  assert.equal(blockingDiagnostic(ours)?.code, 'model-not-found');
  const nested = parsePrompt('---\npolyglot:\n  topK: 3\nmodel: googleai/gemini-2.0-flash\n---\nHi', { host }).doc;
  assert.equal(nested.hasPolyglotKeys, true);
  assert.deepEqual(polyglotDiagnostics(nested).map((d) => [d.code, d.severity]), [['foreign-model', 'info']]);
  assert.equal(blockingDiagnostic(nested), undefined);
});

test('isModelPath: paths by syntax or existence, provider/model names are not', () => {
  for (const p of ['.', '..', './m', '../m', '/abs/m', '~/m', 'C:\\m', 'D:/m', 'models\\m']) assert.equal(isModelPath(p), true, p);
  for (const p of ['googleai/gemini-2.0-flash', 'openai/gpt-4o', 'gemini-pro', '', '  ']) assert.equal(isModelPath(p), false, p);
  assert.equal(isModelPath('models/m', (x) => x === 'models/m'), true);
});
