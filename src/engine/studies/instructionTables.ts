/**
 * The instruction-language study's tables as Enomoto et al. print them (methods.md §6), from the
 * outputs of every model × task: accuracy by instruction language (English / target /
 * machine-translated) × label language (English / target) per model, with McNemar's exact test of
 * each cell against the English instruction with the same label language on the same items
 * († significantly better, ‡ significantly worse, p < 0.05); instruction-following failure and
 * off-target rates per task × instruction language; and per variant the LAPE neurons and those
 * active under that variant only. Items whose language is English (or unknown) have no target
 * and are left out of the role tables; the per-language summaries keep them.
 */
import { lapeJson } from '../lape/files';
import { mcnemarExact } from '../stats/mcnemar';
import type { InstructionComparison } from './instructions';
import { INSTRUCTION_ROLES, LABEL_ROLES, rolesFor, type InstructionRole, type LabelRole } from './variantLanguages';
import type { InstructionOutput } from '../../shared/studies';

export const SIGNIFICANCE = 0.05;

export interface RoleCell {
  /** Outputs in the cell (item × variant). */
  n: number;
  accuracy: number | null;
  failureRate: number | null;
  offTargetRate: number | null;
  undeterminedRate: number | null;
  /** Against the English instruction with the same label language, on the items both have. */
  test: { b: number; c: number; p: number; pairs: number; mark: '†' | '‡' | '' } | null;
}

/** The outputs of one comparison in the (instruction, labels) roles, per item. */
function byRole(r: InstructionComparison): Map<string, Map<number, InstructionOutput[]>> {
  const cells = new Map<string, Map<number, InstructionOutput[]>>();
  for (const o of r.outputs) {
    const roles = rolesFor(r.languages[o.variant]!, o.lang);
    if (!roles || roles.instruction === 'other' || roles.labels === 'other') continue;
    const k = `${roles.instruction}|${roles.labels}`;
    const perItem = cells.get(k) ?? new Map<number, InstructionOutput[]>();
    perItem.set(o.index, [...(perItem.get(o.index) ?? []), o]);
    cells.set(k, perItem);
  }
  return cells;
}

const rate = (k: number, n: number): number | null => (n === 0 ? null : k / n);

function summarizeCell(outs: readonly InstructionOutput[]): Omit<RoleCell, 'test'> {
  const scored = outs.filter((o) => o.outcome !== 'unscored');
  const judged = outs.filter((o) => o.offTarget !== null);
  return {
    n: outs.length,
    accuracy: rate(scored.filter((o) => o.outcome === 'correct').length, scored.length),
    failureRate: rate(outs.filter((o) => o.failure !== null).length, outs.length),
    offTargetRate: rate(judged.filter((o) => o.offTarget).length, judged.length),
    undeterminedRate: rate(outs.filter((o) => o.offTarget === null).length, outs.length),
  };
}

/**
 * Accuracy (and the rates) per instruction role × label role of one comparison. A cell with
 * several variants per item (two "target" files) pools them; the McNemar pairs take each item's
 * first variant in file order on both sides.
 */
export function roleCells(r: InstructionComparison): Map<string, RoleCell> {
  const cells = byRole(r);
  const out = new Map<string, RoleCell>();
  const correct = (o: InstructionOutput): boolean => o.outcome === 'correct';
  for (const instruction of INSTRUCTION_ROLES) {
    for (const labels of LABEL_ROLES) {
      const perItem = cells.get(`${instruction}|${labels}`);
      if (!perItem) continue;
      const base = { ...summarizeCell([...perItem.values()].flat()) };
      let test: RoleCell['test'] = null;
      const english = cells.get(`English|${labels}`);
      if (instruction !== 'English' && english) {
        const shared = [...perItem.keys()].filter((i) => english.has(i) && perItem.get(i)![0]!.outcome !== 'unscored');
        const m = mcnemarExact(shared.map((i) => correct(english.get(i)![0]!)), shared.map((i) => correct(perItem.get(i)![0]!)));
        test = { ...m, pairs: shared.length, mark: m.p < SIGNIFICANCE ? (m.c > m.b ? '†' : '‡') : '' };
      }
      out.set(`${instruction}|${labels}`, { ...base, test });
    }
  }
  return out;
}

/** Rates per instruction role of one comparison, pooled over label roles. */
export function instructionRoleRates(r: InstructionComparison): Map<InstructionRole, Omit<RoleCell, 'test'>> {
  const pooled = new Map<InstructionRole, InstructionOutput[]>();
  for (const [k, perItem] of byRole(r)) {
    const role = k.split('|')[0] as InstructionRole;
    pooled.set(role, [...(pooled.get(role) ?? []), ...[...perItem.values()].flat()]);
  }
  return new Map(INSTRUCTION_ROLES.filter((role) => pooled.has(role)).map((role) => [role, summarizeCell(pooled.get(role)!)]));
}

export interface ExclusiveNeuron {
  layer: number;
  neuron: number;
  /** Activation probability under the variant it is exclusive to. */
  p: number;
  /** The highest activation probability under any other variant (≤ the bar). */
  otherMax: number;
}

/**
 * Neurons active under only one instruction variant (methods.md §6): activation probability
 * above the LAPE bar (§2 step 4, over all variants' probabilities) under exactly that variant and
 * at or below it under every other. Per variant, sorted by p − otherMax (the clearest first).
 */
export function exclusiveNeurons(run: NonNullable<InstructionComparison['neurons']>): Record<string, ExclusiveNeuron[]> {
  const r = run.result;
  const L = r.languages.length;
  const out: Record<string, ExclusiveNeuron[]> = Object.fromEntries(r.languages.map((v) => [v, []]));
  for (let layer = 0; layer < r.nLayers; layer++) {
    for (let neuron = 0; neuron < r.dMlp; neuron++) {
      const p = Array.from({ length: L }, (_, v) => r.activationProbability[(v * r.nLayers + layer) * r.dMlp + neuron]!);
      const above = p.flatMap((x, v) => (x > r.bar ? [v] : []));
      if (above.length !== 1) continue;
      const v = above[0]!;
      out[r.languages[v]!]!.push({ layer, neuron, p: p[v]!, otherMax: Math.max(...p.filter((_, u) => u !== v)) });
    }
  }
  for (const list of Object.values(out)) list.sort((a, b) => b.p - b.otherMax - (a.p - a.otherMax) || a.layer - b.layer || a.neuron - b.neuron);
  return out;
}

/** LAPE-selected neurons assigned to each variant (a neuron may belong to several). */
export function lapeCounts(run: NonNullable<InstructionComparison['neurons']>): Record<string, number> {
  return Object.fromEntries(Object.entries(lapeJson(run).neurons).map(([v, layers]) => [v, layers.reduce((n, l) => n + l.length, 0)]));
}

export type { InstructionRole, LabelRole };
