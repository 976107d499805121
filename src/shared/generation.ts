/**
 * What a generated continuation is, in words, when it shows no text: the Activations panel, the
 * Generate notification, the Compare panel and the CLI's report say the same thing ("the model
 * ended at once (EOS)" rather than a blank, an arrow to nothing, or "undetermined").
 */
import type { CompareSide } from './compare';
import type { GeneratedText } from './generatedText';

/** Why there is nothing to read, or undefined when the continuation has visible text. */
export function emptyOutputNote(g: GeneratedText): string | undefined {
  if (g.stopped) return 'the continuation was stopped before it finished';
  if (g.pending) return 'generating the continuation…';
  if (g.text.trim() !== '') return undefined;
  const n = g.ids.length;
  if (n === 0) return 'no continuation (maxNewTokens = 0)';
  const what = g.text === '' ? 'nothing visible' : `only whitespace (${JSON.stringify(g.text)})`;
  if (g.stoppedBy === 'eos') return n === 1 ? 'the model ended at once (EOS)' : `the model wrote ${what} in ${n - 1} token${n > 2 ? 's' : ''}, then ended (EOS)`;
  if (g.stoppedBy === 'context') return `the model wrote ${what} before the context was full (max_position_embeddings)`;
  return `the model wrote ${what} in ${n} token${n > 1 ? 's' : ''}`;
}

/** The continuation as one line for a notification: its text, or what happened instead. */
export function outputLine(g: GeneratedText, max = 120): string {
  const note = emptyOutputNote(g);
  if (note) return note;
  return g.text.length > max ? `${g.text.slice(0, max - 1)}…` : g.text;
}

/** The Compare panel's sentence about the two outputs' languages, saying first when a side wrote nothing. */
export function languageVerdict(a: CompareSide, b: CompareSide): string {
  const note = (s: CompareSide): string | undefined => (s.ids ? emptyOutputNote({ ids: s.ids, text: s.text, stoppedBy: s.stoppedBy }) : s.text.trim() === '' ? 'no text' : undefined);
  const na = note(a), nb = note(b);
  if (na && nb) return na === nb ? `Both sides: ${na}.` : `${a.label}: ${na}; ${b.label}: ${nb}.`;
  if (na || nb) {
    const [empty, other] = na ? [a, b] : [b, a];
    return `${empty.label}: ${na ?? nb}; ${other.label} wrote ${langWords(other)}.`;
  }
  if (a.language.code === 'und' && b.language.code === 'und') return 'Both outputs are too short to tell their language (under 10 characters).';
  return a.language.code === b.language.code ? `Both outputs are ${a.language.name}.` : `Output language changed: ${a.language.name} → ${b.language.name}.`;
}

function langWords(s: CompareSide): string {
  return s.language.code === 'und' ? 'too little to tell its language' : s.language.name;
}
