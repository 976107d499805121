/**
 * Editor ↔ panel linking, the pure part (unit-tested): which characters of the prompt file a
 * token of the analysis came from, which token the cursor is on, and where a neuron is
 * referenced (`L3.N127`) in a file. Offsets: file offsets (TextDocument.offsetAt) and offsets
 * into the rendered text the analysis tokenized.
 */
import type { ActivationAnalysis } from '../../shared/analysis';
import { docOffsetOf, renderedOffsetsOf, type RenderedPrompt } from '../../shared/prompt/render';

/** [start, end) in the file of token `pos`, when all its characters are written verbatim in the file. */
export function tokenSourceRange(a: Pick<ActivationAnalysis, 'tokens'>, rendered: RenderedPrompt, pos: number): [number, number] | undefined {
  const t = a.tokens[pos];
  if (!t || t.start === null || t.end === null || t.end <= t.start) return undefined;
  const from = docOffsetOf(rendered, t.start);
  const last = docOffsetOf(rendered, t.end - 1);
  // A token spanning a variable's value and literal text has no single place in the file.
  if (from === undefined || last === undefined || last - from !== t.end - 1 - t.start) return undefined;
  return [from, last + 1];
}

/** The token whose characters include file offset `offset`, or −1 (frontmatter, helpers, specials). */
export function tokenAtSource(a: Pick<ActivationAnalysis, 'tokens'>, rendered: RenderedPrompt, offset: number): number {
  for (const r of renderedOffsetsOf(rendered, offset)) {
    const pos = a.tokens.findIndex((t) => t.start !== null && t.end !== null && r >= t.start && r < t.end);
    if (pos >= 0) return pos;
  }
  return -1;
}

/** [start, end) of every whole-word `L{layer}.N{index}` in `text` for the given neurons. */
export function neuronReferences(text: string, neurons: { layer: number; index: number }[]): [number, number][] {
  const wanted = new Set(neurons.map((n) => `L${n.layer}.N${n.index}`));
  const out: [number, number][] = [];
  for (const m of text.matchAll(/(?<![\w.])L(\d+)\.N(\d+)(?![\w.])/g)) {
    if (wanted.has(`L${Number(m[1])}.N${Number(m[2])}`)) out.push([m.index, m.index + m[0].length]);
  }
  return out;
}
