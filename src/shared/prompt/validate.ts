import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { isLanguageCode, LANGUAGE_NAMES } from '../languages';
import { parseCalibrationSource } from '../calibrationSource';
import { isModelPath } from './modelRef';
import { DOTPROMPT_KEYS, HOOK_NAME_PATTERN, POLYGLOT_KEYS, PRUNING_KEYS } from './keys';
import type { Field } from './yamlFields';
import { describe, range, type Range } from './nodeRange';
import { validateEval, checkEvalLabels, type EvalChecks } from './evalSettings';
import { closest } from './suggest';
import type { DeactivateSelection, InstructionVariant, PolyglotSettings, PromptDiagnostic, PromptHost, PromptMetadata, PruningSettings, TextFix } from './types';

export interface ValidateOptions {
  host?: PromptHost;
  /** Further folders model entries of polyglot.eval resolve against (the workspace folders). */
  roots?: string[];
  /** Folder of the model used when `model` is omitted; lets neuron references be range-checked. */
  defaultModelDir?: string;
}

const NEURON_REF = /^L(\d+)\.N(\d+)$/;

/**
 * Turns frontmatter fields into typed metadata, reporting each problem at the exact characters
 * of the offending key or value. Bad values are left out of the metadata (so a run uses the
 * defaults) and always produce a diagnostic, never an exception.
 */
export function validateFields(fields: Field[], raw: Record<string, unknown>, opts: ValidateOptions): { metadata: PromptMetadata; diagnostics: PromptDiagnostic[] } {
  const v = new Validator(opts);
  const metadata: PromptMetadata = { input: {}, config: {}, polyglot: {}, raw, ext: {} };
  const seen = new Map<string, Field>();
  for (const f of fields) {
    const earlier = seen.get(f.key);
    if (earlier && f.key.startsWith('polyglot.')) {
      const dotted = f.form === 'dotted' ? f : earlier;
      const other = dotted === f ? earlier : f;
      v.warn([other.keyStart, other.keyEnd], 'duplicate-key', `${f.key} is set twice (dotted and nested form); the dotted \`${f.key}:\` wins`);
      if (dotted !== f) continue;
    }
    seen.set(f.key, f);
    if (f.form === 'plain') v.plainKey(f, metadata);
    else if (f.key.startsWith('polyglot.')) v.polyglotKey(f, metadata.polyglot);
    if (f.form !== 'plain') collectExt(f, metadata.ext);
  }
  v.checkNeuronsAgainstModel(metadata);
  v.checkEval(metadata);
  return { metadata, diagnostics: v.diagnostics };
}

/** Dotprompt's convertNamespacedEntryToNestedObject, applied to both spellings. */
function collectExt(f: Field, ext: PromptMetadata['ext']): void {
  const dot = f.key.lastIndexOf('.');
  const ns = f.key.slice(0, dot);
  (ext[ns] ??= {})[f.key.slice(dot + 1)] = f.value?.toJSON() ?? null;
}

const rangeOf = (r: Range) => ({ start: r[0], end: r[1] });

class Validator implements EvalChecks {
  readonly diagnostics: PromptDiagnostic[] = [];
  private neuronRefs: { layer: number; index: number; range: Range }[] = [];
  private modelRange?: Range;
  /** Where polyglot.eval is, for the cross-key check of classify labels (polyglot.labels may come later). */
  private evalLabelsAt?: Range;
  constructor(readonly opts: ValidateOptions) {}

  error(range: Range, code: string, message: string, fix?: TextFix[]): void {
    this.diagnostics.push({ start: range[0], end: range[1], severity: 'error', code, message, ...(fix ? { fix } : {}) });
  }
  errorCount(): number {
    return this.diagnostics.filter((d) => d.severity === 'error').length;
  }
  warn(range: Range, code: string, message: string, fix?: TextFix[]): void {
    this.diagnostics.push({ start: range[0], end: range[1], severity: 'warning', code, message, ...(fix ? { fix } : {}) });
  }

  /**
   * An unknown key or value written at `at`: "did you mean X?" with the replacement as a fix when
   * one of `known` is a typo away, else `otherwise`. `render` turns a candidate into what is
   * written in the file (e.g. the dotted form of a key).
   */
  unknown(severity: 'error' | 'warning', at: Range, code: string, written: string, known: readonly string[], message: string, otherwise: string, render: (k: string) => string = (k) => k): void {
    const hint = closest(written, known);
    const text = hint === undefined ? undefined : render(hint);
    const full = text === undefined ? `${message}${otherwise}` : `${message}; did you mean ${text}?`;
    const fix = text === undefined ? undefined : [{ start: at[0], end: at[1], text }];
    if (severity === 'error') this.error(at, code, full, fix);
    else this.warn(at, code, full, fix);
  }

  plainKey(f: Field, m: PromptMetadata): void {
    const keyRange: Range = [f.keyStart, f.keyEnd];
    switch (f.key) {
      case 'model': {
        const model = this.string(f.value, keyRange, 'model');
        if (model === undefined) return;
        const host = this.opts.host;
        // Without file access nothing tells a folder from a model name: keep it as written.
        if (host && !isModelPath(model, (x) => host.kind(host.resolve(x)) !== undefined)) {
          // Another tool's model (Genkit's googleai/gemini-2.0-flash): not ours to judge, only noted.
          m.foreignModel = model;
          this.diagnostics.push({ ...rangeOf(range(f.value, keyRange)), severity: 'info', code: 'foreign-model',
            message: `model "${model}" is not a folder path, so Polyglot Lens reads it as another tool's model and uses polyglotLens.modelPath or the default model (write ./${model} for a folder next to the prompt)` });
          return;
        }
        m.model = model;
        this.modelRange = range(f.value, keyRange);
        this.checkModelFolder(model, this.modelRange);
        return;
      }
      case 'input': return this.input(f.value, keyRange, m);
      case 'config': return this.config(f.value, keyRange, m);
      case 'polyglot':
        return this.error(range(f.value, keyRange), 'wrong-type', 'polyglot must be a mapping of polyglot settings (or write polyglot.<key>: at top level)');
      default:
        if (!DOTPROMPT_KEYS.some((k) => k.key === f.key)) {
          this.unknown('warning', keyRange, 'unknown-key', f.key, [...DOTPROMPT_KEYS.map((k) => k.key), 'model', 'input', 'config', ...POLYGLOT_KEYS.map((k) => `polyglot.${k.key}`)],
            `unknown key ${f.key}`, ': neither a Dotprompt key nor polyglot.*; it is ignored');
        }
    }
  }

  polyglotKey(f: Field, p: PolyglotSettings): void {
    const keyRange: Range = [f.keyStart, f.keyEnd];
    const name = f.key.slice('polyglot.'.length);
    const at = range(f.value, keyRange);
    switch (name) {
      case 'examples': {
        const items = this.list(f.value, keyRange, f.key);
        if (!items) return;
        const examples: Record<string, unknown>[] = [];
        for (const item of items) {
          if (isMap(item)) examples.push(item.toJSON() as Record<string, unknown>);
          else this.error(range(item, at), 'wrong-type', `${f.key} items must be mappings of template variables, e.g. - text: Bonjour`);
        }
        p.examples = examples;
        return;
      }
      case 'languages': {
        const items = this.list(f.value, keyRange, f.key);
        if (items) p.languages = items.map((n) => this.languageCode(n, at, f.key)).filter((c): c is string => c !== undefined);
        return;
      }
      case 'corpus': {
        const corpus = this.string(f.value, keyRange, f.key);
        if (corpus !== undefined && this.corpusSpec(corpus, at, f.key)) p.corpus = corpus;
        return;
      }
      case 'pruning': { const pr = this.pruning(f.value, keyRange); if (pr) p.pruning = pr; return; }
      case 'hooks': {
        const items = this.list(f.value, keyRange, f.key);
        if (!items) return;
        p.hooks = [];
        for (const n of items) {
          const hook = this.string(n, at, `${f.key} item`);
          if (hook === undefined) continue;
          if (HOOK_NAME_PATTERN.test(hook)) p.hooks.push(hook);
          else this.error(range(n, at), 'unknown-hook', `unknown hook ${hook}; expected e.g. blocks.*.mlp.hook_post (methods.md §1)`);
        }
        return;
      }
      case 'deactivate': { const d = this.deactivate(f.value, keyRange); if (d) p.deactivate = d; return; }
      case 'topK': { const k = this.integer(f.value, keyRange, f.key, 1); if (k !== undefined) p.topK = k; return; }
      case 'labels': { const l = this.labels(f.value, keyRange, f.key); if (l) p.labels = l; return; }
      case 'classes': { const l = this.labels(f.value, keyRange, f.key); if (l) p.classes = l; return; }
      case 'labelsByLanguage': { const m = this.labelsByLanguage(f.value, keyRange, f.key); if (m) p.labelsByLanguage = m; return; }
      case 'scores': { const r = this.scores(f.value, keyRange); if (r) p.scores = r; return; }
      case 'instructions': { const v = this.instructions(f.value, keyRange); if (v) p.instructions = v; return; }
      case 'scoring': {
        const v = this.oneOf(f.value, keyRange, f.key, ['sequence-mean', 'continuation-sum']);
        if (v !== undefined) p.scoring = v as PolyglotSettings['scoring'];
        return;
      }
      case 'eval': { const e = validateEval(this, f.value, keyRange); if (e) { p.eval = e.settings; this.evalLabelsAt = e.labelsAt; } return; }
      default: {
        // The fix rewrites the key as written: dotted `polyglot.topK` at top level, plain `topK` under `polyglot:`.
        this.unknown('error', keyRange, 'unknown-key', name, POLYGLOT_KEYS.map((k) => k.key), `unknown key ${f.key}`,
          `; known polyglot keys: ${POLYGLOT_KEYS.map((k) => k.key).join(', ')}`, (k) => (f.form === 'dotted' ? `polyglot.${k}` : k));
      }
    }
  }

  /** Language code → label words (each a list as `labels` checks it). */
  private labelsByLanguage(node: Node | null, keyRange: Range, label: string): Record<string, string[]> | undefined {
    if (!isMap(node) || node.items.length === 0) { this.error(range(node, keyRange), 'wrong-type', `${label} must be a mapping of language code → label words, e.g. {fr: [Oui, Non]}`); return undefined; }
    const out: Record<string, string[]> = {};
    for (const pair of node.items) {
      const kr = range(pair.key as Node, keyRange);
      const code = this.languageCode(pair.key as Node, kr, label);
      const words = this.labels((pair.value ?? null) as Node | null, kr, `${label}.${String(isScalar(pair.key) ? pair.key.value : '')}`);
      if (!code || !words) return undefined;
      out[code] = words;
    }
    return out;
  }

  /** A non-empty list of distinct non-empty strings. */
  labels(node: Node | null, keyRange: Range, label: string): string[] | undefined {
    const items = this.list(node, keyRange, label);
    if (!items) return undefined;
    const out: string[] = [];
    for (const n of items) {
      // YAML reads unquoted true/false (and null, ~) as other types: say how to keep them as labels.
      if (isScalar(n) && (typeof n.value === 'boolean' || n.value === null) && typeof n.source === 'string' && n.source.trim()) {
        this.error(range(n, range(node, keyRange)), 'wrong-type', `${label}: YAML reads ${n.source} as ${n.value === null ? 'null' : `the boolean ${n.value}`}, not a label; quote it: "${n.source}"`);
        return undefined;
      }
      const s = isScalar(n) && (typeof n.value === 'string' || typeof n.value === 'number') ? String(n.value).trim() : '';
      if (!s) { this.error(range(n, range(node, keyRange)), 'wrong-type', `${label} items must be non-empty strings`); return undefined; }
      if (out.includes(s)) { this.error(range(n, range(node, keyRange)), 'duplicate-label', `${label}: "${s}" is listed twice`); return undefined; }
      out.push(s);
    }
    if (out.length < 2) { this.error(range(node, keyRange), 'wrong-value', `${label} needs at least two answers to choose from`); return undefined; }
    return out;
  }

  private scores(node: Node | null, keyRange: Range): { min: number; max: number } | undefined {
    const at = range(node, keyRange);
    if (!isMap(node)) { this.error(at, 'wrong-type', 'polyglot.scores must be a mapping {min: 1, max: 5} of integers'); return undefined; }
    const r: Partial<Record<'min' | 'max', number>> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const kr = range(pair.key as Node, keyRange);
      if (key !== 'min' && key !== 'max') { this.error(kr, 'unknown-key', `unknown key polyglot.scores.${key}; known: min, max`); return undefined; }
      const v = isScalar(pair.value) ? pair.value.value : undefined;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) { this.error(range((pair.value ?? null) as Node | null, kr), 'wrong-type', `polyglot.scores.${key} must be an integer ≥ 0`); return undefined; }
      r[key] = v;
    }
    if (r.min === undefined || r.max === undefined) { this.error(at, 'wrong-value', 'polyglot.scores needs both min and max'); return undefined; }
    if (r.max <= r.min) { this.error(at, 'out-of-range', `polyglot.scores.max (${r.max}) must be above min (${r.min})`); return undefined; }
    if (r.max - r.min >= 1000) { this.error(at, 'out-of-range', 'polyglot.scores spans more than 1000 values'); return undefined; }
    return { min: r.min, max: r.max };
  }

  private instructions(node: Node | null, keyRange: Range): InstructionVariant[] | undefined {
    const at = range(node, keyRange);
    if (!isMap(node) || node.items.length === 0) { this.error(at, 'wrong-type', 'polyglot.instructions must be a mapping of variant name → instruction text (or {text, labels})'); return undefined; }
    const out: InstructionVariant[] = [];
    for (const pair of node.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : '';
      const kr = range(pair.key as Node, keyRange);
      const value = (pair.value ?? null) as Node | null;
      if (!/^[A-Za-z0-9_-]+$/.test(name)) { this.error(kr, 'wrong-value', `polyglot.instructions: variant name "${name}" must be letters, digits, _ or -`); return undefined; }
      if (isScalar(value) && typeof value.value === 'string' && value.value.trim()) { out.push({ name, text: value.value }); continue; }
      if (isMap(value)) {
        const text = value.get('text');
        if (typeof text !== 'string' || !text.trim()) { this.error(range(value, kr), 'wrong-type', `polyglot.instructions.${name}.text must be a non-empty string`); return undefined; }
        const labelsNode = value.get('labels', true) as Node | undefined;
        const labels = labelsNode === undefined ? undefined : this.labels(labelsNode, kr, `polyglot.instructions.${name}.labels`);
        if (labelsNode !== undefined && !labels) return undefined;
        out.push({ name, text, ...(labels ? { labels } : {}) });
        continue;
      }
      this.error(range(value, kr), 'wrong-type', `polyglot.instructions.${name} must be an instruction text or {text, labels}`);
      return undefined;
    }
    return out;
  }

  private input(node: Node | null, keyRange: Range, m: PromptMetadata): void {
    if (!isMap(node)) return this.error(range(node, keyRange), 'wrong-type', 'input must be a mapping with default and/or schema');
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const value = (pair.value ?? null) as Node | null;
      const kr = range(pair.key as Node, keyRange);
      if (key === 'default') {
        if (isMap(value)) m.input.default = value.toJSON() as Record<string, unknown>;
        else this.error(range(value, kr), 'wrong-type', 'input.default must be a mapping of template variables to values');
      } else if (key === 'schema') m.input.schema = value?.toJSON();
    }
  }

  private config(node: Node | null, keyRange: Range, m: PromptMetadata): void {
    if (!isMap(node)) return this.error(range(node, keyRange), 'wrong-type', 'config must be a mapping (maxOutputTokens, temperature)');
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const value = (pair.value ?? null) as Node | null;
      const kr = range(pair.key as Node, keyRange);
      if (key === 'maxOutputTokens') {
        const n = this.integer(value, kr, 'config.maxOutputTokens', 0);
        if (n !== undefined) m.config.maxOutputTokens = n;
      } else if (key === 'temperature') {
        const t = this.number(value, kr, 'config.temperature');
        if (t !== undefined && t < 0) this.error(range(value, kr), 'out-of-range', `config.temperature must be ≥ 0 (got ${t})`);
        else if (t !== undefined) m.config.temperature = t;
      }
    }
  }

  private pruning(node: Node | null, keyRange: Range): PruningSettings | undefined {
    if (!isMap(node)) { this.error(range(node, keyRange), 'wrong-type', 'polyglot.pruning must be a mapping, e.g. {enabled: true, method: wanda, sparsity: 0.5}'); return undefined; }
    const out: PruningSettings = { enabled: true, method: 'wanda', sparsity: 0.5, mode: 'sequential', seed: 0 };
    let ok = true;
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const value = (pair.value ?? null) as Node | null;
      const kr = range(pair.key as Node, keyRange);
      const at = range(value, kr);
      const label = `polyglot.pruning.${key}`;
      switch (key) {
        case 'enabled': { const b = this.boolean(value, kr, label); if (b === undefined) ok = false; else out.enabled = b; break; }
        case 'method': { const s = this.oneOf(value, kr, label, ['wanda', 'magnitude', 'random', 'prog']); if (s === undefined) ok = false; else out.method = s as PruningSettings['method']; break; }
        case 'mode': { const s = this.oneOf(value, kr, label, ['sequential', 'oneshot']); if (s === undefined) ok = false; else out.mode = s as PruningSettings['mode']; break; }
        case 'calibration': {
          // A string, or a list of sources mixed (the same as joining them with +).
          const s = isSeq(value) ? (value.items as Node[]).map((n) => (isScalar(n) ? String(n.value) : '')).join('+') : this.string(value, kr, label);
          if (s === undefined) ok = false; else if (this.calibrationSource(s, at, label)) out.calibration = s; else ok = false;
          break;
        }
        case 'sparsity': {
          const x = this.number(value, kr, label);
          if (x === undefined) ok = false;
          else if (!(x > 0 && x < 1)) { this.error(at, 'out-of-range', `${label} must be strictly between 0 and 1 (got ${x})`); ok = false; } else out.sparsity = x;
          break;
        }
        case 'seed': { const n = this.integer(value, kr, label, 0); if (n === undefined) ok = false; else out.seed = n; break; }
        case 'scope': { const s = this.oneOf(value, kr, label, ['matrix', 'row']); if (s === undefined) ok = false; else out.scope = s as 'matrix' | 'row'; break; }
        case 'referenceCompatible': { const b = this.boolean(value, kr, label); if (b === undefined) ok = false; else out.referenceCompatible = b; break; }
        case 'nm': {
          const s = isScalar(value) ? String(value.value) : undefined;
          const m = s === undefined ? null : /^(\d+):(\d+)$/.exec(s);
          if (!m || Number(m[1]) < 1 || Number(m[1]) >= Number(m[2])) { this.error(at, 'wrong-type', `${label} must be "N:M" with 0 < N < M, e.g. "2:4"`); ok = false; } else out.nm = { n: Number(m[1]), m: Number(m[2]) };
          break;
        }
        default:
          this.unknown('error', kr, 'unknown-key', key, PRUNING_KEYS.map((k) => k.key), `unknown key ${label}`, `; known: ${PRUNING_KEYS.map((k) => k.key).join(', ')}`);
      }
    }
    if (ok && out.scope !== undefined && out.method !== 'magnitude') {
      this.error(range(node, keyRange), 'wrong-type', `polyglot.pruning.scope applies to method magnitude only, not ${out.method}`);
      ok = false;
    }
    return ok ? out : undefined;
  }

  private deactivate(node: Node | null, keyRange: Range): DeactivateSelection | undefined {
    const at = range(node, keyRange);
    if (isScalar(node) && typeof node.value === 'string' && !NEURON_REF.test(node.value)) {
      const code = this.languageCode(node, at, 'polyglot.deactivate');
      return code === undefined ? undefined : { kind: 'language', language: code };
    }
    const items = isSeq(node) ? (node.items as Node[]) : isScalar(node) ? [node] : undefined;
    if (!items) { this.error(at, 'wrong-type', 'polyglot.deactivate must be a language code or a list of neurons like [L3.N127]'); return undefined; }
    const neurons: { layer: number; index: number }[] = [];
    for (const n of items) {
      const text = isScalar(n) ? String(n.value) : '';
      const m = NEURON_REF.exec(text);
      if (!m) { this.error(range(n, at), 'bad-neuron', `polyglot.deactivate: ${text || 'item'} is not a neuron reference like L3.N127`); continue; }
      const ref = { layer: Number(m[1]), index: Number(m[2]) };
      neurons.push(ref);
      this.neuronRefs.push({ ...ref, range: range(n, at) });
    }
    return { kind: 'neurons', neurons };
  }

  /** classify needs labels: polyglot.eval.labels or polyglot.labels, whichever order the keys come in. */
  checkEval(m: PromptMetadata): void {
    if (m.polyglot.eval && this.evalLabelsAt && !checkEvalLabels(m.polyglot.eval, m.polyglot.labels)) {
      this.error(this.evalLabelsAt, 'missing-key', 'polyglot.eval: task classify needs labels: set polyglot.eval.labels or polyglot.labels');
      delete m.polyglot.eval;
    }
  }

  /** Range-checks `L3.N127` references when the model folder's config.json is readable. */
  checkNeuronsAgainstModel(m: PromptMetadata): void {
    const host = this.opts.host;
    if (!host || this.neuronRefs.length === 0) return;
    const dir = m.model !== undefined ? host.resolve(m.model) : this.opts.defaultModelDir;
    const text = dir === undefined ? undefined : host.readText(`${dir}/config.json`);
    if (text === undefined) return;
    let config: Record<string, unknown>;
    try { config = JSON.parse(text) as Record<string, unknown>; } catch { return; }
    const nLayers = firstNumber(config, ['num_hidden_layers', 'n_layer', 'num_layers']);
    const dMlp = firstNumber(config, ['intermediate_size', 'n_inner', 'ffn_dim']);
    for (const r of this.neuronRefs) {
      if (nLayers !== undefined && r.layer >= nLayers) this.error(r.range, 'neuron-out-of-range', `L${r.layer}.N${r.index}: layer ${r.layer} does not exist (the model has ${nLayers} layers, 0–${nLayers - 1})`);
      else if (dMlp !== undefined && r.index >= dMlp) this.error(r.range, 'neuron-out-of-range', `L${r.layer}.N${r.index}: neuron ${r.index} does not exist (the MLP has ${dMlp} neurons, 0–${dMlp - 1})`);
    }
  }

  private checkModelFolder(model: string, at: Range): void {
    const host = this.opts.host;
    if (!host) return;
    const dir = host.resolve(model);
    const kind = host.kind(dir);
    if (kind !== 'directory') this.error(at, 'model-not-found', kind === 'file' ? `model must be a checkpoint folder, not a file: ${dir}` : `model folder not found: ${dir}`);
    else if (host.kind(`${dir}/config.json`) !== 'file') this.error(at, 'model-not-found', `model folder has no config.json (not a Hugging Face checkpoint): ${dir}`);
  }

  /** A calibration source as the engine reads it (shared/calibrationSource.ts); file parts must exist. */
  calibrationSource(spec: string, at: Range, label: string): boolean {
    const parsed = parseCalibrationSource(spec);
    if (!parsed.ok) {
      this.error(at, /language code/.test(parsed.error) ? 'unknown-language' : 'bad-calibration', `${label}: ${parsed.error}`);
      return false;
    }
    const host = this.opts.host;
    for (const p of parsed.parts) {
      if (p.kind === 'file' && host && host.kind(host.resolve(p.path)) === undefined) {
        this.error(at, 'path-not-found', `${label}: ${p.path} is neither mono:/udhr:/mt:/code: nor an existing file (${host.resolve(p.path)})`);
        return false;
      }
    }
    return true;
  }

  /** `udhr:en,fr` (codes checked) or a file/folder path relative to the prompt. */
  corpusSpec(spec: string, at: Range, label: string): boolean {
    // `A+code:GLOB`: a corpus with code beside it (code perplexity as a column); `code:GLOB` alone.
    const plus = spec.indexOf('+code:');
    if (plus > 0) return this.corpusSpec(spec.slice(0, plus), at, label) && this.corpusSpec(spec.slice(plus + 1), at, label);
    if (spec.startsWith('code:')) {
      if (spec.length > 5) return true;
      this.error(at, 'wrong-value', `${label}: code: needs a glob, e.g. code:src/**/*.ts`);
      return false;
    }
    const m = /^(udhr|mt):(.*)$/.exec(spec);
    if (m) {
      const codes = m[2].split(m[1] === 'mt' ? '-' : ',').map((c) => c.trim());
      const bad = codes.filter((c) => !isLanguageCode(c));
      if (codes.length === 0 || bad.length > 0) {
        this.error(at, 'unknown-language', `${label}: unknown language code ${bad.map((c) => `"${c}"`).join(', ') || '(none given)'} (ISO 639-1 two-letter codes, e.g. udhr:en,fr)`);
        return false;
      }
      return true;
    }
    const host = this.opts.host;
    if (host && host.kind(host.resolve(spec)) === undefined) {
      this.error(at, 'path-not-found', `${label}: ${spec} is neither udhr:<codes> nor an existing path (${host.resolve(spec)})`);
      return false;
    }
    return true;
  }

  languageCode(node: Node | null, at: Range, label: string): string | undefined {
    const r = range(node, at);
    const code = isScalar(node) ? node.value : undefined;
    if (typeof code !== 'string') { this.error(r, 'wrong-type', `${label}: expected a language code string`); return undefined; }
    if (!isLanguageCode(code)) {
      // "EN" → en; a language's English name ("German") → its code. Two-letter codes are too close to each other for edit distance.
      const lower = code.toLowerCase();
      const hint = isLanguageCode(lower) ? lower : [...LANGUAGE_NAMES].find(([, n]) => n.toLowerCase() === lower)?.[0];
      const message = `${label}: unknown language code "${code}"`;
      if (hint) this.error(r, 'unknown-language', `${message}; did you mean ${hint}?`, [{ start: r[0], end: r[1], text: hint }]);
      else this.error(r, 'unknown-language', `${message} (ISO 639-1 two-letter codes, e.g. en, fr, ja)`);
      return undefined;
    }
    return code;
  }

  list(node: Node | null, keyRange: Range, label: string): Node[] | undefined {
    if (isSeq(node)) return node.items as Node[];
    this.error(range(node, keyRange), 'wrong-type', `${label} must be a list (got ${describe(node)})`);
    return undefined;
  }

  string(node: Node | null, keyRange: Range, label: string): string | undefined {
    if (isScalar(node) && typeof node.value === 'string' && node.value !== '') return node.value;
    this.error(range(node, keyRange), 'wrong-type', `${label} must be a non-empty string (got ${describe(node)})`);
    return undefined;
  }

  number(node: Node | null, keyRange: Range, label: string): number | undefined {
    if (isScalar(node) && typeof node.value === 'number' && Number.isFinite(node.value)) return node.value;
    this.error(range(node, keyRange), 'wrong-type', `${label} must be a number (got ${describe(node)})`);
    return undefined;
  }

  integer(node: Node | null, keyRange: Range, label: string, min: number): number | undefined {
    const n = isScalar(node) ? node.value : undefined;
    if (typeof n === 'number' && Number.isInteger(n) && n >= min) return n;
    this.error(range(node, keyRange), 'wrong-type', `${label} must be an integer ≥ ${min} (got ${describe(node)})`);
    return undefined;
  }

  boolean(node: Node | null, keyRange: Range, label: string): boolean | undefined {
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    this.error(range(node, keyRange), 'wrong-type', `${label} must be true or false (got ${describe(node)})`);
    return undefined;
  }

  oneOf(node: Node | null, keyRange: Range, label: string, allowed: string[]): string | undefined {
    const s = isScalar(node) ? node.value : undefined;
    if (typeof s === 'string' && allowed.includes(s)) return s;
    const message = `${label} must be one of ${allowed.join(', ')} (got ${describe(node)})`;
    if (typeof s === 'string' && node?.range) this.unknown('error', range(node, keyRange), 'wrong-value', s, allowed, message, '');
    else this.error(range(node, keyRange), 'wrong-value', message);
    return undefined;
  }
}

function firstNumber(o: Record<string, unknown>, keys: string[]): number | undefined {
  for (const k of keys) if (typeof o[k] === 'number') return o[k] as number;
  return undefined;
}
