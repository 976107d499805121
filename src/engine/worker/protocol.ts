/**
 * Every message between the extension host and the engine process, declared once. Requests are
 * named `area/verb`; each carries its direction in the doc comment. Values cross by structured
 * clone (child_process `serialization: 'advanced'`), so typed arrays travel as they are.
 */
import type { CaptureRequest, GenerateRequest, GenerateResult, ModelInfo, NeuronMask, Progress, TensorData } from '../api';
import type { ActivationAnalysis } from '../../shared/analysis';
import type { CompareResult } from '../../shared/compare';
import type { FeatureAnalysis } from '../../shared/features';
import type { LapeResult } from '../../shared/lape';
import type { LatentLanguageResult } from '../../shared/lens';
import type { NeuronReport } from '../../shared/neuron';
import type { ReportSection } from '../../shared/report/sections';
import type { ResultRow } from '../../shared/results/rows';
import type { VariantSummary as VariantSummary_ } from '../../shared/studies';
import type { AnalyzeRequest } from '../analyze';
import type { PruneSettings } from '../pruning/fromSources';
import type { PruneMethod, PruneMode } from '../pruning/types';
import type { JobPlan } from '../plan/estimate';

/**
 * Neurons to deactivate: an explicit mask, or a language whose LAPE neurons the engine looks up in
 * the last `lape/run` result for the loaded model (an error names the command to run when none).
 */
export type Deactivation = NeuronMask | { language: string };

/** A registered variant as the host lists it (the masks stay in the engine). */
export interface VariantSummary {
  name: string;
  kind: 'pruned' | 'neurons';
  method: PruneMethod | 'neurons';
  mode?: PruneMode;
  nm?: string;
  targetSparsity?: number;
  achievedSparsity: number;
  /** Calibration sources by role, e.g. { calibration: "mt:fr-en" }. */
  calibration: Partial<Record<'calibration' | 'translation' | 'code', string>>;
  createdAt: string;
}

export interface PruneCreateParams {
  /** The variant's name (the host uses pruningVariantName); an existing one is returned as it is. */
  name: string;
  settings: PruneSettings;
}

export interface PruneCompareParams {
  text: string;
  /** Side b: a variant name, a deactivation, or both; side a is always dense. */
  variant?: string;
  deactivate?: Deactivation;
  maxNewTokens?: number;
  topK?: number;
}

export interface NeuronIndexParams {
  /** udhr:en,fr, a .jsonl/.tsv file or a FLORES-200 folder (corpus/open.ts). */
  corpus: string;
  cwd?: string;
  outDir: string;
  top?: number;
  maxTokensPerLang?: number;
}

export interface LapeRunParams {
  /** udhr:en,fr,ja, a .jsonl/.tsv file or a FLORES-200 folder (corpus/open.ts). */
  corpus: string;
  languages?: string[];
  maxTokensPerLang?: number;
  maxLength?: number;
  /** Folder relative corpus paths resolve against (the prompt's or the workspace's). */
  cwd?: string;
}

export interface FeaturesRunParams {
  /** Settings by name, e.g. [{ name: "fr", source: "mono:fr" }, { name: "fr-en", source: "mt:fr-en" }]. */
  calibrations: { name: string; source: string }[];
  sequences?: number;
  length?: number;
  shots?: number;
  seed?: number;
  cwd?: string;
}

export interface NeuronReportParams {
  /** The rendered prompt; the forward of the last analysis is reused when text and intervention match. */
  text: string;
  layer: number;
  index: number;
  deactivate?: Deactivation;
  variant?: string;
  /** A `neurons index` folder; examples are shown when it was built for the loaded model. */
  indexDir?: string;
}

export interface StudyInstructionsParams {
  /** The task .prompt file (its variants beside it, or polyglot.instructions). */
  file: string;
  /** JSONL dataset (studies/dataset.ts). */
  dataset: string;
  maxNewTokens?: number;
  limit?: number;
  skipNeurons?: boolean;
}

export interface StudyBiasParams {
  /** The scoring .prompt file (polyglot.scores). */
  file: string;
  dataset: string;
  /** Ranges to sweep; default the prompt's polyglot.scores. */
  ranges?: { min: number; max: number }[];
  /**
   * Further model entries scored side by side with the loaded model ("pre"), loaded for this job
   * only: checkpoint folders (relative to the prompt), `default`, variants `MODEL@lrp2:fr`, or
   * `@SPEC` for a variant of the loaded model itself (`@wanda:mt:fr-en:0.5`).
   */
  compareWith?: string[];
  limit?: number;
}

export interface EvalRunParams {
  /** The .prompt file declaring polyglot.eval (saved on disk). */
  file: string;
  /** Folders model entries are looked up in after the prompt's own (the workspace folders). */
  roots?: string[];
}

export interface EvalRunResult {
  title: string;
  /** A `results` section (the Results panel, as report.html draws it). */
  sections: ReportSection[];
  rows: ResultRow[];
  /** Metric by task the table shows and the p_value rows test. */
  tableMetrics: Record<string, string>;
  models: string[];
  /** The output folder and the files written into it. */
  out: string;
  files: string[];
  seconds: number;
}

export interface EvalCompareParams {
  /** The rendered prompt. */
  text: string;
  /** A polyglot.eval model entry with a variant (MODEL@wanda:…, MODEL@lrp2:fr); side a is its base model, dense. */
  model: string;
  /** The prompt file: relative model folders and calibration files resolve against its folder. */
  file: string;
  roots?: string[];
  maxNewTokens?: number;
  seed?: number;
}

/** A job the editor is about to run, for its plan (job/plan): the method and the params it will send. */
export type JobPlanParams =
  | { job: 'lape/run'; params: LapeRunParams }
  | { job: 'features/run'; params: FeaturesRunParams }
  | { job: 'prune/create'; params: PruneCreateParams }
  | { job: 'eval/run'; params: EvalRunParams }
  | { job: 'studies/instructions'; params: StudyInstructionsParams }
  | { job: 'studies/bias'; params: StudyBiasParams };
export interface LensRunParams {
  /** The rendered prompt. */
  text: string;
  /** Tokens kept per (layer, position) (default 10). */
  k?: number;
  targets?: string[];
  /** Token language profile: a `lens languages` or `neurons` folder, or a corpus; default udhr: of the model's languages. */
  languages?: string;
  /** A `lens fit` folder or file: adds the linear lens. */
  linear?: string;
  deactivate?: Deactivation;
  variant?: string;
  /** Folder relative paths resolve against (the prompt's or the workspace's). */
  cwd?: string;
}

/** Request methods: params the host sends, result the engine answers with. */
export interface EngineMethods {
  /** host → engine: load a checkpoint folder (undefined = the embedded default model). */
  'engine/load': { params: { dir?: string }; result: ModelInfo };
  /** host → engine: tokenize text with the default special tokens; offsets are per token (null for specials). */
  'engine/tokenize': { params: { text: string }; result: { ids: number[]; offsets: ([number, number] | null)[] } };
  /** host → engine: greedy generation. */
  'engine/generate': { params: Omit<GenerateRequest, 'deactivate'> & { deactivate?: Deactivation }; result: GenerateResult };
  /** host → engine: Analyze Activations on a rendered prompt. */
  'engine/analyze': { params: Omit<AnalyzeRequest, 'variant' | 'deactivate'> & { variant?: string; deactivate?: Deactivation }; result: ActivationAnalysis };
  /**
   * host → engine: prepare the sessions an Analyze with this deactivation and variant runs (a prompt
   * was opened); cancellable. `warmed: false`: the variant is not held (it is made when a command runs it).
   */
  'engine/warm': { params: { deactivate?: Deactivation; variant?: string }; result: { ms: number; warmed: boolean } };
  /** host → engine: capture named hooks for one sequence. */
  'engine/capture': { params: CaptureRequest; result: Record<string, TensorData> };
  /** host → engine: delete cached graphs. */
  'engine/clearCache': { params: Record<string, never>; result: { cleared: string } };
  /** host → engine: prune the loaded model into a named variant (progress, cancellable); idempotent per name. */
  'prune/create': { params: PruneCreateParams; result: VariantSummary & { reused: boolean } };
  /** host → engine: the loaded model's variants, oldest first. */
  'prune/list': { params: Record<string, never>; result: VariantSummary[] };
  /** host → engine: write a variant as a checkpoint folder; replaces one only with `overwrite` (the host asks first). */
  'prune/export': { params: { variant: string; outDir: string; overwrite?: boolean; dtype?: 'source' | 'F32' }; result: { outDir: string; files: string[]; tensors: number } };
  /** host → engine: dense vs a variant and/or a deactivation on one prompt. */
  'prune/compare': { params: PruneCompareParams; result: CompareResult };
  /** host → engine: language-specific neurons (LAPE); the result is cached per model + corpus + limits. */
  'lape/run': { params: LapeRunParams; result: LapeResult & { tokenCounts: number[]; cached: boolean } };
  /** host → engine: a saved LAPE folder becomes the loaded model's language neurons (Open Language Neurons Folder…; the Neuron panel and hovers then use it). */
  'lape/open': { params: { dir: string }; result: LapeResult & { tokenCounts: number[]; cached: boolean } };
  /** host → engine: the loaded model's last language neurons written as a LAPE folder; replaces one only with `overwrite` (the host asks first). */
  'lape/save': { params: { outDir: string; overwrite?: boolean }; result: { outDir: string; languages: string[]; corpus: string } };
  /** host → engine: translation features (overlap maps, scatter, large-magnitude features) from calibration settings. */
  'features/run': { params: FeaturesRunParams; result: FeatureAnalysis };
  /** host → engine: one neuron on a prompt (per-token hook_post from the cached forward, language profile, top examples). */
  'neuron/report': { params: NeuronReportParams; result: NeuronReport };
  /** host → engine: build (or reuse) a neuron index folder (`neurons index`) for the loaded model: every neuron's top examples on a corpus. */
  'neuron/index': { params: NeuronIndexParams; result: { outDir: string; reused: boolean; sequences: number; tokens: number } };
  /** host → engine: instruction-language comparison (methods.md §6) on the loaded model, as report sections. */
  'studies/instructions': { params: StudyInstructionsParams; result: { title: string; sections: ReportSection[]; summaries: VariantSummary_[] } };
  /** host → engine: numeric bias (methods.md §7) of the loaded model (and `compareWith`), as report sections. */
  /** host → engine: the prompt's polyglot.eval (models × tasks, bootstrap), written to its output folder; the same run as `polyglot-lens eval`. */
  'eval/run': { params: EvalRunParams; result: EvalRunResult };
  /** host → engine: the prompt run by an evaluation variant's base model (dense) and by the variant (pruning masks or LRP2 shifts). */
  'eval/compare': { params: EvalCompareParams; result: CompareResult };
  /** host → engine: the plan of a job before it runs (sequences, tokens, FLOPs, memory, an estimate from a short calibration); null when the job has nothing to run (its result is in the engine already). */
  'job/plan': { params: JobPlanParams; result: JobPlan | null };
  /** host → engine: the latent-language lens (methods.md §8) on a rendered prompt: logit lens, and the linear lens when named. */
  'lens/run': { params: LensRunParams; result: LatentLanguageResult };
  'studies/bias': { params: StudyBiasParams; result: { title: string; sections: ReportSection[]; metrics: ({ model: string; range: string } & Record<string, number | string>)[] } };
}
export type EngineMethod = keyof EngineMethods;

/** host → engine */
export interface RequestMessage<M extends EngineMethod = EngineMethod> {
  kind: 'request';
  id: number;
  method: M;
  params: EngineMethods[M]['params'];
  /**
   * The model this request is for (dir undefined = the default model); the engine loads it first
   * when another is loaded. Absent: the loaded model (the CLI and tests that load once).
   */
  model?: { dir?: string };
}

/** host → engine: abort the job with this request id. */
export interface CancelMessage {
  kind: 'cancel';
  id: number;
}

/** host → engine: settings applied before the first request. */
export interface InitMessage {
  kind: 'init';
  threads: number;
  cacheDir: string;
  executionProvider?: 'cpu' | 'cuda';
  weights?: 'auto' | 'resident' | 'streaming' | 'mapped';
}

export type HostToEngine = RequestMessage | CancelMessage | InitMessage;

/** engine → host: the answer to request `id`. */
export type ResponseMessage =
  | { kind: 'response'; id: number; ok: true; result: unknown }
  | { kind: 'response'; id: number; ok: false; error: { name: string; message: string } };

/** engine → host: progress of request `id`. */
export interface ProgressMessage {
  kind: 'progress';
  id: number;
  progress: Progress;
}

/** engine → host: a line for the output channel. */
export interface LogMessage {
  kind: 'log';
  line: string;
}

export type EngineToHost = ResponseMessage | ProgressMessage | LogMessage;

export function isEngineToHost(x: unknown): x is EngineToHost {
  const k = (x as { kind?: unknown } | null)?.kind;
  return k === 'response' || k === 'progress' || k === 'log';
}

export function isHostToEngine(x: unknown): x is HostToEngine {
  const m = x as { kind?: unknown; id?: unknown; method?: unknown } | null;
  if (!m) return false;
  if (m.kind === 'init') return true;
  if (m.kind === 'cancel') return typeof m.id === 'number';
  return m.kind === 'request' && typeof m.id === 'number' && typeof m.method === 'string';
}
