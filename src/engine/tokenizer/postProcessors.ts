/**
 * tokenizer.json post-processors as Hugging Face's `tokenizers` runs them (processors/*.rs): the
 * template's special tokens around the text's tokens, and ByteLevel / RobertaProcessing's
 * `trim_offsets` (a token's leading and trailing spaces left out of its span). A special token the
 * template adds covers no text: its span is null (the library reports (0, 0), which under
 * 'library' offsets is what is given).
 */
import type { OffsetRule } from './aligned';
import { UnsupportedComponent } from './normalizers';

type Json = Record<string, unknown>;
export type Span = [number, number] | null;

/** The tokens of one text: ids, the strings the model or added vocabulary gave, spans in the input. */
export interface Encoded {
  ids: number[];
  values: string[];
  spans: Span[];
}

export type PostProcess = (e: Encoded, addSpecialTokens: boolean, input: string, rule: OffsetRule) => Encoded;

const SPACE_CHAR = 'Ġ';
const isSpace = (c: string): boolean => c === SPACE_CHAR || /^\p{White_Space}$/u.test(c);

/** `n` code points forward (or back, n < 0) from UTF-16 position `at` of `text`. */
function stepCodePoints(text: string, at: number, n: number): number {
  let p = at;
  for (let k = 0; k < Math.abs(n); k++) {
    if (n > 0) p += (text.codePointAt(p) ?? 0) > 0xffff ? 2 : 1;
    else p -= p >= 2 && (text.charCodeAt(p - 1) & 0xfc00) === 0xdc00 && (text.charCodeAt(p - 2) & 0xfc00) === 0xd800 ? 2 : 1;
  }
  return p;
}

/** byte_level.rs process_offsets: leading/trailing spaces of a token's string leave its span. */
function trimOffsets(e: Encoded, addPrefixSpace: boolean, input: string): Encoded {
  const spans = e.spans.map((span, i) => {
    if (!span) return span;
    const chars = [...e.values[i]!];
    let leading = 0;
    while (leading < chars.length && isSpace(chars[leading]!)) leading++;
    let trailing = 0;
    while (trailing < chars.length && isSpace(chars[chars.length - 1 - trailing]!)) trailing++;
    let [a, b] = span;
    if (leading > 0) {
      if ((i === 0 || a === 0) && addPrefixSpace && leading === 1) leading = 0;
      a = Math.min(stepCodePoints(input, a, leading), b);
    }
    if (trailing > 0 && b >= trailing) b = Math.max(stepCodePoints(input, b, -trailing), a);
    return [a, b] as Span;
  });
  return { ...e, spans };
}

function withSpecials(e: Encoded, parts: ({ ids: number[]; tokens: string[] } | null)[], rule: OffsetRule): Encoded {
  const out: Encoded = { ids: [], values: [], spans: [] };
  for (const p of parts) {
    if (p === null) {
      out.ids.push(...e.ids);
      out.values.push(...e.values);
      out.spans.push(...e.spans);
      continue;
    }
    out.ids.push(...p.ids);
    p.ids.forEach((_, i) => {
      out.values.push(p.tokens[i] ?? '');
      out.spans.push(rule === 'library' ? [0, 0] : null);
    });
  }
  return out;
}

export function buildPostProcessor(cfg: unknown): PostProcess | null {
  if (cfg === null || cfg === undefined) return null;
  const c = cfg as Json;
  switch (c.type) {
    case 'Sequence': {
      const steps = ((c.processors as unknown[]) ?? []).map(buildPostProcessor).filter((p): p is PostProcess => p !== null);
      return (e, special, input, rule) => steps.reduce((x, p) => p(x, special, input, rule), e);
    }
    case 'ByteLevel': {
      const trim = c.trim_offsets === true;
      const prefix = c.add_prefix_space === true;
      return (e, _special, input) => (trim ? trimOffsets(e, prefix, input) : e);
    }
    case 'TemplateProcessing': {
      const specials = (c.special_tokens ?? {}) as Record<string, { ids: number[]; tokens?: string[] }>;
      const single = (c.single ?? []) as Json[];
      return (e, special, _input, rule) => {
        if (!special) return e;
        const parts = single.map((p) => {
          if (p.Sequence) return null;
          const id = (p.SpecialToken as { id: string }).id;
          const found = specials[id];
          if (!found) throw new UnsupportedComponent(`TemplateProcessing special token ${id} without ids`);
          return { ids: found.ids, tokens: found.tokens ?? [] };
        });
        return withSpecials(e, parts, rule);
      };
    }
    case 'BertProcessing':
    case 'RobertaProcessing': {
      const [clsToken, cls] = c.cls as [string, number];
      const [sepToken, sep] = c.sep as [string, number];
      // RobertaProcessing trims offsets unless told not to; BertProcessing has no such option.
      const trim = c.type === 'RobertaProcessing' && c.trim_offsets !== false;
      const prefix = c.add_prefix_space !== false;
      return (e, special, input, rule) => {
        const t = trim ? trimOffsets(e, prefix, input) : e;
        return special ? withSpecials(t, [{ ids: [cls], tokens: [clsToken] }, null, { ids: [sep], tokens: [sepToken] }], rule) : t;
      };
    }
    default:
      throw new UnsupportedComponent(`post-processor ${String(c.type)}`);
  }
}
