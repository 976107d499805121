/**
 * Reads the small JSON side files of a checkpoint folder (config.json, generation_config.json,
 * shard indexes) with the checks every one of them needs: a plain file (a FIFO would block the
 * loader forever), a plausible size, a JSON object.
 */
import { readUserText } from '../io/userFile';
import { UserError } from '../errors';

export function readJson(file: string): Record<string, unknown> {
  // A plain file within the JSON side-file bound (64 MiB), checked before it is opened.
  const text = readUserText(file, 'json');
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch (e) {
    throw new UserError(file, `not a JSON object (${(e as Error).message.split('\n')[0]})`);
  }
}
