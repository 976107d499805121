// One neuron notation everywhere: `L{layer}.N{index}` (`L5.N55`), as the CLI's `neuron` command,
// polyglot.deactivate and the editor's hovers read it. The model card used to write `L5.55`, which
// the CLI refuses; no committed doc, card or generator may write that form again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNeuronKey } from '../../src/shared/analysis';

const ROOT = join(__dirname, '..', '..');
const tracked = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter((f) => /\.(md|py|prompt)$/.test(f) && !f.startsWith('test/fixtures/'));

test('no committed doc, card or generator writes a neuron as L5.55 (the CLI reads L5.N55)', () => {
  const hits: string[] = [];
  for (const f of tracked) {
    readFileSync(join(ROOT, f), 'utf8').split('\n').forEach((line, i) => {
      // A written neuron `L5.55`, or a Python f-string that writes one (`L{i}.{j}`).
      if (/\bL\d+\.\d+\b/.test(line) || /L\{[^}]+\}\.\{[^}]+\}/.test(line)) hits.push(`${f}:${i + 1}: ${line.trim().slice(0, 120)}`);
    });
  }
  assert.deepEqual(hits, []);
});

test('the neurons the model card lists parse as the CLI parses them', () => {
  const card = readFileSync(join(ROOT, 'models', 'default', 'README.md'), 'utf8');
  const refs = [...card.matchAll(/\bL\d+\.N\d+\b/g)].map((m) => m[0]);
  assert.ok(refs.length >= 10, `${refs.length} neuron references in the card`);
  for (const r of refs) assert.ok(parseNeuronKey(r), r);
});
