/**
 * Token language profiles (methods.md §8): p(language | token) for every vocabulary token, from how
 * often the tokenizer produces it on a corpus per language — the same corpora and the same token
 * streams LAPE reads (corpus/tokens.ts). With n_l(v) the count of token v in language l and N_l the
 * tokens of language l, p(l | v) = (n_l(v) / N_l) / Σ_l' (n_l'(v) / N_l') (a uniform prior over
 * the languages, so a larger corpus does not claim more tokens). A token seen fewer than
 * `minCount` times takes the row of its lower-case form when that is a token decided by counts
 * (" The" ← " the"), else its script's language when exactly one of the languages writes it
 * (Hiragana → ja, Hangul → ko); tokens without a letter (spaces, digits, punctuation), special
 * tokens, and rare tokens of a shared script are "unknown". The last column of the profile is
 * unknown, so every row sums to 1.
 *
 * Stored as `token-languages.safetensors` (a `lens languages` folder, or the cache for a corpus spec
 * or a `neurons` folder's corpus) and reused: a profile depends only on the tokenizer and the corpus.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { readUserBytes } from '../io/userFile';
import { join, resolve } from 'node:path';
import type { JobOptions } from '../api';
import { readSafetensorsHeader, readSafetensorsMetadata, readTensorF32, readTensorF64, writeSafetensors } from '../checkpoint/safetensors';
import { chooseLanguages, openCorpus } from '../corpus/open';
import { languageTexts } from '../corpus/tokens';
import type { Corpus } from '../corpus/types';
import { throwIfAborted, UserError } from '../errors';
import { corpusFingerprint } from '../neuron/fingerprint';
import type { LoadedModel } from '../model/model';
import { resolveMaxLength } from '../lape/lape';
import { isByteLevel, vocabularyBytes } from './vocabulary';

export const PROFILE_FILE = 'token-languages.safetensors';
/** The statistics file of a `neurons` (LAPE) folder, whose metadata names its corpus. */
const LAPE_STATS_FILE = 'neuron-stats.safetensors';
/** Below this many occurrences in the whole corpus a token's counts are not trusted (script fallback, else unknown). */
export const DEFAULT_MIN_COUNT = 5;
/** A script is one of a language's when it writes at least this share of the language's letters. */
const SCRIPT_SHARE = 0.1;

/** How a token's row was decided. */
export const RowSource = { Counts: 0, Script: 1, Unknown: 2, Case: 3 } as const;

export interface TokenLanguageProfile {
  languages: string[];
  /** p(language | token), [vocab, languages + 1]; the last column is unknown. */
  matrix: Float32Array;
  /** RowSource per token. */
  source: Uint8Array;
  /** Occurrences per language and token, [languages, vocab]. */
  counts: Float64Array;
  /** Tokens counted per language. */
  totals: number[];
  /** The scripts each language is written in (Unicode script names). */
  scripts: string[][];
  minCount: number;
  /** The corpus spec or folder it was built from. */
  origin: string;
  vocabSize: number;
}

const SCRIPT_NAMES = ['Latin', 'Cyrillic', 'Greek', 'Armenian', 'Georgian', 'Hebrew', 'Arabic', 'Syriac', 'Thaana', 'Devanagari', 'Bengali', 'Gurmukhi', 'Gujarati',
  'Oriya', 'Tamil', 'Telugu', 'Kannada', 'Malayalam', 'Sinhala', 'Thai', 'Lao', 'Tibetan', 'Myanmar', 'Khmer', 'Mongolian', 'Ethiopic', 'Cherokee',
  'Hangul', 'Hiragana', 'Katakana', 'Han', 'Yi', 'Tifinagh'];
const SCRIPT_RES = SCRIPT_NAMES.map((s) => new RegExp(`\\p{Script=${s}}`, 'u'));
const LETTER = /\p{L}/u;
const scriptCache = new Map<number, number>();

/** Index into SCRIPT_NAMES of a letter's script; -1 for non-letters and scripts not listed. */
function scriptIndex(ch: string): number {
  const cp = ch.codePointAt(0)!;
  let s = scriptCache.get(cp);
  if (s === undefined) {
    s = LETTER.test(ch) ? SCRIPT_RES.findIndex((re) => re.test(ch)) : -1;
    scriptCache.set(cp, s);
  }
  return s;
}

/** Letters per script in a text (SCRIPT_NAMES order). */
export function scriptLetters(text: string, into = new Float64Array(SCRIPT_NAMES.length)): Float64Array {
  for (const ch of text) {
    const s = scriptIndex(ch);
    if (s >= 0) into[s]! += 1;
  }
  return into;
}

/** The script most of a text's letters are written in, or undefined without letters of a listed script. */
export function dominantScript(text: string): string | undefined {
  const n = scriptLetters(text);
  let best = -1;
  n.forEach((c, i) => {
    if (c > 0 && (best < 0 || c > n[best]!)) best = i;
  });
  return best < 0 ? undefined : SCRIPT_NAMES[best];
}

export interface ProfileOptions extends JobOptions {
  languages?: string[];
  maxLength?: number;
  maxTokensPerLang?: number;
  minCount?: number;
}

/** Counts every language's tokens over the corpus (tokenization only: no model run). */
export async function countTokenLanguages(model: LoadedModel, corpus: Corpus, o: ProfileOptions = {}): Promise<TokenLanguageProfile> {
  const summary = await corpus.scan(o.signal);
  const languages = chooseLanguages(corpus, summary, o.languages);
  const maxLength = resolveMaxLength(model, o.maxLength);
  const V = model.cfg.vocabSize;
  const counts = new Float64Array(languages.length * V);
  const totals = languages.map(() => 0);
  const letters = languages.map(() => new Float64Array(SCRIPT_NAMES.length));
  const special = new Set<number>();
  for (const [li, lang] of languages.entries()) {
    o.onProgress?.({ fraction: li / languages.length, message: `counting tokens: ${lang}` });
    for await (const t of languageTexts(corpus, lang, model.tokenizer, { maxLength, maxTokens: o.maxTokensPerLang }, o.signal)) {
      throwIfAborted(o.signal);
      scriptLetters(t.text, letters[li]);
      for (const id of t.ids) {
        if (special.has(id) || model.tokenizer.isSpecial(id)) {
          special.add(id);
          continue;
        }
        counts[li * V + id]! += 1;
        totals[li]! += 1;
      }
    }
  }
  const scripts = letters.map((n) => {
    const all = n.reduce((a, b) => a + b, 0);
    return SCRIPT_NAMES.filter((_, i) => all > 0 && n[i]! / all >= SCRIPT_SHARE);
  });
  return profileFromCounts(model, languages, counts, totals, scripts, o.minCount ?? DEFAULT_MIN_COUNT, corpus.name);
}

/** The profile's rows from counts (the rule in this file's header). */
export function profileFromCounts(model: LoadedModel, languages: string[], counts: Float64Array, totals: number[], scripts: string[][], minCount: number, origin: string): TokenLanguageProfile {
  if (!(Number.isInteger(minCount) && minCount >= 1)) throw new UserError('--min-count', `must be a positive integer, got ${minCount}`);
  const V = model.cfg.vocabSize;
  const C = languages.length + 1;
  const matrix = new Float32Array(V * C);
  const source = new Uint8Array(V).fill(RowSource.Unknown);
  const bytes = vocabularyBytes(model.tokenizer, isByteLevel(model.ckpt.dir), V);
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const writers = new Map<string, number[]>();
  scripts.forEach((ss, li) => ss.forEach((s) => writers.set(s, [...(writers.get(s) ?? []), li])));
  const texts = bytes.map((b) => (b ? decoder.decode(b) : ''));
  const total = (v: number): number => {
    let n = 0;
    for (let l = 0; l < languages.length; l++) n += counts[l * V + v]!;
    return n;
  };
  // Counts first, for every token seen often enough.
  for (let v = 0; v < V; v++) {
    if (dominantScript(texts[v]!) === undefined || total(v) < minCount) continue;
    let z = 0;
    for (let l = 0; l < languages.length; l++) z += counts[l * V + v]! / Math.max(1, totals[l]!);
    for (let l = 0; l < languages.length; l++) matrix[v * C + l] = counts[l * V + v]! / Math.max(1, totals[l]!) / z;
    source[v] = RowSource.Counts;
  }
  // A rare token whose lower-case form is a token decided by counts takes that row (" The" ← " the").
  const byText = new Map<string, number>();
  texts.forEach((t, v) => {
    if (t && source[v] === RowSource.Counts && !byText.has(t)) byText.set(t, v);
  });
  for (let v = 0; v < V; v++) {
    const t = texts[v]!;
    if (source[v] !== RowSource.Unknown || dominantScript(t) === undefined) continue;
    const lower = byText.get(t.toLowerCase());
    if (lower !== undefined && lower !== v) {
      matrix.copyWithin(v * C, lower * C, (lower + 1) * C);
      source[v] = RowSource.Case;
      continue;
    }
    const script = dominantScript(t)!;
    const only = writers.get(script);
    if (only?.length === 1) {
      matrix[v * C + only[0]!] = 1;
      source[v] = RowSource.Script;
      continue;
    }
    matrix[v * C + C - 1] = 1;
  }
  for (let v = 0; v < V; v++) if (source[v] === RowSource.Unknown && dominantScript(texts[v]!) === undefined) matrix[v * C + C - 1] = 1;
  return { languages, matrix, source, counts, totals, scripts, minCount, origin, vocabSize: V };
}

/**
 * The counting rules' version, in every profile file's metadata (`rules`). Bump it whenever the
 * rows a corpus gives change (1: counts and scripts; 2: a rare token takes its lower-case form's
 * row): a cached profile is keyed by tokenizer, corpus and settings only, so one counted by other
 * rules is counted again instead of being reused.
 */
export const PROFILE_RULES = '2';

/** SHA-256 of the tokenizer files: a profile fits every model that tokenizes the same way. */
export function tokenizerFingerprint(dir: string): string {
  const h = createHash('sha256');
  for (const f of ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'tokenizer.model', 'vocab.json', 'merges.txt', 'added_tokens.json']) {
    const p = join(dir, f);
    if (existsSync(p)) h.update(`${f}\n`).update(readUserBytes(p, 'tokenizer'));
  }
  return h.digest('hex');
}

export function writeProfile(file: string, model: LoadedModel, p: TokenLanguageProfile, extra: Record<string, string> = {}): void {
  const V = p.vocabSize;
  writeSafetensors(
    file,
    [
      { name: 'counts', dtype: 'F64', shape: [p.languages.length, V], data: p.counts },
      { name: 'p_language', dtype: 'F32', shape: [V, p.languages.length + 1], data: p.matrix },
      { name: 'row_source', dtype: 'I32', shape: [V], data: Float32Array.from(p.source) },
    ],
    {
      format: 'polyglot-lens token languages 1',
      languages: JSON.stringify(p.languages),
      scripts: JSON.stringify(p.scripts),
      totals: JSON.stringify(p.totals),
      min_count: String(p.minCount),
      corpus: p.origin,
      model: model.name,
      tokenizer_fingerprint: tokenizerFingerprint(model.ckpt.dir),
      rules: PROFILE_RULES,
      ...extra,
    },
  );
}

/** Reads a profile file written for this model's tokenizer (an error names the mismatch otherwise). */
export function readProfile(file: string, model: LoadedModel, origin = file): TokenLanguageProfile {
  const meta = readSafetensorsMetadata(file) ?? {};
  if (meta.format !== 'polyglot-lens token languages 1') throw new UserError(file, 'is not a token-language profile of polyglot-lens (run `polyglot-lens lens languages` or `neurons` to make one)');
  if (meta.tokenizer_fingerprint !== tokenizerFingerprint(model.ckpt.dir)) {
    throw new UserError(file, `was made with the tokenizer of ${meta.model ?? 'another model'}, not ${model.name}'s; make a profile for this model`);
  }
  const entries = new Map(readSafetensorsHeader(file).map((e) => [e.name, e]));
  const languages = JSON.parse(meta.languages ?? '[]') as string[];
  const V = model.cfg.vocabSize;
  const need = (name: string, shape: number[]): NonNullable<ReturnType<typeof entries.get>> => {
    const e = entries.get(name);
    if (!e || e.shape.join(',') !== shape.join(',')) throw new UserError(file, `tensor ${name} must have shape [${shape.join(', ')}]`);
    return e;
  };
  return {
    languages,
    matrix: readTensorF32(need('p_language', [V, languages.length + 1])),
    source: Uint8Array.from(readTensorF64(need('row_source', [V]))),
    counts: readTensorF64(need('counts', [languages.length, V])),
    totals: JSON.parse(meta.totals ?? '[]') as number[],
    scripts: JSON.parse(meta.scripts ?? '[]') as string[][],
    minCount: Number(meta.min_count),
    origin: meta.corpus ?? origin,
    vocabSize: V,
  };
}

/**
 * The profile a lens run uses: a folder or file holding `token-languages.safetensors`, or a corpus
 * spec, whose profile is built once and kept in the cache folder (keyed by tokenizer, corpus and
 * settings) for the next run.
 */
export async function resolveProfile(model: LoadedModel, spec: string, cacheDir: string | undefined, o: ProfileOptions & { cwd?: string } = {}): Promise<TokenLanguageProfile> {
  const path = resolve(o.cwd ?? process.cwd(), spec);
  if (!spec.startsWith('udhr:') && existsSync(path)) {
    const st = statSync(path);
    if (st.isDirectory() && existsSync(join(path, PROFILE_FILE))) return readProfile(join(path, PROFILE_FILE), model, spec);
    if (st.isFile() && path.endsWith('.safetensors')) return readProfile(path, model, spec);
    // A `neurons` folder: the corpus, languages and truncation its LAPE run read.
    const stats = join(path, LAPE_STATS_FILE);
    if (st.isDirectory() && existsSync(stats)) {
      const meta = readSafetensorsMetadata(stats) ?? {};
      if (!meta.corpus) throw new UserError(stats, 'names no corpus in its metadata');
      const languages = JSON.parse(meta.languages ?? 'null') as string[] | null;
      return resolveProfile(model, meta.corpus, cacheDir, { ...o, languages: languages ?? undefined, maxLength: meta.max_length ? Number(meta.max_length) : o.maxLength });
    }
  }
  const corpus = openCorpus(spec, o.cwd);
  const key = createHash('sha256')
    .update(JSON.stringify([tokenizerFingerprint(model.ckpt.dir), corpusFingerprint(spec, o.cwd), o.languages ?? null, o.maxLength ?? null, o.maxTokensPerLang ?? null, o.minCount ?? DEFAULT_MIN_COUNT]))
    .digest('hex')
    .slice(0, 32);
  const cached = cacheDir ? join(cacheDir, `token-languages-${key}.safetensors`) : undefined;
  // An unreadable entry, or one counted by other rules (PROFILE_RULES), is counted again below.
  if (cached && existsSync(cached) && readSafetensorsMetadata(cached)?.rules === PROFILE_RULES) {
    try {
      return readProfile(cached, model, spec);
    } catch {
      /* rebuilt below */
    }
  }
  const p = await countTokenLanguages(model, corpus, o);
  if (cached) {
    try {
      mkdirSync(cacheDir!, { recursive: true });
      const tmp = `${cached}.part-${process.pid}.safetensors`;
      writeProfile(tmp, model, p);
      renameSync(tmp, cached);
    } catch {
      // The cache is an optimisation: a read-only cache folder never fails the run.
    }
  }
  return p;
}
