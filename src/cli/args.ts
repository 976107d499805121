/**
 * A small, strict argument parser: `--name value`, `--name=value`, boolean flags, repeated
 * options, positionals. Unknown options are errors (a typo must not silently change a run).
 */
import { UserError } from '../engine/errors';

export interface OptionSpec {
  /** 'string' takes a value, 'flag' takes none, 'list' may repeat. */
  kind: 'string' | 'flag' | 'list';
  help: string;
}

export interface ParsedArgs {
  options: Map<string, string[]>;
  flags: Set<string>;
  positionals: string[];
}

export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  verbose: { kind: 'flag', help: 'print stack traces on errors, and how the model runs (weights mode, execution provider) on stderr' },
  threads: { kind: 'string', help: 'onnxruntime intra-op threads (default: all cores)' },
  'cache-dir': { kind: 'string', help: 'cache folder (default: ~/.cache/polyglot-lens)' },
  weights: { kind: 'string', help: 'auto (default), resident (F32 in memory), streaming (stored precision in memory, block by block) or mapped (read from the file block by block)' },
  prepack: { kind: 'flag', help: 'resident weights as graph constants, prepacked by onnxruntime once per plan (faster on the CPU; numbers differ in the last bits; default with --execution-provider cuda)' },
  'execution-provider': { kind: 'string', help: 'cpu (default) or cuda (needs onnxruntime-node\'s CUDA provider installed; falls back to cpu with a note)' },
  help: { kind: 'flag', help: 'show help' },
};

export function parseArgs(argv: string[], specs: Record<string, OptionSpec>): ParsedArgs {
  const all = { ...GLOBAL_OPTIONS, ...specs };
  const options = new Map<string, string[]>();
  const flags = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const spec = all[name];
    if (!spec) throw new UserError(`--${name}`, `unknown option (see --help)`);
    if (spec.kind === 'flag') {
      if (eq >= 0) throw new UserError(`--${name}`, 'takes no value');
      flags.add(name);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = a.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || (value.startsWith('--') && value.length > 2)) throw new UserError(`--${name}`, 'needs a value');
      i++;
    }
    const list = options.get(name) ?? [];
    if (spec.kind === 'string' && list.length) throw new UserError(`--${name}`, 'given more than once');
    list.push(value);
    options.set(name, list);
  }
  return { options, flags, positionals };
}

export class Args {
  constructor(private readonly p: ParsedArgs) {}

  get positionals(): string[] {
    return this.p.positionals;
  }

  flag(name: string): boolean {
    return this.p.flags.has(name);
  }

  string(name: string): string | undefined {
    return this.p.options.get(name)?.[0];
  }

  required(name: string): string {
    const v = this.string(name);
    if (v === undefined || v === '') throw new UserError(`--${name}`, 'is required');
    return v;
  }

  list(name: string): string[] {
    return this.p.options.get(name) ?? [];
  }

  int(name: string, fallback: number, min = 0): number {
    const v = this.string(name);
    if (v === undefined) return fallback;
    if (!/^-?\d+$/.test(v) || Number(v) < min) throw new UserError(`--${name}`, `must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
    return Number(v);
  }

  number(name: string, fallback: number): number {
    const v = this.string(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) throw new UserError(`--${name}`, `must be a number, got ${JSON.stringify(v)}`);
    return n;
  }
}
