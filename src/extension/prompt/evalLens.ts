/** The `polyglot.eval` CodeLens titles, pure so their exact text is unit-tested. */
import type { EvalSettings } from '../../shared/prompt/types';

/** "Evaluate: classify · 3 models" (the prompt's model when polyglot.eval lists none). */
export function evalLensTitle(e: EvalSettings): string {
  const n = e.models?.length ?? 1;
  return `$(graph) Evaluate: ${e.tasks.join(' + ')} · ${n} model${n === 1 ? '' : 's'}`;
}

/** Compare lenses for the listed variants: at most `max`, the rest through the Compare command's picker. */
export function evalCompareTitles(e: EvalSettings, max = 3): { title: string; model: string }[] {
  return (e.models ?? []).filter((m) => m.includes('@')).slice(0, max).map((m) => ({ title: `Compare ${m}`, model: m }));
}
