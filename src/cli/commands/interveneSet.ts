/** `intervene --prompts CORPUS`: the language-switch share over a prompt set (engine/intervene/switchShare.ts). */
import { chooseLanguages } from '../../engine/corpus/open';
import { openEvalCorpora } from '../../engine/eval/data';
import { UserError } from '../../engine/errors';
import { DEFAULT_PROMPT_TOKENS, DEFAULT_SWITCH_TOKENS, languageSwitchShare } from '../../engine/intervene/switchShare';
import type { LapeJson } from '../../engine/lape/files';
import type { CliContext } from '../context';
import { planModelJob } from './plan';
import { sampleDecodeSteps } from '../../engine/plan/decode';

export const INTERVENE_SET_OPTIONS = {
  prompts: { kind: 'string' as const, help: 'a prompt set instead of --prompt: udhr:CODES (held-out articles), .jsonl {"lang","text"}, .tsv, FLORES folder; each text cut to --prompt-tokens' },
  'prompt-tokens': { kind: 'string' as const, help: `prompt set: tokens of each text used as the prompt (default ${DEFAULT_PROMPT_TOKENS})` },
  languages: { kind: 'string' as const, help: 'prompt set: languages (default: all of the set)' },
  limit: { kind: 'string' as const, help: 'prompt set: at most N prompts per language' },
  plan: { kind: 'flag' as const, help: 'prompt set: print the job\'s plan (sequences, tokens, forward passes, FLOPs, peak memory, a wall-time estimate from a short measured calibration) and exit without running it' },
};

/** Prompts per language generated for real by --plan to learn how long outputs run. */
const DECODE_SAMPLE_PROMPTS = 1;

export async function runInterveneSet(ctx: CliContext, lape: LapeJson, deactivate: string): Promise<void> {
  const a = ctx.args;
  const { test } = openEvalCorpora(a.required('prompts'));
  const wanted = a.string('languages')?.split(',').map((s) => s.trim()).filter(Boolean);
  const languages = chooseLanguages(test, await test.scan(), wanted);
  const langs = deactivate.split(',').map((s) => s.trim()).filter(Boolean);
  if (langs.length === 0) throw new UserError('--deactivate', 'name languages, or `own` for each prompt\'s own language');
  const model = ctx.loadModel();
  const opts = {
    deactivate: langs.length === 1 && langs[0] === 'own' ? 'own' as const : langs,
    languages,
    promptTokens: a.int('prompt-tokens', DEFAULT_PROMPT_TOKENS, 1),
    maxNewTokens: a.int('max-new-tokens', DEFAULT_SWITCH_TOKENS, 1),
    limit: a.string('limit') !== undefined ? a.int('limit', 0, 1) : undefined,
    ...ctx.jobOptions(),
  };
  if (a.flag('plan')) {
    // Outputs stop at a stop token: the first prompt of each language generated for real (dense and deactivated).
    const slice = (): Promise<unknown> => languageSwitchShare(model, test, lape, { ...opts, limit: DECODE_SAMPLE_PROMPTS, onProgress: undefined });
    return planModelJob(ctx, 'intervene --prompts', model, () => languageSwitchShare(model, test, lape, opts), { shards: false, decode: () => sampleDecodeSteps(model, `the first prompt of each language (dense and deactivated)`, slice) });
  }
  const r = await languageSwitchShare(model, test, lape, opts);
  ctx.print({ deactivate: langs, ...r });
  await model.dispose();
}
