/** Byte-level pieces shown readably (issue #26 item 12: "¿" was two "�" rows). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytePieceLabels } from '../../webview/render/bytePieces';

test('two tokens of one character: the character, which byte, the byte', () => {
  // "¿" = C2 BF, split over two tokens; the tokens around it read fine alone.
  assert.deepEqual(bytePieceLabels([undefined, [0xc2], [0xbf], undefined]), [undefined, '¿ 1/2 ‹C2›', '¿ 2/2 ‹BF›', undefined]);
  // A 3-byte character over two tokens (2 + 1 bytes): 日 = E6 97 A5.
  assert.deepEqual(bytePieceLabels([[0xe6, 0x97], [0xa5]]), ['日 1–2/3 ‹E6 97›', '日 3/3 ‹A5›']);
  // One token ending a character and starting the next: "é" (C3 A9) then "¿" (C2 BF) as [C3], [A9 C2], [BF].
  assert.deepEqual(bytePieceLabels([[0xc3], [0xa9, 0xc2], [0xbf]]), ['é 1/2 ‹C3›', 'é 2/2 + ¿ 1/2 ‹A9 C2›', '¿ 2/2 ‹BF›']);
  // A stray continuation byte (no lead before it in the prompt) stays a replacement character, with its byte.
  assert.deepEqual(bytePieceLabels([[0xbf]]), ['� ‹BF›']);
});
