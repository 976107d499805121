// Judges the language of each greedy continuation written by evaluate.py with franc-min
// (over all of franc-min's languages, not only the expected one) and counts how many stay in
// the prompt's language. Only the generated text is judged, not the prompt.
// Usage: node tools/train-default-model/franc-check.mjs EVAL.json OUT.json
import { readFileSync, writeFileSync } from 'node:fs';
import { franc } from 'franc-min';

// franc's ISO 639-3 answer → our ISO 639-1 code (macrolanguage members as franc names them).
const FROM_639_3 = { eng: 'en', fra: 'fr', deu: 'de', spa: 'es', rus: 'ru', jpn: 'ja', cmn: 'zh', arb: 'ar', hin: 'hi', tur: 'tr', vie: 'vi', swh: 'sw' };
const [evalPath, outPath] = process.argv.slice(2);
const { continuations } = JSON.parse(readFileSync(evalPath, 'utf8'));
const rows = continuations.map(({ code, continuation }) => {
  const detected = franc(continuation); // 'und' below franc's 10-character minimum
  return { code, detected, ok: FROM_639_3[detected] === code, continuation };
});
for (const r of rows) console.log(`${r.ok ? 'OK  ' : 'MISS'} ${r.code} franc=${r.detected}  ${JSON.stringify(r.continuation.slice(0, 70))}`);
const passed = rows.filter((r) => r.ok).length;
console.log(`${passed}/${rows.length} continuations stay in the prompt's language (bar: 10/12)`);
writeFileSync(outPath, JSON.stringify({ passed, total: rows.length, rows }, null, 1));
