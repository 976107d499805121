/**
 * Reads a JSON object from a model folder's side file (tokenizer.json, vocab.json, …): a FIFO is
 * refused before it is opened (the read would block forever) and a syntax error names its line.
 */
import { UserError } from '../errors';
import { readUserText } from './userFile';

/** 1-based line of `offset` in `text`. */
export const lineAt = (text: string, offset: number): number => text.slice(0, offset).split('\n').length;

/** A tokenizer side file: a plain file within the tokenizer bound, checked before it is opened. */
export function readPlainFile(file: string): string {
  return readUserText(file, 'tokenizer');
}

export function readJsonObject(file: string, what = ''): Record<string, unknown> {
  const raw = readPlainFile(file);
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0]!;
    const pos = /position (\d+)/.exec(msg);
    throw new UserError(pos ? `${file}:${lineAt(raw, Number(pos[1]))}` : file, `malformed JSON (${msg})`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new UserError(file, `expected a JSON object${what ? ` (${what})` : ''}`);
  return v as Record<string, unknown>;
}
