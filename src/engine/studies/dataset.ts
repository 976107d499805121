/**
 * A study's dataset: JSONL, one JSON object per line whose fields fill the template, plus
 * `gold` (a number, numeric bias), `label` (the expected answer, instruction comparison: a
 * label string or its 0-based index in `polyglot.labels`) and `lang` (the expected output
 * language, ISO 639-1; for the numeric-bias study also a language pair `en-de`, the grouping of
 * its tables). Read whole (datasets of a study are thousands of lines, not corpora),
 * with bounds so a wrong file fails at once with its line named.
 */
import { readUserText } from '../io/userFile';
import { UserError } from '../errors';
import { normalizeLanguage } from '../corpus/types';

export interface DatasetItem {
  /** 0-based line index among the non-empty lines. */
  index: number;
  fields: Record<string, unknown>;
  gold?: number;
  label?: string | number;
  lang?: string;
}

/**
 * `fr` (ISO 639-1, or a 639-3 code mapped to it), or a language pair `en-de` (source-target, as
 * the numeric-bias study groups translation-quality items); null for anything else.
 */
export function languageOrPair(text: string): string | undefined {
  const parts = text.trim().split('-');
  if (parts.length === 1) return normalizeLanguage(parts[0]!);
  if (parts.length !== 2) return undefined;
  const [a, b] = parts.map((p) => normalizeLanguage(p));
  return a && b && a !== b ? `${a}-${b}` : undefined;
}

export function readDataset(file: string, limit?: number): DatasetItem[] {
  // A study dataset larger than the 'dataset' bound (64 MiB) is a corpus given by mistake.
  const items: DatasetItem[] = [];
  const lines = readUserText(file, 'dataset', 'dataset not found').split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line) continue;
    if (limit !== undefined && items.length >= limit) break;
    const where = `${file}:${i + 1}`;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new UserError(where, 'not a JSON object (a dataset is JSONL: one {"field": …} object per line)');
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new UserError(where, 'not a JSON object');
    const fields = v as Record<string, unknown>;
    const item: DatasetItem = { index: items.length, fields };
    if ('gold' in fields) {
      const g = typeof fields.gold === 'string' && fields.gold.trim() !== '' ? Number(fields.gold) : fields.gold;
      if (typeof g !== 'number' || !Number.isFinite(g)) throw new UserError(where, `"gold" must be a number (got ${JSON.stringify(fields.gold)})`);
      item.gold = g;
    }
    if ('label' in fields) {
      const l = fields.label;
      if (!(typeof l === 'string' && l.trim()) && !(typeof l === 'number' && Number.isInteger(l) && l >= 0)) throw new UserError(where, `"label" must be a label string or its 0-based index (got ${JSON.stringify(l)})`);
      item.label = typeof l === 'string' ? l.trim() : l;
    }
    if ('lang' in fields) {
      const code = typeof fields.lang === 'string' ? languageOrPair(fields.lang) : undefined;
      if (!code) throw new UserError(where, `"lang" must be a language code like fr, or a language pair like en-de (got ${JSON.stringify(fields.lang)})`);
      item.lang = code;
    }
    items.push(item);
  }
  if (items.length === 0) throw new UserError(file, 'dataset has no items');
  return items;
}
