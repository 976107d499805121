/** Line-by-line file reading with 1-based line numbers, streamed (constant memory per file). */
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { throwIfAborted, UserError } from '../errors';

export function checkReadableFile(file: string): void {
  let isFile = false;
  try {
    isFile = statSync(file).isFile();
  } catch (e) {
    throw new UserError(file, `cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (!isFile) throw new UserError(file, 'is not a file');
}

export async function* readLines(file: string, signal?: AbortSignal): AsyncGenerator<{ line: string; n: number }> {
  checkReadableFile(file);
  const stream = createReadStream(file, { encoding: 'utf8' });
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const raw of rl) {
      n++;
      // A UTF-8 BOM on the first line is an editor artefact, not text.
      const line = n === 1 ? raw.replace(/^\ufeff/, '') : raw;
      if (n % 1024 === 0) throwIfAborted(signal);
      yield { line, n };
    }
  } catch (e) {
    if (e instanceof UserError || (e as Error).name === 'CancelledError') throw e;
    throw new UserError(file, `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  } finally {
    rl.close();
    stream.destroy();
  }
}
