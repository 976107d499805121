/** Graph plans and runs for evaluation subjects (a model plus its pruning masks / deactivation). */
import type { JobOptions } from '../api';
import type { GraphPlan } from '../model/plan';
import type { RunOptions } from '../model/model';
import type { EvalSubject } from './types';

/** Logits at every position, no cache: perplexity and full-sequence label scoring. */
export function logitsPlan(s: EvalSubject, kvCache = false): GraphPlan {
  return { capture: ['logits'], stats: [], kvCache, lastPositionOnly: false, ...s.model.interventionPlan(s.deactivate, s.variant, s.shifts) };
}

export function runOptions(s: EvalSubject, past?: RunOptions['past']): RunOptions {
  return { deactivate: s.deactivate, variant: s.variant, shifts: s.shifts, past };
}

/** What runs on `lang`: the subject itself, or its per-language form (`MODEL@lrp2`). */
export async function subjectFor(s: EvalSubject, lang: string, o: JobOptions = {}): Promise<EvalSubject> {
  return s.perLanguage ? s.perLanguage(lang, o) : s;
}
