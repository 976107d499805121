/**
 * `mono:fr` and `mt:fr-en` (methods.md §3): k-shot demonstrations built from a corpus.
 * mono: "{Lang}: {sent}{eos}" × k;  mt: "{Src}: {s}{eos}{Tgt}: {t}{eos}" × k, no trailing query.
 * The eos is the tokenizer's EOS token text, so tokenizing the whole string gives the EOS id at
 * each boundary (added tokens are matched in text) and the tokenizer's BOS once at the start.
 *
 * Sampling: a seeded reservoir keeps up to sequences × shots texts (or pairs) of the corpus; each
 * sequence then draws `shots` distinct ones from that pool. A corpus smaller than the pool is used
 * whole, and sequences then share sentences in different combinations.
 */
import { UserError } from '../errors';
import type { ModelTokenizer } from '../tokenizer/tokenizer';
import { openCorpus } from '../corpus/open';
import type { Corpus, CorpusText } from '../corpus/types';
import { normalizeLanguage } from '../corpus/types';
import { languageName } from '../../shared/languages';
import { distinctIndices, mulberry32, reservoir } from './random';
import type { CalibrationOptions, CalibrationSet } from './types';

export function nameOf(lang: string): string {
  return languageName(lang) ?? lang;
}

function eosText(tokenizer: ModelTokenizer, source: string): string {
  const eos = tokenizer.eosId !== null ? tokenizer.idToToken(tokenizer.eosId) : undefined;
  if (eos === undefined) throw new UserError(source, 'the tokenizer has no EOS token, which the demonstration format needs');
  return eos;
}

function language(code: string, source: string): string {
  const lang = normalizeLanguage(code);
  if (!lang) throw new UserError(source, `unknown language code ${JSON.stringify(code)} (use ISO 639-1 codes such as fr)`);
  return lang;
}

function corpusFor(o: CalibrationOptions, langs: string[]): Corpus {
  if (o.corpus === undefined) return openCorpus(`udhr:${[...new Set(langs)].join(',')}`);
  return typeof o.corpus === 'string' ? openCorpus(o.corpus, o.cwd) : o.corpus;
}

async function* guard<T>(items: AsyncIterable<T>, source: string): AsyncGenerator<T> {
  try {
    yield* items;
  } catch (e) {
    // A corpus that lacks the language says so in its own words; name the calibration source too.
    if (e instanceof UserError) throw new UserError(source, e.message);
    throw e;
  }
}

type Settings = Required<Pick<CalibrationOptions, 'sequences' | 'shots' | 'length' | 'seed'>> & CalibrationOptions;

/**
 * Fewer distinct texts than sequences asked: the sequences are recombinations of a few sentences
 * (and with fewer than `shots`, shorter than asked), which the user should know. A pool smaller
 * than sequences × shots but larger than sequences is normal (UDHR) and not reported.
 */
function shortfall(source: string, have: number, o: Settings, what: string): string[] {
  if (have >= o.sequences) return [];
  const per = Math.min(have, o.shots);
  return [`${source}: only ${have} ${what} available for the ${o.sequences} sequences asked; sequences reuse them${per < o.shots ? ` and hold ${per} of the ${o.shots} shots` : ''}`];
}

/** Each sequence: `shots` distinct pieces of the pool, concatenated, tokenized, truncated. */
function build(pieces: string[], o: Settings, tokenizer: ModelTokenizer, rng: () => number): number[][] {
  const sequences: number[][] = [];
  for (let s = 0; s < o.sequences; s++) {
    const text = distinctIndices(pieces.length, o.shots, rng).map((i) => pieces[i]).join('');
    sequences.push(tokenizer.encodeTruncated(text, o.length));
  }
  return sequences;
}

export async function monoCalibration(source: string, code: string, tokenizer: ModelTokenizer, o: Settings): Promise<CalibrationSet> {
  const lang = language(code, source);
  const eos = eosText(tokenizer, source);
  const corpus = corpusFor(o, [lang]);
  const rng = mulberry32(o.seed);
  const texts: CorpusText[] = await reservoir(guard(corpus.texts(lang, o.signal), source), o.sequences * o.shots, rng);
  if (texts.length === 0) throw new UserError(source, `corpus ${corpus.name} has no ${nameOf(lang)} text`);
  const pieces = texts.map((t) => `${nameOf(lang)}: ${t.text}${eos}`);
  const sequences = build(pieces, o, tokenizer, rng);
  return { source, kind: 'mono', label: nameOf(lang), languages: [lang], sequences, tokens: sequences.reduce((n, s) => n + s.length, 0), warnings: shortfall(source, texts.length, o, `${nameOf(lang)} texts`) };
}

export async function mtCalibration(source: string, pair: string, tokenizer: ModelTokenizer, o: Settings): Promise<CalibrationSet> {
  const m = /^([A-Za-z_]+)-([A-Za-z_]+)$/.exec(pair);
  if (!m) throw new UserError(source, 'expected mt:SRC-TGT, e.g. mt:fr-en');
  const src = language(m[1]!, source);
  const tgt = language(m[2]!, source);
  if (src === tgt) throw new UserError(source, 'source and target language are the same');
  const eos = eosText(tokenizer, source);
  const corpus = corpusFor(o, [src, tgt]);
  const rng = mulberry32(o.seed);
  const pairs = await reservoir(guard(corpus.parallel(src, tgt, o.signal), source), o.sequences * o.shots, rng);
  if (pairs.length === 0) throw new UserError(source, `corpus ${corpus.name} has no aligned ${nameOf(src)}–${nameOf(tgt)} pairs`);
  const pieces = pairs.map(([s, t]) => `${nameOf(src)}: ${s.text}${eos}${nameOf(tgt)}: ${t.text}${eos}`);
  const sequences = build(pieces, o, tokenizer, rng);
  return { source, kind: 'mt', label: `${nameOf(src)}→${nameOf(tgt)}`, languages: [src, tgt], sequences, tokens: sequences.reduce((n, s) => n + s.length, 0), warnings: shortfall(source, pairs.length, o, `${nameOf(src)}–${nameOf(tgt)} pairs`) };
}
