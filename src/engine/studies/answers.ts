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
