/** Brute force for the neuron index: capture every text's hook_post, sort everything, take K. */
import { captureHooks } from '../../src/engine/capture';
import type { LoadedModel } from '../../src/engine/model/model';

export interface BruteExample {
  seq: number;
  text: string;
  position: number;
  value: number;
}

/**
 * texts in corpus order → per neuron (layer-major) its K strongest (value desc, then corpus order),
 * computed from plain per-text captures and one JS sort over all of a neuron's values.
 */
export async function bruteForceTop(model: LoadedModel, texts: string[], k: number, maxLength: number): Promise<BruteExample[][]> {
  const { nLayers, dMlp } = model.cfg;
  const all: BruteExample[][] = Array.from({ length: nLayers * dMlp }, () => []);
  for (const [seq, text] of texts.entries()) {
    const ids = model.tokenizer.encode(text).slice(0, maxLength);
    const out = await captureHooks(model, { ids, hooks: ['blocks.*.mlp.hook_post'] });
    for (let l = 0; l < nLayers; l++) {
      const acts = out[`blocks.${l}.mlp.hook_post`]!.data; // [pos, d_mlp]
      for (let p = 0; p < ids.length; p++) for (let j = 0; j < dMlp; j++) all[l * dMlp + j]!.push({ seq, text, position: p, value: acts[p * dMlp + j]! });
    }
  }
  // Array.prototype.sort is stable: equal values keep corpus order (seq, then position).
  return all.map((xs) => xs.sort((a, b) => b.value - a.value).slice(0, k));
}
