/**
 * Typed access to config.json. Each getter names the file and the key when a value is missing or
 * of the wrong type, so "config.json: key hidden_size must be a positive integer" is what a user
 * sees instead of a NaN deep inside the graph.
 */
import { UserError } from '../errors';

export class ConfigReader {
  constructor(
    readonly file: string,
    readonly raw: Record<string, unknown>,
  ) {}

  has(key: string): boolean {
    return this.raw[key] !== undefined && this.raw[key] !== null;
  }

  int(key: string, fallback?: number): number {
    const v = this.raw[key];
    if (v === undefined || v === null) {
      if (fallback !== undefined) return fallback;
      throw new UserError(this.file, `missing key ${key}`);
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
      throw new UserError(this.file, `key ${key} must be a positive integer, got ${JSON.stringify(v)}`);
    }
    return v;
  }

  number(key: string, fallback?: number): number {
    const v = this.raw[key];
    if (v === undefined || v === null) {
      if (fallback !== undefined) return fallback;
      throw new UserError(this.file, `missing key ${key}`);
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new UserError(this.file, `key ${key} must be a number, got ${JSON.stringify(v)}`);
    }
    return v;
  }

  /** A finite number > 0 (an epsilon or a base: zero or negative values give NaN or garbage). */
  positive(key: string, fallback?: number): number {
    const v = this.number(key, fallback);
    if (!(v > 0)) throw new UserError(this.file, `key ${key} must be a positive number, got ${JSON.stringify(v)}`);
    return v;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.raw[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') throw new UserError(this.file, `key ${key} must be true or false, got ${JSON.stringify(v)}`);
    return v;
  }

  string(key: string, fallback?: string): string {
    const v = this.raw[key];
    if (v === undefined || v === null) {
      if (fallback !== undefined) return fallback;
      throw new UserError(this.file, `missing key ${key}`);
    }
    if (typeof v !== 'string') throw new UserError(this.file, `key ${key} must be a string, got ${JSON.stringify(v)}`);
    return v;
  }

  object(key: string): Record<string, unknown> | undefined {
    const v = this.raw[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) throw new UserError(this.file, `key ${key} must be an object`);
    return v as Record<string, unknown>;
  }

  /** An id or a list of ids (HF allows both for eos_token_id). */
  ids(key: string): number[] {
    const v = this.raw[key];
    if (v === undefined || v === null) return [];
    const list = Array.isArray(v) ? v : [v];
    if (!list.every((x) => Number.isInteger(x) && x >= 0)) throw new UserError(this.file, `key ${key} must be a token id or a list of ids`);
    return list as number[];
  }
}
