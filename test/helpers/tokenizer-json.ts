/**
 * Tiny tokenizer.json files in the exact formats the model families ship (same sections, same
 * component types and options as the released files), with a handful of merges so that results
 * can be worked out by hand:
 * - Gemma: SentencePiece-style BPE on '▁'-replaced text, byte fallback to <0xNN> tokens, <bos>;
 * - Llama 3: byte-level BPE after Llama 3's split regex (digits in groups of three),
 *   ignore_merges, <|begin_of_text|>;
 * - Qwen2: NFC, byte-level BPE after Qwen2's split regex (single digits), no BOS, ChatML specials.
 */
import { bytesToUnicode } from './tiny-model';

const added = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });

const template = (bos: string, bosId: number) => ({
  type: 'TemplateProcessing',
  single: [{ SpecialToken: { id: bos, type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
  pair: [{ SpecialToken: { id: bos, type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: bos, type_id: 1 } }, { Sequence: { id: 'B', type_id: 1 } }],
  special_tokens: { [bos]: { id: bos, ids: [bosId], tokens: [bos] } },
});

/** A tokenizer.json BPE model section with the options the families set. */
export const bpe = (vocab: Record<string, number>, merges: string[], o: { byteFallback: boolean; unk: string | null; ignoreMerges: boolean; fuseUnk: boolean }) => ({
  type: 'BPE',
  dropout: null,
  unk_token: o.unk,
  continuing_subword_prefix: null,
  end_of_word_suffix: null,
  fuse_unk: o.fuseUnk,
  byte_fallback: o.byteFallback,
  ignore_merges: o.ignoreMerges,
  vocab,
  merges,
});

/** Adds every token a merge produces (in merge order) after the ids already in `vocab`. */
function withMergeResults(vocab: Record<string, number>, merges: string[]): Record<string, number> {
  let next = Math.max(...Object.values(vocab)) + 1;
  for (const m of merges) {
    const tok = m.replace(' ', '');
    if (!(tok in vocab)) vocab[tok] = next++;
  }
  return vocab;
}

export const GEMMA_MERGES = ['l l', 'H e', 'He ll', 'Hell o', '▁ w', 'o r', '▁w or', 'l d', '▁wor ld'];

/** Gemma: <pad> 0, <eos> 1, <bos> 2, <unk> 3, <0x00>…<0xFF> 4…259, then '▁' and letters, then merges. */
export function gemmaTokenizerJson(): object {
  const vocab: Record<string, number> = { '<pad>': 0, '<eos>': 1, '<bos>': 2, '<unk>': 3 };
  for (let b = 0; b < 256; b++) vocab[`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`] = 4 + b;
  for (const ch of ['▁', 'H', 'e', 'l', 'o', 'w', 'r', 'd', 'a']) vocab[ch] = Object.keys(vocab).length;
  withMergeResults(vocab, GEMMA_MERGES);
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [added(0, '<pad>'), added(1, '<eos>'), added(2, '<bos>'), added(3, '<unk>')],
    normalizer: { type: 'Replace', pattern: { String: ' ' }, content: '▁' },
    pre_tokenizer: null,
    post_processor: template('<bos>', 2),
    decoder: { type: 'Sequence', decoders: [{ type: 'Replace', pattern: { String: '▁' }, content: ' ' }, { type: 'ByteFallback' }, { type: 'Fuse' }] },
    model: bpe(vocab, GEMMA_MERGES, { byteFallback: true, unk: '<unk>', ignoreMerges: false, fuseUnk: true }),
  };
}

const LLAMA3_SPLIT = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const QWEN2_SPLIT = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

/** Byte-level vocabulary: the 256 byte characters as ids 0…255 in GPT-2 order, then the merges. */
function byteLevelVocab(merges: string[]): Record<string, number> {
  const vocab: Record<string, number> = {};
  const { cs } = bytesToUnicode();
  cs.forEach((c, i) => (vocab[String.fromCodePoint(c)] = i));
  return withMergeResults(vocab, merges);
}

/** '3 4' first: BPE over a whole "12345" would make 12|34|5; Llama 3's split makes 123|45. */
export const LLAMA3_MERGES = ['3 4', '1 2', '12 3', '4 5', 'H e', 'l l', 'He ll', 'Hell o', 'Ġ w', 'o r', 'Ġw or', 'l d', 'Ġwor ld'];

export function llama3TokenizerJson(): { json: object; bos: number; eos: number; there: number } {
  const vocab = byteLevelVocab(LLAMA3_MERGES);
  // A whole word in the vocabulary with no merges leading to it: only ignore_merges finds it.
  const there = Object.keys(vocab).length;
  vocab['Ġthere'] = there;
  const bos = there + 1;
  const eos = there + 2;
  const json = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [added(bos, '<|begin_of_text|>'), added(eos, '<|end_of_text|>')],
    normalizer: null,
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Split', pattern: { Regex: LLAMA3_SPLIT }, behavior: 'Isolated', invert: false },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: { type: 'Sequence', processors: [{ type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true }, template('<|begin_of_text|>', bos)] },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: bpe(vocab, LLAMA3_MERGES, { byteFallback: false, unk: null, ignoreMerges: true, fuseUnk: false }),
  };
  return { json, bos, eos, there };
}

/** 'Ã ©' is é (C3 A9) as byte-level characters. */
export const QWEN2_MERGES = ['1 2', 'H e', 'l l', 'He ll', 'Hell o', 'Ã ©'];

export function qwen2TokenizerJson(): { json: object; endoftext: number; imStart: number; imEnd: number } {
  const vocab = byteLevelVocab(QWEN2_MERGES);
  const endoftext = Object.keys(vocab).length;
  const json = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [added(endoftext, '<|endoftext|>'), added(endoftext + 1, '<|im_start|>'), added(endoftext + 2, '<|im_end|>')],
    normalizer: { type: 'NFC' },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Split', pattern: { Regex: QWEN2_SPLIT }, behavior: 'Isolated', invert: false },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false },
      ],
    },
    post_processor: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false },
    decoder: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false },
    model: bpe(vocab, QWEN2_MERGES, { byteFallback: false, unk: null, ignoreMerges: false, fuseUnk: false }),
  };
  return { json, endoftext, imStart: endoftext + 1, imEnd: endoftext + 2 };
}
