/**
 * Fingerprints that tie partial statistics to what produced them, so a merge refuses partials of
 * different models or corpora.
 * - Model: sha256 over config.json, tokenizer.json (or vocab.json + merges.txt) and, per tensor in name order,
 *   its name, dtype, shape and the first and last 64 KiB of its data. Reading every byte of a 7B
 *   checkpoint would cost minutes per shard; two different checkpoints of the same shape (a
 *   fine-tune of a base model) differ in every tensor, so the sampled bytes tell them apart.
 * - Corpus: sha256 over the token ids of every sequence the job reads, in order, before the
 *   shard split (every shard computes it over the whole stream). It covers the corpus text, the
 *   tokenizer and the truncation settings at once.
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Checkpoint } from '../checkpoint/checkpoint';
import { openUserFile, readAt, readUserBytes } from '../io/userFile';

const SAMPLE_BYTES = 64 * 1024;

export function modelFingerprint(ckpt: Checkpoint): string {
  const h = createHash('sha256');
  h.update(readUserBytes(join(ckpt.dir, 'config.json'), 'json'));
  // The tokenizer's files: tokenizer.json, or GPT-2's vocab.json + merges.txt where it is absent.
  const tok = join(ckpt.dir, 'tokenizer.json');
  for (const f of existsSync(tok) ? [tok] : [join(ckpt.dir, 'vocab.json'), join(ckpt.dir, 'merges.txt')]) if (existsSync(f)) h.update(readUserBytes(f, 'tokenizer'));
  const entries = [...ckpt.tensors.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const fds = new Map<string, number>();
  try {
    for (const e of entries) {
      h.update(`${e.name}\0${e.dtype}\0${e.shape.join(',')}\0`);
      let fd = fds.get(e.file);
      if (fd === undefined) fds.set(e.file, (fd = openUserFile(e.file, 'data').fd));
      const spans: [number, number][] = e.byteLength <= 2 * SAMPLE_BYTES ? [[e.offset, e.byteLength]] : [[e.offset, SAMPLE_BYTES], [e.offset + e.byteLength - SAMPLE_BYTES, SAMPLE_BYTES]];
      for (const [pos, len] of spans) h.update(readAt(e.file, fd, pos, len));
    }
  } finally {
    for (const fd of fds.values()) closeSync(fd);
  }
  return h.digest('hex');
}

/** Incremental sha256 of a stream of token sequences (length-prefixed, so [1,2],[3] ≠ [1],[2,3]). */
export class SequenceHash {
  private readonly h: Hash = createHash('sha256');

  /** Starts a named part (a language, a calibration role), so parts cannot shift into each other. */
  part(name: string): void {
    this.h.update(`\0part:${name}\0`);
  }

  add(seq: readonly number[]): void {
    const buf = new Int32Array(seq.length + 1);
    buf[0] = seq.length;
    buf.set(seq, 1);
    this.h.update(new Uint8Array(buf.buffer));
  }

  digest(): string {
    return this.h.digest('hex');
  }
}
