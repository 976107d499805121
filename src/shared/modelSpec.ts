/**
 * The one parser of model entries of `eval --models`, `sweep` and `polyglot.eval.models`: a
 * checkpoint folder (a pruned export is one too), `default` (the embedded model), or a variant of
 * either, `MODEL@SPEC`:
 *   MODEL@wanda:CALIBRATION:S         e.g. default@wanda:mt:fr-en:0.5
 *   MODEL@prog:TRANSLATION+CODE:S     e.g. default@prog:mt:fr-en+code:src/**\/*.ts:0.5
 *   MODEL@magnitude:S, MODEL@random:S
 *   MODEL@lrp2:T[:A-B]                LRP2 towards English for language T, layers searched unless given
 *   MODEL@lrp2                        LRP2 for each evaluated language (its own vectors and layers; the paper's LRP2 row)
 * Pure (no Node): the engine wraps it in UserErrors, the prompt checker turns errors into
 * diagnostics, so an entry one accepts the other accepts too.
 */
import { isLanguageCode } from './languages';

export type VariantMethod = 'wanda' | 'magnitude' | 'random' | 'prog';
export const VARIANT_METHODS: readonly VariantMethod[] = ['wanda', 'magnitude', 'random', 'prog'];

export type VariantSpec =
  | { kind: 'prune'; method: VariantMethod; calibration?: string; codeCalibration?: string; sparsity: number }
  /** `lang` absent: each evaluated language gets its own LRP2 (English and languages without UDHR text stay unchanged). */
  | { kind: 'lrp2'; lang?: string; layers?: [number, number] };

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });

/**
 * The text after `@`. `normalize` maps a language code to ISO 639-1 (the engine also accepts
 * ISO 639-3 codes); by default only ISO 639-1 codes pass.
 */
export function parseVariantText(text: string, normalize: (code: string) => string | undefined = (c) => (isLanguageCode(c.trim()) ? c.trim() : undefined)): Parsed<VariantSpec> {
  const parts = text.split(':');
  if (parts[0] === 'lrp2') {
    if (parts.length === 1) return { ok: true, value: { kind: 'lrp2' } };
    const lang = normalize(parts[1] ?? '');
    if (!lang || lang === 'en' || parts.length > 3) return fail('expected lrp2:LANG or lrp2:LANG:A-B with a non-English ISO 639-1 code (e.g. lrp2:fr:1-4), or lrp2 alone for each evaluated language');
    if (parts.length === 2) return { ok: true, value: { kind: 'lrp2', lang } };
    const m = /^(\d+)-(\d+)$/.exec(parts[2]!);
    if (!m || Number(m[1]) >= Number(m[2])) return fail(`LRP2 layers must be A-B with A < B (hidden-state indices), got ${JSON.stringify(parts[2])}`);
    return { ok: true, value: { kind: 'lrp2', lang, layers: [Number(m[1]), Number(m[2])] } };
  }
  const method = parts[0] as VariantMethod;
  if (!VARIANT_METHODS.includes(method)) return fail(`unknown variant method ${JSON.stringify(parts[0])} (${VARIANT_METHODS.join(', ')}, lrp2)`);
  if (parts.length < 2) return fail(`expected ${method}:…:SPARSITY`);
  const sparsity = Number(parts[parts.length - 1]);
  if (!(sparsity > 0 && sparsity < 1)) return fail(`must be a number strictly between 0 and 1, got ${parts[parts.length - 1]}`);
  const calibration = parts.slice(1, -1).join(':');
  if (method === 'wanda' || method === 'prog') {
    if (!calibration) return fail(`${method} needs a calibration source, e.g. ${method === 'wanda' ? 'wanda:mt:fr-en:0.5' : 'prog:mt:fr-en+code:src/**/*.ts:0.5'}`);
    if (method === 'prog') {
      const [translation, code] = calibration.split('+');
      if (!translation || !code) return fail('prog needs TRANSLATION+CODE calibration sources, e.g. prog:mt:fr-en+code:src/**/*.ts:0.5');
      return { ok: true, value: { kind: 'prune', method, calibration: translation, codeCalibration: code, sparsity } };
    }
    return { ok: true, value: { kind: 'prune', method, calibration, sparsity } };
  }
  if (calibration) return fail(`${method} takes no calibration source (write ${method}:${sparsity})`);
  return { ok: true, value: { kind: 'prune', method, sparsity } };
}

/** `base@variant` split at the last `@` (a folder name may hold an `@`; a variant never does). */
export function splitModelEntry(entry: string): { base: string; variant?: string } {
  const s = entry.trim();
  const at = s.lastIndexOf('@');
  return at < 0 ? { base: s } : { base: s.slice(0, at), variant: s.slice(at + 1) };
}

/**
 * The editor's check of model entries typed for a study (comma-separated; `@SPEC` = a variant of
 * the loaded model): every variant part parses; the engine checks folders when it runs.
 */
export function variantEntriesProblem(text: string): string | undefined {
  const entries = text.split(',').map((x) => x.trim()).filter(Boolean);
  if (entries.length === 0) return 'name at least one entry, e.g. @lrp2:fr';
  for (const e of entries) {
    const { variant } = splitModelEntry(e.startsWith('@') ? `x${e}` : e);
    if (variant === undefined) continue;
    const r = parseVariantText(variant);
    if (!r.ok) return `${e}: ${r.error}`;
  }
  return undefined;
}
