/**
 * `polyglot.eval` (issue #11, "In the editor"): what the Evaluate command runs, checked with the
 * same rules and messages the CLI's `eval` options get — task names, variant syntax
 * (shared/modelSpec.ts), calibration sources, corpus specs, paths relative to the prompt. Any
 * problem is a diagnostic at the offending value and leaves `polyglot.eval` out of the metadata,
 * so Evaluate never runs half a declaration.
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { isLanguageCode } from '../languages';
import { parseVariantText, splitModelEntry } from '../modelSpec';
import { metricProblem } from '../results/rows';
import { EVAL_KEYS } from './keys';
import { range, type Range } from './nodeRange';
import type { EvalSettings, EvalTask, PromptHost } from './types';

export const EVAL_TASK_NAMES: readonly EvalTask[] = ['perplexity', 'translate', 'classify'];
const SCORINGS = ['sequence-mean', 'continuation-sum'];

/** The tasks each option applies to; an option none of the declared tasks reads is flagged. */
const KEY_TASKS: Readonly<Record<string, readonly EvalTask[]>> = {
  dataset: ['classify'], labels: ['classify'], scoring: ['classify'],
  corpus: ['perplexity', 'translate'], languages: ['perplexity'], limit: ['perplexity', 'translate'],
  pairs: ['translate'], dev: ['translate'], template: ['translate'], shots: ['translate'], maxTokens: ['translate'],
};

/** The validator's helpers the checks use (validate.ts's Validator implements them). */
export interface EvalChecks {
  readonly opts: { host?: PromptHost; roots?: string[] };
  error(range: Range, code: string, message: string): void;
  warn(range: Range, code: string, message: string): void;
  unknown(severity: 'error' | 'warning', at: Range, code: string, written: string, known: readonly string[], message: string, otherwise: string): void;
  errorCount(): number;
  string(node: Node | null, keyRange: Range, label: string): string | undefined;
  integer(node: Node | null, keyRange: Range, label: string, min: number): number | undefined;
  oneOf(node: Node | null, keyRange: Range, label: string, allowed: string[]): string | undefined;
  labels(node: Node | null, keyRange: Range, label: string): string[] | undefined;
  languageCode(node: Node | null, at: Range, label: string): string | undefined;
  corpusSpec(spec: string, at: Range, label: string): boolean;
  calibrationSource(spec: string, at: Range, label: string): boolean;
}

/** The output folder's default name beside the prompt: its file name without .prompt, plus `.eval`. */
export function defaultEvalFolderName(promptFileName: string): string {
  return `${promptFileName.replace(/^.*[\\/]/, '').replace(/\.prompt$/, '')}.eval`;
}

const isAbsolutePath = (p: string): boolean => /^([A-Za-z]:)?[\\/]/.test(p);

/** Candidate folders of a model entry's base: next to the prompt, then in each root (workspace folder). */
export function modelCandidates(base: string, host: PromptHost, roots: readonly string[] = []): string[] {
  if (isAbsolutePath(base)) return [base];
  return [host.resolve(base), ...roots.map((r) => `${r.replace(/[\\/]+$/, '')}/${base}`)];
}

/** Whether classify finds its labels (its own, or polyglot.labels). */
export function checkEvalLabels(e: EvalSettings, promptLabels: string[] | undefined): boolean {
  return !e.tasks.includes('classify') || (e.labels ?? promptLabels) !== undefined;
}

/** One string or a list of strings, as scalar nodes. */
function scalars(v: EvalChecks, node: Node | null, keyRange: Range, label: string): { text: string; at: Range }[] | undefined {
  const items = isSeq(node) ? (node.items as Node[]) : [node];
  const out: { text: string; at: Range }[] = [];
  for (const n of items) {
    const s = v.string(n, range(node, keyRange), `${label}${isSeq(node) ? ' item' : ''}`);
    if (s === undefined) return undefined;
    out.push({ text: s.trim(), at: range(n, keyRange) });
  }
  if (out.length === 0) { v.error(range(node, keyRange), 'wrong-value', `${label} is empty`); return undefined; }
  return out;
}

export function validateEval(v: EvalChecks, node: Node | null, keyRange: Range): { settings: EvalSettings; labelsAt: Range } | undefined {
  const at = range(node, keyRange);
  if (!isMap(node)) { v.error(at, 'wrong-type', 'polyglot.eval must be a mapping, e.g. {task: classify, dataset: items.jsonl, models: [default, default@lrp2:fr]}'); return undefined; }
  const before = v.errorCount();
  const out: Partial<EvalSettings> = {};
  const keys = new Map<string, Range>();
  let metricNodes: { text: string; at: Range }[] | undefined;
  let labelNode: { node: Node | null; kr: Range } | undefined;
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = (pair.value ?? null) as Node | null;
    const kr = range(pair.key as Node, keyRange);
    const vr = range(value, kr);
    const label = `polyglot.eval.${key}`;
    keys.set(key, kr);
    switch (key) {
      case 'task': {
        const items = scalars(v, value, kr, label);
        if (!items) break;
        const tasks: EvalTask[] = [];
        for (const t of items) {
          if (!(EVAL_TASK_NAMES as readonly string[]).includes(t.text)) v.unknown('error', t.at, 'wrong-value', t.text, EVAL_TASK_NAMES, `${label}: unknown task "${t.text}"`, ` (${EVAL_TASK_NAMES.join(', ')})`);
          else if (!tasks.includes(t.text as EvalTask)) tasks.push(t.text as EvalTask);
        }
        out.tasks = tasks;
        break;
      }
      case 'models': {
        const items = scalars(v, value, kr, label);
        if (items) out.models = modelEntries(v, items, label);
        break;
      }
      case 'dataset': case 'dev': case 'template': {
        const s = v.string(value, kr, label);
        if (s === undefined) break;
        if (key === 'template' && !s.endsWith('.prompt')) { v.error(vr, 'wrong-value', `${label} must be a .prompt file`); break; }
        if (key === 'dev' && s.startsWith('udhr:')) { if (v.corpusSpec(s, vr, label)) out.dev = s; break; }
        if (pathExists(v, s, vr, label)) out[key as 'dataset' | 'dev' | 'template'] = s;
        break;
      }
      case 'corpus': { const s = v.string(value, kr, label); if (s !== undefined && v.corpusSpec(s, vr, label)) out.corpus = s; break; }
      case 'labels': { const l = v.labels(value, kr, label); if (l) out.labels = l; break; }
      case 'scoring': { const s = v.oneOf(value, kr, label, SCORINGS); if (s) out.scoring = s as EvalSettings['scoring']; break; }
      case 'languages': {
        const items = isSeq(value) ? (value.items as Node[]) : [value];
        const codes = items.map((n) => v.languageCode(n, vr, label));
        if (codes.every((c): c is string => c !== undefined)) out.languages = codes;
        break;
      }
      case 'pairs': {
        const items = scalars(v, value, kr, label);
        if (!items) break;
        const ok = items.every((p) => {
          const m = /^([a-z]{2})-([a-z]{2})$/.exec(p.text);
          if (!m || !isLanguageCode(m[1]!) || !isLanguageCode(m[2]!) || m[1] === m[2]) { v.error(p.at, 'wrong-value', `${label}: expected SRC-TGT with two different ISO 639-1 codes (e.g. fr-en), got "${p.text}"`); return false; }
          return true;
        });
        if (ok) out.pairs = items.map((p) => p.text);
        break;
      }
      case 'shots': { const n = v.integer(value, kr, label, 0); if (n !== undefined) out.shots = n; break; }
      case 'maxTokens': { const n = v.integer(value, kr, label, 1); if (n !== undefined) out.maxTokens = n; break; }
      case 'limit': { const n = v.integer(value, kr, label, 1); if (n !== undefined) out.limit = n; break; }
      case 'seed': { const n = v.integer(value, kr, label, 0); if (n !== undefined) out.seed = n; break; }
      case 'resamples': { const n = v.integer(value, kr, label, 1); if (n !== undefined) out.resamples = n; break; }
      case 'bootstrapSeed': { const n = v.integer(value, kr, label, 0); if (n !== undefined) out.bootstrapSeed = n; break; }
      case 'metric': metricNodes = scalars(v, value, kr, label); break;
      case 'modelLabels': labelNode = { node: value, kr }; break;
      case 'significance': { const t = v.oneOf(value, kr, label, ['one-sided', 'two-sided']); if (t) out.significance = t as EvalSettings['significance']; break; }
      case 'out': { const s = v.string(value, kr, label); if (s !== undefined) out.out = s; break; }
      default: v.unknown('error', kr, 'unknown-key', key, EVAL_KEYS.map((k) => k.key), `unknown key ${label}`, `; known: ${EVAL_KEYS.map((k) => k.key).join(', ')}`);
    }
  }
  if (!keys.has('task')) v.error(keyRange, 'missing-key', `polyglot.eval needs task: ${EVAL_TASK_NAMES.join(', ')}`);
  const tasks = out.tasks ?? [];
  for (const [key, kr] of keys) {
    const applies = KEY_TASKS[key];
    if (applies && tasks.length > 0 && !applies.some((t) => tasks.includes(t))) v.warn(kr, 'unused-key', `polyglot.eval.${key} applies to ${applies.join(' and ')} only; task ${tasks.join(', ')} ignores it`);
  }
  if (tasks.includes('classify') && !keys.has('dataset')) v.error(keyRange, 'missing-key', 'polyglot.eval: task classify needs dataset: a JSONL file of labelled items ({"lang", "label", …}) relative to the prompt');
  if (metricNodes) out.metrics = tableMetricsOf(v, metricNodes, tasks);
  if (labelNode) out.modelLabels = modelLabelsOf(v, labelNode.node, labelNode.kr, out.models);
  if (v.errorCount() > before) return undefined;
  return { settings: out as EvalSettings, labelsAt: keyRange };
}

function pathExists(v: EvalChecks, p: string, at: Range, label: string): boolean {
  const host = v.opts.host;
  if (host && host.kind(host.resolve(p)) === undefined) { v.error(at, 'path-not-found', `${label}: ${p} not found (${host.resolve(p)})`); return false; }
  return true;
}

function modelEntries(v: EvalChecks, items: { text: string; at: Range }[], label: string): string[] | undefined {
  const host = v.opts.host;
  let ok = true;
  items.forEach((m, i) => {
    if (items.findIndex((x) => x.text === m.text) !== i) { v.error(m.at, 'duplicate-model', `${label}: ${m.text} is listed twice`); ok = false; return; }
    const { base, variant } = splitModelEntry(m.text);
    if (!base) { v.error(m.at, 'wrong-value', `${label}: ${m.text} names no model before @ (write default@… or a folder)`); ok = false; return; }
    if (base !== 'default' && host) {
      const dirs = modelCandidates(base, host, v.opts.roots);
      const dir = dirs.find((d) => host.kind(d) === 'directory');
      if (!dir) { v.error(m.at, 'model-not-found', `${label}: no checkpoint folder ${base} (looked in ${dirs.join(', ')}); write default for the embedded model`); ok = false; return; }
      if (host.kind(`${dir}/config.json`) !== 'file') { v.error(m.at, 'model-not-found', `${label}: ${dir} has no config.json (not a Hugging Face checkpoint)`); ok = false; return; }
    }
    if (variant === undefined) return;
    const r = parseVariantText(variant);
    if (!r.ok) { v.error(m.at, 'bad-variant', `${label}: ${m.text}: ${r.error}`); ok = false; return; }
    const spec = r.value;
    if (spec.kind === 'prune' && spec.calibration !== undefined && !v.calibrationSource(spec.calibration, m.at, `${label}: ${m.text}`)) ok = false;
  });
  return ok ? items.map((m) => m.text) : undefined;
}

/**
 * polyglot.eval.modelLabels: the tables' row names, a list parallel to models (null or '' = the
 * paper's name) or a mapping MODEL: LABEL over entries of models.
 */
function modelLabelsOf(v: EvalChecks, node: Node | null, kr: Range, models: string[] | undefined): (string | null)[] | Record<string, string> | undefined {
  const label = 'polyglot.eval.modelLabels';
  const at = range(node, kr);
  const text = (n: unknown): string | null | undefined => (isScalar(n) ? (n.value === null ? null : String(n.value)) : undefined);
  if (isSeq(node)) {
    const out = (node.items as Node[]).map(text);
    if (out.some((x) => x === undefined)) { v.error(at, 'wrong-type', `${label}: each item is a label (text), e.g. "θ_{Fr-En}"`); return undefined; }
    if (models && out.length > models.length) { v.error(at, 'wrong-value', `${label}: ${out.length} labels for ${models.length} models`); return undefined; }
    return out as (string | null)[];
  }
  if (isMap(node)) {
    const out: Record<string, string> = {};
    for (const pair of node.items) {
      const k = text(pair.key), val = text(pair.value);
      const pr = range(pair.key as Node, kr);
      if (!k || val === undefined || val === null) { v.error(pr, 'wrong-type', `${label}: expected MODEL: LABEL`); return undefined; }
      if (models && !models.includes(k)) { v.error(pr, 'wrong-value', `${label}: ${k} is not one of polyglot.eval.models (${models.join(', ')})`); return undefined; }
      out[k] = val;
    }
    return out;
  }
  v.error(at, 'wrong-type', `${label} must be a list parallel to models, or a mapping MODEL: LABEL`);
  return undefined;
}

/** Each metric must belong to a declared task, one per task. */
function tableMetricsOf(v: EvalChecks, items: { text: string; at: Range }[], tasks: EvalTask[]): string[] | undefined {
  const out: string[] = [];
  for (const m of items) {
    const problem = metricProblem(m.text, tasks, out);
    if (problem) { v.error(m.at, 'wrong-value', `polyglot.eval.metric: ${problem}`); return undefined; }
    out.push(m.text);
  }
  return out;
}
