/** The demo tasks shipped with the project (examples/eval/, UDHR held-out articles), so every task runs on models/default with no data. */
import { join } from 'node:path';
import { packageRoot } from '../paths';

export const DEMO_CORPUS = 'udhr:en,fr,de,es,ru,zh';
/**
 * Translation without --corpus: the toy world's held-out clauses (`examples/eval/toyworld/`,
 * demonstrations from its dev split), where the default model translates (chrF 70–100, model
 * card) — on UDHR paragraphs its outputs are noise, so no pruning or ablation effect could show.
 */
export function demoTranslation(): { corpus: string; dev: string } {
  return { corpus: demoFile(join('toyworld', 'test.jsonl')), dev: demoFile(join('toyworld', 'dev.jsonl')) };
}
export const DEMO_PAIRS = 'fr-en,en-fr,de-en,en-de';
export const demoFile = (name: string): string => join(packageRoot(), 'examples', 'eval', name);
