/**
 * Labelled classification data in the forms the zero-shot sets are distributed in (Kim et al.
 * 2024 evaluate on XNLI and MARC):
 *
 * - XNLI as distributed: `xnli.dev.tsv` / `xnli.test.tsv`, tab-separated with a header naming at
 *   least `language`, `gold_label`, `sentence1`, `sentence2` (XNLI-1.0 has more columns; they are
 *   read by name). Each row is an item of `language`, gold `gold_label`, template variables
 *   `premise` = sentence1, `hypothesis` = sentence2 (and both under their own names too). Rows
 *   whose gold label is empty or `-` (no annotator majority) are skipped and counted.
 * - JSONL, one object per line: `label` (a class name, a label word, or a 0-based index into the
 *   classes), the language in `lang` or `language` — or, when the file has neither, in its name
 *   (the per-language mirrors: `xnli.fr.test.jsonl`, `test-fr.jsonl`, `fr.jsonl`, `fr/test.jsonl`)
 *   — and every other field a template variable (`premise`, `hypothesis`, `text`, …). MARC-style
 *   sentiment is `{lang, text, label}`.
 * - A folder: every `.jsonl` and `.tsv` directly inside it, in name order (one file per language).
 *
 * One-line errors name `file:line`. The gold label becomes a class index: `classes` (the
 * template's `polyglot.classes`, else its labels) name the classes in index order, and the label
 * words scored may differ per language (classify.ts).
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../errors';
import { readLines } from '../corpus/lines';
import { normalizeLanguage } from '../corpus/types';

/** One labelled item: its language, gold class (index and name) and the template variables. */
export interface LabelledItem {
  lang: string;
  /** The gold class's name (classes[gold]). */
  label: string;
  /** Index into the classes (and into the label words of the item's language). */
  gold: number;
  vars: Record<string, unknown>;
  where: string;
}

export interface DatasetRead {
  items: LabelledItem[];
  /** Files read, in order. */
  files: string[];
  /** The format of each file, e.g. "xnli-tsv", "jsonl". */
  formats: string[];
  /** Rows skipped for having no gold label (XNLI's "-"). */
  skipped: number;
}

/** Everything needed to map a gold label to a class index. */
export interface LabelSpace {
  /** Class names in index order. */
  classes: readonly string[];
  /** Label words (the answers scored), parallel to classes; also accepted as gold labels. */
  labels: readonly string[];
  /** Per-language label words, parallel to classes; accepted as gold labels of that language. */
  labelsByLanguage?: Readonly<Record<string, readonly string[]>>;
}

const LANGUAGE_IN_NAME = /(?:^|[._-])([a-z]{2,3})(?=[._-]|$)/g;

/** The language a per-language file's name (or its folder's) gives, if exactly one ISO code stands in it. */
export function languageFromPath(file: string): string | undefined {
  const stem = basename(file).replace(/\.(jsonl|tsv)$/, '');
  const found = new Set<string>();
  for (const m of stem.matchAll(LANGUAGE_IN_NAME)) {
    const code = normalizeLanguage(m[1]!);
    if (code && !['dev', 'test', 'train', 'val'].includes(m[1]!)) found.add(code);
  }
  if (found.size === 1) return [...found][0];
  if (found.size === 0) return normalizeLanguage(basename(dirname(file)));
  return undefined;
}

function goldIndex(raw: unknown, lang: string, space: LabelSpace, where: string): number {
  const n = space.classes.length;
  if (typeof raw === 'number' || (typeof raw === 'string' && /^\d+$/.test(raw.trim()) && !space.classes.includes(raw.trim()))) {
    const i = Number(raw);
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new UserError(where, `label ${JSON.stringify(raw)} is not a class index 0–${n - 1} (${space.classes.join(', ')})`);
    return i;
  }
  if (typeof raw !== 'string' || raw.trim() === '') throw new UserError(where, 'missing "label" (a class name, a label word or a 0-based class index)');
  const s = raw.trim();
  for (const list of [space.classes, space.labels, space.labelsByLanguage?.[lang] ?? []]) {
    const i = list.indexOf(s);
    if (i >= 0) return i;
  }
  const ci = space.classes.findIndex((c) => c.toLowerCase() === s.toLowerCase());
  if (ci >= 0) return ci;
  const words = space.labels.join(', ');
  throw new UserError(where, `label ${JSON.stringify(s)} is not one of the declared labels (${space.classes.join(', ')}${words !== space.classes.join(', ') ? `; words ${words}` : ''})`);
}

function language(raw: unknown, fromName: string | undefined, where: string): string {
  if (raw === undefined || raw === null) return fromName ?? 'all';
  const l = typeof raw === 'string' ? normalizeLanguage(raw) : undefined;
  if (!l) throw new UserError(where, `unknown language code ${JSON.stringify(raw)}`);
  return l;
}

async function readJsonl(file: string, space: LabelSpace, items: LabelledItem[]): Promise<void> {
  const fromName = languageFromPath(file);
  for await (const { line, n } of readLines(file)) {
    if (line.trim() === '') continue;
    const where = `${file}:${n}`;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (e) {
      throw new UserError(where, `not valid JSON (${(e as Error).message})`);
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new UserError(where, 'expected a JSON object {"lang", "label", …template variables}');
    const { lang: l1, language: l2, label, ...vars } = v as Record<string, unknown>;
    const lang = language(l1 ?? l2, fromName, where);
    const gold = goldIndex(label, lang, space, where);
    items.push({ lang, label: space.classes[gold]!, gold, vars, where });
  }
}

/** A TSV split at tabs, quotes taken literally (XNLI's files are not CSV-quoted). */
async function readTsv(file: string, space: LabelSpace, items: LabelledItem[]): Promise<number> {
  let header: string[] | undefined;
  let skipped = 0;
  const fromName = languageFromPath(file);
  for await (const { line, n } of readLines(file)) {
    if (line.trim() === '') continue;
    const cells = line.split('\t');
    if (!header) {
      header = cells.map((c) => c.trim());
      for (const need of ['gold_label', 'sentence1', 'sentence2']) if (!header.includes(need)) throw new UserError(`${file}:1`, `the header must name ${need} (XNLI's columns: language, gold_label, sentence1, sentence2); it has ${header.join(', ')}`);
      continue;
    }
    const where = `${file}:${n}`;
    const row = Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
    if (cells.length < header.length && cells.length < header.indexOf('sentence2') + 1) throw new UserError(where, `${cells.length} fields, the header has ${header.length}`);
    const goldRaw = row.gold_label!.trim();
    if (goldRaw === '' || goldRaw === '-') {
      skipped++;
      continue;
    }
    const lang = language(header.includes('language') ? row.language : undefined, fromName, where);
    const gold = goldIndex(goldRaw, lang, space, where);
    const vars: Record<string, unknown> = { ...row, premise: row.sentence1, hypothesis: row.sentence2 };
    delete vars.gold_label;
    delete vars.language;
    items.push({ lang, label: space.classes[gold]!, gold, vars, where });
  }
  if (!header) throw new UserError(file, 'empty file (XNLI TSV needs a header: language, gold_label, sentence1, sentence2)');
  return skipped;
}

/** Reads a labelled data file or a folder of them. */
export async function readLabelledData(path: string, space: LabelSpace): Promise<DatasetRead> {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new UserError(path, 'no such file or folder (classification data: .jsonl of {"lang", "label", …}, an XNLI .tsv, or a folder of them)');
  }
  const files = st.isDirectory() ? readdirSync(path).filter((f) => /\.(jsonl|tsv)$/.test(f)).sort().map((f) => join(path, f)) : [path];
  if (files.length === 0) throw new UserError(path, 'holds no .jsonl or .tsv files');
  if (space.classes.length !== space.labels.length) throw new Error('classes and labels differ in length');
  const items: LabelledItem[] = [];
  const formats: string[] = [];
  let skipped = 0;
  for (const f of files) {
    if (f.endsWith('.tsv')) {
      skipped += await readTsv(f, space, items);
      formats.push('xnli-tsv');
    } else {
      await readJsonl(f, space, items);
      formats.push('jsonl');
    }
  }
  if (items.length === 0) throw new UserError(path, 'no items');
  return { items, files, formats, skipped };
}
