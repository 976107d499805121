import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { calibrationDisplayName, percent, pruneSettingsOf, pruningKeyOffset, pruningLensTitle, toggleEnabledEdit } from '../../src/extension/prompt/pruningLens';
import { lapeProfileMarkdown } from '../../src/extension/prompt/hoverText';
import type { LapeResult } from '../../src/shared/lape';
import type { PruningSettings } from '../../src/shared/prompt/types';

const apply = (src: string, e: { start: number; end: number; text: string }) => src.slice(0, e.start) + e.text + src.slice(e.end);

test('calibration display names', () => {
  assert.equal(calibrationDisplayName('mt:fr-en'), 'French→English');
  assert.equal(calibrationDisplayName('mono:ja'), 'Japanese');
  assert.equal(calibrationDisplayName('udhr:de'), 'German');
  assert.equal(calibrationDisplayName('udhr:en,fr'), 'English + French');
  assert.equal(calibrationDisplayName('code:**/*.py'), 'code **/*.py');
  assert.equal(calibrationDisplayName('data/calib.jsonl'), 'calib.jsonl');
  assert.equal(calibrationDisplayName('mt:xx-en'), 'xx→English');
  assert.equal(percent(0.3), '30%');
  assert.equal(percent(0.125), '12.5%');
});

const wanda: PruningSettings = { enabled: true, method: 'wanda', calibration: 'mt:fr-en', sparsity: 0.3, mode: 'sequential', seed: 0 };

test('pruning CodeLens title', () => {
  assert.equal(pruningLensTitle(wanda), 'Pruned: Wanda 30% · French→English');
  assert.equal(pruningLensTitle({ ...wanda, enabled: false }), 'Dense (pruning off: Wanda 30% · French→English)');
  assert.equal(pruningLensTitle({ ...wanda, method: 'magnitude', calibration: undefined, nm: { n: 2, m: 4 } }), 'Pruned: Magnitude 2:4');
});

test('toggle edit: flips a written enabled value, and back', () => {
  const src = readFileSync('examples/prune-de.prompt', 'utf8');
  const off = toggleEnabledEdit(src)!;
  assert.deepEqual({ text: off.text, enabled: off.enabled, was: src.slice(off.start, off.end) }, { text: 'false', enabled: false, was: 'true' });
  const toggled = apply(src, off);
  assert.match(toggled, /\n {2}enabled: false\n/);
  const on = toggleEnabledEdit(toggled)!;
  assert.equal(apply(toggled, on), src);
  assert.equal(src.slice(pruningKeyOffset(src)!, pruningKeyOffset(src)! + 'polyglot.pruning'.length), 'polyglot.pruning');
});

test('toggle edit: inserts enabled: false when absent (block, nested and flow styles)', () => {
  const block = '---\npolyglot.pruning:\n  method: wanda\n  sparsity: 0.3\n---\nx';
  assert.equal(apply(block, toggleEnabledEdit(block)!), '---\npolyglot.pruning:\n  enabled: false\n  method: wanda\n  sparsity: 0.3\n---\nx');
  const nested = '---\npolyglot:\n  pruning:\n    method: wanda\n---\nx';
  assert.equal(apply(nested, toggleEnabledEdit(nested)!), '---\npolyglot:\n  pruning:\n    enabled: false\n    method: wanda\n---\nx');
  assert.equal(pruningKeyOffset(nested), nested.indexOf('pruning'));
  const flow = '---\npolyglot.pruning: {method: wanda, enabled: false}\n---\nx';
  assert.equal(apply(flow, toggleEnabledEdit(flow)!), '---\npolyglot.pruning: {method: wanda, enabled: true}\n---\nx');
  const flowNoKey = '---\npolyglot.pruning: {method: wanda}\n---\nx';
  assert.equal(apply(flowNoKey, toggleEnabledEdit(flowNoKey)!), '---\npolyglot.pruning: {enabled: false, method: wanda}\n---\nx');
  assert.equal(toggleEnabledEdit('---\npolyglot.topK: 3\n---\nx'), undefined);
  assert.equal(toggleEnabledEdit('no frontmatter'), undefined);
});

test('prompt pruning → engine prune settings', () => {
  assert.deepEqual(pruneSettingsOf(wanda, '/w', 8), { method: 'wanda', sparsity: 0.3, mode: 'sequential', seed: 0, calibration: 'mt:fr-en', cwd: '/w', calibrationSequences: 8 });
  assert.deepEqual(pruneSettingsOf({ ...wanda, method: 'random', calibration: undefined, nm: { n: 2, m: 4 } }, undefined, 0), { method: 'random', nm: { n: 2, m: 4 }, mode: 'sequential', seed: 0 });
});

test('neuron hover: language profile from a LAPE result', () => {
  // 2 languages × 1 layer × 3 neurons.
  const r: LapeResult = {
    model: { name: 'tiny', nLayers: 1, dMlp: 3 }, languages: ['en', 'fr'], nLayers: 1, dMlp: 3,
    neurons: [[[]], [[2]]],
    activationProbability: Float32Array.from([0.5, 0.25, 0.125, 0.5, 0.75, 0.875]),
    lape: Float32Array.from([0.693, NaN, 0.377]), bar: 0.8, probQuantile: 0.95, entropyQuantile: 0.01,
  };
  assert.equal(lapeProfileMarkdown(r, 0, 2), '**Language profile** (tiny, en, fr)\n\nActivation probability: en 0.13 · fr 0.88\n\nLAPE 0.377 · specific to fr');
  assert.equal(lapeProfileMarkdown(r, 0, 1), '**Language profile** (tiny, en, fr)\n\nActivation probability: en 0.25 · fr 0.75\n\nLAPE n/a (never active) · not language-specific');
  assert.equal(lapeProfileMarkdown(r, 1, 0), '_No language profile: L1.N0 is outside the Find Language Neurons result (1 layers × 3)._');
});
