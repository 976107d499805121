/**
 * Reproduces the LAPE deactivation finding (Tang et al. 2024; methods.md §2) on a model: for
 * prompts in language L, greedy continuations are generated dense, with L's LAPE neurons
 * deactivated, and (control) with another language's neurons deactivated; franc-min labels each
 * continuation. The finding holds when "L share" drops far more under −L than under −control.
 *
 * Run: node --import tsx bench/lape-finding.ts --lape DIR [--model DIR] [--langs fr,de,…]
 *        [--prompts 6] [--max-new-tokens 24] [--prompt-words 6]
 * Prompts: the first `--prompt-words` words (characters for ja/zh/th) of UDHR article paragraphs.
 */
import { parseArgs } from 'node:util';
import { LoadedModel } from '../src/engine/model/model';
import { defaultModelDir } from '../src/engine/paths';
import { udhrParagraphs } from '../src/engine/corpus/udhr';
import { greedyGenerate } from '../src/engine/generate';
import { detectLanguage } from '../src/engine/intervene/langid';
import { languageMask, readLapeJson } from '../src/engine/lape/files';

const { values: a } = parseArgs({
  options: {
    lape: { type: 'string' },
    model: { type: 'string' },
    langs: { type: 'string', default: 'fr,de,es,ru,el,ar,ja,zh' },
    prompts: { type: 'string', default: '6' },
    'max-new-tokens': { type: 'string', default: '24' },
    'prompt-words': { type: 'string', default: '6' },
  },
});
const lape = readLapeJson(`${a.lape}/lape.json`);
const model = LoadedModel.load(a.model ?? defaultModelDir(), { threads: 1 });
const langs = a.langs!.split(',');
const NO_SPACES = new Set(['ja', 'zh', 'th']);

function promptOf(lang: string, text: string): string {
  const n = Number(a['prompt-words']);
  return NO_SPACES.has(lang) ? [...text].slice(0, n * 2).join('') : text.split(' ').slice(0, n).join(' ');
}

(async () => {
  const rows = [];
  for (const [i, lang] of langs.entries()) {
    // The control is the next language in the list: same kind of intervention, wrong language.
    const control = langs[(i + 1) % langs.length]!;
    const paras = udhrParagraphs(lang).filter((p) => /^article\.\d+\.1$/.test(p.id)).slice(0, Number(a.prompts));
    const tally = { dense: 0, self: 0, ctrl: 0, n: 0 };
    const samples: Record<string, string> = {};
    for (const p of paras) {
      const prompt = promptOf(lang, p.text);
      const ids = model.tokenizer.encode(prompt);
      // An immediate EOS makes greedyGenerate decode [] (which @huggingface/tokenizers rejects): count it as empty output.
      const gen = async (mask?: ReturnType<typeof languageMask>) =>
        (await greedyGenerate(model, ids, { maxNewTokens: Number(a['max-new-tokens']), deactivate: mask }).catch(() => ({ text: '' }))).text;
      const outs = { dense: await gen(), self: await gen(languageMask(lape, [lang])), ctrl: await gen(languageMask(lape, [control])) };
      for (const k of ['dense', 'self', 'ctrl'] as const) if ((await detectLanguage(outs[k])).code === lang) tally[k]++;
      tally.n++;
      if (!samples.prompt) Object.assign(samples, { prompt, ...outs });
    }
    const neurons = Object.values(languageMask(lape, [lang])).reduce((n, js) => n + js.length, 0);
    rows.push({ lang, control, neurons, ...tally, samples });
    console.error(`${lang}: ${neurons} neurons; in-language dense ${tally.dense}/${tally.n}, −${lang} ${tally.self}/${tally.n}, −${control} ${tally.ctrl}/${tally.n}`);
  }
  console.log(JSON.stringify(rows));
})();
