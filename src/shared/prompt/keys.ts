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
  { key: 'classes', snippet: '[${1:entailment}, ${2:neutral}, ${3:contradiction}]', doc: 'Classification: the gold labels as the data writes them, in index order (a 0-based index in the data names one); polyglot.labels are the words scored for them, in the same order (XNLI: [Yes, Also, No]). Default: the labels themselves.' },
  { key: 'labelsByLanguage', snippet: '\n  ${1:fr}: [${2:Oui}, ${3:Non}]', doc: 'Classification: the words scored for items of one language (code → words parallel to polyglot.classes); other languages use polyglot.labels (the English template\'s words).' },
  { key: 'eval', snippet: '\n  task: ${1|classify,perplexity,translate|}\n  models: [default, ${2:default@wanda:mt:fr-en:0.5}]', doc: 'What **Evaluate** measures (the editor\'s `polyglot-lens eval`): task, dataset or corpus, labels, models and variants (`default@wanda:mt:fr-en:0.5`, `default@lrp2:fr`), shots, maxTokens, resamples, metric, out. Results go to NAME.eval/ beside the prompt and the Results panel.' },
];

/** Keys of `polyglot.eval` (paths relative to the prompt file). */
export const EVAL_KEYS: readonly KeyDoc[] = [
  { key: 'task', snippet: '${1|classify,perplexity,translate|}', doc: 'perplexity, translate or classify; a list runs several.' },
  { key: 'models', snippet: '[default, ${1:default@lrp2:fr}]', doc: '`default`, checkpoint folders (relative to the prompt or the workspace) and variants MODEL@wanda:CAL:S, MODEL@magnitude:S, MODEL@random:S, MODEL@prog:TR+CODE:S, MODEL@lrp2:T[:A-B], MODEL@lrp2 (each evaluated language its own LRP2). p-values are against the first. Default: the prompt\'s model.' },
  { key: 'dataset', snippet: '${1:items.jsonl}', doc: 'classify: JSONL, one item a line: {"lang", "label", …template variables}; this prompt is the template ({{label}}).' },
  { key: 'labels', snippet: '[${1:yes}, ${2:no}]', doc: 'classify: the answers to score (default: polyglot.labels).' },
  { key: 'scoring', snippet: '${1|sequence-mean,continuation-sum|}', doc: 'classify: label scoring (default: polyglot.scoring, else sequence-mean).' },
  { key: 'corpus', snippet: '${1:udhr:en,fr}', doc: 'perplexity and translate: udhr:CODES (held-out articles), a JSONL/TSV file or a FLORES folder (default udhr:en,fr,de,es,ru,zh).' },
  { key: 'languages', snippet: '[${1:en}, ${2:fr}]', doc: 'perplexity: languages to score (default: all of the corpus).' },
  { key: 'pairs', snippet: '[${1:fr-en}]', doc: 'translate: directions SRC-TGT (default fr-en, en-fr, de-en, en-de).' },
  { key: 'dev', snippet: '${1:dev.jsonl}', doc: 'translate: corpus the demonstrations come from.' },
  { key: 'template', snippet: '${1:translate.prompt}', doc: 'translate: .prompt template ({{src}} {{tgt}} {{source}} {{#each demos}} {{eos}}); default the methods.md §3 format.' },
  { key: 'shots', snippet: '${1:1}', doc: 'translate: demonstrations per prompt (default 1).' },
  { key: 'maxTokens', snippet: '${1:64}', doc: 'translate: greedy tokens per output (default 64).' },
  { key: 'limit', snippet: '${1:20}', doc: 'perplexity/translate: at most N texts per language or direction.' },
  { key: 'seed', snippet: '${1:0}', doc: 'Seed for demonstrations, variant pruning and calibration sampling (default 0).' },
  { key: 'resamples', snippet: '${1:1000}', doc: 'Paired bootstrap resamples (default 1000).' },
  { key: 'bootstrapSeed', snippet: '${1:12345}', doc: 'Paired bootstrap seed.' },
  { key: 'metric', snippet: '${1|accuracy,macro_f1,perplexity,bits_per_char,chrf,bleu,off_target_rate|}', doc: 'The metric (or list, one per task) the table shows and the bootstrap tests instead of the task\'s primary one (perplexity, chrf, accuracy).' },
  { key: 'modelLabels', snippet: '[θ, ${1:θ_{Fr-En\\}}]', doc: 'The tables\' row names: a list parallel to models, or a mapping MODEL: LABEL; `_{…}` subscript, `^{…}` superscript (default: the paper\'s names θ, θ_Rand, θ_{Fr-En}, θ^{Prog}_{Zh-En}, LRP2).' },
  { key: 'significance', snippet: '${1|one-sided,two-sided|}', doc: 'The test behind † (significantly better than the first model, dense θ) and ‡ (worse): one-sided paired bootstrap (default, as Kim et al.) or two-sided.' },
  { key: 'out', snippet: '${1:results}', doc: 'Output folder, relative to the prompt (default NAME.eval beside it); an earlier output of Polyglot Lens there is replaced, anything else is refused.' },
];

export const PRUNING_KEYS: readonly KeyDoc[] = [
  { key: 'enabled', snippet: '${1|true,false|}', doc: 'Whether to analyze the pruned variant (false keeps the settings but runs the dense model).' },
  { key: 'method', snippet: '${1|wanda,magnitude,random,prog|}', doc: 'Importance score (methods.md §3).' },
  { key: 'calibration', snippet: '${1:mt:fr-en}', doc: 'Calibration set: `mono:<lang>`, `udhr:<codes>`, `mt:<src>-<tgt>`, `code:<glob>` or a .jsonl/.txt path; several joined with + (or a list) are mixed.' },
  { key: 'sparsity', snippet: '${1:0.5}', doc: 'Fraction of weights zeroed per output row, strictly between 0 and 1.' },
  { key: 'mode', snippet: '${1|sequential,oneshot|}', doc: 'sequential: block i calibrated on pruned blocks 0..i-1; oneshot: all scores from the dense model.' },
  { key: 'seed', snippet: '${1:0}', doc: 'Seed for `random` pruning (always explicit).' },
  { key: 'nm', snippet: '"${1:2:4}"', doc: 'N:M pattern: keep N of every M consecutive inputs, e.g. "2:4".' },
  { key: 'scope', snippet: '${1|matrix,row|}', doc: 'magnitude only: one threshold per weight matrix (default, as the reference code) or per output row.' },
  { key: 'referenceCompatible', snippet: '${1|true,false|}', doc: 'Count calibration padding, and use magnitude\'s threshold rule, exactly as the reference code (methods.md §3).' },
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
