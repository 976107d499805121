/**
 * Results of the instruction-language study (methods.md §6) as the engine produces them and the
 * Studies panel and the HTML report show them.
 */

/** One variant × item: the greedy output and how it was read. */
export interface InstructionOutput {
  /** The model entry and task it was produced under (several of each can be in one run). */
  model?: string;
  task?: string;
  variant: string;
  index: number;
  lang: string | null;
  prompt: string;
  output: string;
  /** The label the output gives, or null (failure). */
  answer: string | null;
  gold: string | null;
  /** correct / wrong (a label, not the gold one) / failure; `unscored` when the item has no gold label. */
  outcome: 'correct' | 'wrong' | 'failure' | 'unscored';
  failure: 'invalid' | 'no-answer' | null;
  /** The language the answer should be in: the variant's label language, else the item's `lang`. */
  expected?: string | null;
  /** The answer's language (methods.md §6): from the task's label sets and answer words for short answers, franc-min on ≥ 10 characters; "und" when it cannot be told. */
  detected: string;
  /** How `detected` was told: own-label, other-label, answer-word, franc, short (undetermined). */
  judgedBy?: 'own-label' | 'other-label' | 'answer-word' | 'franc' | 'short';
  /** Detected ≠ expected; null when either is unknown. */
  offTarget: boolean | null;
}

/** Rates per variant and expected language ("all" pools the variant). */
export interface VariantSummary {
  variant: string;
  language: string;
  n: number;
  accuracy: number | null;
  failureRate: number;
  offTargetRate: number | null;
  undeterminedRate: number | null;
}

/** An output the report and panel list: a failure, or an answer off the expected language. */
export function isFailingOutput(o: Pick<InstructionOutput, 'outcome' | 'offTarget'>): boolean {
  return o.outcome === 'failure' || o.offTarget === true;
}

/** The failing outputs of one summary row (all languages for "all"). */
export function failuresOf<T extends Pick<InstructionOutput, 'variant' | 'lang' | 'outcome' | 'offTarget'>>(outputs: readonly T[], variant: string, language: string): T[] {
  return outputs.filter((o) => o.variant === variant && (language === 'all' || o.lang === language) && isFailingOutput(o));
}
