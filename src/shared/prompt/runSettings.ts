import type { DeactivateSelection, PruningSettings } from './types';

/**
 * Name of the pruned variant a prompt asks for, e.g. `wanda-s0.5-sequential-seed0` or
 * `wanda-2:4-oneshot-seed0@udhr:en,fr`; undefined when pruning is absent or disabled (dense).
 * Deterministic, so the engine can cache a variant under it and the status bar can show it.
 */
export function pruningVariantName(p: PruningSettings | undefined): string | undefined {
  if (!p || !p.enabled) return undefined;
  const shape = p.nm ? `${p.nm.n}:${p.nm.m}` : `s${p.sparsity}`;
  const extra = `${p.scope === 'row' ? '-row' : ''}${p.referenceCompatible ? '-refcompat' : ''}`;
  return `${p.method}-${shape}-${p.mode}-seed${p.seed}${extra}${p.calibration ? `@${p.calibration}` : ''}`;
}

/**
 * Layer → neuron indices to zero (the engine's NeuronMask) for explicit `L3.N127` references.
 * A language selection needs the engine's LAPE statistics, so it yields undefined here and the
 * caller passes the language on.
 */
export function deactivateMask(sel: DeactivateSelection | undefined): Record<number, number[]> | undefined {
  if (!sel || sel.kind !== 'neurons') return undefined;
  const mask: Record<number, number[]> = {};
  for (const { layer, index } of sel.neurons) {
    const indices = (mask[layer] ??= []);
    if (!indices.includes(index)) indices.push(index);
  }
  return mask;
}
