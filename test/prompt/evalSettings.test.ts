/** polyglot.eval (issue #11 in the editor): typed settings when valid, a diagnostic at the value when not. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parsePrompt } from '../../src/shared/prompt/parse';
import { EVAL_KEYS } from '../../src/shared/prompt/keys';
import { nodePromptHost } from '../../src/engine/io/nodePromptHost';
import { readFileSync } from 'node:fs';
import { folderWith, show } from './helpers';

const dir = folderWith({
  'items.jsonl': '{"lang": "en", "label": "yes", "text": "x"}\n',
  'tr.prompt': '---\npolyglot.topK: 3\n---\n{{src}}: {{source}}{{eos}}{{tgt}}:',
  'ckpt/config.json': '{}',
  'ws/other/config.json': '{}',
  'notackpt/readme.txt': 'x',
});
const prompt = join(dir, 'p.prompt');
const parse = (src: string, roots?: string[]) => parsePrompt(src, { host: nodePromptHost(prompt), fileName: prompt, roots }).doc;
const diags = (src: string, roots?: string[]) => parse(src, roots).diagnostics.map((d) => `${show(src, d)} ${d.message}`);
const fm = (lines: string[], body = '{{label}}: {{text}}') => `---\n${lines.join('\n')}\n---\n${body}`;

test('a full declaration parses to typed settings with no diagnostics, dotted or nested', () => {
  const dotted = fm([
    'polyglot.labels: [yes, no]',
    'polyglot.eval:',
    '  task: classify',
    '  dataset: items.jsonl',
    '  models: [default, ckpt, other, default@wanda:mt:fr-en:0.5, default@lrp2:fr, default@lrp2:de:1-3, ckpt@magnitude:0.3]',
    '  scoring: continuation-sum',
    '  resamples: 200',
    '  bootstrapSeed: 7',
    '  seed: 1',
    '  metric: macro_f1',
    '  out: results',
  ]);
  const nested = dotted.replace('polyglot.labels', 'polyglot:\n  labels').replace('polyglot.eval:', '  eval:').replace(/\n {2}(task|dataset|models|scoring|resamples|bootstrapSeed|seed|metric|out):/g, '\n    $1:');
  for (const src of [dotted, nested]) {
    const doc = parse(src, [join(dir, 'ws')]);
    assert.deepEqual(doc.diagnostics, [], src);
    assert.deepEqual(doc.metadata.polyglot.eval, {
      tasks: ['classify'], dataset: 'items.jsonl', scoring: 'continuation-sum', resamples: 200, bootstrapSeed: 7, seed: 1, metrics: ['macro_f1'], out: 'results',
      models: ['default', 'ckpt', 'other', 'default@wanda:mt:fr-en:0.5', 'default@lrp2:fr', 'default@lrp2:de:1-3', 'ckpt@magnitude:0.3'],
    });
  }
  const tr = parse(fm(['polyglot.eval: {task: [perplexity, translate], corpus: "udhr:fr,en", languages: [fr], pairs: [fr-en], template: tr.prompt, shots: 0, maxTokens: 8, limit: 2, metric: [bleu, bits_per_char]}'], 'x'));
  assert.deepEqual(tr.diagnostics, []);
  assert.deepEqual(tr.metadata.polyglot.eval, { tasks: ['perplexity', 'translate'], corpus: 'udhr:fr,en', languages: ['fr'], pairs: ['fr-en'], template: 'tr.prompt', shots: 0, maxTokens: 8, limit: 2, metrics: ['bleu', 'bits_per_char'] });
});

test('bad values: one diagnostic at the value, naming the problem; the declaration is left out', () => {
  const cases: [string[], string][] = [
    [['polyglot.eval: classify'], 'wrong-type@2:16-2:24 "classify" polyglot.eval must be a mapping, e.g. {task: classify, dataset: items.jsonl, models: [default, default@lrp2:fr]}'],
    [['polyglot.eval: {task: summarize}'], 'wrong-value@2:23-2:32 "summarize" polyglot.eval.task: unknown task "summarize" (perplexity, translate, classify)'],
    [['polyglot.eval: {corpus: "udhr:fr"}'], 'missing-key@2:1-2:14 "polyglot.eval" polyglot.eval needs task: perplexity, translate, classify'],
    [['polyglot.eval: {task: perplexity, models: [default@wanda:0.5]}'], 'bad-variant@2:44-2:61 "default@wanda:0.5" polyglot.eval.models: default@wanda:0.5: wanda needs a calibration source, e.g. wanda:mt:fr-en:0.5'],
    [['polyglot.eval: {task: perplexity, models: [default@magnitude:1.5]}'], 'bad-variant@2:44-2:65 "default@magnitude:1.5" polyglot.eval.models: default@magnitude:1.5: must be a number strictly between 0 and 1, got 1.5'],
    [['polyglot.eval: {task: perplexity, models: [default@lrp2:en]}'], 'bad-variant@2:44-2:59 "default@lrp2:en" polyglot.eval.models: default@lrp2:en: expected lrp2:LANG or lrp2:LANG:A-B with a non-English ISO 639-1 code (e.g. lrp2:fr:1-4), or lrp2 alone for each evaluated language'],
    [['polyglot.eval: {task: perplexity, models: [default@lrp2:fr:4-1]}'], 'bad-variant@2:44-2:63 "default@lrp2:fr:4-1" polyglot.eval.models: default@lrp2:fr:4-1: LRP2 layers must be A-B with A < B (hidden-state indices), got "4-1"'],
    [['polyglot.eval: {task: perplexity, models: [default@wanda:mt:fr-xx:0.5]}'], 'unknown-language@2:44-2:70 "default@wanda:mt:fr-xx:0.5" polyglot.eval.models: default@wanda:mt:fr-xx:0.5: mt:fr-xx: unknown language code "xx" (ISO 639-1 two-letter codes such as fr)'],
    [['polyglot.eval: {task: perplexity, models: [default, default]}'], 'duplicate-model@2:53-2:60 "default" polyglot.eval.models: default is listed twice'],
    [['polyglot.eval: {task: perplexity, models: [notackpt]}'], `model-not-found@2:44-2:52 "notackpt" polyglot.eval.models: ${join(dir, 'notackpt')} has no config.json (not a Hugging Face checkpoint)`],
    [['polyglot.eval: {task: perplexity, corpus: nope.jsonl}'], `path-not-found@2:43-2:53 "nope.jsonl" polyglot.eval.corpus: nope.jsonl is neither udhr:<codes> nor an existing path (${join(dir, 'nope.jsonl')})`],
    [['polyglot.eval: {task: translate, pairs: [fr-fr]}'], 'wrong-value@2:42-2:47 "fr-fr" polyglot.eval.pairs: expected SRC-TGT with two different ISO 639-1 codes (e.g. fr-en), got "fr-fr"'],
    [['polyglot.eval: {task: translate, shots: -1}'], 'wrong-type@2:41-2:43 "-1" polyglot.eval.shots must be an integer ≥ 0 (got -1)'],
    [['polyglot.eval: {task: translate, maxTokens: 0}'], 'wrong-type@2:45-2:46 "0" polyglot.eval.maxTokens must be an integer ≥ 1 (got 0)'],
    [['polyglot.eval: {task: perplexity, resamples: 2.5}'], 'wrong-type@2:46-2:49 "2.5" polyglot.eval.resamples must be an integer ≥ 1 (got 2.5)'],
    [['polyglot.eval: {task: perplexity, metric: chrf}'], 'wrong-value@2:43-2:47 "chrf" polyglot.eval.metric: chrf is a translate metric, and task translate is not declared'],
    [['polyglot.eval: {task: perplexity, metric: rouge}'], 'wrong-value@2:43-2:48 "rouge" polyglot.eval.metric: unknown metric "rouge" (perplexity, bits_per_char, chrf, bleu, off_target_rate, accuracy, macro_f1)'],
    [['polyglot.eval: {task: translate, template: tr.txt}'], 'wrong-value@2:44-2:50 "tr.txt" polyglot.eval.template must be a .prompt file'],
    [['polyglot.eval: {task: perplexity, shot: 2}'], 'unknown-key@2:35-2:39 "shot" unknown key polyglot.eval.shot; did you mean shots?'],
    [['polyglot.eval: {task: perplexity, xyz: 2}'], `unknown-key@2:35-2:38 "xyz" unknown key polyglot.eval.xyz; known: ${EVAL_KEYS.map((k) => k.key).join(', ')}`],
    [['polyglot.eval: {task: classify}', 'polyglot.labels: [a, b]'], 'missing-key@2:1-2:14 "polyglot.eval" polyglot.eval: task classify needs dataset: a JSONL file of labelled items ({"lang", "label", …}) relative to the prompt'],
    [['polyglot.eval: {task: classify, dataset: items.jsonl}'], 'missing-key@2:1-2:14 "polyglot.eval" polyglot.eval: task classify needs labels: set polyglot.eval.labels or polyglot.labels'],
  ];
  for (const [lines, expected] of cases) {
    const src = fm(lines);
    assert.deepEqual(diags(src), [expected], src);
    assert.equal(parse(src).metadata.polyglot.eval, undefined, src);
  }
});

test('labels may come from polyglot.labels after the declaration; an option no declared task reads is a warning', () => {
  const doc = parse(fm(['polyglot.eval: {task: classify, dataset: items.jsonl}', 'polyglot.labels: [yes, no]']));
  assert.deepEqual(doc.diagnostics, []);
  assert.deepEqual(doc.metadata.polyglot.eval, { tasks: ['classify'], dataset: 'items.jsonl' });
  const src = fm(['polyglot.eval: {task: perplexity, shots: 2}']);
  assert.deepEqual(diags(src), ['unused-key@2:35-2:40 "shots" polyglot.eval.shots applies to translate only; task perplexity ignores it']);
  assert.deepEqual(parse(src).metadata.polyglot.eval, { tasks: ['perplexity'], shots: 2 });
});

test('a model folder is looked up next to the prompt, then in the workspace roots', () => {
  const src = fm(['polyglot.eval: {task: perplexity, models: [other]}']);
  assert.deepEqual(diags(src, [join(dir, 'ws')]), []);
  assert.deepEqual(diags(src, []), [`model-not-found@2:44-2:49 "other" polyglot.eval.models: no checkpoint folder other (looked in ${join(dir, 'other')}); write default for the embedded model`]);
});

test('the JSON schema documents every polyglot.eval key', () => {
  const schema = JSON.parse(readFileSync('schemas/prompt-frontmatter.schema.json', 'utf8')) as { definitions: { polyglot: { properties: { eval: { properties: Record<string, unknown> } } } } };
  assert.deepEqual(Object.keys(schema.definitions.polyglot.properties.eval.properties).sort(), EVAL_KEYS.map((k) => k.key).sort());
});
