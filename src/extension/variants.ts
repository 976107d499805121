import * as vscode from 'vscode';
import type { VariantSummary } from '../engine/worker/protocol';

/**
 * The pruned variants the engine holds for the loaded model, and the one chosen with Select
 * Variant… (used by runs whose prompt has no `polyglot.pruning`). Choosing only changes the name
 * passed to the engine: the model and its other variants stay loaded. Cleared when another model
 * loads or the engine restarts, because variants live on the engine's loaded model.
 */
export class VariantState implements vscode.Disposable {
  private activeName: string | undefined;
  private readonly known = new Map<string, VariantSummary>();
  readonly onDidChange = new vscode.EventEmitter<void>();

  get active(): string | undefined {
    return this.activeName;
  }

  get list(): VariantSummary[] {
    return [...this.known.values()];
  }

  get(name: string): VariantSummary | undefined {
    return this.known.get(name);
  }

  has(name: string): boolean {
    return this.known.has(name);
  }

  record(v: VariantSummary): void {
    this.known.set(v.name, v);
    this.onDidChange.fire();
  }

  /** undefined = dense. */
  setActive(name: string | undefined): void {
    this.activeName = name;
    this.onDidChange.fire();
  }

  clear(): void {
    if (this.known.size === 0 && this.activeName === undefined) return;
    this.known.clear();
    this.activeName = undefined;
    this.onDidChange.fire();
  }

  dispose(): void {
    this.onDidChange.dispose();
  }
}
