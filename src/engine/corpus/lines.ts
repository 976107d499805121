/** Line-by-line file reading with 1-based line numbers, streamed (memory bounded by the longest line, which is capped). */
import { createReadStream } from 'node:fs';
import { throwIfAborted, UserError } from '../errors';
import { ioProblem, openUserFile } from '../io/userFile';

/**
 * Longest line read (in UTF-16 units): far beyond any text a model truncates to, small enough
 * that a corrupt or hostile file (one 2 GB line) fails with a message instead of exhausting memory.
 */
export const MAX_LINE_CHARS = 64 * 1024 * 1024;

/**
 * Lines split as readline splits them (\n, \r\n or a lone \r), streamed, with each line capped
 * at MAX_LINE_CHARS: readline itself would buffer a line of any length.
 */
export async function* readLines(file: string, signal?: AbortSignal, maxLineChars = MAX_LINE_CHARS): AsyncGenerator<{ line: string; n: number }> {
  // Stat'ed and opened non-blocking through the one door for user files: a FIFO or device is refused.
  const { fd } = openUserFile(file, 'data');
  const stream = createReadStream('', { fd, encoding: 'utf8' });
  let n = 0;
  let partial = '';
  let skipLf = false;
  const emit = (raw: string): { line: string; n: number } => {
    n++;
    // A UTF-8 BOM on the first line is an editor artefact, not text.
    return { line: n === 1 ? raw.replace(/^\ufeff/, '') : raw, n };
  };
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      let start = 0;
      if (skipLf && chunk[0] === '\n') start = 1;
      skipLf = false;
      for (let i = start; i < chunk.length; i++) {
        const c = chunk.charCodeAt(i);
        if (c !== 10 && c !== 13) continue;
        const line = partial + chunk.slice(start, i);
        partial = '';
        if (c === 13) {
          if (i + 1 < chunk.length) {
            if (chunk[i + 1] === '\n') i++;
          } else skipLf = true;
        }
        start = i + 1;
        if (line.length > maxLineChars) throw new UserError(`${file}:${n + 1}`, `line is longer than ${maxLineChars} characters`);
        const e = emit(line);
        if (e.n % 1024 === 0) throwIfAborted(signal);
        yield e;
      }
      partial += chunk.slice(start);
      if (partial.length > maxLineChars) throw new UserError(`${file}:${n + 1}`, `line is longer than ${maxLineChars} characters`);
    }
    if (partial !== '') yield emit(partial);
  } catch (e) {
    if (e instanceof UserError || (e as Error).name === 'CancelledError') throw e;
    throw new UserError(file, ioProblem(e));
  } finally {
    stream.destroy();
  }
}
