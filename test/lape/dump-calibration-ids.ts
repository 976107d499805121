// Writes the calibration sequences `features`/`prune` build for the overlap and magnitude
// reference tests (test/lape/overlap_reference.py), so the Python side tests the statistics, not
// the tokenizer or the sampling. The output is NOT committed.
// Usage: node --import tsx test/lape/dump-calibration-ids.ts MODEL_DIR OUT.json
import { writeFileSync } from 'node:fs';
import { ModelTokenizer } from '../../src/engine/tokenizer/tokenizer';
import { buildCalibration } from '../../src/engine/calibration';
import { OVERLAP_CASE } from './overlapCase';

async function main(): Promise<void> {
  const [dir, out] = process.argv.slice(2);
  if (!dir || !out) throw new Error('usage: dump-calibration-ids.ts MODEL_DIR OUT.json');
  const tok = ModelTokenizer.load(dir);
  const settings = [];
  for (const r of OVERLAP_CASE.requests) {
    const set = await buildCalibration(r.source, tok, OVERLAP_CASE.options);
    settings.push({ id: r.name, kind: set.kind === 'mt' ? 'mt' : 'mono', ids: set.sequences });
  }
  writeFileSync(out, JSON.stringify({ k: OVERLAP_CASE.k, settings }));
}
void main();
