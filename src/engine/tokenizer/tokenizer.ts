/**
 * The checkpoint's own tokenizer: tokenizer.json + tokenizer_config.json (or GPT-2's vocab.json +
 * merges.txt, converted as transformers converts them) through
 * @huggingface/tokenizers (the same rules as the Python library), chat templates through
 * @huggingface/jinja.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { Template } from '@huggingface/jinja';
import { UserError } from '../errors';
import { readJsonObject } from '../io/jsonObject';
import { MERGES_FILE, VOCAB_FILE, hasVocabMerges, vocabMergesTokenizer } from './gpt2Files';
import { catastrophicRisk, jsonNesting, MAX_TOKENIZER_NESTING, tokenizerRegexes } from './regexRisk';
import { ExactEncoder, type OffsetRule } from './pipeline';

/**
 * A generous bound on the characters one token covers (long tokens are whitespace or punctuation
 * runs of a few dozen characters). Text beyond `tokens × MAX_CHARS_PER_TOKEN` characters can
 * never be among the first `tokens` tokens, so it is cut before the tokenizer sees it: a 50 MB
 * line costs what its prefix costs instead of minutes and an out-of-memory abort.
 */
export const MAX_CHARS_PER_TOKEN = 64;

export interface ChatMessage {
  role: string;
  content: string;
}

/** A special token in tokenizer_config.json is a string or an AddedToken object {content}. */
function tokenText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as { content?: unknown }).content === 'string') return (v as { content: string }).content;
  return undefined;
}

/**
 * Refuses a tokenizer that can produce ids past the model's embedding rows (config.json
 * vocab_size, which the weights' shapes are checked against): such ids would index nothing.
 */
export function checkFitsEmbedding(tok: ModelTokenizer, vocabSize: number): void {
  if (tok.idCount > vocabSize) throw new UserError(tok.source, `tokenizer has ${tok.idCount} tokens but config.json vocab_size is ${vocabSize}`);
}

export class ModelTokenizer {
  readonly bosId: number | null;
  readonly eosId: number | null;
  /** tokenizer_config.json's pad_token, when it names a token of the vocabulary. */
  readonly padId: number | null;
  /** The model's unknown token (BPE/WordPiece unk_token, Unigram unk_id), standing for input it cannot encode. */
  readonly unkId: number | null;
  readonly addsBos: boolean;
  readonly vocabSize: number;
  /** One past the largest id the tokenizer can produce (vocabulary and added tokens): the embedding rows it needs. */
  readonly idCount: number;
  private readonly chatTemplate: string | undefined;
  private readonly bosToken: string | undefined;
  private readonly eosToken: string | undefined;

  private constructor(
    private readonly tok: Tokenizer,
    private readonly encoder: ExactEncoder,
    cfg: Record<string, unknown>,
    model: Record<string, unknown>,
    /** The file the tokenizer was read from (tokenizer.json, or vocab.json for vocab + merges). */
    readonly source: string,
  ) {
    const unk = typeof model.unk_id === 'number' ? model.unk_id : typeof model.unk_token === 'string' ? tok.token_to_id(model.unk_token) : undefined;
    this.unkId = unk ?? null;
    this.bosToken = tokenText(cfg.bos_token);
    this.eosToken = tokenText(cfg.eos_token);
    this.bosId = this.bosToken !== undefined ? (tok.token_to_id(this.bosToken) ?? null) : null;
    this.eosId = this.eosToken !== undefined ? (tok.token_to_id(this.eosToken) ?? null) : null;
    const pad = tokenText(cfg.pad_token);
    this.padId = pad !== undefined ? (tok.token_to_id(pad) ?? null) : null;
    const vocab = tok.get_vocab(true);
    this.vocabSize = vocab.size;
    let maxId = -1;
    for (const id of vocab.values()) if (id > maxId) maxId = id;
    this.idCount = Math.max(this.vocabSize, maxId + 1);
    const probe = encoder.encode('a');
    this.addsBos = this.bosId !== null && probe[0] === this.bosId;
    this.chatTemplate = typeof cfg.chat_template === 'string' ? cfg.chat_template : undefined;
  }

  /**
   * tokenizer.json (+ tokenizer_config.json); without one, GPT-2-style vocab.json + merges.txt
   * (gpt2Files.ts) turned into the same tokenizer.json object.
   */
  static load(dir: string): ModelTokenizer {
    const file = join(dir, 'tokenizer.json');
    let json: Record<string, unknown>;
    let cfg: Record<string, unknown>;
    let source = file;
    if (existsSync(file)) {
      json = readJsonObject(file);
      const cfgFile = join(dir, 'tokenizer_config.json');
      cfg = existsSync(cfgFile) ? readJsonObject(cfgFile) : {};
    } else if (hasVocabMerges(dir)) {
      ({ json, config: cfg } = vocabMergesTokenizer(dir));
      source = join(dir, VOCAB_FILE);
    } else {
      throw new UserError(file, `missing (the model folder needs a tokenizer.json, or GPT-2's ${VOCAB_FILE} + ${MERGES_FILE})`);
    }
    if (typeof json.model !== 'object' || json.model === null) throw new UserError(file, 'malformed tokenizer: no "model" section');
    if (jsonNesting(json) > MAX_TOKENIZER_NESTING) throw new UserError(source, `nests objects more than ${MAX_TOKENIZER_NESTING} levels deep (normalizers inside normalizers…); no real tokenizer does, refusing it`);
    for (const pattern of tokenizerRegexes(json)) {
      const risk = catastrophicRisk(pattern);
      if (risk) throw new UserError(source, `pattern ${JSON.stringify(pattern)} ${risk} (catastrophic backtracking: seconds per line); refusing this tokenizer`);
    }
    let tok: Tokenizer;
    let encoder: ExactEncoder;
    try {
      tok = new Tokenizer(json, cfg);
      encoder = new ExactEncoder(json, tok);
    } catch (e) {
      throw new UserError(source, `cannot build the tokenizer (${(e as Error).message})`);
    }
    return new ModelTokenizer(tok, encoder, cfg, json.model as Record<string, unknown>, source);
  }

  /** Token ids with the tokenizer's default special tokens (e.g. BOS), as `tokenize` documents. */
  encode(text: string, addSpecialTokens = true): number[] {
    return this.encoder.encode(text, addSpecialTokens);
  }

  /**
   * Ids and each token's [start, end) in `text` (UTF-16 units), null for a special token the
   * template added. `rule` 'hover' is what the engine reports (offsets()); 'library' is exactly
   * what Hugging Face's `tokenizers` reports (aligned.ts lists the differences), for the parity test.
   */
  encodeWithOffsets(text: string, addSpecialTokens = true, rule: OffsetRule = 'hover'): { ids: number[]; offsets: ([number, number] | null)[] } {
    return this.encoder.encodeWithOffsets(text, addSpecialTokens, rule);
  }

  /** The first `maxTokens` ids of `text`, tokenizing only the prefix that can hold them. */
  encodeTruncated(text: string, maxTokens: number, addSpecialTokens = true): number[] {
    const cap = maxTokens * MAX_CHARS_PER_TOKEN;
    return this.encode(text.length > cap ? text.slice(0, cap) : text, addSpecialTokens).slice(0, maxTokens);
  }

  decode(ids: number[], skipSpecialTokens = true): string {
    // A generation that stops at once (EOS first) has no ids; the tokenizer library throws on [].
    if (ids.length === 0) return '';
    return this.tok.decode(ids, { skip_special_tokens: skipSpecialTokens });
  }

  /** Each token's text, decoded alone (byte-level fragments may show as U+FFFD). */
  tokenTexts(ids: number[]): string[] {
    return ids.map((id) => this.tok.decode([id], { skip_special_tokens: false }));
  }

  idToToken(id: number): string | undefined {
    return this.tok.id_to_token(id);
  }

  isSpecial(id: number): boolean {
    return id === this.bosId || id === this.eosId || this.tok.get_added_tokens_decoder().get(id)?.special === true;
  }

  /**
   * Each token of `ids` as [start, end) in `text` (UTF-16 units): the span of the input it stands
   * for, tracked through normalizers and pre-tokenizers as the Rust library tracks it (aligned.ts
   * says where the engine's spans deliberately differ). A special token the template added has
   * none (null); one typed in the text spans it; byte pieces of one character each span it.
   * `ids` are `text`'s encoding or its first tokens (encodeTruncated); from where they part, null.
   */
  offsets(text: string, ids: number[]): ([number, number] | null)[] {
    // The prefix that holds these tokens (as encodeTruncated cuts), never less than 64K characters.
    const cap = Math.max(ids.length * MAX_CHARS_PER_TOKEN, 1 << 16);
    const input = text.length > cap ? text.slice(0, cap) : text;
    const agreeing = (e: { ids: number[] }): number => {
      let n = 0;
      while (n < ids.length && e.ids[n] === ids[n]) n++;
      return n;
    };
    // With the template's special tokens or without: the encoding that gives exactly these ids,
    // else the one that agrees longer (truncated ids are a prefix).
    let enc = this.encodeWithOffsets(input, true);
    if (agreeing(enc) < ids.length || enc.ids.length !== ids.length) {
      const plain = this.encodeWithOffsets(input, false);
      const exact = (e: { ids: number[] }): boolean => e.ids.length === ids.length && agreeing(e) === ids.length;
      if ((exact(plain) && !exact(enc)) || agreeing(plain) > agreeing(enc)) enc = plain;
    }
    const n = agreeing(enc);
    return ids.map((_, i) => (i < n ? (enc.offsets[i] ?? null) : null));
  }

  hasChatTemplate(): boolean {
    return this.chatTemplate !== undefined;
  }

  applyChatTemplate(messages: ChatMessage[], addGenerationPrompt = true): string {
    if (!this.chatTemplate) throw new UserError('tokenizer_config.json', 'this model has no chat_template');
    return new Template(this.chatTemplate).render({
      messages,
      add_generation_prompt: addGenerationPrompt,
      bos_token: this.bosToken ?? '',
      eos_token: this.eosToken ?? '',
    });
  }
}
