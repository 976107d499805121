/**
 * Fingerprints that say when a saved neuron index no longer describes the model or corpus.
 * Model: SHA-256 over config.json, tokenizer files and, per weight file, its name, size and
 * safetensors header plus the first and last MiB (hashing every byte of a 15 GB checkpoint on each
 * hover would take minutes; retraining or converting changes the header offsets or the edges).
 * Corpus: SHA-256 over every byte of the corpus files (corpora are small next to models), or the
 * spec for the built-in udhr: corpus, which ships with the tool.
 */
import { createHash, type Hash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { LoadedModel } from '../model/model';
import { readAt, readUserBytes, withUserFile } from '../io/userFile';

const EDGE = 1 << 20;

function hashEdges(h: Hash, file: string): void {
  withUserFile(file, 'data', ({ fd, size }) => {
    h.update(`${file.split(/[\\/]/).pop()}:${size}\n`);
    h.update(readAt(file, fd, 0, Math.min(EDGE, size)));
    if (size > EDGE) {
      const tail = Math.min(EDGE, size - EDGE);
      h.update(readAt(file, fd, size - tail, tail));
    }
  });
}

const MODEL_TEXT_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'tokenizer.model', 'vocab.json', 'merges.txt', 'added_tokens.json', 'model.safetensors.index.json'];

/** Per loaded model: its files do not change under a loaded model that the engine would keep using. */
const memo = new WeakMap<LoadedModel, string>();

export function modelFingerprint(model: LoadedModel): string {
  let f = memo.get(model);
  if (!f) memo.set(model, (f = hashModel(model)));
  return f;
}

function hashModel(model: LoadedModel): string {
  const h = createHash('sha256');
  const dir = model.ckpt.dir;
  for (const f of MODEL_TEXT_FILES) {
    const p = join(dir, f);
    if (existsSync(p)) h.update(`${f}\n`).update(readUserBytes(p, 'tokenizer'));
  }
  const weightFiles = readdirSync(dir).filter((f) => f.endsWith('.safetensors')).sort();
  for (const f of weightFiles) hashEdges(h, join(dir, f));
  return h.digest('hex');
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []))
    .sort();
}

export function corpusFingerprint(spec: string, cwd = process.cwd()): string {
  const h = createHash('sha256');
  if (spec.startsWith('udhr:')) return h.update(spec).digest('hex');
  const path = resolve(cwd, spec);
  const files = statSync(path).isDirectory() ? listFiles(path) : [path];
  for (const f of files) hashWhole(h.update(`${relative(path, f)}\n`), f);
  return h.digest('hex');
}

/** Every byte, 4 MiB at a time (memory flat in corpus size). */
function hashWhole(h: Hash, file: string): void {
  withUserFile(file, 'data', ({ fd }) => {
    for (let at = 0, b; (b = readAt(file, fd, at, 4 << 20)).length > 0; at += b.length) h.update(b);
  });
}
