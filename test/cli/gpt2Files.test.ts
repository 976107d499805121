/**
 * The CLI on a GPT-2 checkpoint whose tokenizer is only vocab.json + merges.txt (no
 * tokenizer.json), through the real bin: info, tokenize, and a one-line error for a bad merges.txt.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertOneLineError, cli, jsonLines } from '../helpers/cli';
import { writeTinyGpt2VocabMerges } from '../helpers/tiny-gpt';

test('info and tokenize on a vocab.json + merges.txt GPT-2 folder; a bad merges.txt line is one error line', () => {
  const work = mkdtempSync(join(tmpdir(), 'pl-cli-gpt2files-'));
  try {
    const tiny = writeTinyGpt2VocabMerges({}, join(work, 'model'));
    const run = (args: string[]) => cli([...args, '--model', tiny.dir, '--threads', '1']);
    const info = run(['info', '--json']);
    assert.equal(info.code, 0, info.stderr);
    // The tiny vocabulary: 256 byte symbols, 8 merges, <|endoftext|> (id 264) as bos and eos.
    assert.deepEqual((JSON.parse(info.stdout) as { tokenizer: unknown }).tokenizer, { vocabSize: 265, bosId: 264, eosId: 264, addsBos: false, hasChatTemplate: false });
    const input = join(work, 'in.jsonl');
    writeFileSync(input, `${JSON.stringify({ text: 'the cat in the hat' })}\n${JSON.stringify({ text: 'é<|endoftext|>' })}\n`);
    const tok = run(['tokenize', '--input', input]);
    assert.equal(tok.code, 0, tok.stderr);
    // Merges Ġt 256, he 257, Ġthe 258, Ġc 259, at 260, Ġcat 261, in 262, Ġin 263 (test/helpers/tiny-gpt.ts).
    assert.deepEqual(jsonLines(tok.stdout), [{ ids: [116, 257, 261, 263, 258, 32, 104, 260] }, { ids: [0xc3, 0xa9, 264] }]);
    appendFileSync(join(tiny.dir, 'merges.txt'), 'c a t\n');
    assertOneLineError(run(['tokenize', '--input', input]), /merges\.txt:10: expected two symbols separated by one space, got "c a t"$/);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
