import { readUserText } from '../../engine/io/userFile';

/** Lines between progress reports and cancellation points. */
const TOKENIZE_CHUNK = 1024;
import { UserError, yieldIfAborted } from '../../engine/errors';
import { MODEL_OPTION, type Command } from './types';
import { ModelTokenizer, checkFitsEmbedding } from '../../engine/tokenizer/tokenizer';
import { defaultModelDir } from '../../engine/paths';
import { openCheckpoint } from '../../engine/checkpoint/checkpoint';

/** Reads JSON lines `{"text": …}`, naming the file and line of the first bad one. */
export function readTextLines(file: string): string[] {
  const raw = readUserText(file, 'input');
  const texts: string[] = [];
  raw.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new UserError(`${file}:${i + 1}`, 'not valid JSON');
    }
    const text = (v as { text?: unknown } | null)?.text;
    if (typeof text !== 'string') throw new UserError(`${file}:${i + 1}`, 'expected an object with a string "text"');
    texts.push(text);
  });
  return texts;
}

export const tokenizeCommand: Command = {
  name: 'tokenize',
  usage: 'tokenize [--model DIR] --input FILE.jsonl',
  summary: 'print {"ids": […]} per input line {"text": …}, with the default special tokens',
  options: { ...MODEL_OPTION, input: { kind: 'string', help: 'JSON lines {"text": …}' } },
  async run(ctx) {
    const texts = readTextLines(ctx.args.required('input'));
    // Only the tokenizer is needed: validate the folder but do not load weights.
    const ckpt = openCheckpoint(ctx.args.string('model') ?? defaultModelDir());
    const tok = ModelTokenizer.load(ckpt.dir);
    const rows = ckpt.config.raw.vocab_size;
    if (typeof rows === 'number') checkFitsEmbedding(tok, rows);
    // In chunks, each after a progress report and a cancellation point: a large input stops at
    // the next chunk on SIGINT/SIGTERM/SIGHUP, like every long command (io/interrupt.ts).
    const job = ctx.jobOptions();
    for (let i = 0; i < texts.length; i += TOKENIZE_CHUNK) {
      job.onProgress?.({ fraction: i / texts.length, message: `${i} of ${texts.length} lines` });
      await yieldIfAborted(job.signal);
      for (const t of texts.slice(i, i + TOKENIZE_CHUNK)) ctx.print({ ids: tok.encode(t) });
    }
  },
};
