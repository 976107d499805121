/**
 * What each instruction variant is, in the terms of Enomoto et al.'s tables (methods.md §6): the
 * language of its instruction and of its labels, read from the variant names and label sets.
 * - Instruction: a variant named by a language code (`ja`, or a base file with `variant: en`), or
 *   starting with one (`ja_en`: the Japanese instruction with English labels), is in that language; `mt` (or `mt-ja`) is a machine-translated instruction in the target language
 *   (of the item, or `ja`); any other name is unknown.
 * - Labels: the language of the first variant, in file order, named by a bare language code
 *   (`fr`, not the crossing `en_fr`) that declares the same label set (normalised); so `mt`
 *   inheriting the base's yes/no has English labels. Else the one language whose answer
 *   words (answers.ts ANSWER_WORDS) hold every label (yes/no: English); else unknown.
 * Per item of language L (not English): the instruction is **English** (en), **target** (L) or
 * **machine-translated** (mt into L), else another language; the labels likewise English or target.
 */
import { normalizeLanguage } from '../corpus/types';
import { ANSWER_WORDS, normalizeAnswer } from './answers';

export interface VariantLanguages {
  /** ISO 639-1 code, or null when the name says none (or for mt without a language). */
  instruction: string | null;
  machineTranslated: boolean;
  labels: string | null;
}

export const INSTRUCTION_ROLES = ['English', 'target', 'machine-translated'] as const;
export type InstructionRole = (typeof INSTRUCTION_ROLES)[number] | 'other';
export const LABEL_ROLES = ['English', 'target'] as const;
export type LabelRole = (typeof LABEL_ROLES)[number] | 'other';

const key = (labels: readonly string[] | undefined): string => JSON.stringify((labels ?? []).map(normalizeAnswer));

export function variantLanguages(variants: readonly { name: string; labels?: readonly string[] }[]): Map<string, VariantLanguages> {
  const instr = variants.map((v) => {
    const mt = /^mt(?:[-_]([A-Za-z]{2,3}))?$/i.exec(v.name);
    if (mt) return { instruction: mt[1] ? normalizeLanguage(mt[1].toLowerCase()) ?? null : null, machineTranslated: true };
    // `fr`, or `fr_en` / `fr-formal`: the first segment names the instruction's language.
    return { instruction: normalizeLanguage(v.name.split(/[_-]/)[0]!) ?? null, machineTranslated: false };
  });
  const out = new Map<string, VariantLanguages>();
  variants.forEach((v, i) => {
    // The owner: a variant named by a bare language code (not `en_fr`, a crossing) with these labels.
    const owner = variants.findIndex((w, j) => instr[j]!.instruction !== null && !instr[j]!.machineTranslated && normalizeLanguage(w.name) !== undefined && key(w.labels) === key(v.labels));
    out.set(v.name, { ...instr[i]!, labels: owner >= 0 ? instr[owner]!.instruction : wordsLanguage(v.labels) });
  });
  return out;
}

/** The one language whose answer words (ANSWER_WORDS) hold every label: yes/no is English, oui/non French; null when none or several. */
export function wordsLanguage(labels: readonly string[] | undefined): string | null {
  if (!labels?.length) return null;
  const norm = labels.map(normalizeAnswer);
  const langs = Object.entries(ANSWER_WORDS).filter(([, ws]) => norm.every((l) => ws.some((w) => normalizeAnswer(w) === l))).map(([lang]) => lang);
  return langs.length === 1 ? langs[0]! : null;
}

/** The variant's instruction and labels relative to an item's language; null roles for items without a non-English language. */
export function rolesFor(v: VariantLanguages, itemLang: string | null): { instruction: InstructionRole; labels: LabelRole } | null {
  if (itemLang === null || itemLang === 'en') return null;
  const instruction: InstructionRole = v.machineTranslated ? (v.instruction === null || v.instruction === itemLang ? 'machine-translated' : 'other') : v.instruction === 'en' ? 'English' : v.instruction === itemLang ? 'target' : 'other';
  const labels: LabelRole = v.labels === 'en' ? 'English' : v.labels === itemLang ? 'target' : 'other';
  return { instruction, labels };
}
