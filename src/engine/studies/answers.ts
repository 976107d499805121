/**
 * Reading a generated answer against the labels a task allows (methods.md §6): normalise,
 * match a label, or count an instruction-following failure (no label, or a "no answer"
 * phrase). Pure functions: the tests run them on hand-made outputs.
 */

/** Lower case, NFKC, quotes/brackets/trailing punctuation and surrounding space removed, first line only. */
export function normalizeAnswer(s: string): string {
  const first = s.normalize('NFKC').trim().split(/\r?\n/)[0] ?? '';
  return first
    .toLowerCase()
    .replace(/^[\s"'“”‘’«»「」『』()[\]{}*:：\-–—]+/u, '')
    .replace(/[\s"'“”‘’«»「」『』()[\]{}*.,;:!?。、！？，；：]+$/u, '')
    .replace(/\s+/g, ' ');
}

/**
 * "No answer" phrases in the languages of the demo sets and the studies (English, French,
 * German, Spanish, Japanese, Chinese): a refusal is a failure even if a label word occurs in it.
 */
export const NO_ANSWER_PATTERNS: readonly RegExp[] = [
  /\b(i (do not|don't|cannot|can't) (know|answer|say|tell|determine))\b/i,
  /\b(no answer|not sure|unknown|cannot be determined|none of the above)\b/i,
  /\b(je ne sais pas|impossible de (dire|répondre))\b/i,
  /\b(ich weiß (es )?nicht|keine antwort)\b/i,
  /\b(no (lo )?sé|no puedo responder)\b/i,
  /(わかりません|分かりません|答えられません|不明)/u,
  /(不知道|无法回答|無法回答)/u,
];

export type AnswerOutcome =
  | { kind: 'label'; label: string; index: number }
  | { kind: 'no-answer'; pattern: string }
  | { kind: 'invalid' };

function isLetter(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
}

/**
 * The label the output gives: the normalised output equals a normalised label, or starts with
 * one followed by a non-letter ("positive, because…"). The longest matching label wins, so
 * "not bad" is not read as "not". A "no answer" phrase wins over a label.
 */
export function readAnswer(output: string, labels: readonly string[]): AnswerOutcome {
  const out = normalizeAnswer(output);
  const refusal = NO_ANSWER_PATTERNS.find((p) => p.test(out));
  if (refusal) return { kind: 'no-answer', pattern: refusal.source };
  let best: { label: string; index: number; len: number } | undefined;
  labels.forEach((label, index) => {
    const l = normalizeAnswer(label);
    if (!l || !out.startsWith(l)) return;
    // Scripts without spaces (ja, zh) end a label at any character; others need a word boundary.
    const next = out[l.length];
    const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(l);
    if (out.length > l.length && !cjk && isLetter(next)) return;
    if (!best || l.length > best.len) best = { label, index, len: l.length };
  });
  return best ? { kind: 'label', label: best.label, index: best.index } : { kind: 'invalid' };
}

/**
 * Short answer words by language: yes/no and true/false, the answers classification instructions
 * ask for. With the task's own label sets they let a two-letter output be judged (methods.md §6):
 * "oui" where the labels are yes/no is French, not "undetermined". A word shared by several
 * languages ("no": English, Spanish, Italian; "ja": German, Dutch, Swedish) names all of them.
 */
export const ANSWER_WORDS: Readonly<Record<string, readonly string[]>> = {
  en: ['yes', 'no', 'true', 'false'],
  fr: ['oui', 'non', 'vrai', 'faux'],
  de: ['ja', 'nein', 'wahr', 'falsch'],
  es: ['sí', 'si', 'no', 'verdadero', 'falso'],
  it: ['sì', 'si', 'no', 'vero', 'falso'],
  pt: ['sim', 'não', 'verdadeiro', 'falso'],
  nl: ['ja', 'nee', 'waar', 'onwaar'],
  sv: ['ja', 'nej', 'sant', 'falskt'],
  ro: ['da', 'nu', 'adevărat', 'fals'],
  pl: ['tak', 'nie', 'prawda', 'fałsz'],
  ru: ['да', 'нет', 'правда', 'ложь'],
  bg: ['да', 'не', 'вярно', 'невярно'],
  el: ['ναι', 'όχι', 'σωστό', 'λάθος'],
  tr: ['evet', 'hayır', 'doğru', 'yanlış'],
  et: ['jah', 'ei', 'tõene', 'väär'],
  sw: ['ndiyo', 'hapana', 'kweli', 'uongo'],
  vi: ['có', 'không', 'đúng', 'sai'],
  ja: ['はい', 'いいえ', '正しい', '誤り'],
  zh: ['是', '不是', '对', '不对', '正确', '错误'],
  ko: ['네', '예', '아니요', '아니오', '참', '거짓'],
  ar: ['نعم', 'لا', 'صحيح', 'خطأ'],
  ur: ['ہاں', 'نہیں', 'درست', 'غلط'],
  hi: ['हाँ', 'हां', 'नहीं', 'सही', 'गलत'],
  ne: ['हो', 'होइन', 'सही', 'गलत'],
  th: ['ใช่', 'ไม่ใช่', 'ไม่', 'จริง', 'เท็จ'],
};

/** A label set and the language it is in (null when unknown). */
export interface LabelSet {
  language: string | null;
  labels: readonly string[];
}

export interface AnswerLanguage {
  /** ISO 639-1 code of the answer's language, 'und' when it cannot be told. */
  detected: string;
  /** Detected ≠ expected; null when either is unknown. */
  offTarget: boolean | null;
  /** How it was told: one of the variant's labels, a label of another label set of the task, an answer word of another language, franc-min on ≥ 10 characters, or too short to tell. */
  by: 'own-label' | 'other-label' | 'answer-word' | 'franc' | 'short';
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;

/** Languages whose word (or label) the normalised answer begins with, at a word boundary (any character in scripts without spaces). */
function wordLanguages(answer: string, words: Iterable<[string, string]>): Set<string> {
  const out = new Set<string>();
  let best = 0;
  for (const [lang, word] of words) {
    const w = normalizeAnswer(word);
    if (!w || !answer.startsWith(w)) continue;
    const next = answer[w.length];
    if (answer.length > w.length && !CJK.test(w) && isLetter(next)) continue;
    // The longest match wins ("不是" over "是", "ไม่ใช่" over "ไม่").
    if (w.length > best) { best = w.length; out.clear(); }
    if (w.length === best) out.add(lang);
  }
  return out;
}

/**
 * The language of an answer and whether it is off-target (methods.md §6). `expected` is the
 * language the answer should be in: the variant's label language when known, else the item's
 * `lang`. In order: one of the variant's own labels is on target; a label of another label set of
 * the task, or an answer word (ANSWER_WORDS) of a language other than the expected one, is
 * off-target (a word the expected language shares is not); an output of ≥ 10 characters is
 * judged by franc-min (`francCode`); anything else is undetermined.
 */
export function answerLanguage(output: string, own: LabelSet, others: readonly LabelSet[], expected: string | null, francCode: string): AnswerLanguage {
  const answer = normalizeAnswer(output);
  const read = readAnswer(output, own.labels);
  // An allowed label is on target by definition: the instruction asked for it.
  if (read.kind === 'label') return { detected: own.language ?? expected ?? 'und', offTarget: false, by: 'own-label' };
  const labelWords: [string, string][] = others.flatMap((s) => (s.language ? s.labels.map((l): [string, string] => [s.language!, l]) : []));
  const fromLabels = wordLanguages(answer, labelWords);
  const fromWords = fromLabels.size ? fromLabels : wordLanguages(answer, Object.entries(ANSWER_WORDS).flatMap(([lang, ws]) => ws.map((w): [string, string] => [lang, w])));
  if (fromWords.size) {
    const by = fromLabels.size ? 'other-label' : 'answer-word';
    if (expected !== null && fromWords.has(expected)) return { detected: expected, offTarget: false, by };
    return { detected: [...fromWords][0]!, offTarget: expected === null ? null : true, by };
  }
  if (francCode !== 'und') return { detected: francCode, offTarget: expected === null ? null : francCode !== expected, by: 'franc' };
  return { detected: 'und', offTarget: null, by: 'short' };
}
