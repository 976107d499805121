/**
 * One prompt's MLP activations kept after a forward pass, so that any neuron's per-token values
 * are a column read (microseconds) instead of a model run per hover. Holds
 * `blocks.{l}.mlp.hook_post` for every layer: [pos, d_mlp] × layers, e.g. 64 tokens × 6 × 704
 * F32 = 1 MB on the default model, 64 × 32 × 11008 = 90 MB on a 7B Llama — one prompt only.
 */
import type { NeuronMask, TensorData } from '../api';
import { UserError } from '../errors';
import type { LoadedModel, Variant } from '../model/model';

export const postHook = (layer: number): string => `blocks.${layer}.mlp.hook_post`;

export class PromptForward {
  constructor(
    /** What identifies the run: model dir, text, intervention (see forwardKey). */
    readonly key: string,
    readonly ids: number[],
    readonly dMlp: number,
    /** hook_post per layer. */
    readonly post: Float32Array[], // [layer][pos, d_mlp]
  ) {}

  /** hook_post[:, index] of `layer`: one value per token. */
  column(layer: number, index: number): Float32Array {
    const acts = this.post[layer];
    if (!acts || !(index >= 0 && index < this.dMlp)) throw new UserError(`L${layer}.N${index}`, `no such neuron (${this.post.length} layers × ${this.dMlp} neurons)`);
    const P = this.ids.length;
    const out = new Float32Array(P); // [pos]
    for (let p = 0; p < P; p++) out[p] = acts[p * this.dMlp + index]!;
    return out;
  }

  static fromCapture(key: string, ids: number[], dMlp: number, nLayers: number, out: Record<string, TensorData>): PromptForward {
    return new PromptForward(key, ids, dMlp, Array.from({ length: nLayers }, (_, l) => out[postHook(l)]!.data));
  }
}

export function forwardKey(model: LoadedModel, text: string, deactivate?: NeuronMask, variant?: string): string {
  return JSON.stringify([model.ckpt.dir, text, deactivate ?? null, variant ?? null]);
}

/** Runs the prompt once with every layer's hook_post captured. */
export async function runPromptForward(model: LoadedModel, key: string, ids: number[], deactivate?: NeuronMask, variant?: Variant): Promise<PromptForward> {
  model.checkLength(ids.length, 'prompt');
  const hooks = Array.from({ length: model.cfg.nLayers }, (_, l) => postHook(l));
  const out = await model.run([ids], { capture: hooks, stats: [], kvCache: false, lastPositionOnly: false, ...model.interventionPlan(deactivate, variant) }, { deactivate, variant });
  return PromptForward.fromCapture(key, ids, model.cfg.dMlp, model.cfg.nLayers, out);
}
