/**
 * Encoding as Hugging Face's Rust `tokenizers` library encodes (tokenizer/mod.rs,
 * added_vocabulary.rs, normalizers/, pre_tokenizers/, processors/), on top of
 * @huggingface/tokenizers' models (BPE with byte fallback, Unigram) — ids, and each token's span in
 * the input text (aligned.ts):
 * - added tokens (addedTokens.ts): matched on the raw text for `normalized: false` tokens, then on
 *   each normalized piece for `normalized: true` ones;
 * - normalizers (normalizers.ts): the `Precompiled` charsmap (precompiled.ts) instead of NFKC,
 *   `Strip` on White_Space, `Replace`, `Prepend`, the library's Unicode forms;
 * - pre-tokenizers (preTokenizers.ts): `Split` with each behaviour and `invert`, `Metaspace` with
 *   `split` and `prepend_scheme`, `ByteLevel`;
 * - ids from the model's own vocabulary, where each token lies in its piece (modelTokens.ts), then
 *   the post-processor (postProcessors.ts).
 * test/engine/tokenizer-parity.test.ts checks ids and offsets of every family's format against
 * the library itself.
 */
import type { Tokenizer } from '@huggingface/tokenizers';
import { AlignedText, type OffsetRule } from './aligned';
import { TokenMatcher } from './addedTokens';
import type { AddedToken } from './gpt2Files';
import { type ModelInfo, modelInfo, tokenRanges } from './modelTokens';
import { type Normalize, buildNormalizer } from './normalizers';
import { type Encoded, type PostProcess, type Span, buildPostProcessor } from './postProcessors';
import { type Piece, type PreTokenize, buildPreTokenizer } from './preTokenizers';

export { UnsupportedComponent } from './normalizers';
export type { OffsetRule } from './aligned';
export type { Span } from './postProcessors';

type Json = Record<string, unknown>;

/** The model's own token → id (added tokens are looked up separately, as the library does). */
function modelVocab(model: Json): Map<string, number> {
  if (Array.isArray(model.vocab)) return new Map((model.vocab as [string, number][]).map(([t], i) => [t, i]));
  if (model.vocab && typeof model.vocab === 'object') return new Map(Object.entries(model.vocab as Record<string, number>));
  return new Map();
}

export class ExactEncoder {
  private readonly normalize: Normalize | null;
  private readonly preTokenize: PreTokenize | null;
  private readonly postProcess: PostProcess | null;
  private readonly raw: TokenMatcher;
  private readonly normalized: TokenMatcher;
  private readonly vocab: Map<string, number>;
  private readonly addedIds = new Map<string, number>();
  private readonly unkId: number | undefined;
  private readonly info: ModelInfo;

  /** `lib`: the same tokenizer.json loaded by @huggingface/tokenizers, whose model encodes pieces. */
  constructor(
    json: Json,
    private readonly lib: Tokenizer,
  ) {
    this.normalize = buildNormalizer(json.normalizer);
    this.preTokenize = buildPreTokenizer(json.pre_tokenizer);
    const model = json.model as Json;
    this.vocab = modelVocab(model);
    this.info = modelInfo(model, this.vocab);
    this.unkId = typeof model.unk_id === 'number' ? model.unk_id : typeof model.unk_token === 'string' ? this.vocab.get(model.unk_token) : undefined;
    const added = ((json.added_tokens ?? []) as Partial<AddedToken>[]).map(
      (t): AddedToken => ({ id: t.id!, content: t.content!, single_word: !!t.single_word, lstrip: !!t.lstrip, rstrip: !!t.rstrip, special: !!t.special, normalized: t.normalized ?? !t.special }),
    );
    for (const t of added) this.addedIds.set(t.content, t.id);
    // Special tokens first, then the others, as the library chains them.
    const ordered = [...added.filter((t) => t.special), ...added.filter((t) => !t.special)];
    const normalize = (s: string): string => (this.normalize ? this.normalize(AlignedText.of(s, 0, false), 'hover').text : s);
    this.raw = new TokenMatcher(ordered.filter((t) => !t.normalized).map((token) => ({ match: token.content, token })));
    this.normalized = new TokenMatcher(ordered.filter((t) => t.normalized).map((token) => ({ match: normalize(token.content), token })));
    this.postProcess = buildPostProcessor(json.post_processor);
  }

  private idOf(token: string): number {
    const id = this.vocab.get(token) ?? this.addedIds.get(token) ?? this.unkId;
    if (id === undefined) throw new Error(`the model produced ${JSON.stringify(token)}, which has no id`);
    return id;
  }

  /** Token ids of `text`, with the post-processor's special tokens when `addSpecialTokens`. */
  encode(text: string, addSpecialTokens = true): number[] {
    return this.run(text, addSpecialTokens, null).ids;
  }

  /**
   * Ids and each token's [start, end) in `text` (UTF-16 units), null for a special token the
   * post-processor added. `rule` 'hover' (the engine's) or 'library' (exactly the library's; aligned.ts).
   */
  encodeWithOffsets(text: string, addSpecialTokens = true, rule: OffsetRule = 'hover'): { ids: number[]; offsets: Span[] } {
    const e = this.run(text, addSpecialTokens, rule);
    return { ids: e.ids, offsets: e.spans };
  }

  private run(text: string, addSpecialTokens: boolean, rule: OffsetRule | null): Encoded {
    const track = rule !== null;
    const r: OffsetRule = rule ?? 'hover';
    const e: Encoded = { ids: [], values: [], spans: [] };
    const model = this.lib.model as unknown as (pieces: string[]) => string[];
    const token = (id: number, value: string, span: Span): void => {
      e.ids.push(id);
      e.values.push(value);
      e.spans.push(span);
    };
    for (const part of this.raw.split(text)) {
      if (part.end === part.start) continue;
      if (part.id !== null) {
        token(part.id, text.slice(part.start, part.end), [part.start, part.end]);
        continue;
      }
      const source = AlignedText.of(text.slice(part.start, part.end), part.start, track);
      const norm = this.normalize ? this.normalize(source, r) : source;
      for (const sub of this.normalized.split(norm.text)) {
        if (sub.end === sub.start) continue;
        if (sub.id !== null) {
          token(sub.id, norm.text.slice(sub.start, sub.end), norm.span(sub.start, sub.end));
          continue;
        }
        const first: Piece = { t: norm.slice(sub.start, sub.end), atStart: part.start === 0 && sub.start === 0 };
        const pieces = this.preTokenize ? this.preTokenize([first], r) : [first];
        for (const p of pieces) {
          const tokens = model([p.t.text]);
          const ranges = track ? tokenRanges(p.t.text, tokens, this.info) : null;
          tokens.forEach((t, i) => token(this.idOf(t), t, ranges ? p.t.span(ranges[i]![0], ranges[i]![1]) : null));
        }
      }
    }
    return this.postProcess ? this.postProcess(e, addSpecialTokens, text, r) : e;
  }
}
