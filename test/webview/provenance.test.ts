/** Panel headers and the messages that carry them (issue #26 items 3, 4). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isHostToWebviewMessage, isWebviewToHostMessage } from '../../src/shared/protocol';
import { runLabel, staleReason } from '../../src/extension/prompt/runSignature';

const prov = { source: 'prune-de.prompt', version: 7, model: 'default', variant: 'dense', ranAt: '2025-05-01T12:00:00.000Z',
  rerun: { command: 'polyglotLens.analyzeActivations', uri: 'file:///w/prune-de.prompt', args: [0] } };

test('panel/provenance and panel/rerun are validated; only the commands that make panel data may be re-run', () => {
  assert.equal(isHostToWebviewMessage({ type: 'panel/provenance', provenance: prov }), true);
  assert.equal(isHostToWebviewMessage({ type: 'panel/provenance', provenance: { ...prov, stale: 'the prompt text changed' } }), true);
  assert.equal(isHostToWebviewMessage({ type: 'panel/provenance', provenance: { ...prov, model: 3 } }), false);
  assert.equal(isWebviewToHostMessage({ type: 'panel/rerun', rerun: prov.rerun }), true);
  assert.equal(isWebviewToHostMessage({ type: 'panel/rerun', rerun: { command: 'workbench.action.terminal.sendSequence', args: [{ text: 'rm -rf ~\n' }] } }), false);
  assert.equal(isWebviewToHostMessage({ type: 'panel/rerun', rerun: { command: 'polyglotLens.evaluate', args: [1, 2, 3, 4, 5] } }), false);
  const show = { type: 'compare/show', compare: { prompt: 'p', a: { label: 'a', text: '', language: { code: 'und', name: 'u', confidence: 0 }, topNext: [] }, b: { label: 'b', text: '', language: { code: 'und', name: 'u', confidence: 0 }, topNext: [] }, layerChange: { $typed: 'f32', b64: '' } } };
  assert.equal(isWebviewToHostMessage({ type: 'panel/restored', show: { type: 'panel/exported', ok: true } }), false, 'only a …/show message is restored');
  void show;
});

test('runLabel names the variant and the deactivation a run used', () => {
  assert.equal(runLabel(undefined, undefined), 'dense');
  assert.equal(runLabel('wanda-s0.5-sequential-seed0@udhr:de', undefined), 'wanda-s0.5-sequential-seed0@udhr:de');
  assert.equal(runLabel(undefined, { 0: [3] }), 'dense −L0.N3');
  assert.equal(runLabel(undefined, { 1: [1, 2], 2: [3, 4] }), 'dense −4 neurons');
  assert.equal(runLabel('w', { language: 'fr' }), 'w −fr neurons');
});

test('staleReason: Toggle then Ctrl+Z (variant), edits, another model, other lengths; nothing when the run matches', () => {
  const ran = { model: '/m/default', variant: 'dense', text: 'Alle Menschen', topK: 4, maxNewTokens: 4 };
  assert.equal(staleReason(ran, { ...ran }), undefined);
  assert.equal(staleReason(ran, { ...ran, variant: 'wanda-s0.5-sequential-seed0@udhr:de' }), 'the prompt now runs wanda-s0.5-sequential-seed0@udhr:de, this ran dense');
  assert.equal(staleReason(ran, { ...ran, text: 'Alle Menschen sind' }), 'the prompt text changed');
  assert.equal(staleReason(ran, { ...ran, model: '/w/tiny' }), 'the prompt now runs on tiny, this ran on default');
  assert.equal(staleReason(ran, { ...ran, topK: 3 }), 'topK or the output length changed');
});
