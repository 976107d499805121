/**
 * The LAPE output folder:
 * - `lape.json`: exactly {"languages", "neurons": {lang: [[indices of layer 0], …]}, "bar",
 *   "entropyThreshold"} — the reference repo's neuron lists keyed by language, plus thresholds.
 *   entropyThreshold is null when no neuron passed the probability filter.
 * - `neuron-stats.safetensors`: `activation_probability` F32 [n_languages, n_layers, d_mlp] in
 *   `languages` order, `token_counts` F32 [n_languages] (exact up to 2^24 tokens per language),
 *   `lape` F32 [n_layers, d_mlp] with NaN where Σ_L p = 0; metadata holds the settings.
 * - `neurons.csv`: one row per neuron: layer, neuron, p per language, lape, selected languages.
 */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { NeuronMask } from '../api';
import { readUserText } from '../io/userFile';
import { readSafetensorsHeader, readSafetensorsMetadata, readTensorF32, writeSafetensors } from '../checkpoint/safetensors';
import { UserError } from '../errors';
import type { LapeResult } from '../../shared/lape';
import type { LapeRun } from './lape';

export interface LapeJson {
  languages: string[];
  neurons: Record<string, number[][]>;
  bar: number;
  entropyThreshold: number | null;
}

/** What a LAPE folder holds of a run (a run's per-language counts are not written). */
export type LapeFolderData = Pick<LapeRun, 'result' | 'tokenCounts' | 'entropyThreshold' | 'maxLength' | 'corpus'>;

export function lapeJson(run: Pick<LapeRun, 'result' | 'entropyThreshold'>): LapeJson {
  const r = run.result;
  return {
    languages: r.languages,
    neurons: Object.fromEntries(r.languages.map((l, i) => [l, r.neurons[i]!])),
    bar: r.bar,
    entropyThreshold: run.entropyThreshold,
  };
}

/** CSV rows are written in chunks so a 32-layer × 11008-neuron model never builds one huge string. */
const CSV_CHUNK_ROWS = 8192;

function writeCsv(file: string, run: Pick<LapeRun, 'result'>): void {
  const r = run.result;
  const width = r.nLayers * r.dMlp;
  const selected = new Map<number, string[]>();
  r.neurons.forEach((layers, li) =>
    layers.forEach((idx, layer) => idx.forEach((j) => selected.set(layer * r.dMlp + j, [...(selected.get(layer * r.dMlp + j) ?? []), r.languages[li]!]))),
  );
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, `layer,neuron,${r.languages.map((l) => `p_${l}`).join(',')},lape,languages\n`);
    let rows: string[] = [];
    for (let k = 0; k < width; k++) {
      const ps = r.languages.map((_, li) => r.activationProbability[li * width + k]!.toPrecision(7));
      const h = r.lape[k]!;
      rows.push(`${Math.floor(k / r.dMlp)},${k % r.dMlp},${ps.join(',')},${Number.isNaN(h) ? 'NaN' : h.toPrecision(7)},${(selected.get(k) ?? []).join(' ')}`);
      if (rows.length === CSV_CHUNK_ROWS) {
        writeSync(fd, rows.join('\n') + '\n');
        rows = [];
      }
    }
    if (rows.length) writeSync(fd, rows.join('\n') + '\n');
  } finally {
    closeSync(fd);
  }
}

export function writeLapeFolder(dir: string, run: LapeFolderData, meta: Record<string, string>): void {
  const r = run.result;
  writeSafetensors(
    join(dir, 'neuron-stats.safetensors'),
    [
      { name: 'activation_probability', dtype: 'F32', shape: [r.languages.length, r.nLayers, r.dMlp], data: r.activationProbability },
      { name: 'token_counts', dtype: 'F32', shape: [r.languages.length], data: Float32Array.from(run.tokenCounts) },
      { name: 'lape', dtype: 'F32', shape: [r.nLayers, r.dMlp], data: r.lape },
    ],
    {
      ...meta,
      languages: JSON.stringify(r.languages),
      bar: String(r.bar),
      entropy_threshold: String(run.entropyThreshold),
      prob_quantile: String(r.probQuantile),
      entropy_quantile: String(r.entropyQuantile),
      max_length: String(run.maxLength),
      corpus: run.corpus,
      model: r.model.name,
    },
  );
  writeCsv(join(dir, 'neurons.csv'), run);
  // lape.json last: its presence marks a complete folder for readers watching the temp folder.
  const json = lapeJson(run);
  writeFileSync(join(dir, 'lape.json'), `${JSON.stringify(json)}\n`);
}

/** Reads and validates a lape.json. */
export function readLapeJson(file: string): LapeJson {
  let v: unknown;
  try {
    v = JSON.parse(readUserText(file, 'table'));
  } catch (e) {
    // readUserText says "not found (ENOENT)", "is not a plain file but a FIFO …", …: one line naming the file already.
    if (e instanceof UserError) throw e;
    throw new UserError(file, `cannot read LAPE neurons (${(e as NodeJS.ErrnoException).code ?? (e as Error).message.split('\n')[0]})`);
  }
  const o = v as Partial<LapeJson> | null;
  const ok =
    !!o &&
    Array.isArray(o.languages) &&
    o.languages.every((l) => typeof l === 'string') &&
    typeof o.neurons === 'object' &&
    o.neurons !== null &&
    Object.values(o.neurons).every((layers) => Array.isArray(layers) && layers.every((js) => Array.isArray(js) && js.every((j) => Number.isInteger(j) && j >= 0)));
  if (!ok) throw new UserError(file, 'not a lape.json ({"languages": [...], "neurons": {lang: [[indices of layer 0], ...]}, ...})');
  return o as LapeJson;
}

/** The deactivation mask of one or more languages' neurons (their union). */
export function languageMask(lape: LapeJson, langs: string[], subject = '--deactivate'): NeuronMask {
  const mask: Record<number, Set<number>> = {};
  for (const lang of langs) {
    const layers = lape.neurons[lang];
    if (!layers) throw new UserError(subject, `language ${lang} has no neurons in the LAPE file (it has ${Object.keys(lape.neurons).join(', ')})`);
    layers.forEach((js, layer) => js.forEach((j) => (mask[layer] ??= new Set()).add(j)));
  }
  return Object.fromEntries(Object.entries(mask).map(([l, s]) => [Number(l), [...s].sort((a, b) => a - b)]));
}

/** Loads a LAPE folder back into the panel's shape (e.g. to show a saved run). */
export function readLapeFolder(dir: string, modelName = ''): LapeResult & { tokenCounts: number[]; entropyThreshold: number | null } {
  const json = readLapeJson(join(dir, 'lape.json'));
  const file = join(dir, 'neuron-stats.safetensors');
  const entries = new Map(readSafetensorsHeader(file).map((e) => [e.name, e]));
  const get = (name: string): { data: Float32Array; shape: number[] } => {
    const e = entries.get(name);
    if (!e) throw new UserError(file, `missing tensor ${name}`);
    return { data: readTensorF32(e), shape: e.shape };
  };
  const ap = get('activation_probability');
  const [nLang, nLayers, dMlp] = ap.shape as [number, number, number];
  if (nLang !== json.languages.length) throw new UserError(file, `activation_probability has ${nLang} languages but lape.json lists ${json.languages.length}`);
  // Metadata is optional (undefined when absent or unreadable).
  const meta: Record<string, string> = readSafetensorsMetadata(file) ?? {};
  return {
    model: { name: modelName || meta.model || '', nLayers, dMlp },
    languages: json.languages,
    nLayers,
    dMlp,
    neurons: json.languages.map((l) => json.neurons[l] ?? []),
    activationProbability: ap.data,
    lape: get('lape').data,
    bar: json.bar,
    probQuantile: Number(meta.prob_quantile ?? NaN),
    entropyQuantile: Number(meta.entropy_quantile ?? NaN),
    tokenCounts: [...get('token_counts').data],
    entropyThreshold: json.entropyThreshold,
  };
}
