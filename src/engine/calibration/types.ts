/** Calibration sets: token sequences for Wanda statistics (methods.md §3) and feature importances (§4). */
import type { Corpus } from '../corpus/types';

/** Defaults of methods.md §3 and the issue: 100 sequences of at most 512 tokens, 4 shots, seed 0. */
export const DEFAULT_SEQUENCES = 100;
export const DEFAULT_LENGTH = 512;
export const DEFAULT_SHOTS = 4;
export const DEFAULT_SEED = 0;

export interface CalibrationOptions {
  /** Number of sequences (default 100). */
  sequences?: number;
  /** Tokens per sequence; longer ones are truncated (default 512). */
  length?: number;
  /** Demonstrations per sequence for mono:/mt: (default 4). */
  shots?: number;
  /** Seed for every random choice (default 0). */
  seed?: number;
  /** Folder that relative paths and code: globs are resolved against (default: process.cwd()). */
  cwd?: string;
  /** Corpus for mono:/mt: (a Corpus or a spec such as a FLORES folder); default: UDHR. */
  corpus?: Corpus | string;
  signal?: AbortSignal;
}

export type CalibrationKind = 'mono' | 'mt' | 'text' | 'code';

export interface CalibrationSet {
  /** The source as given: `mono:fr`, `mt:fr-en`, `texts.jsonl`, `code:src/**\/*.py`. */
  source: string;
  kind: CalibrationKind;
  /** For display: "French", "French→English", or the source. */
  label: string;
  /** [lang] for mono, [src, tgt] for mt, [] otherwise. */
  languages: string[];
  sequences: number[][];
  /** Σ sequence lengths (every position is a calibration position). */
  tokens: number;
  /** Shortfalls the user should hear about (fewer texts than sequences asked, …), one line each. */
  warnings?: string[];
}
