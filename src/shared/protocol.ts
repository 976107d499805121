/**
 * Every message between the extension host and a Polyglot Lens webview, declared once.
 * Names are `area/verb`. Each message's direction is in its doc comment. Both sides validate
 * what they receive with `isHostToWebviewMessage` / `isWebviewToHostMessage` before using it.
 *
 * Typed arrays cross as base64 (see wire.ts for why): payloads are `Wire<T>`, turned back into
 * typed arrays with `fromWire` after validation.
 */
import type { ActivationAnalysis } from './analysis';
import type { CompareResult } from './compare';
import type { FeatureAnalysis } from './features';
import { isStopReason, type GeneratedText } from './generatedText';
import type { LapeResult } from './lape';
import type { LatentLanguageResult } from './lens';
import type { NeuronReport } from './neuron';
import type { ReportSection } from './report/sections';
import type { Wire } from './wire';
import { isArrOf, isBool, isInt, isNonNegInt, isNum, isObj, isOpt, isStr, isTyped } from './guards';

/** The panels; also the webview entry names (dist/webview/<kind>.js) and view types' suffixes. */
export type PanelKind = 'activations' | 'languageNeurons' | 'features' | 'compare' | 'studies' | 'neuron' | 'results' | 'latentLanguage';
export const PANEL_KINDS: readonly PanelKind[] = ['activations', 'languageNeurons', 'features', 'compare', 'studies', 'neuron', 'results', 'latentLanguage'];
export type ExportFormat = 'png' | 'svg' | 'csv' | 'json' | 'tex' | 'md';

// ---------------------------------------------------------------- host → webview

/** host → webview: show (or replace) an activation analysis. */
export interface ActivationsShow { type: 'activations/show'; analysis: Wire<ActivationAnalysis> }
/**
 * host → webview: the continuation of the analysis shown with `generated.pending` (the panel shows
 * the analysis as soon as the forward is done); `text` is that analysis's prompt, so a continuation
 * never lands on a newer analysis (`generated.stopped`: cancelled or failed before it was complete).
 */
export interface ActivationsContinuation { type: 'activations/continuation'; text: string; generated: GeneratedText }
/** host → webview: select a token (e.g. the editor cursor moved onto it); null clears. */
export interface ActivationsRevealToken { type: 'activations/revealToken'; pos: number | null }
/** host → webview: show LAPE results. */
export interface LanguageNeuronsShow { type: 'languageNeurons/show'; lape: Wire<LapeResult> }
/** host → webview: show translation-feature analyses. */
export interface FeaturesShow { type: 'features/show'; features: Wire<FeatureAnalysis> }
/** host → webview: show a dense-vs-intervened comparison. */
export interface CompareShow { type: 'compare/show'; compare: Wire<CompareResult> }
/** host → webview: show one neuron on the analysed prompt (Neuron panel). */
export interface NeuronShow { type: 'neuron/show'; report: Wire<NeuronReport> }
/** host → webview: the answer to a `neuron/hover` (the neuron on every token of the shown prompt, its profile, examples). */
export interface NeuronReportMessage { type: 'neuron/report'; report: Wire<NeuronReport> }
/** host → webview: show study results (instruction variants, numeric bias) as report sections. */
export interface StudiesShow { type: 'studies/show'; title: string; sections: Wire<ReportSection[]> }
/** host → webview: show evaluation results (Evaluate): a `results` section, drawn as report.html draws it. */
export interface ResultsShow { type: 'results/show'; title: string; sections: Wire<ReportSection[]> }
/** host → webview: show the latent-language lens of a prompt (Latent language panel). */
export interface LatentLanguageShow { type: 'latentLanguage/show'; result: Wire<LatentLanguageResult> }
/** host → webview: select a token in the Latent language panel (the editor cursor moved onto it); null clears. */
export interface LatentLanguageRevealToken { type: 'latentLanguage/revealToken'; pos: number | null }
/** host → webview: result of a `panel/export` (saved path, cancelled, or an error). */
export interface PanelExported { type: 'panel/exported'; ok: boolean; path?: string; error?: string }

/** The command that recomputes a panel's data (its Re-run button), with what it ran on. */
export interface RerunAction {
  /** One of RERUN_COMMANDS. */
  command: string;
  /** The prompt document (a URI string) the command runs on, passed first as a vscode.Uri. */
  uri?: string;
  /** Further arguments, plain JSON (the commands validate them as they do a CodeLens's). */
  args: unknown[];
}
/** Commands a panel may ask to re-run: the ones that made its data, nothing else. */
export const RERUN_COMMANDS: readonly string[] = [
  'polyglotLens.analyzeActivations', 'polyglotLens.compare', 'polyglotLens.mapTranslationFeatures', 'polyglotLens.findLanguageNeurons',
  'polyglotLens.openLanguageNeurons', 'polyglotLens.showNeuron', 'polyglotLens.compareInstructions', 'polyglotLens.measureNumericBias', 'polyglotLens.evaluate',
  'polyglotLens.showLatentLanguage',
];
/**
 * What a panel's data was computed from (its header): the prompt (or corpus, pair) and its
 * document version, the model, the variant ("dense", a pruning variant, "−L0.N3"), when; and, once
 * the editor no longer matches it, why (`stale`).
 */
export interface PanelProvenance {
  source?: string;
  /** The prompt document's version (VS Code counts every edit) when the run started. */
  version?: number;
  model: string;
  variant: string;
  /** ISO time the run finished. */
  ranAt: string;
  stale?: string;
  rerun?: RerunAction;
}
/** host → webview: what the data on screen was computed from, and whether the editor still matches it. */
export interface PanelProvenanceMessage { type: 'panel/provenance'; provenance: PanelProvenance }

export type HostToWebviewMessage =
  | ActivationsShow | ActivationsContinuation | ActivationsRevealToken | LanguageNeuronsShow | FeaturesShow | CompareShow | StudiesShow | ResultsShow | PanelExported | NeuronShow | NeuronReportMessage
  | PanelProvenanceMessage | LatentLanguageShow | LatentLanguageRevealToken;

// ---------------------------------------------------------------- webview → host

/** webview → host: the view script has loaded and listens; the host sends data only after this. */
export interface PanelReady { type: 'panel/ready'; kind: PanelKind }
/** webview → host: first paint after data arrived took `ms` (data receipt → frame); for tests and telemetry-free logging. */
export interface PanelPainted { type: 'panel/painted'; view: string; ms: number }
/**
 * webview → host: save `content` to a file the user picks. PNG content is base64
 * (`encoding: 'base64'`); SVG, CSV and JSON are text.
 */
export interface PanelExport { type: 'panel/export'; format: ExportFormat; suggestedName: string; content: string; encoding: 'utf8' | 'base64' }
/** webview → host: something failed in the view (bad data, render error); the host logs it. */
export interface PanelError { type: 'panel/error'; message: string }
/** webview → host: the user selected a token (and maybe a layer) in the heatmap; the host may highlight its source range. */
export interface ActivationsSelectToken { type: 'activations/selectToken'; pos: number; layer: number | null }
/** webview → host: the user selected a token (and maybe a layer) in the Latent language grid; the host selects its source range. */
export interface LatentLanguageSelectToken { type: 'latentLanguage/selectToken'; pos: number; layer: number | null }
/** webview → host: the pointer rests on a neuron (`L{layer}.N{index}`); null when it leaves. */
export interface NeuronHover { type: 'neuron/hover'; neuron: { layer: number; index: number } | null }
/** webview → host: the user clicked a neuron (`L{layer}.N{index}`); the host selects its references in the open prompt. */
export interface NeuronSelect { type: 'neuron/select'; neuron: { layer: number; index: number } }
/** webview → host: features brushed in the scatter (layer, kind, feature indices). */
export interface FeaturesSelect { type: 'features/select'; layer: number | null; kind: string; indices: number[] }

/** What the Neuron panel's buttons ask the host to do with the neuron shown. */
/** buildIndex: Build Neuron Index… (the panel had no top examples to show), then the neuron again. */
export type NeuronActionKind = 'deactivate' | 'compare' | 'copy' | 'buildIndex';
export const NEURON_ACTIONS: readonly NeuronActionKind[] = ['deactivate', 'compare', 'copy', 'buildIndex'];
/**
 * webview → host: a Neuron panel action: add the neuron to the prompt's `polyglot.deactivate`,
 * compare the continuation with it off, or copy its `L3.N127` reference.
 */
export interface NeuronAction { type: 'neuron/action'; action: NeuronActionKind; layer: number; index: number }

/**
 * webview → host: the Activations heatmap shows one neuron (Show L3.N127) and holds only each
 * token's top-k: the host answers with a `neuron/report` of that neuron on every token.
 */
export interface NeuronColumn { type: 'neuron/column'; neuron: { layer: number; index: number } }
/**
 * webview → host: the Language neurons panel's Save Folder… button: save the language neurons it
 * shows as a folder the CLI and Open Language Neurons Folder… read (Save Language Neurons Folder…).
 */
export interface LanguageNeuronsSave { type: 'languageNeurons/save' }
/** webview → host: the Re-run button: run the command that made this panel's data again. */
export interface PanelRerun { type: 'panel/rerun'; rerun: RerunAction }
/**
 * webview → host: a panel VS Code restored after a window reload shows this saved data; the host
 * may reconnect hovers and editor linking to it (Activations, Language neurons).
 */
export interface PanelRestored { type: 'panel/restored'; show: HostToWebviewMessage; provenance?: PanelProvenance }

export type WebviewToHostMessage =
  | PanelReady | PanelPainted | PanelExport | PanelError | ActivationsSelectToken | NeuronHover | FeaturesSelect | NeuronSelect | NeuronAction
  | PanelRerun | PanelRestored | NeuronColumn | LatentLanguageSelectToken | LanguageNeuronsSave;

// ---------------------------------------------------------------- validators

const isKind = (x: unknown): x is PanelKind => PANEL_KINDS.includes(x as PanelKind);
const FORMATS: readonly ExportFormat[] = ['png', 'svg', 'csv', 'json', 'tex', 'md'];
/** Exported files are at most this many characters (a 4096² PNG is ~20 MB base64; anything larger is a bug). */
export const MAX_EXPORT_CHARS = 64 * 1024 * 1024;
/** A suggested file name is a bare name: no path separators, no leading dot, sane length. */
const isFileName = (x: unknown): x is string => isStr(x) && /^[\w\-. ()]{1,120}$/.test(x) && !x.startsWith('.') && !x.includes('..');

export function isWebviewToHostMessage(x: unknown): x is WebviewToHostMessage {
  if (!isObj(x) || !isStr(x.type)) return false;
  switch (x.type) {
    case 'panel/ready': return isKind(x.kind);
    case 'panel/painted': return isStr(x.view) && isNum(x.ms) && x.ms >= 0;
    case 'panel/export':
      return FORMATS.includes(x.format as ExportFormat) && isFileName(x.suggestedName) && isStr(x.content) &&
        x.content.length <= MAX_EXPORT_CHARS && (x.encoding === 'utf8' || x.encoding === 'base64') &&
        (x.format === 'png') === (x.encoding === 'base64');
    case 'panel/error': return isStr(x.message);
    case 'activations/selectToken':
    case 'latentLanguage/selectToken': return isNonNegInt(x.pos) && (x.layer === null || isNonNegInt(x.layer));
    case 'neuron/hover': return x.neuron === null || (isObj(x.neuron) && isNonNegInt(x.neuron.layer) && isNonNegInt(x.neuron.index));
    case 'neuron/select': return isObj(x.neuron) && isNonNegInt(x.neuron.layer) && isNonNegInt(x.neuron.index);
    case 'features/select': return (x.layer === null || isNonNegInt(x.layer)) && isStr(x.kind) && isArrOf(x.indices, isNonNegInt);
    case 'neuron/action': return NEURON_ACTIONS.includes(x.action as NeuronActionKind) && isNonNegInt(x.layer) && isNonNegInt(x.index);
    case 'panel/rerun': return isRerun(x.rerun);
    case 'languageNeurons/save': return true;
    case 'neuron/column': return isObj(x.neuron) && isNonNegInt(x.neuron.layer) && isNonNegInt(x.neuron.index);
    case 'panel/restored': return isHostToWebviewMessage(x.show) && x.show.type.endsWith('/show') && (x.provenance === undefined || isProvenance(x.provenance));
    default: return false;
  }
}

export function isHostToWebviewMessage(x: unknown): x is HostToWebviewMessage {
  if (!isObj(x) || !isStr(x.type)) return false;
  switch (x.type) {
    case 'activations/show': return isWireActivationAnalysis(x.analysis);
    case 'activations/continuation': return isStr(x.text) && isGenerated(x.generated);
    case 'activations/revealToken':
    case 'latentLanguage/revealToken': return x.pos === null || isNonNegInt(x.pos);
    case 'latentLanguage/show': return isWireLatentLanguage(x.result);
    case 'languageNeurons/show': return isWireLape(x.lape);
    case 'features/show': return isWireFeatures(x.features);
    case 'compare/show': return isWireCompare(x.compare);
    case 'studies/show':
    case 'results/show': return isStr(x.title) && isArrOf(x.sections, isReportSection);
    case 'panel/exported': return isBool(x.ok) && isOpt(x.path, isStr) && isOpt(x.error, isStr);
    case 'neuron/show':
    case 'neuron/report': return isWireNeuronReport(x.report);
    case 'panel/provenance': return isProvenance(x.provenance);
    default: return false;
  }
}

export function isRerun(r: unknown): r is RerunAction {
  return isObj(r) && isStr(r.command) && RERUN_COMMANDS.includes(r.command) && isOpt(r.uri, isStr) && Array.isArray(r.args) && r.args.length <= 4;
}

export function isProvenance(p: unknown): p is PanelProvenance {
  return isObj(p) && isOpt(p.source, isStr) && isOpt(p.version, isNonNegInt) && isStr(p.model) && isStr(p.variant) && isStr(p.ranAt) &&
    isOpt(p.stale, isStr) && (p.rerun === undefined || isRerun(p.rerun));
}

// Payload shape checks. Lengths of packed arrays are checked after decoding (render/data.ts),
// because the byte count is only known then.

const isByte = (b: unknown): b is number => isNonNegInt(b) && b < 256;
const isToken = (t: unknown): boolean =>
  isObj(t) && isInt(t.id) && isStr(t.text) && (t.start === null || isNonNegInt(t.start)) && (t.end === null || isNonNegInt(t.end)) &&
  (t.bytes === undefined || isArrOf(t.bytes, isByte));

const isGenerated = (g: unknown): g is GeneratedText =>
  isObj(g) && isStr(g.text) && isArrOf(g.ids, isInt) && (g.stoppedBy === undefined || isStopReason(g.stoppedBy)) && isOpt(g.pending, isBool) && isOpt(g.stopped, isBool);

export function isWireActivationAnalysis(a: unknown): a is Wire<ActivationAnalysis> {
  return isObj(a) && isObj(a.model) && isStr(a.model.name) && isStr(a.text) && Array.isArray(a.tokens) && a.tokens.every(isToken) &&
    isNonNegInt(a.nLayers) && isNonNegInt(a.topK) && isTyped(a.topIndex, 'i32') && isTyped(a.topValue, 'f32') &&
    isGenerated(a.generated) &&
    (a.languageProfiles === undefined || (isObj(a.languageProfiles) && isArrOf(a.languageProfiles.languages, isStr) && isObj(a.languageProfiles.neurons)));
}

export function isWireLatentLanguage(r: unknown): r is Wire<LatentLanguageResult> {
  const isView = (v: unknown): boolean =>
    isObj(v) && (v.kind === 'logit' || v.kind === 'linear') && isTyped(v.topIds, 'i32') && isTyped(v.topLogp, 'f32') && isTyped(v.entropy, 'f32') && isTyped(v.mass, 'f32') &&
    Array.isArray(v.targets) && v.targets.every((t) => isObj(t) && isStr(t.text) && isArrOf(t.ids, isNonNegInt) && isTyped(t.p, 'f32'));
  return isObj(r) && isObj(r.model) && isStr(r.model.name) && isStr(r.text) && Array.isArray(r.tokens) && r.tokens.every(isToken) &&
    isNonNegInt(r.layers) && isNonNegInt(r.k) && isArrOf(r.languages, isStr) && isStr(r.profile) && isObj(r.vocab) &&
    Object.values(r.vocab).every((v) => isObj(v) && isStr(v.text) && isInt(v.lang)) && Array.isArray(r.lenses) && r.lenses.length > 0 && r.lenses.every(isView);
}

export function isWireLape(l: unknown): l is Wire<LapeResult> {
  return isObj(l) && isArrOf(l.languages, isStr) && isNonNegInt(l.nLayers) && isNonNegInt(l.dMlp) &&
    Array.isArray(l.neurons) && l.neurons.every((perLayer) => Array.isArray(perLayer) && perLayer.every((ix) => isArrOf(ix, isNonNegInt))) &&
    isTyped(l.activationProbability, 'f32') && isTyped(l.lape, 'f32') && isNum(l.bar) && (l.topTokens === undefined || isObj(l.topTokens));
}

export function isWireFeatures(f: unknown): f is Wire<FeatureAnalysis> {
  if (!isObj(f) || !isObj(f.model)) return false;
  const s = f.scatter, m = f.largeMagnitude;
  const okMap = (o: unknown): boolean =>
    o === undefined || (isObj(o) && (o.source === 'hidden_states' || o.source === 'linear_inputs') && Array.isArray(o.settings) && isArrOf(o.layers, isNonNegInt) && isArrOf(o.kinds, isStr) && isTyped(o.values, 'f32'));
  const okO = okMap(f.overlap) && okMap(f.overlapSecond);
  const okS = s === undefined || (isObj(s) && isStr(s.mtLabel) && isStr(s.monoLabel) && Array.isArray(s.layers) &&
    s.layers.every((l) => isObj(l) && isNonNegInt(l.layer) && isStr(l.kind) && isTyped(l.mt, 'f32') && isTyped(l.mono, 'f32')));
  const okM = m === undefined || (isObj(m) && isNonNegInt(m.nLayers) && isNonNegInt(m.top) && isTyped(m.dims, 'i32') && isTyped(m.norms, 'f32'));
  return okO && okS && okM;
}

const isSide = (s: unknown): boolean =>
  isObj(s) && isStr(s.label) && isStr(s.text) && isObj(s.language) && isStr(s.language.code) &&
  Array.isArray(s.topNext) && s.topNext.every((t) => isObj(t) && isStr(t.token) && isNum(t.p)) && (s.ids === undefined || isArrOf(s.ids, isInt));

const isNumOrNull = (v: unknown): boolean => v === null || isNum(v);
const isTaskDelta = (d: unknown): d is Record<string, unknown> =>
  isObj(d) && isStr(d.task) && isStr(d.language) && isStr(d.metric) && isNumOrNull(d.dense) && isNumOrNull(d.variant) && isNumOrNull(d.delta) && isNumOrNull(d.p) && isBool(d.significant);

export function isWireCompare(c: unknown): c is Wire<CompareResult> {
  return isObj(c) && isStr(c.prompt) && isSide(c.a) && isSide(c.b) && isTyped(c.layerChange, 'f32') &&
    (c.tasks === undefined || (isObj(c.tasks) && isStr(c.tasks.base) && isStr(c.tasks.model) && isStr(c.tasks.source) && isArrOf(c.tasks.deltas, isTaskDelta)));
}

const isExample = (e: unknown): boolean =>
  isObj(e) && isStr(e.text) && isStr(e.token) && isNonNegInt(e.position) && isNum(e.value) &&
  (e.start === null || isNonNegInt(e.start)) && (e.end === null || isNonNegInt(e.end));

export function isWireNeuronReport(r: unknown): r is Wire<NeuronReport> {
  return isObj(r) && isObj(r.model) && isStr(r.model.name) && isNonNegInt(r.layer) && isNonNegInt(r.index) && isStr(r.text) &&
    Array.isArray(r.tokens) && r.tokens.every((t) => isObj(t) && isInt(t.id) && isStr(t.text)) && isTyped(r.activations, 'f32') &&
    (r.languages === null || (isObj(r.languages) && isArrOf(r.languages.languages, isStr) && isObj(r.languages.probability) && isArrOf(r.languages.selectedFor, isStr))) &&
    (r.examples === null || (Array.isArray(r.examples) && r.examples.every(isExample))) &&
    isObj(r.indexState) && isStr(r.indexState.state) && isBool(r.cached) && isBool(r.deactivated);
}

const SECTION_KINDS: readonly string[] = ['activations', 'languageNeurons', 'features', 'compare', 'table', 'results', 'scoreHistograms', 'instructionResults', 'text', 'latentLanguage', 'lensDataset'];

/** A report section's envelope; its data is validated by the view that mounts it (views/sectionsView.ts). */
export function isReportSection(s: unknown): s is { kind: string; title: string; data: Record<string, unknown> } {
  return isObj(s) && isStr(s.kind) && SECTION_KINDS.includes(s.kind) && isStr(s.title) && isObj(s.data);
}
