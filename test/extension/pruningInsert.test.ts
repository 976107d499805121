/** Toggle Pruning without polyglot.pruning offers to insert the active variant (issue #26 item 8). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pruningInsertion, pruningMapping } from '../../src/extension/prompt/pruningInsert';
import { parsePrompt } from '../../src/shared/prompt';
import { pruningVariantName } from '../../src/shared/prompt/runSettings';

const apply = (src: string, i: { at: number; text: string }) => src.slice(0, i.at) + i.text + src.slice(i.at);

test('the inserted block makes the prompt run exactly the palette variant (same name), in every frontmatter shape', () => {
  const cases: [Parameters<typeof pruningMapping>[0], string][] = [
    [{ method: 'wanda', sparsity: 0.2, mode: 'oneshot', seed: 0, calibration: 'mt:fr-en', cwd: '/w', calibrationSequences: 8 }, 'wanda-s0.2-oneshot-seed0@mt:fr-en'],
    [{ method: 'magnitude', sparsity: 0.3, mode: 'sequential', seed: 0 }, 'magnitude-s0.3-sequential-seed0'],
    [{ method: 'wanda', nm: { n: 2, m: 4 }, mode: 'sequential', seed: 0, calibration: 'udhr:de' }, 'wanda-2:4-sequential-seed0@udhr:de'],
  ];
  const sources = ['---\nconfig:\n  maxOutputTokens: 4\n---\nHello\n', '---\n---\nHello\n', 'Hello\n', '---\r\npolyglot.topK: 3\r\n---\r\nHello\r\n'];
  for (const [settings, name] of cases) {
    const mapping = pruningMapping(settings)!;
    for (const src of sources) {
      const out = apply(src, pruningInsertion(src, mapping));
      const { doc } = parsePrompt(out, { fileName: 'x.prompt' });
      assert.deepEqual(doc.diagnostics.filter((d) => d.severity === 'error'), [], out);
      assert.equal(pruningVariantName(doc.metadata.polyglot.pruning), name, out);
      assert.ok(out.endsWith(src.slice(src.indexOf('Hello'))), 'the template is untouched');
    }
  }
  assert.equal(pruningMapping({ method: 'wanda', sparsity: 0.2, mode: 'oneshot', seed: 0, calibration: 'mt:fr-en' }), '{enabled: true, method: wanda, sparsity: 0.2, calibration: "mt:fr-en", mode: oneshot, seed: 0}');
  assert.equal(pruningMapping({ method: 'prog', sparsity: 0.5, calibration: 'mt:fr-en', codeCalibration: 'code:**/*.py' }), undefined);
});
