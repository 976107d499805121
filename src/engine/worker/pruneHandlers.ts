/**
 * prune/* requests: create a named variant from prompt or palette settings, list, export and
 * compare against dense. Variants live on the loaded model (model.variants), so switching between
 * them never reloads anything: a run just names the variant it wants.
 */
import { UserError } from '../errors';
import { detectLanguage } from '../intervene/langid';
import { compareVariants, exportPrunedCheckpoint, pruneFromSources, PrunedVariant, type VariantInfo } from '../pruning';
import type { Handler, VariantSummary } from './handlerTypes';
import { rememberRecipe, requireModel, resolveDeactivation, variantFor } from './state';

export function summarize(i: VariantInfo): VariantSummary {
  const calibration: VariantSummary['calibration'] = {};
  for (const [role, rec] of Object.entries(i.calibration)) if (rec) calibration[role as keyof VariantSummary['calibration']] = rec.source;
  return {
    name: i.name,
    kind: i.kind,
    method: i.method,
    ...(i.mode ? { mode: i.mode } : {}),
    ...(i.nm ? { nm: `${i.nm.n}:${i.nm.m}` } : {}),
    ...(i.targetSparsity !== undefined ? { targetSparsity: i.targetSparsity } : {}),
    achievedSparsity: i.achievedSparsity,
    calibration,
    createdAt: i.createdAt,
  };
}

const create: Handler<'prune/create'> = async (s, p, o) => {
  const m = requireModel(s);
  const existing = m.variants.get(p.name);
  // The name encodes every setting (pruningVariantName), so an existing variant is the same pruning.
  if (existing instanceof PrunedVariant) {
    rememberRecipe(s, m.ckpt.dir, p.name, p.settings);
    return { ...summarize(existing.info), reused: true };
  }
  const started = Date.now();
  // udhr:, mono:, mt:, code:, files and + mixes are all read by the one calibration parser (shared/calibrationSource.ts).
  const v = await pruneFromSources(m, p.name, p.settings, o);
  rememberRecipe(s, m.ckpt.dir, p.name, p.settings);
  s.log(`pruned ${p.name}: ${(v.info.achievedSparsity * 100).toFixed(1)}% of weights zeroed in ${Date.now() - started} ms`);
  return { ...summarize(v.info), reused: false };
};

const list: Handler<'prune/list'> = async (s) => {
  const m = requireModel(s);
  return [...m.variants.values()].filter((v): v is PrunedVariant => v instanceof PrunedVariant).map((v) => summarize(v.info));
};

const exportVariant: Handler<'prune/export'> = async (s, p, o) => {
  const m = requireModel(s);
  await variantFor(s, m, p.variant, o); // re-created first when its model was unloaded since
  // exportPrunedCheckpoint refuses the source model's folder (and anything in or above it) itself.
  const r = await exportPrunedCheckpoint(m, p.variant, p.outDir, { dtype: p.dtype, overwrite: p.overwrite });
  s.log(`exported ${p.variant} to ${r.outDir} (${r.tensors} tensors)`);
  return { outDir: r.outDir, files: r.files, tensors: r.tensors };
};

const compare: Handler<'prune/compare'> = async (s, p, o) => {
  const m = requireModel(s);
  const variant = await variantFor(s, m, p.variant, o);
  const deactivate = resolveDeactivation(s, m, p.deactivate);
  if (!variant && !deactivate) throw new UserError('compare', 'nothing to compare with dense: give a pruned variant or neurons to deactivate');
  const ids = m.encodeInput(p.text, 'prompt');
  m.checkLength(ids.length, 'prompt');
  const deactivated = p.deactivate && 'language' in p.deactivate ? `−${p.deactivate.language as string} neurons` : deactivate ? '−neurons' : undefined;
  const label = [p.variant, deactivated].filter(Boolean).join(' ');
  const r = await compareVariants(m, ids, undefined, { label, variant, deactivate }, { ...o, maxNewTokens: p.maxNewTokens, topK: p.topK, prompt: p.text });
  // franc is async (ESM, loaded on first use), compareVariants takes a sync detector: label afterwards.
  r.a.language = await detectLanguage(r.a.text);
  r.b.language = await detectLanguage(r.b.text);
  return r;
};

export const PRUNE_HANDLERS = { 'prune/create': create, 'prune/list': list, 'prune/export': exportVariant, 'prune/compare': compare };
