// Writes the toy world (toyworld/) as one JSON file for the Python training scripts: every clause
// in the eight languages with its split, and instruction items on a seeded sample of the
// training clauses (the held-out clauses' items are the evaluation's, written by
// write-eval-data.ts, never trained on).
// Usage: node --import tsx tools/train-default-model/export-toyworld.ts OUT.json
import { writeFileSync } from 'node:fs';
import { records, sample } from './toyworld/generate';
import { TOY_LANGUAGES } from './toyworld/lexicon';
import { taskItems } from './toyworld/tasks';

/** Training clauses that also get instruction items (×8 languages, ×1–2 instruction languages). */
const TASK_RECORDS = 6000;
const SEED = 15;

const out = process.argv[2];
if (!out) throw new Error('usage: export-toyworld.ts OUT.json');
const all = records();
const strip = (r: (typeof all)[number]) => ({ id: r.id, text: r.text });
const tasks = sample(all, 'train', TASK_RECORDS, SEED).flatMap((r) => TOY_LANGUAGES.flatMap((l) => taskItems(r, l)));
writeFileSync(out, JSON.stringify({
  languages: TOY_LANGUAGES,
  train: all.filter((r) => r.split === 'train').map(strip),
  test: all.filter((r) => r.split === 'test').map(strip),
  tasks,
}));
console.log(`wrote ${all.length} clauses and ${tasks.length} task items to ${out}`);
