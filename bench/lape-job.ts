/**
 * The engine's LAPE job on pre-tokenized ids, as one whole process (load, run, select): the same
 * pipeline as `polyglot-lens neurons` (length-grouped batches under the token budget, in-graph
 * countPos on every hook_pre, selection) minus tokenization, so random-id benchmarks compare with
 * torch_baseline.py --job lape. The ids are split into two pseudo-languages (first/second half).
 * Usage: node --import tsx bench/lape-job.ts --model DIR --ids ids.jsonl [--threads 2] [--batch-tokens 4096]
 * Prints one JSON line: tokens, seconds (job only), tok/s, load_s, peak RSS.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { LoadedModel } from '../src/engine/model/model';
import { statOutput, type StatRequest } from '../src/engine/model/plan';
import { lengthGroupedBatches, DEFAULT_BATCH_TOKENS } from '../src/engine/stats/batches';
import { addInto, runStatBatches } from '../src/engine/stats/runStats';
import { selectLanguageNeurons } from '../src/engine/lape/select';

const { values: a } = parseArgs({ options: { model: { type: 'string' }, ids: { type: 'string' }, threads: { type: 'string', default: '2' }, 'batch-tokens': { type: 'string', default: String(DEFAULT_BATCH_TOKENS) } } });
const t0 = performance.now();
const model = LoadedModel.load(a.model!, { threads: Number(a.threads) });
const loadS = (performance.now() - t0) / 1000;
const { nLayers, dMlp } = model.cfg;

/** Streams the ids file (the corpus is never held whole), keeping lines with index % 2 === half. */
async function* ids(half: number): AsyncGenerator<number[]> {
  let i = 0;
  for await (const line of createInterface({ input: createReadStream(a.ids!) })) {
    if (line.trim() && i++ % 2 === half) yield (JSON.parse(line) as { ids: number[] }).ids;
  }
}

(async () => {
  const stats: StatRequest[] = Array.from({ length: nLayers }, (_, i) => ({ hook: `blocks.${i}.mlp.hook_pre`, kind: 'countPos' }));
  const start = performance.now();
  const counts: Float64Array[] = [];
  const tokens: number[] = [];
  for (const half of [0, 1]) {
    const acc = new Float64Array(nLayers * dMlp);
    let n = 0;
    await runStatBatches(model, lengthGroupedBatches(ids(half), Number(a['batch-tokens'])), stats, (out, batch) => {
      stats.forEach((s, l) => addInto(acc.subarray(l * dMlp, (l + 1) * dMlp), out[statOutput(s)]!.data));
      for (const s of batch) n += s.length;
    });
    counts.push(acc);
    tokens.push(n);
  }
  const sel = selectLanguageNeurons({ counts, tokens, nLayers, dMlp, probQuantile: 0.95, entropyQuantile: 0.01 });
  const sec = (performance.now() - start) / 1000;
  const total = tokens[0]! + tokens[1]!;
  console.log(JSON.stringify({ job: 'lape', tokens: total, load_s: +loadS.toFixed(3), sec: +sec.toFixed(3), tok_per_s: +(total / sec).toFixed(1), selected: sel.neurons.flat(2).length, peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) }));
})();
