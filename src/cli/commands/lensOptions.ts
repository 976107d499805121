/**
 * What the `lens` commands share: the lens kind (--lens logit|linear, --linear DIR), the token
 * language profile (--languages), and the JSON shape of one prompt's lens (docs/cli.md).
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { OptionSpec } from '../args';
import type { CliContext } from '../context';
import { UserError } from '../../engine/errors';
import { defaultCacheDir } from '../../engine/paths';
import type { LoadedModel } from '../../engine/model/model';
import { LINEAR_LENS_FILE, readLinearLens, type LinearLens } from '../../engine/lens/linear';
import { resolveProfile, type TokenLanguageProfile } from '../../engine/lens/profile';
import { LENS_KINDS, UNKNOWN_LANGUAGE, type LatentLanguageResult, type LensKind } from '../../shared/lens';

export const LENS_OPTIONS: Record<string, OptionSpec> = {
  lens: { kind: 'string', help: 'logit (default) or linear (needs --linear)' },
  linear: { kind: 'string', help: 'a `lens fit` output folder (or its linear-lens.safetensors)' },
  languages: {
    kind: 'string',
    help: 'token language profile: a `lens languages` folder, a `neurons` folder, or a corpus (udhr:CODES, FILE.jsonl) built once and cached; default udhr: of the languages the model declares; none = no language mass',
  },
  'min-count': { kind: 'string', help: 'occurrences below which a token falls back to its script, else unknown (default 5)' },
};

export function lensKind(ctx: CliContext): LensKind {
  const v = ctx.args.string('lens') ?? 'logit';
  if (!(LENS_KINDS as readonly string[]).includes(v)) throw new UserError('--lens', `must be logit or linear, got ${JSON.stringify(v)}`);
  if (v === 'linear' && ctx.args.string('linear') === undefined) throw new UserError('--lens', 'linear needs --linear DIR (a `lens fit --corpus … --out DIR` folder)');
  return v as LensKind;
}

/** --linear DIR or FILE, read for this model. */
export function linearLensArg(ctx: CliContext, model: LoadedModel): LinearLens | undefined {
  const v = ctx.args.string('linear');
  if (v === undefined) return undefined;
  if (!existsSync(v)) throw new UserError(v, 'not found (give a `lens fit` output folder)');
  return readLinearLens(statSync(v).isDirectory() ? join(v, LINEAR_LENS_FILE) : v, model);
}

/** --languages, or udhr: of the model's declared languages, or none. */
export async function profileArg(ctx: CliContext, model: LoadedModel): Promise<TokenLanguageProfile | undefined> {
  const given = ctx.args.string('languages');
  if (given === 'none') return undefined;
  const spec = given ?? (model.info.languages.length ? `udhr:${model.info.languages.join(',')}` : undefined);
  if (!spec) return undefined;
  const minCount = ctx.args.string('min-count') !== undefined ? ctx.args.int('min-count', 5, 1) : undefined;
  try {
    return await resolveProfile(model, spec, ctx.args.string('cache-dir') ?? defaultCacheDir(), { minCount, ...ctx.jobOptions() });
  } catch (e) {
    // The default is a convenience: a declared language UDHR lacks leaves the lens without mass, with a warning.
    if (given !== undefined || !(e instanceof UserError)) throw e;
    ctx.warn(`no language profile (${e.message}); pass --languages to choose one`);
    return undefined;
  }
}

/** The documented JSON of one prompt's lens (docs/cli.md `lens`): per layer the top-k per position, targets and language mass at the last position. */
export function lensJson(r: LatentLanguageResult, kind: LensKind, full = false): Record<string, unknown> {
  const v = r.lenses.find((x) => x.kind === kind)!;
  const T = r.tokens.length;
  const C = r.languages.length ? r.languages.length + 1 : 0;
  const names = C ? [...r.languages, UNKNOWN_LANGUAGE] : [];
  const round = (x: number): number => Number(x.toPrecision(6));
  return {
    model: r.model.name,
    lens: kind,
    ...(v.source ? { linear: v.source } : {}),
    text: r.text,
    tokens: r.tokens.map((t) => ({ id: t.id, text: t.text })),
    k: r.k,
    languages: names,
    profile: r.profile,
    targets: v.targets.map((t) => ({ text: t.text, ids: t.ids })),
    layers: Array.from({ length: r.layers }, (_, l) => {
      const cell = (t: number): number => l * T + t;
      const massAt = (t: number): Record<string, number> => Object.fromEntries(names.map((n, c) => [n, round(v.mass[cell(t) * C + c]!)]));
      return {
        layer: l,
        top: Array.from({ length: T }, (_, t) =>
          Array.from({ length: r.k }, (_, j) => {
            const id = v.topIds[cell(t) * r.k + j]!;
            return { id, token: r.vocab[String(id)]?.text ?? '', p: round(Math.exp(v.topLogp[cell(t) * r.k + j]!)) };
          }),
        ),
        entropy: Array.from({ length: T }, (_, t) => round(v.entropy[cell(t)]!)),
        targets: Object.fromEntries(v.targets.map((x) => [x.text, round(x.p[cell(T - 1)]!)])),
        ...(C ? { languageMass: massAt(T - 1) } : {}),
        ...(full && C ? { languageMassByPosition: Array.from({ length: T }, (_, t) => massAt(t)) } : {}),
        ...(full ? { targetsByPosition: Object.fromEntries(v.targets.map((x) => [x.text, Array.from({ length: T }, (_, t) => round(x.p[cell(t)]!))])) } : {}),
      };
    }),
  };
}
