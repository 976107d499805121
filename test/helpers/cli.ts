/** Runs the real CLI entry (bin/polyglot-lens) as a user would, capturing its output. */
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'polyglot-lens');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `env` entries override the environment; an undefined value removes the variable. */
export function cli(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined>; input?: string; timeoutMs?: number } = {}): CliResult {
  const env: Record<string, string | undefined> = { ...process.env, POLYGLOT_LENS_CACHE: join(ROOT, '.cache', 'test'), ...opts.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, encoding: 'utf8', input: opts.input, timeout: opts.timeoutMs, env });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function jsonLines(s: string): unknown[] {
  return s
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as unknown);
}

/** A failed command: non-zero exit, nothing on stdout, one `polyglot-lens: …` line matching `expect`. */
export function assertOneLineError(r: CliResult, expect: RegExp): void {
  assert.notEqual(r.code, 0);
  assert.equal(r.stdout, '');
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line, no stack trace: ${r.stderr}`);
  assert.match(lines[0]!, /^polyglot-lens: /);
  assert.match(lines[0]!, expect);
}

/** Runs a command that must succeed; returns its last stdout line as JSON. */
export function cliOk(args: string[]): Record<string, unknown> {
  const r = cli(args);
  assert.equal(r.code, 0, `${args.join(' ')}\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

/** A command that must be refused with one stderr line matching `pattern`. */
export function cliRefused(args: string[], pattern: RegExp): void {
  const r = cli(args);
  assert.notEqual(r.code, 0, `expected a refusal: ${args.join(' ')}`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, pattern);
}

/** Runs `base` as shards 0..n-1 into dir/p{i} (`extra(i)` appended); returns the folders. */
export function cliShards(dir: string, base: string[], n: number, extra: (i: number) => string[] = () => []): string[] {
  return Array.from({ length: n }, (_, i) => {
    const out = join(dir, `p${i}`);
    cliOk([...base, '--shard', `${i}/${n}`, '--out', out, ...extra(i)]);
    return out;
  });
}
