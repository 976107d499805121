/**
 * Reads the small JSON side files of a checkpoint folder (config.json, generation_config.json,
 * shard indexes) with the checks every one of them needs: a plain file (a FIFO would block the
 * loader forever), a plausible size, a JSON object.
 */
import { readFileSync } from 'node:fs';
import { plainFileSize } from '../io/readText';
import { UserError } from '../errors';

/** config.json, generation_config.json and the shard index stay far below this. */
const MAX_JSON_BYTES = 64 * 1024 * 1024;

export function readJson(file: string): Record<string, unknown> {
  // stat first: reading a FIFO would block forever, and a JSON side file is never huge.
  const size = plainFileSize(file, { unreadable: (code) => `cannot read (${code})` });
  if (size > MAX_JSON_BYTES) throw new UserError(file, `${size} bytes is implausibly large for this file`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(file, `cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch (e) {
    throw new UserError(file, `not a JSON object (${(e as Error).message.split('\n')[0]})`);
  }
}
