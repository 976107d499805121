/** Captures hook values for one sequence: every requested hook as an F32 [pos, width] tensor. */
import type { CaptureRequest, JobOptions, TensorData } from './api';
import { throwIfAborted } from './errors';
import { expandHookPatterns } from './hooks';
import type { LoadedModel, Variant } from './model/model';

export async function captureHooks(
  model: LoadedModel,
  req: Omit<CaptureRequest, 'variant'> & { variant?: Variant; shifts?: Record<number, Float32Array> },
  o: JobOptions = {},
): Promise<Record<string, TensorData>> {
  const hooks = expandHookPatterns(req.hooks, model.cfg);
  if (hooks.length === 0) throw new Error('--hooks: no hook names given');
  model.checkIds(req.ids, '--ids');
  model.checkLength(req.ids.length, 'input');
  throwIfAborted(o.signal);
  const out = await model.run([req.ids], { capture: hooks, stats: [], kvCache: false, lastPositionOnly: false, ...model.interventionPlan(req.deactivate, req.variant, req.shifts) }, {
    deactivate: req.deactivate,
    variant: req.variant,
    shifts: req.shifts,
  });
  o.onProgress?.({ fraction: 1, message: 'captured' });
  return Object.fromEntries(hooks.map((h) => [h, out[h]!]));
}
