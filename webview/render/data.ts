/**
 * Wire → data, with the consistency checks the message guards cannot do before decoding
 * (packed array lengths against the declared dimensions). Throws with a readable message.
 */
import type { ActivationAnalysis } from '../../src/shared/analysis';
import type { CompareResult } from '../../src/shared/compare';
import type { FeatureAnalysis } from '../../src/shared/features';
import type { LapeResult } from '../../src/shared/lape';
import type { NeuronReport } from '../../src/shared/neuron';
import { fromWire, type Wire } from '../../src/shared/wire';

function expectLen(what: string, got: number, want: number): void {
  if (got !== want) throw new Error(`${what}: ${got} values, expected ${want}`);
}

export function decodeActivations(w: Wire<ActivationAnalysis>): ActivationAnalysis {
  const a = fromWire<ActivationAnalysis>(w);
  const n = a.tokens.length * a.nLayers * a.topK;
  expectLen('topIndex', a.topIndex.length, n);
  expectLen('topValue', a.topValue.length, n);
  return a;
}

export function decodeLape(w: Wire<LapeResult>): LapeResult {
  const l = fromWire<LapeResult>(w);
  expectLen('activationProbability', l.activationProbability.length, l.languages.length * l.nLayers * l.dMlp);
  expectLen('lape', l.lape.length, l.nLayers * l.dMlp);
  expectLen('neurons (languages)', l.neurons.length, l.languages.length);
  l.neurons.forEach((perLayer, i) => expectLen(`neurons[${l.languages[i]}] (layers)`, perLayer.length, l.nLayers));
  return l;
}

export function decodeFeatures(w: Wire<FeatureAnalysis>): FeatureAnalysis {
  const f = fromWire<FeatureAnalysis>(w);
  if (f.overlap) {
    const S = f.overlap.settings.length;
    expectLen('overlap.values', f.overlap.values.length, f.overlap.layers.length * f.overlap.kinds.length * S * S);
  }
  for (const l of f.scatter?.layers ?? []) expectLen(`scatter L${l.layer} ${l.kind} mono`, l.mono.length, l.mt.length);
  if (f.largeMagnitude) {
    const m = f.largeMagnitude;
    expectLen('largeMagnitude.dims', m.dims.length, m.nLayers * m.top);
    expectLen('largeMagnitude.norms', m.norms.length, m.nLayers * m.top);
  }
  return f;
}

export function decodeCompare(w: Wire<CompareResult>): CompareResult {
  return fromWire<CompareResult>(w);
}

export function decodeNeuron(w: Wire<NeuronReport>): NeuronReport {
  const r = fromWire<NeuronReport>(w);
  expectLen('activations', r.activations.length, r.tokens.length);
  return r;
}
