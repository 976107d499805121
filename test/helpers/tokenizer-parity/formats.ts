/**
 * The tokenizer.json formats the supported families ship, built from the models the parity
 * fixtures hold (test/fixtures/tokenizer-parity, made by tools/tokenizer-parity) the way
 * transformers' converters build them (convert_slow_tokenizer.py: XGLMConverter, LlamaConverter,
 * GemmaConverter, GPT2Converter, Qwen2Converter, the TikToken converter Llama 3 went through; BLOOM's
 * file as released), plus variants that exercise each component option on its own: Metaspace
 * prepend schemes, Split behaviours, added tokens with lstrip / rstrip / single_word / normalized.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PieceType, readSpmModel, type SpmModel } from './spmModel';
import { bpe } from '../tokenizer-json';
import { STORIES260K } from '../shared';

export const PARITY_FIXTURES = resolve(__dirname, '../../fixtures/tokenizer-parity');
/** llama2.c's stories260K tokenizer (Llama 2's format as released), from the committed checkpoint (test/fixtures/models/stories260K). */
export const STORIES_FORMAT = 'stories260K (Llama 2 format)';

export interface ParityFormat {
  name: string;
  json: Record<string, unknown>;
  config: Record<string, unknown>;
}

interface Added {
  id: number;
  content: string;
  special?: boolean;
  normalized?: boolean;
  lstrip?: boolean;
  rstrip?: boolean;
  single_word?: boolean;
}

const added = (t: Added) => ({
  id: t.id,
  content: t.content,
  single_word: t.single_word ?? false,
  lstrip: t.lstrip ?? false,
  rstrip: t.rstrip ?? false,
  normalized: t.normalized ?? !(t.special ?? true),
  special: t.special ?? true,
});

/** SentencePiece's nmt_nfkc rule as a tokenizer.json's base64 precompiled_charsmap (XGLM's normalizer). */
export function nmtNfkcCharsmap(): string {
  return spm('unigram').precompiledCharsmap.toString('base64');
}

const spm = (name: string): SpmModel => readSpmModel(gunzipSync(readFileSync(join(PARITY_FIXTURES, `${name}.model.gz`))));

/** `single` = [specials before, 'A', specials after]: TemplateProcessing as the converters write it. */
function template(single: string[], ids: Record<string, number>): Record<string, unknown> {
  const piece = (p: string, typeId: number) => (p === 'A' || p === 'B' ? { Sequence: { id: p, type_id: typeId } } : { SpecialToken: { id: p, type_id: typeId } });
  return {
    type: 'TemplateProcessing',
    single: single.map((p) => piece(p, 0)),
    pair: [...single.map((p) => piece(p, 0)), ...single.map((p) => piece(p === 'A' ? 'B' : p, 1))],
    special_tokens: Object.fromEntries(Object.entries(ids).map(([t, id]) => [t, { id: t, ids: [id], tokens: [t] }])),
  };
}

const cpLen = (s: string): number => [...s].length;

/**
 * BPE merges from a SentencePiece vocabulary as transformers' generate_merges derives them: every
 * split of every piece into two pieces of the vocabulary, ordered within a piece by the parts' ids,
 * then over all pieces by score, left length, right length (descending, stable).
 */
function spmMerges(vocab: Map<string, number>, scores: [string, number][]): string[] {
  const all: { l: string; r: string; score: number }[] = [];
  for (const [piece, score] of scores) {
    const cps = [...piece];
    const local: { l: string; r: string; score: number }[] = [];
    for (let i = 1; i < cps.length; i++) {
      const l = cps.slice(0, i).join('');
      const r = cps.slice(i).join('');
      if (vocab.has(l) && vocab.has(r)) local.push({ l, r, score });
    }
    local.sort((a, b) => vocab.get(a.l)! - vocab.get(b.l)! || vocab.get(a.r)! - vocab.get(b.r)!);
    all.push(...local);
  }
  all.sort((a, b) => b.score - a.score || cpLen(b.l) - cpLen(a.l) || cpLen(b.r) - cpLen(a.r));
  return all.map((m) => `${m.l} ${m.r}`);
}

const metaspace = (prependScheme: 'always' | 'first' | 'never', split = true) => ({ type: 'Metaspace', replacement: '▁', prepend_scheme: prependScheme, split });
const spmBpeDecoder = { type: 'Sequence', decoders: [{ type: 'Replace', pattern: { String: '▁' }, content: ' ' }, { type: 'ByteFallback' }, { type: 'Fuse' }, { type: 'Strip', content: ' ', start: 1, stop: 0 }] };

/** XGLM: Unigram over <s> <pad> </s> <unk> + the model's pieces + seven made-up words, unk id 3, "</s> $A". */
function xglm(m: SpmModel, normalizer: unknown, preTokenizer: unknown, extra: Added[] = []): { json: Record<string, unknown>; config: Record<string, unknown> } {
  const vocab: [string, number][] = [['<s>', 0], ['<pad>', 0], ['</s>', 0], ['<unk>', 0], ...m.pieces.slice(3).map((p): [string, number] => [p.piece, p.score])];
  for (let i = 0; i < 7; i++) vocab.push([`<madeupword${i}>`, 0]);
  const specials = ['<s>', '<pad>', '</s>', '<unk>'].map((content, id) => added({ id, content }));
  const made = vocab.slice(-7).map(([content], i) => added({ id: vocab.length - 7 + i, content }));
  return {
    json: {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: [...specials, ...made, ...extra.map(added)],
      normalizer,
      pre_tokenizer: preTokenizer,
      post_processor: template(['</s>', 'A'], { '<s>': 0, '</s>': 2 }),
      decoder: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
      model: { type: 'Unigram', unk_id: 3, vocab, byte_fallback: false },
    },
    config: { bos_token: '<s>', eos_token: '</s>', unk_token: '<unk>', pad_token: '<pad>' },
  };
}

const precompiled = (m: SpmModel) => ({ type: 'Precompiled', precompiled_charsmap: m.precompiledCharsmap.toString('base64') });

/** Llama 2 / Gemma: SentencePiece BPE with byte fallback, merges derived from the pieces' scores. */
function spmBpe(m: SpmModel, head: string[], opts: { tabFix: boolean }): { vocab: Record<string, number>; merges: string[] } {
  const scores: [string, number][] = [...head.map((t): [string, number] => [t, 0]), ...m.pieces.slice(3).map((p): [string, number] => [p.piece, p.score])];
  const spmVocab = new Map(m.pieces.map((p, i) => [p.piece, i]));
  if (opts.tabFix && !scores.some(([p]) => p === '\t')) {
    // GemmaConverter: older Gemma vocabularies lack "\t"; <0x09>'s slot becomes "\t".
    const at = scores.findIndex(([p]) => p === '<0x09>');
    if (at >= 0) {
      scores[at] = ['\t', 0];
      spmVocab.set('\t', spmVocab.get('<0x09>')!);
    }
  }
  return { vocab: Object.fromEntries(scores.map(([p], i) => [p, i])), merges: spmMerges(spmVocab, scores) };
}

const bpeModel = (vocab: Record<string, number>, merges: string[], o: { unk: string | null; byteFallback: boolean; fuseUnk: boolean; ignoreMerges?: boolean }) =>
  bpe(vocab, merges, { ...o, ignoreMerges: o.ignoreMerges ?? false });

function llama2(normalizer: unknown, preTokenizer: unknown, extra: Added[] = []): { json: Record<string, unknown>; config: Record<string, unknown> } {
  const m = spm('llama');
  const { vocab, merges } = spmBpe(m, ['<unk>', '<s>', '</s>'], { tabFix: false });
  return {
    json: {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: [added({ id: 0, content: '<unk>' }), added({ id: 1, content: '<s>' }), added({ id: 2, content: '</s>' }), ...extra.map(added)],
      normalizer,
      pre_tokenizer: preTokenizer,
      post_processor: template(['<s>', 'A'], { '<s>': 1 }),
      decoder: spmBpeDecoder,
      model: bpeModel(vocab, merges, { unk: m.unkPiece, byteFallback: true, fuseUnk: true }),
    },
    config: { bos_token: '<s>', eos_token: '</s>', unk_token: '<unk>', add_bos_token: true, legacy: normalizer !== null },
  };
}

function gemma(preTokenizer: unknown): { json: Record<string, unknown>; config: Record<string, unknown> } {
  const m = spm('gemma');
  const { vocab, merges } = spmBpe(m, ['<pad>', '<eos>', '<bos>'], { tabFix: true });
  const specials = ['<pad>', '<eos>', '<bos>', '<unk>'].map((content, id) => added({ id, content }));
  const next = Object.keys(vocab).length;
  return {
    json: {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: [...specials, added({ id: next, content: '<start_of_turn>' }), added({ id: next + 1, content: '<end_of_turn>' })],
      normalizer: { type: 'Replace', pattern: { String: ' ' }, content: '▁' },
      pre_tokenizer: preTokenizer,
      post_processor: template(['<bos>', 'A'], { '<bos>': 2 }),
      decoder: { type: 'Sequence', decoders: [{ type: 'Replace', pattern: { String: '▁' }, content: ' ' }, { type: 'ByteFallback' }, { type: 'Fuse' }] },
      model: bpeModel(vocab, merges, { unk: '<unk>', byteFallback: true, fuseUnk: true }),
    },
    config: { bos_token: '<bos>', eos_token: '<eos>', pad_token: '<pad>', unk_token: '<unk>', add_bos_token: true },
  };
}

const byteLevel = (addPrefixSpace: boolean, useRegex: boolean) => ({ type: 'ByteLevel', add_prefix_space: addPrefixSpace, trim_offsets: true, use_regex: useRegex });
const splitRegex = (regex: string, behavior = 'Isolated', invert = false) => ({ type: 'Split', pattern: { Regex: regex }, behavior, invert });

export const LLAMA3_SPLIT = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
export const QWEN2_SPLIT = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
export const BLOOM_SPLIT = ' ?[^(\\s|[.,!?…。，、।۔،])]+';

/** Byte-level BPE (trained by tools/tokenizer-parity/train-byte-level.mjs) in one family's dress. */
function byteLevelBpe(o: { normalizer?: unknown; preTokenizer: unknown; specials: string[]; postProcessor?: (ids: Record<string, number>) => unknown; ignoreMerges?: boolean; normalizedSpecials?: boolean; config?: Record<string, unknown> }): { json: Record<string, unknown>; config: Record<string, unknown> } {
  const { vocab, merges } = JSON.parse(gunzipSync(readFileSync(join(PARITY_FIXTURES, 'byte-level-bpe.json.gz'))).toString('utf8')) as { vocab: Record<string, number>; merges: string[] };
  const base = Object.keys(vocab).length;
  const ids = Object.fromEntries(o.specials.map((t, i) => [t, base + i]));
  return {
    json: {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: o.specials.map((content) => added({ id: ids[content]!, content, normalized: o.normalizedSpecials ?? false })),
      normalizer: o.normalizer ?? null,
      pre_tokenizer: o.preTokenizer,
      post_processor: o.postProcessor ? o.postProcessor(ids) : { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
      decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
      model: bpeModel(vocab, merges, { unk: null, byteFallback: false, fuseUnk: false, ignoreMerges: o.ignoreMerges }),
    },
    config: o.config ?? {},
  };
}

/** Added tokens with every option, typed in the parity strings' edge cases. */
export function flagTokens(first: number): Added[] {
  return [
    { id: first, content: '<mask>', special: true, lstrip: true, normalized: true },
    { id: first + 1, content: '<sep>', special: true, rstrip: true },
    { id: first + 2, content: 'hello', special: false, single_word: true, normalized: true },
    { id: first + 3, content: 'ＡＢ', special: false, normalized: true },
    { id: first + 4, content: '[x]', special: false, normalized: false, lstrip: true, rstrip: true },
    { id: first + 5, content: '  ', special: false, normalized: false },
  ];
}

export function parityFormats(): ParityFormat[] {
  const out: ParityFormat[] = [];
  const add = (name: string, f: { json: Record<string, unknown>; config: Record<string, unknown> }): void => {
    out.push({ name, ...f });
  };
  const uni = spm('unigram');
  if (uni.modelType !== 1 || uni.precompiledCharsmap.length === 0) throw new Error('unigram.model.gz: expected a Unigram model with a precompiled charsmap');
  const uniPieces = uni.pieces.length + 1 + 7; // + <pad>, made-up words
  // XGLM as released (older converter: Replace of space runs by one space, Metaspace with add_prefix_space).
  add('XGLM Unigram + Precompiled (as released)', xglm(uni, { type: 'Sequence', normalizers: [precompiled(uni), { type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' }] }, { type: 'Metaspace', replacement: '▁', add_prefix_space: true }));
  // XGLM as today's SpmConverter writes it.
  const current = { type: 'Sequence', normalizers: [precompiled(uni), { type: 'Strip', strip_left: false, strip_right: true }, { type: 'Replace', pattern: { Regex: ' {2,}' }, content: '▁' }] };
  add('XGLM Unigram + Precompiled (current converter)', xglm(uni, current, metaspace('always')));
  add('Unigram, Metaspace prepend first', xglm(uni, current, metaspace('first')));
  add('Unigram, Metaspace prepend never, no split', xglm(uni, current, metaspace('never', false)));
  add('Unigram + Precompiled, added-token options', xglm(uni, current, metaspace('always'), flagTokens(uniPieces)));
  add('Llama 2 SentencePiece BPE, byte fallback (legacy)', llama2({ type: 'Sequence', normalizers: [{ type: 'Prepend', prepend: '▁' }, { type: 'Replace', pattern: { String: ' ' }, content: '▁' }] }, null));
  add('Llama 2 SentencePiece BPE, byte fallback (legacy: false)', llama2(null, metaspace('first', false)));
  add('SentencePiece BPE, Metaspace always with split (older Mistral files)', llama2(null, { type: 'Metaspace', replacement: '▁', add_prefix_space: true }));
  add('Llama 2 SentencePiece BPE, added-token options', llama2(null, metaspace('first', false), flagTokens(spm('llama').pieces.length)));
  add('Gemma SentencePiece BPE, byte fallback', gemma(null));
  add('Gemma SentencePiece BPE, Split " " merged_with_previous', gemma({ type: 'Split', pattern: { String: ' ' }, behavior: 'MergedWithPrevious', invert: false }));
  add('GPT-2 byte-level BPE', byteLevelBpe({ preTokenizer: byteLevel(false, true), specials: ['<|endoftext|>'], normalizedSpecials: true, config: { bos_token: '<|endoftext|>', eos_token: '<|endoftext|>' } }));
  add('GPT-2 byte-level BPE, add_prefix_space', byteLevelBpe({ preTokenizer: byteLevel(true, true), specials: ['<|endoftext|>'], config: { bos_token: '<|endoftext|>', eos_token: '<|endoftext|>' } }));
  add('BLOOM byte-level BPE', byteLevelBpe({ preTokenizer: { type: 'Sequence', pretokenizers: [splitRegex(BLOOM_SPLIT), byteLevel(false, false)] }, specials: ['<unk>', '<s>', '</s>', '<pad>'], config: { bos_token: '<s>', eos_token: '</s>', unk_token: '<unk>', pad_token: '<pad>' } }));
  add('Llama 3 byte-level BPE', byteLevelBpe({
    preTokenizer: { type: 'Sequence', pretokenizers: [splitRegex(LLAMA3_SPLIT), byteLevel(false, false)] },
    specials: ['<|begin_of_text|>', '<|end_of_text|>', '<|reserved_special_token_0|>', '<|start_header_id|>', '<|end_header_id|>', '<|eot_id|>'],
    ignoreMerges: true,
    postProcessor: (ids) => ({ type: 'Sequence', processors: [{ type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true }, template(['<|begin_of_text|>', 'A'], { '<|begin_of_text|>': ids['<|begin_of_text|>']! })] }),
    config: { bos_token: '<|begin_of_text|>', eos_token: '<|end_of_text|>' },
  }));
  add('Qwen2 byte-level BPE', byteLevelBpe({ normalizer: { type: 'NFC' }, preTokenizer: { type: 'Sequence', pretokenizers: [splitRegex(QWEN2_SPLIT), byteLevel(false, false)] }, specials: ['<|endoftext|>', '<|im_start|>', '<|im_end|>'], config: { eos_token: '<|im_end|>', pad_token: '<|endoftext|>' } }));
  for (const behavior of ['Removed', 'Isolated', 'MergedWithPrevious', 'MergedWithNext', 'Contiguous']) {
    for (const invert of behavior === 'Isolated' || behavior === 'Removed' ? [false, true] : [false]) {
      add(`byte-level BPE, Split ${behavior}${invert ? ' inverted' : ''}`, byteLevelBpe({ preTokenizer: { type: 'Sequence', pretokenizers: [splitRegex('[\\p{P}\\s]', behavior, invert), byteLevel(false, false)] }, specials: ['<|endoftext|>'] }));
    }
  }
  const defaultDir = resolve(__dirname, '../../../models/default');
  add('default model', { json: JSON.parse(readFileSync(join(defaultDir, 'tokenizer.json'), 'utf8')), config: JSON.parse(readFileSync(join(defaultDir, 'tokenizer_config.json'), 'utf8')) });
  add(STORIES_FORMAT, { json: JSON.parse(readFileSync(join(STORIES260K, 'tokenizer.json'), 'utf8')), config: JSON.parse(readFileSync(join(STORIES260K, 'tokenizer_config.json'), 'utf8')) });
  return out;
}

export { PieceType };
