/** The tokenizer-pattern screen (issue 16, probe 12): nested repetitions refused, real tokenizers' patterns kept. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasNestedRepetition, tokenizerRegexes } from '../../src/engine/tokenizer/regexRisk';

test('nested repetitions are found; the pre-tokenizer patterns of GPT-2, Llama 3 and Qwen2 pass', () => {
  const real = [
    "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
    "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
    "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
  ];
  for (const p of real) assert.equal(hasNestedRepetition(p), false, p);
  const nested = ['(a+)+$', '(a*)*b', '((ab)*c)+', '(?:x\\s+)*y', '(a+){2,}', '(?<n>a+)*', '(\\p{L}+\\s?)+'];
  for (const p of nested) assert.equal(hasNestedRepetition(p), true, p);
  const flat = ['(a+){1}', '(a|b)+', '[(a+)]+', '\\(a+\\)+', '(?<=a+)b+', '\\p{L}{2,5}', 'x{3}'];
  for (const p of flat) assert.equal(hasNestedRepetition(p), false, p);
});

test('every Regex of a tokenizer.json is screened: pre-tokenizer, normalizer and decoder alike', () => {
  const json = {
    normalizer: { type: 'Replace', pattern: { Regex: '(x+)+' }, content: '' },
    pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'Split', pattern: { Regex: '\\s+' } }, { type: 'Split', pattern: { String: '(a+)+' } }] },
    decoder: { type: 'Replace', pattern: { Regex: 'y' }, content: '' },
    model: { vocab: { '(a+)+': 1 } },
  };
  assert.deepEqual(tokenizerRegexes(json), ['(x+)+', '\\s+', 'y']);
});
