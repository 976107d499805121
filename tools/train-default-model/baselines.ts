/**
 * The two trivial systems the model card reports next to the model's translation scores
 * (issue #15), scored with the product's own corpus chrF (src/engine/eval/metrics/chrf.ts):
 * - copy: the output is the source sentence itself;
 * - constant: one fixed sentence for every item — the dev split's target sentence with the
 *   highest corpus chrF on the dev split (chosen on dev, scored on test; no test data seen).
 * Usage: node --import tsx tools/train-default-model/baselines.ts TEST.jsonl DEV.jsonl PAIRS OUT.json
 */
import { writeFileSync } from 'node:fs';
import { openCorpus } from '../../src/engine/corpus/open';
import { corpusChrf } from '../../src/engine/eval/metrics/chrf';

/** Every text of each language, in file order, through the product's corpus reader. */
async function byLanguage(path: string, langs: readonly string[]): Promise<Map<string, string[]>> {
  const corpus = openCorpus(path);
  const m = new Map<string, string[]>();
  for (const lang of langs) {
    const texts: string[] = [];
    for await (const t of corpus.texts(lang)) texts.push(t.text);
    m.set(lang, texts);
  }
  return m;
}

const [testPath, devPath, pairs, out] = process.argv.slice(2);
if (!out) throw new Error('usage: baselines.ts TEST.jsonl DEV.jsonl PAIRS OUT.json');
const directions = pairs!.split(',').map((pair) => pair.split('-') as [string, string]);
const langs = [...new Set(directions.flat())];

async function main(): Promise<void> {
  const test = await byLanguage(testPath!, langs);
  const dev = await byLanguage(devPath!, langs);
  const rows = directions.map(([src, tgt]) => {
    const pair = `${src}-${tgt}`;
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
}

void main();
