/**
 * The frontmatter keys Polyglot Lens reads, with one-line docs. Completion, hovers, the validator
 * and schemas/prompt-frontmatter.schema.json (checked by a test) all come from this table.
 */
export interface KeyDoc {
  key: string;
  /** Text inserted by completion after `key: ` (snippet syntax). */
  snippet: string;
  doc: string;
}

/** Keys of `polyglot.*` (written `polyglot.topK:` at top level, or `topK:` under a `polyglot:` map). */
export const POLYGLOT_KEYS: readonly KeyDoc[] = [
  { key: 'examples', snippet: '\n  - ${1:text}: ${2:…}', doc: 'Inputs to render the template with; each one is analyzed separately.' },
  { key: 'languages', snippet: '[${1:en}, ${2:fr}]', doc: 'ISO 639-1 codes of the languages to profile (LAPE).' },
  { key: 'corpus', snippet: '${1:udhr:en,fr}', doc: '`udhr:<codes>` for the bundled Universal Declaration of Human Rights, or a path relative to this file.' },
  { key: 'pruning', snippet: '\n  enabled: ${1:true}\n  method: ${2|wanda,magnitude,random,prog|}\n  sparsity: ${3:0.5}', doc: 'Run a pruned variant: enabled, method (wanda|magnitude|random|prog), calibration, sparsity in (0,1), mode (sequential|oneshot), seed, nm ("2:4").' },
  { key: 'hooks', snippet: '[${1:blocks.*.mlp.hook_post}]', doc: 'Hook points to capture (methods.md §1); `*` stands for every layer.' },
  { key: 'deactivate', snippet: '${1:fr}', doc: 'Neurons to zero while analyzing: a language code (its LAPE neurons) or a list like [L3.N127].' },
  { key: 'topK', snippet: '${1:5}', doc: 'How many top neurons to keep per token and layer.' },
  { key: 'labels', snippet: '[${1:positive}, ${2:negative}]', doc: 'The answers a task allows (classification, instruction following); an output that is none of them after normalisation is an instruction-following failure.' },
  { key: 'scores', snippet: '{min: ${1:1}, max: ${2:5}}', doc: 'Integer score range of a scoring prompt (numeric bias, methods.md §7); the template sees scoreMin and scoreMax.' },
  { key: 'instructions', snippet: '\n  ${1:en}: ${2:Answer with positive or negative.}', doc: 'Instruction variants of one task: variant name → instruction text (the template sees it as `instruction`), or → {text, labels}. Sibling files NAME.VARIANT.prompt are variants too.' },
  { key: 'scoring', snippet: '${1|sequence-mean,continuation-sum|}', doc: 'Label scoring (methods.md §5): sequence-mean (mean log-probability of the whole sequence, Kim et al.) or continuation-sum (summed log-probability after the shared prefix, lm-evaluation-harness).' },
];

export const PRUNING_KEYS: readonly KeyDoc[] = [
  { key: 'enabled', snippet: '${1|true,false|}', doc: 'Whether to analyze the pruned variant (false keeps the settings but runs the dense model).' },
  { key: 'method', snippet: '${1|wanda,magnitude,random,prog|}', doc: 'Importance score (methods.md §3).' },
  { key: 'calibration', snippet: '${1:udhr:en,fr}', doc: 'Calibration set: `udhr:<codes>`, `mt:<src>-<tgt>` or a path.' },
  { key: 'sparsity', snippet: '${1:0.5}', doc: 'Fraction of weights zeroed per output row, strictly between 0 and 1.' },
  { key: 'mode', snippet: '${1|sequential,oneshot|}', doc: 'sequential: block i calibrated on pruned blocks 0..i-1; oneshot: all scores from the dense model.' },
  { key: 'seed', snippet: '${1:0}', doc: 'Seed for `random` pruning (always explicit).' },
  { key: 'nm', snippet: '"${1:2:4}"', doc: 'N:M pattern: keep N of every M consecutive inputs, e.g. "2:4".' },
];

/** Dotprompt's own top-level keys (RESERVED_METADATA_KEYWORDS in dotprompt/src/parse.ts). */
export const DOTPROMPT_KEYS: readonly KeyDoc[] = [
  { key: 'model', snippet: '${1:../models/default}', doc: 'Checkpoint folder (Hugging Face layout), relative to this file. Omit for the default model.' },
  { key: 'input', snippet: '\n  default:\n    ${1:text}: ${2:…}', doc: '`default`: values for template variables; `schema`: accepted, not enforced.' },
  { key: 'config', snippet: '\n  maxOutputTokens: ${1:32}', doc: '`maxOutputTokens` (greedy continuation length) and `temperature`.' },
  { key: 'name', snippet: '${1}', doc: 'Prompt name (Dotprompt).' },
  { key: 'variant', snippet: '${1}', doc: 'Prompt variant (Dotprompt).' },
  { key: 'version', snippet: '${1}', doc: 'Prompt version (Dotprompt).' },
  { key: 'description', snippet: '${1}', doc: 'Free text (Dotprompt).' },
  { key: 'output', snippet: '\n  format: ${1:text}', doc: 'Output format (Dotprompt); ignored by Polyglot Lens.' },
  { key: 'tools', snippet: '[${1}]', doc: 'Tool names (Dotprompt); ignored by Polyglot Lens.' },
  { key: 'toolDefs', snippet: '[${1}]', doc: 'Tool definitions (Dotprompt); ignored by Polyglot Lens.' },
  { key: 'ext', snippet: '\n  ${1}', doc: 'Extension fields (Dotprompt).' },
  { key: 'raw', snippet: '\n  ${1}', doc: 'Reserved by Dotprompt.' },
];

export const HOOK_NAME_PATTERN =
  /^(hook_embed|logits|ln_final\.hook_normalized|blocks\.(\*|\d+)\.(hook_resid_pre|hook_resid_post|ln1\.hook_normalized|ln2\.hook_normalized|attn\.hook_z|mlp\.hook_pre|mlp\.hook_pre_linear|mlp\.hook_post))$/;

/** Every hook name form, for completion (methods.md §1 with `*` for the layer). */
export const HOOK_NAMES: readonly string[] = [
  'hook_embed', 'blocks.*.hook_resid_pre', 'blocks.*.ln1.hook_normalized', 'blocks.*.attn.hook_z',
  'blocks.*.ln2.hook_normalized', 'blocks.*.mlp.hook_pre', 'blocks.*.mlp.hook_pre_linear',
  'blocks.*.mlp.hook_post', 'blocks.*.hook_resid_post', 'ln_final.hook_normalized', 'logits',
];
