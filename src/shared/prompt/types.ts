/**
 * Data types of a parsed `.prompt` file. Offsets are UTF-16 offsets into the whole file text
 * (what VS Code's `TextDocument.positionAt` takes), so every consumer maps them the same way.
 */

export type Severity = 'error' | 'warning' | 'info';

export interface PromptDiagnostic {
  start: number;
  end: number;
  severity: Severity;
  /** One line, without the file name (the editor or the CLI adds it). */
  message: string;
  /** Stable id for tests and quick fixes, e.g. `unknown-key`, `yaml`, `unknown-helper`. */
  code: string;
  /** The edits a "did you mean …?" message proposes (the editor's Quick Fix): usually one; a block helper's name is written twice. */
  fix?: TextFix[];
}

/** One replacement in the file, in file offsets. */
export interface TextFix {
  start: number;
  end: number;
  text: string;
}

export type PruningMethod = 'wanda' | 'magnitude' | 'random' | 'prog';
export type PruningMode = 'sequential' | 'oneshot';

export interface PruningSettings {
  enabled: boolean;
  method: PruningMethod;
  calibration?: string;
  sparsity: number;
  mode: PruningMode;
  seed: number;
  /** N:M semi-structured pattern, e.g. `{ n: 2, m: 4 }` from "2:4"; absent = unstructured. */
  nm?: { n: number; m: number };
  /** magnitude: one threshold per matrix (default) or per row. */
  scope?: 'matrix' | 'row';
  /** Count calibration padding and use magnitude's threshold rule as the reference code does. */
  referenceCompatible?: boolean;
}

/** `polyglot.deactivate`: a language's LAPE neurons, or explicit `L3.N127` references. */
export type DeactivateSelection =
  | { kind: 'language'; language: string }
  | { kind: 'neurons'; neurons: { layer: number; index: number }[] };

/** Everything under the `polyglot` namespace (dotted `polyglot.x:` keys or a nested `polyglot:` map). */
export interface PolyglotSettings {
  examples?: Record<string, unknown>[];
  languages?: string[];
  corpus?: string;
  pruning?: PruningSettings;
  hooks?: string[];
  deactivate?: DeactivateSelection;
  topK?: number;
  /** Allowed answers of a task (`polyglot.labels`). */
  labels?: string[];
  /** Integer score range of a scoring prompt (`polyglot.scores`, methods.md §7). */
  scores?: { min: number; max: number };
  /** Instruction variants (`polyglot.instructions`): name → instruction text and optional labels. */
  instructions?: InstructionVariant[];
  /** Label scoring of zero-shot classification (`polyglot.scoring`, methods.md §5). */
  scoring?: 'sequence-mean' | 'continuation-sum';
  /** Gold labels of classification data in index order (`polyglot.classes`); `labels` are the words scored for them. */
  classes?: string[];
  /** Words scored for items of a language, parallel to the classes (`polyglot.labelsByLanguage`). */
  labelsByLanguage?: Record<string, string[]>;
  /** What the Evaluate command measures (`polyglot.eval`, issue #11): the editor's `eval`. */
  eval?: EvalSettings;
}

export type EvalTask = 'perplexity' | 'translate' | 'classify';

/**
 * `polyglot.eval`: the options of `polyglot-lens eval`, paths relative to the prompt file. Unset
 * options take the CLI's defaults (the demo data for perplexity and translate).
 */
export interface EvalSettings {
  tasks: EvalTask[];
  /** `default`, checkpoint folders (relative to the prompt or a workspace folder), variants `MODEL@…`; default: the prompt's model. */
  models?: string[];
  /** classify: labelled JSONL, one item per line ({"lang", "label", …template variables}). */
  dataset?: string;
  /** classify: the answers (else polyglot.labels). */
  labels?: string[];
  scoring?: 'sequence-mean' | 'continuation-sum';
  /** perplexity and translate: udhr:CODES, a JSONL/TSV file or a FLORES folder. */
  corpus?: string;
  languages?: string[];
  pairs?: string[];
  dev?: string;
  /** translate: a .prompt template (default: the methods.md §3 format). */
  template?: string;
  shots?: number;
  maxTokens?: number;
  limit?: number;
  seed?: number;
  resamples?: number;
  bootstrapSeed?: number;
  /** Metrics the table shows and the bootstrap tests instead of a task's primary one (e.g. macro_f1). */
  metrics?: string[];
  /** The tables' row names: a list parallel to models (null = the paper's name), or MODEL → LABEL. */
  modelLabels?: (string | null)[] | Record<string, string>;
  /** The test behind the tables' † and ‡ (default one-sided). */
  significance?: 'one-sided' | 'two-sided';
  /** Output folder (default NAME.eval beside the prompt). */
  out?: string;
}

export interface InstructionVariant {
  name: string;
  text: string;
  labels?: string[];
}

export interface PromptMetadata {
  /** The Dotprompt `model` field: a checkpoint folder relative to the prompt file; undefined = default model. */
  model?: string;
  /**
   * A `model:` that is not a path (Genkit's `googleai/gemini-2.0-flash`): another tool's model,
   * not ours to judge; runs use the setting or the default model (see modelRef.ts).
   */
  foreignModel?: string;
  input: { default?: Record<string, unknown>; schema?: unknown };
  config: { maxOutputTokens?: number; temperature?: number };
  polyglot: PolyglotSettings;
  /** The frontmatter as plain data, as Dotprompt's `raw`. */
  raw: Record<string, unknown>;
  /** Namespaced keys as Dotprompt collects them: `polyglot.topK: 5` → `ext.polyglot.topK`. */
  ext: Record<string, Record<string, unknown>>;
}

/** Where the prompt sits in its folder, from the file name (Dotprompt's directory-store rules). */
export interface PromptFileName {
  name: string;
  variant?: string;
  /** `_name.prompt` files are partials, usable as `{{> name}}` from prompts in the same folder. */
  isPartial: boolean;
}

/**
 * File access a prompt needs (partials, the model folder, a corpus path). Injected so this module
 * stays free of Node and VS Code imports: the CLI passes a node:fs host, tests pass a map.
 */
export interface PromptHost {
  /** Absolute path of `relative` against the prompt file's folder; absolute paths come back unchanged. */
  resolve(relative: string): string;
  kind(path: string): 'file' | 'directory' | undefined;
  readText(path: string): string | undefined;
  /**
   * A partial's text, or why it cannot be used (not found, not a plain file, a link that leads
   * outside the prompt's folder). Hosts without it (tests' maps) fall back to readText.
   */
  readPartial?(path: string): { text: string } | { problem: string };
}

export interface PromptDocument {
  source: string;
  file: PromptFileName;
  /** Range of the YAML text between the `---` lines; undefined when the file has no frontmatter. */
  frontmatter?: { start: number; end: number };
  /** The template, trimmed as Dotprompt trims it, and the offset of its first character. */
  body: { start: number; text: string };
  metadata: PromptMetadata;
  diagnostics: PromptDiagnostic[];
  /**
   * Whether the frontmatter has a `polyglot.*` key (or a nested `polyglot:` map). Other tools'
   * `.prompt` files (Genkit, Dotprompt) have none: the editor shows them no Polyglot diagnostics.
   */
  hasPolyglotKeys: boolean;
}
