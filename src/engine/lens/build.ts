/**
 * Builds lens dataset items from a parallel word list (methods.md §8), Wendler et al.'s three
 * tasks, each with `shots` demonstrations drawn (seeded) from the other words:
 * - translate: `French: "chat" - Japanese: "猫"` lines, then the item's `French: "X" - Japanese: "`
 *   (format `wendler`), or the project's translation format of methods.md §3,
 *   `French: chat{eos}Japanese: 猫{eos}… French: X{eos}Japanese: ` (format `polyglot`, the one the
 *   default model was trained on; the query ends with the space, so the next token starts the word);
 * - repeat: the same with the target language on both sides (`Japanese: "猫" - Japanese: "`);
 * - cloze: a sentence of the target language holding the word, with the word blanked
 *   (`Japanese: "___を見ます。" - "猫"`), from `sentences` (a {lang, text} JSONL corpus).
 * Language names are English (Wendler et al. write each in its own language). Answers: the target
 * word, the English word (the latent language under test) and, for translation, the source word.
 */
import { normalizeLanguage } from '../corpus/types';
import { UserError } from '../errors';
import { readUserText } from '../io/userFile';
import { mulberry32 } from '../random';
import { languageName } from '../../shared/languages';

export type LensTask = 'translate' | 'repeat' | 'cloze';
export const LENS_TASKS: readonly LensTask[] = ['translate', 'repeat', 'cloze'];
export type PromptFormat = 'wendler' | 'polyglot';

export interface BuildOptions {
  task: LensTask;
  src?: string;
  tgt: string;
  shots?: number;
  seed?: number;
  format?: PromptFormat;
  /** The model's end-of-sequence text (format polyglot). */
  eos?: string;
  /** Sentences {lang, text} per language, for cloze. */
  sentences?: { lang: string; text: string }[];
}

export interface BuiltItem {
  prompt: string;
  answers: Record<string, string>;
  target: string;
  task: LensTask;
  /** The word's line in the list (1-based). */
  word: number;
}

export const DEFAULT_SHOTS = 4;

/** A word list: JSONL {"en": "cat", "fr": "chat", …} per line, or TSV with a header row of language codes. */
export function readWordList(file: string): { line: number; words: Record<string, string> }[] {
  // A plain file of at most 16 MiB (the 'wordList' kind), stat'ed before it is opened.
  const lines = readUserText(file, 'wordList', 'word list not found').split('\n');
  const out: { line: number; words: Record<string, string> }[] = [];
  const tsv = file.endsWith('.tsv');
  let header: string[] | undefined;
  for (const [i, raw] of lines.entries()) {
    const line = raw.replace(/\r$/, '');
    if (!line.trim()) continue;
    const where = `${file}:${i + 1}`;
    if (tsv && !header) {
      header = line.split('\t').map((c, j) => {
        const code = normalizeLanguage(c);
        if (!code) throw new UserError(where, `column ${j + 1}: ${JSON.stringify(c)} is not a language code (the header names each column's language)`);
        return code;
      });
      continue;
    }
    let words: Record<string, string> = {};
    if (tsv) {
      line.split('\t').forEach((w, j) => {
        if (header![j] && w.trim()) words[header![j]!] = w.trim();
      });
    } else {
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch {
        throw new UserError(where, 'not JSON (a word list is JSONL: one {"en": "cat", "fr": "chat", …} per line, or a .tsv with a header row)');
      }
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new UserError(where, 'not a JSON object');
      words = {};
      for (const [k, w] of Object.entries(v)) {
        const code = normalizeLanguage(k);
        if (!code) throw new UserError(where, `${JSON.stringify(k)} is not a language code`);
        if (typeof w !== 'string' || !w.trim()) throw new UserError(where, `${k} must be a non-empty string`);
        words[code] = w.trim();
      }
    }
    out.push({ line: i + 1, words });
  }
  if (out.length === 0) throw new UserError(file, 'word list has no words');
  return out;
}

const name = (code: string): string => languageName(code) ?? code;

/** The target-language sentence holding the word, with the word replaced by ___ (first match). */
function cloze(word: string, sentences: { text: string }[]): string | undefined {
  // Scripts with spaces match whole words; others (Han, kana, Thai) any occurrence.
  const spaced = /[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Arabic}\p{Script=Devanagari}\p{Script=Hebrew}]/u.test(word);
  const esc = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = spaced ? new RegExp(`(?<![\\p{L}\\p{M}])${esc}(?![\\p{L}\\p{M}])`, 'u') : new RegExp(esc, 'u');
  for (const s of sentences) if (re.test(s.text)) return s.text.replace(re, '___');
  return undefined;
}

export function buildLensItems(list: { line: number; words: Record<string, string> }[], o: BuildOptions): { items: BuiltItem[]; skipped: number } {
  const shots = o.shots ?? DEFAULT_SHOTS;
  if (!(Number.isInteger(shots) && shots >= 0)) throw new UserError('--shots', `must be an integer ≥ 0, got ${o.shots}`);
  const format = o.format ?? 'wendler';
  const { task, tgt } = o;
  const src = task === 'translate' ? o.src : tgt;
  if (!src) throw new UserError('--src', 'translation needs a source language');
  if (task === 'translate' && src === tgt) throw new UserError('--src', 'source and target are the same language (that is the repeat task)');
  if (format === 'polyglot' && o.eos === undefined) throw new UserError('--format', 'polyglot needs the model\'s end-of-sequence token');
  if (task === 'cloze' && !o.sentences) throw new UserError('--sentences', 'cloze needs sentences of the target language (a {"lang", "text"} JSONL corpus)');
  const tgtSentences = (o.sentences ?? []).filter((s) => s.lang === tgt);
  // The words usable at all: both sides present (and a cloze sentence for cloze).
  const usable = list.flatMap((w) => {
    const a = w.words[src], b = w.words[tgt];
    if (!a || !b) return [];
    const c = task === 'cloze' ? cloze(b, tgtSentences) : undefined;
    if (task === 'cloze' && c === undefined) return [];
    return [{ ...w, cloze: c }];
  });
  if (usable.length < shots + 1) throw new UserError('--words', `${usable.length} words have both ${src} and ${tgt}${task === 'cloze' ? ' and a cloze sentence' : ''}; ${shots} demonstrations need ${shots + 1}`);
  const line = (w: (typeof usable)[number], answer: string | undefined): string => {
    const a = w.words[src]!, b = w.words[tgt]!;
    if (task === 'cloze') return `${name(tgt)}: "${w.cloze}" - "${answer === undefined ? '' : b}${answer === undefined ? '' : '"\n'}`;
    // The query ends after the space, as Wendler's ends after the opening quote: the next token starts the word.
    if (format === 'polyglot') return `${name(src)}: ${a}${o.eos}${name(tgt)}: ${answer === undefined ? '' : `${b}${o.eos}`}`;
    return `${name(src)}: "${a}" - ${name(tgt)}: "${answer === undefined ? '' : `${b}"\n`}`;
  };
  const items: BuiltItem[] = usable.map((w, i) => {
    const rng = mulberry32((o.seed ?? 0) * 100003 + i);
    const others = usable.filter((_, j) => j !== i);
    for (let j = others.length - 1; j > 0; j--) {
      const r = Math.floor(rng() * (j + 1));
      [others[j], others[r]] = [others[r]!, others[j]!];
    }
    const prompt = others.slice(0, shots).map((d) => line(d, d.words[tgt])).join('') + line(w, undefined);
    const answers: Record<string, string> = { [tgt]: w.words[tgt]! };
    if (w.words.en && tgt !== 'en') answers.en = w.words.en;
    if (task === 'translate' && src !== 'en') answers[src] = w.words[src]!;
    return { prompt, answers, target: tgt, task, word: w.line };
  });
  return { items, skipped: list.length - usable.length };
}
