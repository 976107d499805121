/**
 * Engine memory per pruning variant (issue #26 item 13): the engine's RSS after loading the default
 * model, after each of two Wanda variants made as the editor makes them (Prune Model…: wanda, 50%,
 * sequential, the engine's default calibration size), and after an analysis with each. Runs the
 * engine's own request handlers in this process (what the engine process runs), with a GC before
 * each reading. Also prints what the model holds: mask bytes, sessions, weights.
 * Usage: node --expose-gc --import tsx bench/variant-memory.ts [calibration sequences]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HANDLERS, type EngineState } from '../src/engine/worker/handlers';
import { defaultModelDir } from '../src/engine/paths';

const sequences = process.argv[2] ? Number(process.argv[2]) : undefined;
const mb = (b: number): number => Math.round(b / 2 ** 20);
const rss = (): number => {
  global.gc?.();
  global.gc?.();
  return mb(process.memoryUsage().rss);
};

async function main(): Promise<void> {
  const s: EngineState = { threads: 1, cacheDir: mkdtempSync(join(tmpdir(), 'pl-varmem-')), log: () => {} };
  const o = {};
  const rows: Record<string, unknown>[] = [];
  const note = (step: string): void => {
    const m = s.model;
    const masks = m ? [...m.variants.values()].reduce((n, v) => n + [...v.values()].reduce((k, a) => k + a.byteLength, 0), 0) : 0;
    const sessions = m ? (m as unknown as { sessions: Map<string, unknown> }).sessions.size : 0;
    rows.push({ step, rss_mb: rss(), mask_mb: mb(masks), sessions, weights_mb: m ? mb(m.info.runtime.heldWeightBytes) : 0 });
    console.error(JSON.stringify(rows[rows.length - 1]));
  };
  note('start');
  await HANDLERS['engine/load'](s, { dir: defaultModelDir() }, o);
  await HANDLERS['engine/analyze'](s, { text: 'All human beings are born free and equal.', topK: 8, maxNewTokens: 8 }, o);
  note('loaded + dense analysis');
  for (const [name, calibration] of [['wanda-fr', 'mt:fr-en'], ['wanda-de', 'mt:de-en']] as const) {
    await HANDLERS['prune/create'](s, { name, settings: { method: 'wanda', sparsity: 0.5, mode: 'sequential', calibration, ...(sequences ? { calibrationSequences: sequences } : {}) } }, o);
    note(`+ ${name}`);
    await HANDLERS['engine/analyze'](s, { text: 'All human beings are born free and equal.', topK: 8, maxNewTokens: 8, variant: name }, o);
    note(`+ ${name} analysis`);
  }
  console.log(JSON.stringify({ bench: 'variant-memory', model: 'default', calibrationSequences: sequences ?? 'engine default', peak_rss_mb: mb(process.resourceUsage().maxRSS * 1024), rows }));
  await s.model?.dispose();
}
void main();
