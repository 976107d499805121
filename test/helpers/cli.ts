/** Runs the real CLI entry (bin/polyglot-lens) as a user would, capturing its output. */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

/** Whether process `pid` is stopped (state T in /proc/PID/stat; Linux). */
export function isStopped(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('T');
  } catch {
    return false;
  }
}

/** Polls `cond` until it holds (a condition, never a fixed wait); fails after a generous ceiling. */
export async function waitUntil(cond: () => boolean, what: string, ceilingMs = 120_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ceilingMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Runs the real CLI in its own process group with POLYGLOT_LENS_STOP_AT=`at`: when the process has
 * stopped itself there (it says so on stderr, then SIGSTOPs), runs `act(pid)` (which may send
 * signals to the group, replace folders …), resumes the group with SIGCONT and waits for the exit.
 * Fails when the process exits without reaching the stop point.
 */
export async function cliStopped(args: string[], at: string, act: (pid: number) => void, opts: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<CliResult & { stopped: boolean; signal: NodeJS.Signals | null; raw: string }> {
  const env: Record<string, string | undefined> = { ...process.env, POLYGLOT_LENS_CACHE: join(ROOT, '.cache', 'test'), POLYGLOT_LENS_STOP_AT: at, ...opts.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const p = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let stopped = false;
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => p.on('close', (code, signal) => resolve({ code, signal })));
  p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const reached = new Promise<boolean>((resolve) => {
    p.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!stopped && stderr.includes(`polyglot-lens: stopped at ${at} `)) {
        stopped = true;
        resolve(true);
      }
    });
    void done.then(() => resolve(false));
  });
  if (await reached) {
    await waitUntil(() => isStopped(p.pid!), `pid ${p.pid} to stop at ${at}`);
    try {
      act(p.pid!);
    } finally {
      process.kill(-p.pid!, 'SIGCONT');
    }
  }
  const { code, signal } = await done;
  // The stop line is the test's, not the command's: leave stderr as a user would see it.
  const visible = stderr.replace(/^polyglot-lens: stopped at .*\n/m, '');
  return { code: code ?? -1, signal, stdout, stderr: visible, stopped, raw: stderr };
}
