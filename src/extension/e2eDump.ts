import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ActivationAnalysis } from '../shared/analysis';
import type { CompareResult } from '../shared/compare';
import type { FeatureAnalysis } from '../shared/features';
import type { LapeResult } from '../shared/lape';
import type { LatentLanguageResult } from '../shared/lens';
import type { NeuronReport } from '../shared/neuron';

/**
 * Test-only side channel: when POLYGLOT_LENS_E2E_DUMP names a folder, the extension writes what
 * the e2e driver checks the UI against (the analysis it sent to the panel, activation time,
 * command outcomes). Nothing is written otherwise.
 */
export class E2eDump {
  constructor(private readonly dir: string | undefined) {
    if (dir) mkdirSync(dir, { recursive: true });
  }

  get enabled(): boolean {
    return this.dir !== undefined;
  }

  event(kind: string, data: Record<string, unknown> = {}): void {
    if (!this.dir) return;
    appendFileSync(join(this.dir, 'events.jsonl'), `${JSON.stringify({ kind, t: Date.now(), ...data })}\n`);
  }

  analysis(a: ActivationAnalysis, source: string): void {
    if (!this.dir) return;
    const plain = { ...a, source, topIndex: Array.from(a.topIndex), topValue: Array.from(a.topValue) };
    writeFileSync(join(this.dir, 'analysis.json'), JSON.stringify(plain));
  }

  /** The LAPE result sent to the Language neurons panel (typed arrays as plain arrays). */
  lape(r: LapeResult, corpus: string): void {
    if (!this.dir) return;
    const plain = { ...r, corpus, activationProbability: Array.from(r.activationProbability), lape: Array.from(r.lape, (v) => (Number.isNaN(v) ? null : v)) };
    writeFileSync(join(this.dir, 'lape.json'), JSON.stringify(plain));
  }

  /** A neuron report a hover or the Neuron panel showed (appended: one line per answer). */
  neuron(r: NeuronReport, where: string): void {
    if (!this.dir) return;
    appendFileSync(join(this.dir, 'neurons.jsonl'), `${JSON.stringify({ ...r, where, activations: Array.from(r.activations) })}\n`);
  }

  /** The lens result sent to the Latent language panel (typed arrays as plain arrays). */
  lens(r: LatentLanguageResult, source: string): void {
    if (!this.dir) return;
    const lenses = r.lenses.map((v) => ({ ...v, topIds: Array.from(v.topIds), topLogp: Array.from(v.topLogp), entropy: Array.from(v.entropy), mass: Array.from(v.mass), targets: v.targets.map((t) => ({ ...t, p: Array.from(t.p) })) }));
    writeFileSync(join(this.dir, 'lens.json'), JSON.stringify({ ...r, source, lenses }));
  }

  /** The compare result sent to the Compare panel. */
  compare(c: CompareResult, source: string): void {
    if (!this.dir) return;
    writeFileSync(join(this.dir, 'compare.json'), JSON.stringify({ ...c, source, layerChange: Array.from(c.layerChange) }));
  }

  /** The feature analysis sent to the Translation features panel (the scatter's importances as plain arrays). */
  features(f: FeatureAnalysis): void {
    if (!this.dir) return;
    const scatter = f.scatter && { ...f.scatter, layers: f.scatter.layers.map((l) => ({ ...l, mt: Array.from(l.mt), mono: Array.from(l.mono) })) };
    const overlap = f.overlap && { ...f.overlap, values: Array.from(f.overlap.values) };
    writeFileSync(join(this.dir, 'features.json'), JSON.stringify({ model: f.model, scatter, overlap }));
  }
}
