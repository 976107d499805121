/**
 * Neuron hover latency (issue #17: ≤ 100 ms after the first analysis of a prompt, default model):
 * the real path — EngineClient → engine process (dist/engine-worker.js) → neuron/report → back —
 * after one engine/analyze of the prompt. Also times the uncached path (a prompt never analysed:
 * one forward) for contrast. Prints one JSON line. Usage:
 *   npm run build && node --import tsx bench/neuron-hover.ts [--threads 2] [--hovers 200] [--index DIR]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EngineClient } from '../src/engine/worker/client';
import { mulberry32 } from '../src/engine/random';

const { values: a } = parseArgs({ options: { threads: { type: 'string', default: '2' }, hovers: { type: 'string', default: '200' }, index: { type: 'string' } } });
const PROMPT =
  'Translate into French: All human beings are born free and equal in dignity and rights. They are endowed with reason and conscience and should act towards one another in a spirit of brotherhood.';

const pct = (xs: number[], q: number): number => {
  const s = [...xs].sort((x, y) => x - y);
  return +s[Math.min(s.length - 1, Math.floor(q * s.length))]!.toFixed(2);
};

async function main(): Promise<void> {
  const client = new EngineClient({ workerPath: join(__dirname, '..', 'dist', 'engine-worker.js'), threads: Number(a.threads), log: () => undefined });
  const info = await client.loadModel(undefined);
  const t0 = performance.now();
  const analysis = await client.analyze({ text: PROMPT, maxNewTokens: 0 });
  const analyzeMs = performance.now() - t0;
  const rnd = mulberry32(17);
  const times: number[] = [];
  let cachedAll = true;
  for (let i = 0; i < Number(a.hovers); i++) {
    const layer = Math.floor(rnd() * info.nLayers);
    const index = Math.floor(rnd() * info.dMlp);
    const s = performance.now();
    const r = await client.neuronReport({ text: PROMPT, layer, index, indexDir: a.index });
    times.push(performance.now() - s);
    cachedAll &&= r.cached;
  }
  const uncached: number[] = [];
  for (let i = 0; i < 5; i++) {
    const s = performance.now();
    await client.neuronReport({ text: `${PROMPT} (${i})`, layer: 0, index: i });
    uncached.push(performance.now() - s);
  }
  client.dispose();
  console.log(JSON.stringify({
    model: info.dir.split('/').pop(),
    tokens: analysis.tokens.length,
    analyze_ms: +analyzeMs.toFixed(1),
    hovers: times.length,
    all_from_cached_forward: cachedAll,
    hover_ms_median: pct(times, 0.5),
    hover_ms_p95: pct(times, 0.95),
    hover_ms_max: pct(times, 1),
    uncached_prompt_ms_median: pct(uncached, 0.5),
    with_index: a.index ?? null,
  }));
}

void main();
