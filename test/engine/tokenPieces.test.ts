/** "¿" is two byte-level tokens on the default model; each decodes alone to "�" (issue #26 item 12). */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { LoadedModel } from '../../src/engine/model/model';
import { defaultModelDir } from '../../src/engine/paths';
import { analyzeActivations } from '../../src/engine/analyze';
import { bytePieceLabels } from '../../webview/render/bytePieces';

const model = LoadedModel.load(defaultModelDir(), { threads: 1 });
after(() => model.dispose());

test('the analysis carries the bytes of tokens that are pieces of a character, and the panel reads them', async () => {
  const a = await analyzeActivations(model, { text: '¿Dónde? 日本', topK: 2, maxNewTokens: 0 });
  const pieces = a.tokens.filter((t) => t.bytes);
  assert.deepEqual(pieces.map((t) => [t.text, t.bytes]), [['\ufffd', [0xc2]], ['\ufffd', [0xbf]], ['\ufffd', [0xe6, 0x97]], ['\ufffd', [0xa5]]]);
  assert.ok(a.tokens.every((t) => (t.bytes !== undefined) === t.text.includes('\ufffd')), 'bytes only where the text is not readable');
  const labels = bytePieceLabels(a.tokens.map((t) => t.bytes)).filter(Boolean);
  assert.deepEqual(labels, ['¿ 1/2 ‹C2›', '¿ 2/2 ‹BF›', '日 1–2/3 ‹E6 97›', '日 3/3 ‹A5›']);
});
