/**
 * What the engine says about one MLP neuron (`blocks.{layer}.mlp.hook_post` column `index`): its
 * activation on every token of a prompt, its LAPE language profile and its top-activating corpus
 * examples. Shared by the CLI's `neuron` command, the neuron hover and the Neuron panel.
 */

/** The neuron's row of a LAPE result (methods.md §2). */
export interface NeuronLanguages {
  /** Languages in the LAPE run's order. */
  languages: string[];
  /** Activation probability per language. */
  probability: Record<string, number>;
  /** LAPE (entropy of the normalised probabilities); null where the neuron never fired (Σ p = 0). */
  entropy: number | null;
  /** Whether LAPE selected it as language-specific, and for which languages. */
  selected: boolean;
  selectedFor: string[];
}

/** One corpus position among a neuron's K strongest. */
export interface TopExample {
  /** The corpus text (the sequence is its tokens, truncated to the index's max length). */
  text: string;
  /** The firing token's text. */
  token: string;
  /** Token position in the sequence (0 = BOS where the tokenizer adds one). */
  position: number;
  value: number;
  /** Character offsets of the token in `text`, [start, end); null for special tokens. */
  start: number | null;
  end: number | null;
}

/** One line of `top-examples.jsonl`, strongest first (ties: earlier in the corpus first). */
export interface NeuronExamples {
  layer: number;
  index: number;
  examples: TopExample[];
}

/** Whether examples could be shown: no index configured, an index for this model, or one for another model/corpus. */
export type IndexState = { state: 'none' } | { state: 'ok'; corpus: string; top: number } | { state: 'stale' | 'error'; message: string };

/** Everything a hover or the Neuron panel shows about one neuron on the current prompt. */
export interface NeuronReport {
  model: { name: string; nLayers: number; dMlp: number };
  layer: number;
  index: number;
  /** The rendered prompt text. */
  text: string;
  tokens: { id: number; text: string }[];
  /** hook_post[pos, index] of `layer`, one value per token. */
  activations: Float32Array; // [pos]
  languages: NeuronLanguages | null;
  examples: TopExample[] | null;
  indexState: IndexState;
  /** Whether the prompt's forward pass was already cached (no model run for this answer). */
  cached: boolean;
  /** The analysis ran with this neuron deactivated (polyglot.deactivate): its values are 0 by construction. */
  deactivated: boolean;
}

const SPARK = '▁▂▃▄▅▆▇█';

/** One block character per value, scaled between the smallest and largest (text sparkline for hovers and the CLI). */
export function sparkline(values: ArrayLike<number>): string {
  const xs = Array.from(values);
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return xs.map((v) => SPARK[hi > lo ? Math.round(((v - lo) / (hi - lo)) * (SPARK.length - 1)) : 0]).join('');
}

/** Positions of the n largest values, strongest first (ties: earlier token first). */
export function strongestTokens(values: ArrayLike<number>, n: number): number[] {
  return Array.from({ length: values.length }, (_, p) => p)
    .sort((a, b) => values[b]! - values[a]! || a - b)
    .slice(0, n);
}

/**
 * The firing token in its context: up to `radius` characters either side, cut at the text's
 * ends (ellipses say where it was cut). Without offsets (special tokens) the token stands alone.
 */
export function exampleContext(e: TopExample, radius = 40): { before: string; token: string; after: string } {
  if (e.start === null || e.end === null) return { before: '', token: e.token, after: ` ${e.text.slice(0, 2 * radius)}${e.text.length > 2 * radius ? '…' : ''}` };
  const from = Math.max(0, e.start - radius);
  const to = Math.min(e.text.length, e.end + radius);
  return {
    before: `${from > 0 ? '…' : ''}${e.text.slice(from, e.start)}`,
    token: e.text.slice(e.start, e.end),
    after: `${e.text.slice(e.end, to)}${to < e.text.length ? '…' : ''}`,
  };
}
