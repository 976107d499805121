/**
 * The two trivial systems the model card reports next to the model's translation scores
 * (issue #15), scored with the product's own corpus chrF (src/engine/eval/metrics/chrf.ts):
 * - copy: the output is the source sentence itself;
 * - constant: one fixed sentence for every item — the dev split's target sentence with the
 *   highest corpus chrF on the dev split (chosen on dev, scored on test; no test data seen).
 * Usage: node --import tsx tools/train-default-model/baselines.ts TEST.jsonl DEV.jsonl PAIRS OUT.json
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { corpusChrf } from '../../src/engine/eval/metrics/chrf';

function byLanguage(path: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const { lang, text } = JSON.parse(line) as { lang: string; text: string };
    m.set(lang, [...(m.get(lang) ?? []), text]);
  }
  return m;
}

const [testPath, devPath, pairs, out] = process.argv.slice(2);
if (!out) throw new Error('usage: baselines.ts TEST.jsonl DEV.jsonl PAIRS OUT.json');
const test = byLanguage(testPath!);
const dev = byLanguage(devPath!);
const rows = pairs!.split(',').map((pair) => {
  const [src, tgt] = pair.split('-') as [string, string];
  const refs = test.get(tgt)!;
  const devRefs = dev.get(tgt)!;
  let constant = devRefs[0]!;
  let best = -1;
  for (const c of devRefs) {
    const s = corpusChrf(devRefs.map(() => c), devRefs);
    if (s > best) [best, constant] = [s, c];
  }
  return { pair, copy: corpusChrf(test.get(src)!, refs), constant: corpusChrf(refs.map(() => constant), refs), constantSentence: constant };
});
writeFileSync(out, JSON.stringify(rows, null, 1) + '\n');
for (const r of rows) console.log(`${r.pair}\tcopy ${r.copy.toFixed(1)}\tconstant ${r.constant.toFixed(1)}`);
