/**
 * Language identification of generated text with franc-min (trigram profiles of 82 languages).
 * Texts under 10 characters are undetermined (`und`), as methods.md §6 prescribes for outputs.
 * franc is ESM-only: loaded by dynamic import (esbuild inlines it in the CommonJS bundle).
 * `confidence` is the margin between the best and the runner-up normalised franc score
 * (franc scores the best language 1): 0 = a tie, near 1 = unambiguous.
 */
import { languageName } from '../../shared/languages';
import { iso639_1 } from '../corpus/iso639';

/** methods.md §6: language ID only on outputs of ≥ 10 characters. */
export const MIN_LANGID_CHARS = 10;

export interface DetectedLanguage {
  /** ISO 639-1 where one exists, else franc's ISO 639-3 code; "und" when undetermined. */
  code: string;
  name: string;
  confidence: number;
}

type FrancAll = (text: string, options?: { minLength?: number }) => [string, number][];
let francAllFn: Promise<FrancAll> | undefined;

async function francAll(): Promise<FrancAll> {
  francAllFn ??= import('franc-min').then((m) => m.francAll as FrancAll);
  return francAllFn;
}

export async function detectLanguage(text: string): Promise<DetectedLanguage> {
  const t = text.trim();
  const und = { code: 'und', name: 'undetermined', confidence: 0 };
  if ([...t].length < MIN_LANGID_CHARS) return und;
  const ranked = (await francAll())(t, { minLength: MIN_LANGID_CHARS });
  const [best, second] = ranked;
  if (!best || best[0] === 'und') return und;
  const code = iso639_1(best[0]) ?? best[0];
  return { code, name: languageName(code) ?? code, confidence: best[1] - (second?.[1] ?? 0) };
}
