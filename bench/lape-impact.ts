/**
 * The LAPE paper's main evidence (Tang et al. 2024; methods.md §2) on a model: deactivating
 * language D's neurons should raise the perplexity of D's text far more than of other languages'.
 * Prints the Δ log-perplexity matrix (rows: deactivated D, columns: evaluated L, nats/token) and
 * per language whether its own Δ is the largest of its row (D's neurons hurt D most) and of its
 * column (D's text is hurt most by D's neurons).
 *
 * Text: the UDHR articles the default model held out (3, 13, 23: titles and paragraphs, see
 * models/default/README.md), as `<s>text</s>` like the card's held-out perplexity, so the dense
 * column reproduces the card's table. `--articles all` uses every paragraph (mostly training text).
 *
 * Run: node --import tsx bench/lape-impact.ts --lape DIR [--model DIR] [--langs en,fr,…]
 *        [--articles 3,13,23] [--json FILE]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { LoadedModel } from '../src/engine/model/model';
import { defaultModelDir } from '../src/engine/paths';
import { udhrParagraphs } from '../src/engine/corpus/udhr';
import type { Corpus, CorpusText } from '../src/engine/corpus/types';
import { readLapeJson } from '../src/engine/lape/files';
import { impactVerdicts, perplexityImpact } from '../src/engine/lape/perplexityImpact';

const { values: a } = parseArgs({
  options: {
    lape: { type: 'string' },
    model: { type: 'string' },
    langs: { type: 'string' },
    articles: { type: 'string', default: '3,13,23' },
    json: { type: 'string' },
  },
});
const lape = readLapeJson(`${a.lape}/lape.json`);
const model = LoadedModel.load(a.model ?? defaultModelDir(), { threads: 1 });
const langs = a.langs ? a.langs.split(',') : lape.languages;
const articles = a.articles === 'all' ? undefined : new Set(a.articles!.split(','));

/** Paragraphs of the chosen articles (`article.3.title`, `article.3.1`, …) in document order. */
function paragraphs(lang: string): CorpusText[] {
  return udhrParagraphs(lang)
    .filter((p) => !articles || (p.id.split('.')[0] === 'article' && articles.has(p.id.split('.')[1]!)))
    .map((p) => ({ lang, text: p.text, where: `udhr:${lang}#${p.id}` }));
}

// A UDHR corpus restricted to some articles; only scan and texts are used by perplexityImpact.
const corpus: Corpus = {
  name: `udhr:${langs.join(',')} articles ${a.articles}`,
  scan: () => Promise.resolve({ languages: langs, counts: new Map(langs.map((l) => [l, paragraphs(l).length])) }),
  texts: async function* (lang) {
    yield* paragraphs(lang);
  },
  parallel: () => {
    throw new Error('not used');
  },
};

(async () => {
  const t0 = performance.now();
  const r = await perplexityImpact(model, corpus, lape, { languages: langs, deactivated: langs, appendEos: true });
  const secs = (performance.now() - t0) / 1000;
  const f = (x: number) => (x >= 0 ? ' ' : '') + x.toFixed(3);
  console.log(`dense perplexity: ${r.languages.map((l, i) => `${l} ${Math.exp(r.dense[i]!).toFixed(1)} (${r.tokens[i]} tok)`).join(', ')}`);
  console.log(`Δ log-PPL (nats/token), rows = deactivated (neurons), columns = evaluated:`);
  console.log(['D \\ L    ', ...r.languages.map((l) => `    ${l}`)].join(' '));
  r.delta.forEach((row, d) => console.log([`${r.deactivated[d]!} (${String(r.neuronCounts[d]).padStart(3)})`, ...row.map(f)].join(' ')));
  const v = impactVerdicts(r);
  for (const x of v) {
    console.log(
      `${x.lang}: own Δ ${f(x.own)} (${x.neurons} neurons); row max ${x.rowMax ? 'yes' : 'no '} (next ${x.rowRunnerUp.lang} ${f(x.rowRunnerUp.delta)}); ` +
        `column max ${x.colMax ? 'yes' : 'no '} (next −${x.colRunnerUp.lang} ${f(x.colRunnerUp.delta)})`,
    );
  }
  const diag = v.map((x) => x.own);
  const off = r.delta.flatMap((row, d) => row.filter((_, l) => r.languages[l] !== r.deactivated[d]));
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  console.log(
    `own Δ largest in its row: ${v.filter((x) => x.rowMax).length}/${v.length}; in its column: ${v.filter((x) => x.colMax).length}/${v.length}; both: ${v.filter((x) => x.rowMax && x.colMax).length}/${v.length}`,
  );
  console.log(`mean own Δ ${f(mean(diag))}, mean off-diagonal Δ ${f(mean(off))}; ${secs.toFixed(1)} s`);
  if (a.json) writeFileSync(a.json, JSON.stringify({ ...r, verdicts: v }));
  await model.dispose();
})();
