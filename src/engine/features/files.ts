/**
 * The features output folder:
 * - `importance.safetensors`: one F32 [d_in] tensor per setting × layer × linear kind, named
 *   `{setting}/blocks.{layer}/{kind}` (e.g. `fr-en/blocks.3/gate`), holding I_C = sqrt(s_C/n_C).
 *   Kinds sharing an input (q/k/v, gate/up) hold equal vectors. Metadata `settings` lists every
 *   setting with its source, kind, label, positions and sequences.
 * - `overlap.json`: {source, k, settings: [{id, label, kind}], layers, kinds, values} with
 *   values[layerIdx][kindIdx][a][b] = overlap(settings[a], settings[b]) in percent. `source` is
 *   "hidden_states" (default; layers = hidden-state indices 0…L, 0 = embeddings, kinds ["hidden"])
 *   or "linear_inputs" (layers = blocks, kinds = distinct linear inputs such as "q/k/v"); k is a
 *   fraction (0.3 = 30 %).
 * - `large-magnitude.json`: {top, hiddenStates, dModel, all: [{hidden, dims, norms}], settings: {id: [...]}}
 *   with hidden = hidden-state index (0 = embeddings, last = after the final norm); `all` pools
 *   the sequences of every setting.
 * - `scatter.json` (when a translation and a monolingual setting exist): {mt, mono, mtLabel,
 *   monoLabel, layers: [{layer, kind, mt, mono, x, y}]} with x/y the within-layer z-scores of
 *   ln I_mt / ln I_mono (population std; null where I = 0, which has no log).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeSafetensors } from '../checkpoint/safetensors';
import type { LargeMagnitudeFeatures } from '../../shared/features';
import type { FeatureRun } from './features';

export function tensorName(setting: string, layer: number, kind: string): string {
  return `${setting}/blocks.${layer}/${kind}`;
}

function perLayer(l: LargeMagnitudeFeatures): { hidden: number; dims: number[]; norms: number[] }[] {
  return Array.from({ length: l.nLayers }, (_, hidden) => ({
    hidden,
    dims: [...l.dims.subarray(hidden * l.top, (hidden + 1) * l.top)],
    norms: [...l.norms.subarray(hidden * l.top, (hidden + 1) * l.top)],
  }));
}

/** z-scores of ln x over the finite logs (x ≤ 0 → null), population std; constant input → 0. */
export function logZScores(x: Float32Array): (number | null)[] {
  const logs = Array.from(x, (v) => (v > 0 ? Math.log(v) : NaN));
  const fin = logs.filter((v) => Number.isFinite(v));
  const mean = fin.reduce((a, b) => a + b, 0) / (fin.length || 1);
  const std = Math.sqrt(fin.reduce((a, b) => a + (b - mean) ** 2, 0) / (fin.length || 1));
  return logs.map((v) => (Number.isFinite(v) ? (std > 0 ? (v - mean) / std : 0) : null));
}

export function writeFeaturesFolder(dir: string, run: FeatureRun, meta: Record<string, string>): void {
  const tensors = run.settings.flatMap((s) =>
    run.layers.flatMap((layer) => run.kinds.map((kind) => {
      const data = run.importance(s.id, layer, kind);
      return { name: tensorName(s.id, layer, kind), dtype: 'F32' as const, shape: [data.length], data };
    })),
  );
  writeSafetensors(join(dir, 'importance.safetensors'), tensors, { ...meta, settings: JSON.stringify(run.settings), naming: '{setting}/blocks.{layer}/{kind}' });

  const o = run.analysis.overlap!;
  const S = o.settings.length;
  const values = o.layers.map((_, li) =>
    o.kinds.map((_, ki) => Array.from({ length: S }, (_, a) => Array.from({ length: S }, (_, b) => o.values[((li * o.kinds.length + ki) * S + a) * S + b]!))),
  );
  writeFileSync(join(dir, 'overlap.json'), JSON.stringify({ source: o.source, k: o.k, settings: o.settings, layers: o.layers, kinds: o.kinds, values }) + '\n');

  const lm = run.analysis.largeMagnitude!;
  writeFileSync(
    join(dir, 'large-magnitude.json'),
    JSON.stringify({
      top: lm.top,
      hiddenStates: lm.nLayers,
      dModel: lm.dModel,
      all: perLayer(lm),
      settings: Object.fromEntries(Object.entries(run.largeMagnitudeBySetting).map(([id, l]) => [id, perLayer(l)])),
    }) + '\n',
  );

  const sc = run.analysis.scatter;
  if (sc && run.scatterIds) {
    writeFileSync(
      join(dir, 'scatter.json'),
      JSON.stringify({
        ...run.scatterIds,
        mtLabel: sc.mtLabel,
        monoLabel: sc.monoLabel,
        layers: sc.layers.map((l) => ({ layer: l.layer, kind: l.kind, mt: [...l.mt], mono: [...l.mono], x: logZScores(l.mt), y: logZScores(l.mono) })),
      }) + '\n',
    );
  }
}
