/**
 * `code:GLOB` as an evaluation corpus: source files under the working folder matching GLOB
 * (calibration/glob.ts: `**`, `*`, `?`, `{a,b}`; dot-folders and node_modules skipped), all of
 * the pseudo-language `code`, so code perplexity is a column beside the natural languages (the
 * ability θ^Prog is meant to keep or shed, Kim et al. 2024). A file is cut into chunks of whole
 * lines of at most CODE_CHUNK_CHARS characters (a longer single line is cut inside), each chunk
 * one text, so every text fits a small model's context; empty chunks are skipped.
 */
import { relative } from 'node:path';
import { throwIfAborted, UserError } from '../errors';
import { readAt, withUserFile } from '../io/userFile';
import { globFiles } from '../calibration/glob';
import type { Corpus, CorpusSummary, CorpusText } from './types';

/** The pseudo-language of source code in corpora (`lang: code` in JSONL/TSV, `code:GLOB`). */
export const CODE_LANGUAGE = 'code';
/** Characters per chunk: ~2 characters per token in a byte-level BPE not trained on code, so about 256 tokens. */
export const CODE_CHUNK_CHARS = 512;
/** Bytes read per file: enough for many chunks, bounded for a huge generated file. */
const MAX_FILE_BYTES = 1 << 20;

export function codeChunks(text: string, max = CODE_CHUNK_CHARS): string[] {
  const out: string[] = [];
  let cur = '';
  for (const line of text.split(/(?<=\n)/)) {
    for (let i = 0; i < line.length; i += max) {
      const piece = line.slice(i, i + max);
      if (cur.length + piece.length > max && cur) {
        out.push(cur);
        cur = '';
      }
      cur += piece;
    }
  }
  if (cur) out.push(cur);
  return out.filter((c) => c.trim() !== '');
}

export class CodeCorpus implements Corpus {
  readonly name: string;
  private files: string[] | undefined;

  constructor(
    spec: string,
    private readonly glob: string,
    private readonly cwd: string,
  ) {
    this.name = spec;
    if (!glob) throw new UserError(spec, 'expected code:GLOB, e.g. code:src/**/*.ts');
  }

  private list(): string[] {
    this.files ??= globFiles(this.glob, this.cwd);
    if (this.files.length === 0) throw new UserError(this.name, `no files match ${this.glob} under ${this.cwd}`);
    return this.files;
  }

  async scan(signal?: AbortSignal): Promise<CorpusSummary> {
    let n = 0;
    for await (const _ of this.texts(CODE_LANGUAGE, signal)) n++;
    if (n === 0) throw new UserError(this.name, 'the matching files hold no text');
    return { languages: [CODE_LANGUAGE], counts: new Map([[CODE_LANGUAGE, n]]) };
  }

  async *texts(lang: string, signal?: AbortSignal): AsyncGenerator<CorpusText> {
    if (lang !== CODE_LANGUAGE) return;
    for (const f of this.list()) {
      throwIfAborted(signal);
      // Only the prefix that is used is read, through the checked descriptor (a plain file).
      const text = withUserFile(f, 'data', ({ fd }) => readAt(f, fd, 0, MAX_FILE_BYTES)).toString('utf8');
      if (text.includes('\u0000')) continue; // a binary file matched the glob
      let k = 0;
      const name = relative(this.cwd, f).split('\\').join('/');
      for (const chunk of codeChunks(text)) yield { lang: CODE_LANGUAGE, text: chunk, where: `${name}#chunk.${++k}` };
    }
  }

  // eslint-disable-next-line require-yield
  async *parallel(src: string, tgt: string): AsyncGenerator<[CorpusText, CorpusText]> {
    throw new UserError(this.name, `code is not a translation corpus (asked for ${src}-${tgt})`);
  }
}
