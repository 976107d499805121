/**
 * The one parser of calibration sources, used by the prompt checker (polyglot.pruning.calibration),
 * the CLI (`prune`/`features --calibration`) and the engine's builder, so a source one accepts the
 * others accept too. A source is one of
 *   mono:LANG        monolingual demonstrations "{Lang}: {sent}{eos}" from the corpus (default UDHR)
 *   udhr:L1,L2,…     monolingual demonstrations from the built-in UDHR, one part per language
 *   mt:SRC-TGT       translation demonstrations from the corpus (default UDHR)
 *   code:GLOB        source files
 *   PATH             a .jsonl {"text"} or .txt file
 * and several are mixed with `+` (e.g. `mt:en-de+mt:de-en`): the sequences are split evenly
 * between the parts. Language codes are ISO 639-1.
 */
import { isLanguageCode } from './languages';

export type CalibrationPart =
  | { kind: 'mono'; lang: string; udhr: boolean; text: string }
  | { kind: 'mt'; src: string; tgt: string; text: string }
  | { kind: 'code'; glob: string; text: string }
  | { kind: 'file'; path: string; text: string };

export type ParsedCalibration = { ok: true; parts: CalibrationPart[] } | { ok: false; error: string };

const HELP = 'mono:LANG, udhr:CODES, mt:SRC-TGT, code:GLOB or a .jsonl/.txt file, several joined with +';

function code(c: string, where: string): string | { error: string } {
  const t = c.trim();
  if (isLanguageCode(t)) return t;
  return { error: `${where}: unknown language code ${JSON.stringify(t)} (ISO 639-1 two-letter codes such as fr)` };
}

function parsePart(text: string): CalibrationPart[] | { error: string } {
  const t = text.trim();
  if (t === '') return { error: `empty calibration source (expected ${HELP})` };
  const m = /^(mono|udhr|mt|code):(.*)$/.exec(t);
  if (!m) return [{ kind: 'file', path: t, text: t }];
  const [, kind, rest] = m as unknown as [string, string, string];
  if (kind === 'code') return rest.trim() ? [{ kind: 'code', glob: rest.trim(), text: t }] : { error: `${t}: expected code:GLOB, e.g. code:**/*.py` };
  if (kind === 'mt') {
    const pair = /^([^-]+)-([^-]+)$/.exec(rest.trim());
    if (!pair) return { error: `${t}: expected mt:SRC-TGT, e.g. mt:fr-en` };
    const src = code(pair[1]!, t), tgt = code(pair[2]!, t);
    if (typeof src !== 'string') return src;
    if (typeof tgt !== 'string') return tgt;
    if (src === tgt) return { error: `${t}: source and target language are the same` };
    return [{ kind: 'mt', src, tgt, text: t }];
  }
  const codes = kind === 'mono' ? [rest] : rest.split(',');
  if (codes.every((c) => c.trim() === '')) return { error: `${t}: no language code (e.g. ${kind}:fr)` };
  const parts: CalibrationPart[] = [];
  for (const c of codes) {
    const lang = code(c, t);
    if (typeof lang !== 'string') return lang;
    parts.push({ kind: 'mono', lang, udhr: kind === 'udhr', text: `${kind}:${lang}` });
  }
  return parts;
}

/** Parses a source or a `+` mix of sources; every part checked, the first problem reported. */
export function parseCalibrationSource(text: string): ParsedCalibration {
  const parts: CalibrationPart[] = [];
  for (const piece of text.split('+')) {
    const p = parsePart(piece);
    if (!Array.isArray(p)) return { ok: false, error: p.error };
    parts.push(...p);
  }
  const seen = new Set<string>();
  for (const p of parts) {
    if (seen.has(p.text)) return { ok: false, error: `${p.text} is listed twice in ${text}` };
    seen.add(p.text);
  }
  return { ok: true, parts };
}

/** Sequences per part when `total` are split over `parts` parts: even, the first parts take the remainder. */
export function splitSequences(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}
