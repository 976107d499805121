import * as vscode from 'vscode';
import { resolve } from 'node:path';
import { VariantBook, type VariantBookJson, type VariantRecord } from './variantBook';

const STORE_KEY = 'polyglotLens.variants';

/**
 * The pruning variants of each model (variantBook.ts), the one chosen per model with Select
 * Variant…, and change events for the status bar, CodeLens and sidebar. Kept in workspaceState, so
 * after a window reload a prompt still lists its model's variants; the engine re-creates one when
 * a run first names it.
 */
export class VariantState implements vscode.Disposable {
  private readonly book: VariantBook;
  readonly onDidChange = new vscode.EventEmitter<void>();

  constructor(private readonly store: vscode.Memento | undefined, private readonly defaultModelDir: string) {
    this.book = VariantBook.fromJson(store?.get<VariantBookJson>(STORE_KEY));
  }

  /** The key of a model folder (undefined = the default model): variants are listed under it. */
  modelKey(dir: string | undefined): string {
    return resolve(dir ?? this.defaultModelDir);
  }

  list(model: string): VariantRecord[] {
    return this.book.list(model);
  }

  get(model: string, name: string): VariantRecord | undefined {
    return this.book.get(model, name);
  }

  active(model: string): string | undefined {
    return this.book.active(model);
  }

  inEngine(model: string, name: string): boolean {
    return this.book.inEngine(model, name);
  }

  /** Every model with variants, for the sidebar. */
  get models(): string[] {
    return Object.keys(this.book.toJson().models);
  }

  record(model: string, r: VariantRecord): void {
    this.book.record(model, r);
    this.changed();
  }

  /** undefined = dense. */
  setActive(model: string, name: string | undefined): void {
    this.book.setActive(model, name);
    this.changed();
  }

  forget(model: string, name: string): void {
    this.book.forget(model, name);
    this.changed();
  }

  /** The engine loaded `dir`; returns the names of the variants it unloaded with the previous model. */
  engineLoaded(dir: string): string[] {
    const gone = this.book.engineLoaded(this.modelKey(dir));
    if (gone.length) this.onDidChange.fire();
    return gone;
  }

  engineStopped(): void {
    this.book.engineStopped();
    this.onDidChange.fire();
  }

  private changed(): void {
    void this.store?.update(STORE_KEY, this.book.toJson());
    this.onDidChange.fire();
  }

  dispose(): void {
    this.onDidChange.dispose();
  }
}
