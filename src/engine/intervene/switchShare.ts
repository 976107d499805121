/**
 * `intervene` over a prompt set (issue #11, "the LAPE side"): for each prompt, greedy output
 * dense and with LAPE neurons deactivated (the prompt's own language's, or fixed languages), the
 * language of each output (franc-min, ≥ 10 characters, intervene/langid.ts), and per prompt
 * language the share of prompts whose output language switched: both outputs judged and the
 * detected languages differ. Prompts are each text's first `promptTokens` tokens (whole tokens,
 * the tokenizer's special tokens included), so a continuation has room to show its language.
 */
import type { JobOptions, NeuronMask } from '../api';
import { throwIfAborted, UserError } from '../errors';
import { greedyGenerate } from '../generate';
import type { LoadedModel } from '../model/model';
import type { Corpus } from '../corpus/types';
import { languageMask, type LapeJson } from '../lape/files';
import { detectLanguage } from './langid';

export interface SwitchOptions extends JobOptions {
  /** 'own' = each prompt's own language's neurons; else the union of these languages' neurons. */
  deactivate: 'own' | string[];
  languages: string[];
  promptTokens?: number;
  maxNewTokens?: number;
  /** Prompts per language (default: all texts). */
  limit?: number;
}

export interface SwitchItem {
  where: string;
  lang: string;
  prompt: string;
  dense: { text: string; language: string };
  intervened: { text: string; language: string };
  switched: boolean | null;
}

export interface SwitchLanguage {
  lang: string;
  prompts: number;
  /** Prompts whose two outputs were both long enough to identify. */
  judged: number;
  switched: number;
  /** switched / judged; null when nothing was judged. */
  share: number | null;
  /** Shares of judged outputs in the prompt's own language, dense and intervened. */
  ownDense: number | null;
  ownIntervened: number | null;
}

export const DEFAULT_PROMPT_TOKENS = 12;
export const DEFAULT_SWITCH_TOKENS = 32;

export async function languageSwitchShare(model: LoadedModel, corpus: Corpus, lape: LapeJson, o: SwitchOptions): Promise<{ items: SwitchItem[]; perLanguage: SwitchLanguage[] }> {
  const fixed: NeuronMask | undefined = o.deactivate === 'own' ? undefined : languageMask(lape, o.deactivate);
  const items: SwitchItem[] = [];
  const perLanguage: SwitchLanguage[] = [];
  for (const [li, lang] of o.languages.entries()) {
    const mask = fixed ?? languageMask(lape, [lang]);
    model.interventionPlan(mask);
    const mine: SwitchItem[] = [];
    for await (const t of corpus.texts(lang, o.signal)) {
      if (o.limit !== undefined && mine.length >= o.limit) break;
      throwIfAborted(o.signal);
      const ids = model.tokenizer.encode(t.text).slice(0, o.promptTokens ?? DEFAULT_PROMPT_TOKENS);
      const gen = async (deactivate?: NeuronMask): Promise<{ text: string; language: string }> => {
        const g = await greedyGenerate(model, ids, { maxNewTokens: o.maxNewTokens ?? DEFAULT_SWITCH_TOKENS, deactivate, signal: o.signal });
        return { text: g.text, language: (await detectLanguage(g.text)).code };
      };
      const dense = await gen();
      const intervened = await gen(mask);
      const judged = dense.language !== 'und' && intervened.language !== 'und';
      mine.push({ where: t.where, lang, prompt: model.tokenizer.decode(ids), dense, intervened, switched: judged ? dense.language !== intervened.language : null });
      o.onProgress?.({ fraction: (li + 0.5) / o.languages.length, message: `${lang}: ${mine.length} prompts` });
    }
    if (mine.length === 0) throw new UserError(corpus.name, `no ${lang} text to prompt with`);
    const judged = mine.filter((x) => x.switched !== null);
    const share = (n: number): number | null => (judged.length ? n / judged.length : null);
    perLanguage.push({
      lang,
      prompts: mine.length,
      judged: judged.length,
      switched: judged.filter((x) => x.switched).length,
      share: share(judged.filter((x) => x.switched).length),
      ownDense: share(judged.filter((x) => x.dense.language === lang).length),
      ownIntervened: share(judged.filter((x) => x.intervened.language === lang).length),
    });
    items.push(...mine);
  }
  return { items, perLanguage };
}
