/**
 * Which pruning variants exist, for which model, and which of them the engine holds right now.
 * Pure (no vscode import), unit-tested. A variant belongs to the model it was made from: a prompt
 * shows and uses only its own model's variants. The engine holds one model at a time, so loading
 * another (or restarting it) unloads the variants of the previous one; the book keeps how each was
 * made, so the next run that names it re-creates it (and says so) instead of failing with
 * `no pruning variant named …`, and nothing disappears from a list without a message.
 */
import type { PruneSettings } from '../engine/pruning/fromSources';
import type { VariantSummary } from '../engine/worker/protocol';

export interface VariantRecord {
  summary: VariantSummary;
  /** How it was made, to re-create it after the engine unloaded it. */
  settings?: PruneSettings;
  /** `palette`: Prune Model…; `prompt`: a prompt's polyglot.pruning. */
  origin: 'palette' | 'prompt';
}

/** The saved form (workspaceState): records and the active variant per model. */
export interface VariantBookJson {
  models: Record<string, { active?: string; variants: VariantRecord[] }>;
}

export class VariantBook {
  private readonly byModel = new Map<string, Map<string, VariantRecord>>();
  private readonly activeByModel = new Map<string, string>();
  /** The model whose variants the engine holds, and their names. */
  private engine: { model: string; names: Set<string> } | undefined;

  static fromJson(j: VariantBookJson | undefined): VariantBook {
    const b = new VariantBook();
    for (const [model, m] of Object.entries(j?.models ?? {})) {
      for (const r of m.variants ?? []) if (r && r.summary && typeof r.summary.name === 'string') b.put(model, r);
      if (m.active && b.get(model, m.active)) b.activeByModel.set(model, m.active);
    }
    return b;
  }

  toJson(): VariantBookJson {
    const models: VariantBookJson['models'] = {};
    for (const [model, m] of this.byModel) models[model] = { ...(this.activeByModel.has(model) ? { active: this.activeByModel.get(model) } : {}), variants: [...m.values()] };
    return { models };
  }

  /** A variant the engine has just made (or reused) on `model`. */
  record(model: string, r: VariantRecord): void {
    this.put(model, r);
    this.engineHas(model).add(r.summary.name);
  }

  list(model: string): VariantRecord[] {
    return [...(this.byModel.get(model)?.values() ?? [])];
  }

  get(model: string, name: string): VariantRecord | undefined {
    return this.byModel.get(model)?.get(name);
  }

  /** The variant chosen with Select Variant… for `model` (undefined = dense). */
  active(model: string): string | undefined {
    return this.activeByModel.get(model);
  }

  setActive(model: string, name: string | undefined): void {
    if (name === undefined) this.activeByModel.delete(model);
    else if (this.get(model, name)) this.activeByModel.set(model, name);
    else throw new Error(`no variant ${name} of ${model}`);
  }

  /** Whether the engine holds `name` of `model` now (a run can name it without re-creating it). */
  inEngine(model: string, name: string): boolean {
    return this.engine?.model === model && this.engine.names.has(name);
  }

  /** The engine loaded `model`: the previous model's variants are gone from it. Returns their names. */
  engineLoaded(model: string): string[] {
    if (this.engine?.model === model) return [];
    const unloaded = this.engine ? [...this.engine.names] : [];
    this.engine = { model, names: new Set() };
    return unloaded;
  }

  /** The engine process stopped (restart, crash): it holds no variant. */
  engineStopped(): void {
    this.engine = undefined;
  }

  /** Removes a variant that cannot be re-created; the caller says so. */
  forget(model: string, name: string): void {
    this.byModel.get(model)?.delete(name);
    if (this.activeByModel.get(model) === name) this.activeByModel.delete(model);
    this.engine?.names.delete(name);
  }

  private put(model: string, r: VariantRecord): void {
    let m = this.byModel.get(model);
    if (!m) this.byModel.set(model, (m = new Map()));
    m.set(r.summary.name, r);
  }

  private engineHas(model: string): Set<string> {
    if (this.engine?.model !== model) this.engine = { model, names: new Set() };
    return this.engine.names;
  }
}
