/**
 * Deterministic synthetic results for renderer tests, the report screenshot and the paint
 * benchmarks. Shapes match what the engine produces; values come from a seeded PRNG.
 */
import type { ActivationAnalysis } from '../../src/shared/analysis';
import type { CompareResult } from '../../src/shared/compare';
import type { FeatureAnalysis, FeatureImportanceLayer } from '../../src/shared/features';
import type { LapeResult } from '../../src/shared/lape';

import { mulberry32 as rng } from '../../src/engine/random';

export { rng };

const WORDS = ['The', ' cat', ' sat', ' on', ' the', ' mat', '.', ' Le', ' chat', ' est', ' sur', ' le', ' tapis', '.', ' 猫', 'は', '座', 'った', '\n'];

export function activationsFixture(nTokens = 32, nLayers = 24, topK = 8, seed = 1): ActivationAnalysis {
  const r = rng(seed);
  const dMlp = 4096;
  const tokens = Array.from({ length: nTokens }, (_, i) => ({ id: 100 + i, text: WORDS[i % WORDS.length]!, start: i * 4, end: i * 4 + 3 }));
  const topIndex = new Int32Array(nTokens * nLayers * topK);
  const topValue = new Float32Array(nTokens * nLayers * topK);
  for (let p = 0; p < nTokens; p++) for (let l = 0; l < nLayers; l++) {
    // A smooth field plus noise so the heatmap shows structure; values descend within a cell.
    let v = 0.5 + 2 * Math.abs(Math.sin(p / 5 + l / 7)) + 1.5 * (l / nLayers) + r();
    for (let k = 0; k < topK; k++) {
      const i = (p * nLayers + l) * topK + k;
      topIndex[i] = (l * 131 + p * 17 + k * 977) % dMlp;
      topValue[i] = v;
      v *= 0.6 + 0.3 * r();
    }
  }
  return {
    model: { dir: '/models/tiny', name: 'polyglot-tiny', nLayers, dMlp },
    text: tokens.map((t) => t.text).join(''), tokens, nLayers, topK, topIndex, topValue,
    generated: { ids: [5, 6, 7], text: ' Die Katze saß auf der Matte.' },
    languageProfiles: {
      languages: ['en', 'fr', 'ja'],
      neurons: { [`L0.N${topIndex[0]}`]: { p: [0.9, 0.1, 0.05], lape: 0.42, specificTo: ['en'] } },
    },
  };
}

export function lapeFixture(seed = 2): LapeResult {
  const r = rng(seed);
  const languages = ['en', 'fr', 'de', 'ja'];
  const nLayers = 12, dMlp = 256;
  const ap = new Float32Array(languages.length * nLayers * dMlp);
  for (let i = 0; i < ap.length; i++) ap[i] = r() * 0.5;
  const lape = new Float32Array(nLayers * dMlp);
  for (let i = 0; i < lape.length; i++) lape[i] = 0.3 + r() * 1.0;
  const neurons = languages.map((_, li) => Array.from({ length: nLayers }, (_, l) => {
    // More language-specific neurons in the top and bottom layers, as Tang et al. report.
    const n = Math.round(2 + 8 * Math.abs(l - nLayers / 2) / (nLayers / 2) + li);
    return Array.from({ length: n }, (_, k) => (l * 7 + k * 13 + li * 3) % dMlp).filter((x, i, a) => a.indexOf(x) === i).sort((a, b) => a - b);
  }));
  neurons.forEach((perLayer, li) => perLayer.forEach((ix, l) => ix.forEach((n) => { ap[(li * nLayers + l) * dMlp + n] = 0.8 + 0.15 * r(); lape[l * dMlp + n] = 0.05 + 0.2 * r(); })));
  return { model: { name: 'polyglot-tiny', nLayers, dMlp }, languages, nLayers, dMlp, neurons, activationProbability: ap, lape, bar: 0.62, probQuantile: 0.95, entropyQuantile: 0.01,
    topTokens: { 'L0.N0': [' the', ' and', ' of'] } };
}

export function featuresFixture(nLayers = 4, dIn = 512, seed = 3): FeatureAnalysis {
  const r = rng(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const layers: FeatureImportanceLayer[] = [];
  for (let l = 0; l < nLayers; l++) for (const kind of ['q', 'gate']) {
    const mt = new Float32Array(dIn), mono = new Float32Array(dIn);
    for (let j = 0; j < dIn; j++) { const shared = gauss(); mt[j] = Math.exp(0.8 * shared + 0.6 * gauss()); mono[j] = Math.exp(0.8 * shared + 0.6 * gauss()); }
    layers.push({ layer: l, kind, mt, mono });
  }
  const settings = [
    { id: 'en', label: 'English', kind: 'mono' as const }, { id: 'fr', label: 'French', kind: 'mono' as const }, { id: 'ja', label: 'Japanese', kind: 'mono' as const },
    { id: 'en-fr', label: 'en→fr', kind: 'mt' as const }, { id: 'fr-en', label: 'fr→en', kind: 'mt' as const }, { id: 'en-ja', label: 'en→ja', kind: 'mt' as const },
  ];
  const S = settings.length, kinds = ['q', 'gate'];
  const values = new Float32Array(nLayers * kinds.length * S * S);
  for (let i = 0; i < values.length; i++) {
    const a = Math.floor(i / S) % S, b = i % S;
    values[i] = a === b ? 0 : (settings[a]!.kind === settings[b]!.kind ? 3 : 12) + 6 * r();
  }
  const top = 20, dModel = 1024;
  const dims = new Int32Array(nLayers * top), norms = new Float32Array(nLayers * top);
  for (let l = 0; l < nLayers; l++) for (let k = 0; k < top; k++) {
    dims[l * top + k] = k === 0 ? 447 : k === 1 && l > 0 ? 138 : Math.floor(r() * dModel);
    norms[l * top + k] = (k === 0 ? 400 : 40) / (1 + k * 0.3) * (1 + l * 0.2);
  }
  return { model: { name: 'polyglot-tiny' }, scatter: { mtLabel: 'fr→en', monoLabel: 'fr', layers },
    overlap: { source: 'linear_inputs', settings, layers: Array.from({ length: nLayers }, (_, l) => l), kinds, k: 0.3, values }, largeMagnitude: { nLayers, dModel, top, dims, norms } };
}

export function compareFixture(): CompareResult {
  return {
    prompt: 'Translate to French: The cat sat on the mat.',
    a: { label: 'dense', text: ' Le chat était assis sur le tapis.', language: { code: 'fr', name: 'French', confidence: 0.97 },
      topNext: [{ token: ' Le', id: 1, p: 0.62 }, { token: ' La', id: 2, p: 0.18 }, { token: ' Un', id: 3, p: 0.05 }, { token: '\n', id: 4, p: 0.03 }] },
    b: { label: 'wanda 50%', text: ' The cat sat on the mat.', language: { code: 'en', name: 'English', confidence: 0.91 },
      topNext: [{ token: ' The', id: 5, p: 0.41 }, { token: ' Le', id: 1, p: 0.22 }, { token: ' A', id: 6, p: 0.09 }] },
    layerChange: new Float32Array([0.01, 0.03, 0.05, 0.09, 0.12, 0.2, 0.26, 0.31, 0.35, 0.42, 0.4, 0.47]),
  };
}
