/**
 * What bench/engine-job.ts and bench/ort-profile.ts share: their command-line flags, the model as a
 * job loads it, the token ids, and the graph plan of each job.
 */
import { readFileSync } from 'node:fs';
import { LoadedModel } from '../src/engine/model/model';
import type { GraphPlan } from '../src/engine/model/plan';
import { allHooks } from '../src/engine/hooks';

/** `--name value` from the command line; required when no fallback is given. */
export const arg = (name: string, fallback?: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) {
    if (fallback === undefined) throw new Error(`--${name} is required`);
    return fallback;
  }
  return process.argv[i + 1]!;
};

/** --model with --threads, and --prepack: resident weights as graph constants (model.ts). */
export function loadBenchModel(): LoadedModel {
  const prepack = process.argv.includes('--prepack');
  return LoadedModel.load(arg('model'), { threads: Number(arg('threads', '2')), ...(prepack ? { constantWeights: true, weights: 'resident' as const } : {}) });
}

/** --ids: one JSON line {"ids": [...]} per sequence. */
export function readIds(): number[][] {
  return readFileSync(arg('ids'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { ids: number[] }).ids);
}

/** lape: count gate pre-activations > 0 per neuron in the graph; capture: every hook point and the logits. */
export function jobPlan(job: string, model: LoadedModel): GraphPlan {
  const none = { kvCache: false, lastPositionOnly: false, deactivateLayers: [], maskedWeights: [] };
  return job === 'lape'
    ? { capture: [], stats: Array.from({ length: model.cfg.nLayers }, (_, l) => ({ hook: `blocks.${l}.mlp.hook_pre`, kind: 'countPos' as const })), ...none }
    : { capture: allHooks(model.cfg), stats: [], ...none };
}
