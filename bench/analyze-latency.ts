/**
 * Where Analyze's engine time goes on the default model (issue #25, "fast at the small end"): the
 * path the editor takes — EngineClient → engine process (dist/engine-worker.js) — from a cold
 * process, phase by phase, beside the same with the warm-up a prompt's opening runs (engine/warm).
 * Each round starts fresh processes; medians over the rounds. Prints a table and one JSON line.
 *   npm run build && node --import tsx bench/analyze-latency.ts [--rounds 5] [--threads 0]
 * The prompt and settings are hello.en.prompt's in the e2e suite (15 tokens, top-4, 8 new tokens,
 * L0.N3 and L1.N42 deactivated).
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EngineClient } from '../src/engine/worker/client';

const { values: a } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, threads: { type: 'string', default: '0' } } });
const TEXT = 'All human beings are born free and equal';
const REQ = { text: TEXT, topK: 4, deactivate: { 0: [3], 1: [42] } };
const workerPath = join(__dirname, '..', 'dist', 'engine-worker.js');

const median = (xs: number[]): number => +[...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!.toFixed(1);

async function timed<T>(into: Record<string, number[]>, name: string, f: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const r = await f();
  (into[name] ??= []).push(performance.now() - t);
  return r;
}

/** One fresh process: start, load, (warm-up), the editor's two requests (forward, continuation), then both again. */
async function round(into: Record<string, number[]>, warm: boolean): Promise<void> {
  const client = new EngineClient({ workerPath, threads: Number(a.threads) || undefined, log: () => undefined });
  try {
    const e = client.forModel(undefined);
    // A request before any model: answered by the fresh process (node start + the worker's script), no model work.
    await timed(into, 'process start (fork → first answer)', () => client.tokenize('x').catch(() => undefined));
    await timed(into, 'model load (config, tokenizer, weights)', () => e.loadModel(undefined));
    if (warm) await timed(into, 'warm-up (engine/warm: both sessions, one token each)', () => e.warm({ deactivate: REQ.deactivate }));
    const p = warm ? 'after warm-up: ' : 'cold: ';
    const an = await timed(into, `${p}forward (analysis plan${warm ? '' : ': onnxruntime load + session + run'})`, () => e.analyze({ ...REQ, maxNewTokens: 0 }));
    const ids = an.tokens.map((t) => t.id);
    await timed(into, `${p}continuation, 8 tokens${warm ? '' : ' (+ its session)'}`, () => e.generate({ ids, maxNewTokens: 8, deactivate: REQ.deactivate }));
    await timed(into, `${p}forward again (sessions built)`, () => e.analyze({ ...REQ, maxNewTokens: 0 }));
    await timed(into, `${p}continuation again`, () => e.generate({ ids, maxNewTokens: 8, deactivate: REQ.deactivate }));
  } finally {
    client.dispose();
  }
}

async function main(): Promise<void> {
  const load0 = loadavg()[0]!;
  const into: Record<string, number[]> = {};
  const ortLoad: number[] = [];
  for (let r = 0; r < Number(a.rounds); r++) {
    // onnxruntime-node's native library alone, in a fresh process (the engine pays it at its first session).
    ortLoad.push(Number(execFileSync(process.execPath, ['-e', "const t=performance.now();require('onnxruntime-node');process.stdout.write(String(performance.now()-t))"], { encoding: 'utf8' })));
    await round(into, false);
    await round(into, true);
  }
  into['onnxruntime-node require (fresh process)'] = ortLoad;
  const rows = Object.entries(into).map(([k, v]) => ({ phase: k, medianMs: median(v), ms: v.map((x) => +x.toFixed(0)) }));
  for (const r of rows) console.log(`${String(r.medianMs).padStart(8)} ms  ${r.phase}  [${r.ms.join(' ')}]`);
  console.log(JSON.stringify({ bench: 'analyze-latency', rounds: Number(a.rounds), threads: Number(a.threads), loadavg: [load0, loadavg()[0]], rows }));
}

void main();
