/**
 * Neuron deactivation (methods.md §2) as a variant kind, so the editor can toggle it like a
 * pruned variant and export it as a checkpoint. Neuron j of layer i is removed by masking row j
 * of that layer's `up` projection: hook_post[:, j] = act(gate_j)·up_j = act(gate_j)·0 = 0 at every
 * position — the same hook_post (and so the same outputs) as the run-time `deactivate` option,
 * while hook_pre (the LAPE activation) is unchanged. Architectures without an `up` projection
 * mask column j of `down` instead (identical outputs; hook_post itself is then not zeroed).
 */
import type { NeuronMask } from '../api';
import type { LoadedModel } from '../model/model';
import { linearWeights, sparsityReport } from './prune';
import { PrunedVariant, type VariantInfo } from './types';

export function createNeuronVariant(model: LoadedModel, name: string, neurons: NeuronMask): PrunedVariant {
  const plan = model.interventionPlan(neurons); // validates layers and neuron indices
  const linears = linearWeights(model);
  const masks = new Map<string, Uint8Array>();
  for (const layer of plan.deactivateLayers) {
    const js = neurons[layer]!;
    const up = linears.find((l) => l.linear.layer === layer && l.linear.kind === 'up');
    // The down projection is whatever reads hook_post (`down`, or `fc2`/`c_proj` in plain MLPs).
    const down = linears.find((l) => l.linear.layer === layer && l.linear.inputHook === `blocks.${layer}.mlp.hook_post`);
    if (up) {
      const cols = up.shape[1]!;
      const m = new Uint8Array(up.shape[0]! * cols).fill(1);
      for (const j of js) m.fill(0, j * cols, (j + 1) * cols);
      masks.set(up.name, m);
    } else if (down) {
      const [rows, cols] = [down.shape[0]!, down.shape[1]!];
      const m = new Uint8Array(rows * cols).fill(1);
      for (let r = 0; r < rows; r++) for (const j of js) m[r * cols + j] = 0;
      masks.set(down.name, m);
    } else {
      throw new Error(`layer ${layer} has no up or down projection to mask`);
    }
  }
  const info: VariantInfo = {
    name,
    kind: 'neurons',
    method: 'neurons',
    calibration: {},
    neurons: Object.fromEntries(plan.deactivateLayers.map((l) => [l, [...neurons[l]!].sort((a, b) => a - b)])),
    ...sparsityReport(linears, masks),
    createdAt: new Date().toISOString(),
  };
  const variant = new PrunedVariant(info, masks);
  model.variants.set(name, variant);
  return variant;
}
