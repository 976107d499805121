/**
 * Analyze with its latent-language section, from one forward (what `polyglot-lens analyze`'s
 * report shows): the lens head runs inside Analyze's forward where it can be fused (resident
 * weights, prompts within the head's memory bound: run.ts prepareLens), else the forward also
 * captures every layer's residual stream and the stand-alone head reads them.
 */
import type { JobOptions, TensorData } from '../api';
import { analyzeActivations, type AnalyzeRequest, type AnalyzeTiming } from '../analyze';
import type { LoadedModel } from '../model/model';
import type { ActivationAnalysis } from '../../shared/analysis';
import type { LatentLanguageResult } from '../../shared/lens';
import { lensFromCapture, prepareLens, type LensOptions } from './run';

export interface AnalysisWithLens {
  analysis: ActivationAnalysis;
  lens: LatentLanguageResult;
  /** Whether the head ran inside the forward (benchmarks report it). */
  fused: boolean;
}

export async function analyzeWithLens(model: LoadedModel, req: AnalyzeRequest, lensOptions: Omit<LensOptions, keyof JobOptions>, o: JobOptions = {}, timing?: AnalyzeTiming): Promise<AnalysisWithLens> {
  // Whether the fused head fits depends on the prompt's length, known before its forward runs.
  const prep = prepareLens(model, lensOptions, model.encodeInput(req.text, 'prompt').length);
  let forward: { ids: number[]; out: Record<string, TensorData> } | undefined;
  const analysis = await analyzeActivations(
    model,
    { ...req, extraCapture: [...(req.extraCapture ?? []), ...prep.capture], ...(prep.fused ? { lensHead: prep.fused } : {}) },
    o,
    (ids, out) => (forward = { ids, out }),
    timing,
  );
  const lens = await lensFromCapture(model, req.text, forward!.ids, forward!.out, { ...lensOptions, tokens: analysis.tokens, ...o }, prep);
  return { analysis, lens, fused: prep.fused !== undefined };
}
