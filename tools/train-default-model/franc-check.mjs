// Judges the language of each greedy continuation written by evaluate.py with franc-min
// (over all of franc-min's languages, not only the expected one). A language stays in language
// when at least 2 of its 3 continuations (one per held-out article) do. Only the generated text
// is judged, not the prompt.
// Usage: node tools/train-default-model/franc-check.mjs EVAL.json OUT.json
import { readFileSync, writeFileSync } from 'node:fs';
import { franc } from 'franc-min';

// franc's ISO 639-3 answer → our ISO 639-1 code (macrolanguage members as franc names them).
const FROM_639_3 = { eng: 'en', fra: 'fr', deu: 'de', spa: 'es', rus: 'ru', jpn: 'ja', cmn: 'zh', arb: 'ar', hin: 'hi', tur: 'tr', vie: 'vi', swh: 'sw' };
const [evalPath, outPath] = process.argv.slice(2);
const { continuations } = JSON.parse(readFileSync(evalPath, 'utf8'));
const rows = continuations.map(({ code, id, continuation }) => {
  const detected = franc(continuation); // 'und' below franc's 10-character minimum
  return { code, id, detected, ok: FROM_639_3[detected] === code, continuation };
});
for (const r of rows) console.log(`${r.ok ? 'OK  ' : 'MISS'} ${r.code} ${r.id} franc=${r.detected}  ${JSON.stringify(r.continuation.slice(0, 70))}`);
const codes = [...new Set(rows.map((r) => r.code))];
const languages = codes.map((code) => {
  const mine = rows.filter((r) => r.code === code);
  const ok = mine.filter((r) => r.ok).length;
  return { code, ok, total: mine.length, stays: ok * 2 > mine.length };
});
const passed = languages.filter((l) => l.stays).length;
console.log(`${passed}/${languages.length} languages stay in language (bar: 10/12); ${rows.filter((r) => r.ok).length}/${rows.length} continuations`);
writeFileSync(outPath, JSON.stringify({ passed, total: languages.length, languages, rows }, null, 1));
