/**
 * alignOffsets on hand-made token pieces: the cases where decoded text and input differ in length
 * (unknown tokens, special tokens typed in the text or added by a template, a prefix space the
 * pre-tokenizer adds, a normaliser that rewrites characters, partial byte pieces).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignOffsets, type TokenPiece } from '../../src/engine/tokenizer/tokenOffsets';

const t = (text: string): TokenPiece => ({ kind: 'text', text });
const unk: TokenPiece = { kind: 'unk' };
const sp = (content: string): TokenPiece => ({ kind: 'special', content });

test('unknown tokens take the input between their neighbours, one code point each when several', () => {
  assert.deepEqual(alignOffsets('aßb', [t('a'), unk, t('b')]), [[0, 1], [1, 2], [2, 3]]);
  assert.deepEqual(alignOffsets('aßçb', [t('a'), unk, unk, t('b')]), [[0, 1], [1, 2], [2, 3], [3, 4]]);
  assert.deepEqual(alignOffsets('a😀😀', [t('a'), unk]), [[0, 1], [1, 5]], 'an <unk> last takes the rest');
  assert.deepEqual(alignOffsets('😀x', [unk, unk, t('x')]), [[0, 2], [2, 2], [2, 3]], 'an astral character is two UTF-16 units');
});

test('special tokens: none of the text; typed ones are skipped, template ones (BOS) are not looked for', () => {
  assert.deepEqual(alignOffsets('<s>hi</s> yo', [sp('<s>'), sp('<s>'), t('hi'), sp('</s>'), t(' yo')]), [null, null, [3, 5], null, [9, 12]]);
  assert.deepEqual(alignOffsets('hi', [sp('<s>'), t('hi'), sp('</s>')]), [null, [0, 2], null]);
});

test('a prefix space added by the pre-tokenizer, collapsed spaces, rewritten characters, partial bytes', () => {
  assert.deepEqual(alignOffsets('hi there', [t(' hi'), t(' there')]), [[0, 2], [2, 8]]);
  assert.deepEqual(alignOffsets('x<m>y', [t(' '), t('x'), sp('<m>'), t(' '), t('y')]), [[0, 0], [0, 1], null, [4, 4], [4, 5]]);
  assert.deepEqual(alignOffsets('a   b', [t('a'), t(' b')]), [[0, 1], [1, 5]]);
  assert.deepEqual(alignOffsets('ｔｈｅ cat', [t('the'), t(' cat')]), [[0, 3], [3, 7]], 'NFKC: not found, placed by length');
  assert.deepEqual(alignOffsets('aé', [t('a'), t(''), t('é')]), [[0, 1], [1, 1], [1, 2]]);
});
