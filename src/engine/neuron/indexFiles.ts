/**
 * The neuron index folder (`neurons index --out DIR`, docs/cli.md):
 * - `top-examples.jsonl`: one line per neuron, layer-major, `{"layer","index","examples":[{"text",
 *   "token","position","value","start","end"}]}`, strongest first, ties in corpus order;
 * - `line-offsets.bin`: F64 byte offsets of each neuron's line (neurons + 1 values), so a hover reads
 *   one line instead of a file that reaches gigabytes on 7B models (32 × 11008 lines × K examples);
 * - `manifest.json` (written last, so its presence marks a complete folder): the model and corpus
 *   fingerprints and the settings. A folder whose manifest matches is reused as it is; one that
 *   does not is rebuilt (it only ever holds what this tool wrote).
 */
import { closeSync, existsSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors';
import { readAt, readUserBytes, readUserText, statUserFile, withUserFile } from '../io/userFile';
import type { ModelTokenizer } from '../tokenizer/tokenizer';
import type { NeuronExamples, TopExample } from '../../shared/neuron';
import type { IndexedSequence, NeuronIndexRun } from './indexJob';

export const INDEX_FORMAT = 'polyglot-lens/neuron-index';
export const EXAMPLES_FILE = 'top-examples.jsonl';
export const MANIFEST_FILE = 'manifest.json';
export const OFFSETS_FILE = 'line-offsets.bin';

/** What an index was built from; two indexes with equal keys hold the same examples. */
export interface IndexKey {
  model: { name: string; fingerprint: string; nLayers: number; dMlp: number };
  corpus: { name: string; fingerprint: string };
  settings: { top: number; languages: string[] | null; maxLength: number | null; maxTokensPerLang: number | null };
}

export interface IndexManifest extends IndexKey {
  format: typeof INDEX_FORMAT;
  version: 1;
  languages: string[];
  sequences: number;
  tokens: number;
  createdAt: string;
}

export function sameKey(a: IndexKey, b: IndexKey): boolean {
  const pick = (k: IndexKey) => JSON.stringify([k.model.fingerprint, k.model.nLayers, k.model.dMlp, k.corpus.fingerprint, k.corpus.name, k.settings]);
  return pick(a) === pick(b);
}

/** Lines per write: a 32 × 11008-neuron model never builds one huge string. */
const CHUNK_LINES = 1024;

/** Token texts and offsets of a kept sequence, up to the last position any neuron keeps. */
function describe(tok: ModelTokenizer, s: IndexedSequence, upTo: number): { tokens: string[]; offsets: ([number, number] | null)[]; text: string } {
  const ids = s.ids.slice(0, upTo + 1);
  const offsets = tok.offsets(s.text, ids);
  return { tokens: tok.tokenTexts(ids), offsets, text: s.text };
}

/** Writes the JSONL and returns each line's byte offset (plus the end), for OFFSETS_FILE. */
export function writeExamplesFile(file: string, run: NeuronIndexRun, tok: ModelTokenizer): Float64Array {
  const { store, kept } = run;
  const maxPos = new Map<number, number>();
  for (let n = 0; n < store.neurons; n++) for (const e of store.entries(n)) maxPos.set(e.seq, Math.max(maxPos.get(e.seq) ?? 0, e.pos));
  const described = new Map<number, ReturnType<typeof describe>>();
  for (const [seq, upTo] of maxPos) described.set(seq, describe(tok, kept.get(seq)!, upTo));
  const offsets = new Float64Array(store.neurons + 1);
  let at = 0;
  const fd = openSync(file, 'w');
  try {
    let lines: string[] = [];
    for (let n = 0; n < store.neurons; n++) {
      const examples: TopExample[] = store.entries(n).map((e) => {
        const d = described.get(e.seq)!;
        const o = d.offsets[e.pos] ?? null;
        return { text: d.text, token: d.tokens[e.pos]!, position: e.pos, value: e.value, start: o ? o[0] : null, end: o ? o[1] : null };
      });
      const line: NeuronExamples = { layer: Math.floor(n / run.dMlp), index: n % run.dMlp, examples };
      const json = JSON.stringify(line);
      offsets[n] = at;
      at += Buffer.byteLength(json) + 1;
      lines.push(json);
      if (lines.length === CHUNK_LINES) {
        writeSync(fd, lines.join('\n') + '\n');
        lines = [];
      }
    }
    if (lines.length) writeSync(fd, lines.join('\n') + '\n');
  } finally {
    closeSync(fd);
  }
  offsets[store.neurons] = at;
  return offsets;
}

export function writeIndexFolder(dir: string, run: NeuronIndexRun, tok: ModelTokenizer, key: IndexKey): IndexManifest {
  const offsets = writeExamplesFile(join(dir, EXAMPLES_FILE), run, tok);
  writeFileSync(join(dir, OFFSETS_FILE), new Uint8Array(offsets.buffer));
  const manifest: IndexManifest = {
    format: INDEX_FORMAT,
    version: 1,
    ...key,
    languages: run.languages,
    sequences: run.sequences,
    tokens: run.tokens,
    createdAt: new Date().toISOString(),
  };
  writeFileSync(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
}

/** The manifest of an index folder; undefined when the folder has none (not an index, or never completed). */
export function readManifest(dir: string): IndexManifest | undefined {
  const file = join(dir, MANIFEST_FILE);
  if (!existsSync(file)) return undefined;
  let m: Partial<IndexManifest>;
  try {
    m = JSON.parse(readUserText(file, 'json')) as Partial<IndexManifest>;
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(file, `not a neuron index manifest (${(e as Error).message.split('\n')[0]})`);
  }
  if (m?.format !== INDEX_FORMAT || m.version !== 1 || !m.model || !m.corpus || !m.settings) throw new UserError(file, `not a ${INDEX_FORMAT} manifest (version 1)`);
  return m as IndexManifest;
}

/** A saved index: its line offsets in memory, one neuron's line read from disk when asked for. */
export class NeuronIndexFile {
  private constructor(
    readonly dir: string,
    readonly manifest: IndexManifest,
    private readonly offsets: Float64Array,
  ) {}

  static open(dir: string): NeuronIndexFile {
    const manifest = readManifest(dir);
    if (!manifest) throw new UserError(dir, `not a neuron index (no ${MANIFEST_FILE}; build one with \`polyglot-lens neurons index\`)`);
    const file = join(dir, EXAMPLES_FILE);
    const offsetsFile = join(dir, OFFSETS_FILE);
    for (const f of [file, offsetsFile]) if (!existsSync(f)) throw new UserError(f, 'missing (the index folder is incomplete; rebuild it)');
    const { nLayers, dMlp } = manifest.model;
    const mismatch = (): UserError => new UserError(offsetsFile, `does not match ${EXAMPLES_FILE} (${nLayers} × ${dMlp} neurons); rebuild the index`);
    const examplesSize = statUserFile(file, 'data');
    // The size is checked before the offsets are read: a manifest's neuron count is not trusted.
    if (statUserFile(offsetsFile, 'table') !== (nLayers * dMlp + 1) * 8) throw mismatch();
    const raw = readUserBytes(offsetsFile, 'table');
    const offsets = new Float64Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    if (offsets.length !== nLayers * dMlp + 1 || offsets[0] !== 0 || offsets[offsets.length - 1] !== examplesSize) throw mismatch();
    for (let i = 1; i < offsets.length; i++) if (!(offsets[i]! > offsets[i - 1]!) || !Number.isInteger(offsets[i])) throw mismatch();
    return new NeuronIndexFile(dir, manifest, offsets);
  }

  examples(layer: number, index: number): TopExample[] {
    const { nLayers, dMlp } = this.manifest.model;
    if (!(layer >= 0 && layer < nLayers && index >= 0 && index < dMlp)) return [];
    const n = layer * dMlp + index;
    const file = join(this.dir, EXAMPLES_FILE);
    const buf = withUserFile(file, 'data', ({ fd }) => readAt(file, fd, this.offsets[n]!, this.offsets[n + 1]! - this.offsets[n]! - 1));
    let line: NeuronExamples;
    try {
      line = JSON.parse(buf.toString('utf8')) as NeuronExamples;
    } catch {
      throw new UserError(file, `line of L${layer}.N${index} is not JSON; rebuild the index`);
    }
    if (line.layer !== layer || line.index !== index) throw new UserError(file, `line for L${layer}.N${index} holds L${line.layer}.N${line.index}; rebuild the index`);
    return line.examples;
  }
}
