/**
 * GPT-2-style tokenizer folders without a tokenizer.json (the original gpt2 repositories,
 * ai-forever/mGPT): vocab.json + merges.txt, with special_tokens_map.json, tokenizer_config.json
 * and added_tokens.json when present. They are turned into the tokenizer.json object that
 * transformers builds from its GPT2Tokenizer (convert_slow_tokenizer.py, GPT2Converter), so the
 * engine then loads, encodes, decodes and places offsets exactly as for a tokenizer.json:
 * byte-level BPE without an unknown token, the ByteLevel pre-tokenizer (GPT-2's split regex,
 * add_prefix_space), the ByteLevel decoder, and `BOS $A` when add_bos_token.
 * Special tokens are resolved as transformers' from_pretrained does (effectiveConfig below).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors';
import { readJsonObject, readPlainFile } from '../io/jsonObject';

export const VOCAB_FILE = 'vocab.json';
export const MERGES_FILE = 'merges.txt';

/** GPT2Tokenizer's defaults for the special tokens a config leaves out (null in a config means none). */
const GPT2_DEFAULTS: Record<string, string> = { bos_token: '<|endoftext|>', eos_token: '<|endoftext|>', unk_token: '<|endoftext|>' };

/** transformers' SPECIAL_TOKENS_ATTRIBUTES order: special tokens missing from the vocabulary get ids in this order. */
const SPECIAL_KEYS = ['bos_token', 'eos_token', 'unk_token', 'sep_token', 'pad_token', 'cls_token', 'mask_token'];

/** Tokenizer classes whose vocab.json + merges.txt mean GPT-2's byte-level BPE. */
const GPT2_CLASSES = new Set(['GPT2Tokenizer', 'GPT2TokenizerFast']);

/** An entry of tokenizer.json's added_tokens. */
export interface AddedToken {
  id: number;
  content: string;
  single_word: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  special: boolean;
}

export function hasVocabMerges(dir: string): boolean {
  return existsSync(join(dir, VOCAB_FILE)) || existsSync(join(dir, MERGES_FILE));
}

function readVocab(file: string): Map<string, number> {
  const json = readJsonObject(file, 'token → id');
  const vocab = new Map<string, number>();
  for (const [token, id] of Object.entries(json)) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) {
      throw new UserError(file, `token ${JSON.stringify(token)} has id ${JSON.stringify(id)} (expected a non-negative integer)`);
    }
    vocab.set(token, id);
  }
  if (vocab.size === 0) throw new UserError(file, 'the vocabulary is empty');
  return vocab;
}

/**
 * merges.txt: a `#version` header, then one merge per line in rank order, "left right". Checked as
 * the tokenizers library's BPE builder checks it: both symbols and their concatenation must be
 * tokens of the vocabulary.
 */
function readMerges(file: string, vocab: Map<string, number>): [string, string][] {
  const lines = readPlainFile(file).split('\n');
  while (lines.length > 0 && lines[lines.length - 1]!.replace(/\r$/, '') === '') lines.pop();
  const merges: [string, string][] = [];
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.startsWith('#version')) return;
    const at = `${file}:${i + 1}`;
    const parts = line.split(' ');
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
      throw new UserError(at, `expected two symbols separated by one space, got ${JSON.stringify(line.length > 60 ? `${line.slice(0, 60)}…` : line)}`);
    }
    const [a, b] = parts as [string, string];
    for (const s of [a, b]) if (!vocab.has(s)) throw new UserError(at, `symbol ${JSON.stringify(s)} is not in ${VOCAB_FILE}`);
    if (!vocab.has(a + b)) throw new UserError(at, `the merge result ${JSON.stringify(a + b)} is not in ${VOCAB_FILE}`);
    merges.push([a, b]);
  });
  return merges;
}

/** A special token in a config: a string or an AddedToken object {content, lstrip, …}. */
function configToken(v: unknown): { content: string; flags: Partial<AddedToken> } | undefined {
  if (typeof v === 'string') return { content: v, flags: {} };
  if (v && typeof v === 'object' && typeof (v as { content?: unknown }).content === 'string') {
    const o = v as Record<string, unknown>;
    const flag = (k: string): boolean | undefined => (typeof o[k] === 'boolean' ? (o[k] as boolean) : undefined);
    return { content: o.content as string, flags: { lstrip: flag('lstrip'), rstrip: flag('rstrip'), single_word: flag('single_word'), normalized: flag('normalized') } };
  }
  return undefined;
}

/**
 * The effective tokenizer config as from_pretrained (transformers 4.34+) builds it:
 * tokenizer_config.json, with special_tokens_map.json over it unless the config is in the newer
 * format that lists added_tokens_decoder (then the map is only a copy and is not read);
 * GPT2Tokenizer's defaults for bos/eos/unk set in neither.
 */
function effectiveConfig(dir: string): Record<string, unknown> {
  const read = (name: string): Record<string, unknown> => (existsSync(join(dir, name)) ? readJsonObject(join(dir, name), name) : {});
  const base = read('tokenizer_config.json');
  const cfg: Record<string, unknown> = base.added_tokens_decoder ? base : { ...base, ...read('special_tokens_map.json') };
  for (const [k, v] of Object.entries(GPT2_DEFAULTS)) if (!(k in cfg)) cfg[k] = v;
  return cfg;
}

/** Added tokens with their ids: tokenizer_config's added_tokens_decoder, added_tokens.json, then the special tokens. */
function addedTokens(dir: string, cfg: Record<string, unknown>, vocab: Map<string, number>): AddedToken[] {
  const byContent = new Map<string, AddedToken>();
  let next = Math.max(...vocab.values()) + 1;
  const put = (t: AddedToken): void => {
    byContent.set(t.content, t);
    next = Math.max(next, t.id + 1);
  };
  const base = (id: number, content: string, special: boolean): AddedToken => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: !special, special });
  const decoder = cfg.added_tokens_decoder;
  if (decoder && typeof decoder === 'object') {
    for (const [id, v] of Object.entries(decoder as Record<string, unknown>)) {
      const t = configToken(v);
      if (t && /^\d+$/.test(id)) {
        const special = (v as { special?: unknown }).special === true;
        put({ ...base(Number(id), t.content, special), ...stripUndefined(t.flags) });
      }
    }
  }
  // Like special_tokens_map.json, added_tokens.json is read only beside an older-format config.
  const addedFile = join(dir, 'added_tokens.json');
  if (!decoder && existsSync(addedFile)) {
    for (const [content, id] of Object.entries(readJsonObject(addedFile, 'token → id'))) {
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) throw new UserError(addedFile, `token ${JSON.stringify(content)} has id ${JSON.stringify(id)} (expected a non-negative integer)`);
      if (!byContent.has(content)) put(base(id, content, false));
    }
  }
  const extra = Array.isArray(cfg.additional_special_tokens) ? cfg.additional_special_tokens : [];
  for (const v of [...SPECIAL_KEYS.map((k) => cfg[k]), ...extra]) {
    const t = configToken(v);
    if (!t) continue;
    const known = byContent.get(t.content);
    if (known) {
      known.special = true;
      continue;
    }
    put({ ...base(vocab.get(t.content) ?? next, t.content, true), ...stripUndefined(t.flags) });
  }
  return [...byContent.values()].sort((a, b) => a.id - b.id);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The tokenizer.json object GPT2Converter makes from vocab.json + merges.txt, and the effective
 * tokenizer config (special tokens, add_bos_token) for ModelTokenizer.
 */
export function vocabMergesTokenizer(dir: string): { json: Record<string, unknown>; config: Record<string, unknown> } {
  const vocabFile = join(dir, VOCAB_FILE);
  const mergesFile = join(dir, MERGES_FILE);
  for (const f of [vocabFile, mergesFile]) {
    if (!existsSync(f)) throw new UserError(f, `missing (a folder without tokenizer.json needs both ${VOCAB_FILE} and ${MERGES_FILE})`);
  }
  const config = effectiveConfig(dir);
  const cls = config.tokenizer_class;
  if (typeof cls === 'string' && !GPT2_CLASSES.has(cls)) {
    throw new UserError(join(dir, 'tokenizer_config.json'), `tokenizer_class ${cls} from ${VOCAB_FILE} + ${MERGES_FILE} is not supported (only GPT-2's byte-level BPE); save the tokenizer with a tokenizer.json`);
  }
  const vocab = readVocab(vocabFile);
  const merges = readMerges(mergesFile, vocab);
  const added = addedTokens(dir, config, vocab);
  const addPrefixSpace = config.add_prefix_space === true;
  const bos = configToken(config.bos_token)?.content;
  const bosId = bos === undefined ? undefined : added.find((t) => t.content === bos)?.id;
  const postProcessor =
    config.add_bos_token === true && bos !== undefined && bosId !== undefined
      ? {
          type: 'TemplateProcessing',
          single: [{ SpecialToken: { id: bos, type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
          pair: [{ SpecialToken: { id: bos, type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }],
          special_tokens: { [bos]: { id: bos, ids: [bosId], tokens: [bos] } },
        }
      : { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true };
  const json = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: addPrefixSpace, trim_offsets: true, use_regex: true },
    post_processor: postProcessor,
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: Object.fromEntries(vocab),
      merges,
    },
  };
  return { json, config };
}
