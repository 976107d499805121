/** The neuron hover's Markdown and the "Deactivate in prompt" edit: pure, checked against engine numbers and parsed back. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { escapeMarkdown, neuronReportMarkdown } from '../../src/extension/prompt/neuronHover';
import { addDeactivateEdit } from '../../src/extension/prompt/deactivateEdit';
import { parsePrompt } from '../../src/shared/prompt';
import { exampleContext, sparkline, strongestTokens, type NeuronReport } from '../../src/shared/neuron';
import { HANDLERS, type EngineState } from '../../src/engine/worker/handlers';
import { ROOT } from '../helpers/cli';

const report = (over: Partial<NeuronReport> = {}): NeuronReport => ({
  model: { name: 'm', nLayers: 4, dMlp: 8 },
  layer: 3,
  index: 7,
  text: 'ab',
  tokens: [{ id: 1, text: '<s>' }, { id: 5, text: 'a' }, { id: 6, text: 'b' }],
  activations: Float32Array.of(0, 2, -1),
  languages: null,
  examples: null,
  indexState: { state: 'none' },
  cached: true,
  deactivated: false,
  ...over,
});

test('neuron hover Markdown: sparkline, strongest tokens, language profile, examples with the token in bold, panel link', () => {
  const md = neuronReportMarkdown(
    report({
      languages: { languages: ['fr', 'en'], probability: { fr: 0.9, en: 0.05 }, entropy: 0.25, selected: true, selectedFor: ['fr'] },
      examples: [{ text: 'Le chat dort.', token: ' chat', position: 2, value: 3.5, start: 2, end: 7 }],
      indexState: { state: 'ok', corpus: 'udhr:fr', top: 5 },
    }),
    'command:x',
  );
  assert.equal(
    md,
    [
      '**L3.N7** in m · `hook_post` on 3 tokens of the analysed prompt',
      '',
      '`▃█▁` min -1.000 · max 2.000',
      '',
      '| pos | token | activation |',
      '|---:|---|---:|',
      '| 1 | `"a"` | 2.000 |',
      '| 0 | `"<s>"` | 0.000 |',
      '| 2 | `"b"` | -1.000 |',
      '',
      '**Language profile** (fr, en)',
      '',
      'Activation probability: fr 0.90 · en 0.05',
      '',
      'LAPE 0.250 · specific to fr',
      '',
      '**Top examples** (udhr:fr):',
      '- 3.500 Le **chat** dort\\.',
      '',
      '[Open in Neuron panel](command:x)',
    ].join('\n'),
  );
  assert.match(neuronReportMarkdown(report({ indexState: { state: 'stale', message: 'built for tiny' } })), /_No examples: built for tiny_/);
  // The CLI command the hover named is an action (issue #26 item 8).
  assert.match(neuronReportMarkdown(report({ indexState: { state: 'stale', message: 'built for tiny' } }), undefined, 'command:b'), /_No examples: built for tiny_\n\n\[Build Neuron Index…\]\(command:b\)$/);
  assert.match(neuronReportMarkdown(report({ indexState: { state: 'none' }, examples: null }), undefined, 'command:b'), /\n\n_No top examples: no neuron index yet\._ \[Build Neuron Index…\]\(command:b\)$/);
  assert.ok(!neuronReportMarkdown(report({ indexState: { state: 'none' }, examples: null })).includes('Build'));
  assert.match(neuronReportMarkdown(report({ deactivated: true })), /^\*\*L3\.N7\*\* in m .*\n\n_Deactivated in this analysis \(`polyglot\.deactivate`\): 0 on every token\._\n/);
  assert.equal(escapeMarkdown('a*b_[c](d)|e\nf'), 'a\\*b\\_\\[c\\]\\(d\\)\\|e f');
});

test('shared neuron helpers: sparkline, strongest tokens (ties: earlier first), example context', () => {
  assert.equal(sparkline([0, 7, 3.5]), '▁█▅');
  assert.equal(sparkline([2, 2]), '▁▁');
  assert.deepEqual(strongestTokens([1, 3, 3, -2], 3), [1, 2, 0]);
  const e = { text: 'x'.repeat(50) + 'TOKEN' + 'y'.repeat(50), token: 'TOKEN', position: 9, value: 1, start: 50, end: 55 };
  assert.deepEqual(exampleContext(e, 10), { before: '…xxxxxxxxxx', token: 'TOKEN', after: 'yyyyyyyyyy…' });
  assert.deepEqual(exampleContext({ ...e, start: null, end: null, token: '<s>' }, 3), { before: '', token: '<s>', after: ' xxxxxx…' });
});

test('the hover shows the engine\'s numbers for the analysed prompt (default model)', async () => {
  const s: EngineState = { threads: 1, cacheDir: mkdtempSync(join(tmpdir(), 'pl-cache-')), log: () => {} };
  try {
    await HANDLERS['engine/load'](s, { dir: join(ROOT, 'models', 'default') }, {});
    const text = 'The cat sleeps on the mat.';
    await HANDLERS['engine/analyze'](s, { text }, {});
    const r = await HANDLERS['neuron/report'](s, { text, layer: 1, index: 42 }, {});
    const md = neuronReportMarkdown(r);
    assert.ok(md.includes(`\`${sparkline(r.activations)}\``));
    const rows = md.split('\n').filter((l) => /^\| \d+ \|/.test(l));
    assert.deepEqual(rows, strongestTokens(r.activations, 5).map((p) => `| ${p} | \`${JSON.stringify(r.tokens[p]!.text)}\` | ${r.activations[p]!.toFixed(3)} |`));
  } finally {
    await s.model?.dispose();
    rmSync(s.cacheDir, { recursive: true, force: true });
  }
});

test('Deactivate in prompt: edits keep the file\'s style and parse to the neuron list', () => {
  const apply = (src: string): string => {
    const e = addDeactivateEdit(src, 3, 127);
    if ('reason' in e) throw new Error(e.reason);
    return src.slice(0, e.start) + e.text + src.slice(e.end);
  };
  const cases: [string, string][] = [
    ['Hello', '---\npolyglot.deactivate: [L3.N127]\n---\nHello'],
    ['---\nmodel: x\n---\nHello', '---\nmodel: x\npolyglot.deactivate: [L3.N127]\n---\nHello'],
    ['---\r\nmodel: x\r\n---\r\nHello', '---\r\nmodel: x\r\npolyglot.deactivate: [L3.N127]\r\n---\r\nHello'],
    ['---\n---\nHi', '---\npolyglot.deactivate: [L3.N127]\n---\nHi'],
    ['---\npolyglot.deactivate: [L1.N2]\n---\nHi', '---\npolyglot.deactivate: [L1.N2, L3.N127]\n---\nHi'],
    ['---\npolyglot.deactivate: []\n---\nHi', '---\npolyglot.deactivate: [L3.N127]\n---\nHi'],
    ['---\npolyglot.deactivate: L1.N2\n---\nHi', '---\npolyglot.deactivate: [L1.N2, L3.N127]\n---\nHi'],
    ['---\npolyglot:\n  deactivate:\n    - L1.N2\n  topK: 3\n---\nHi', '---\npolyglot:\n  deactivate:\n    - L1.N2\n    - L3.N127\n  topK: 3\n---\nHi'],
    ['---\npolyglot:\n  topK: 3\n---\nHi', '---\npolyglot:\n  topK: 3\npolyglot.deactivate: [L3.N127]\n---\nHi'],
  ];
  for (const [src, want] of cases) {
    const got = apply(src);
    assert.equal(got, want, JSON.stringify(src));
    const { doc } = parsePrompt(got, { fileName: 'x.prompt' });
    assert.deepEqual(doc.diagnostics.filter((d) => d.severity === 'error'), [], got);
    const d = doc.metadata.polyglot.deactivate;
    assert.ok(d?.kind === 'neurons' && d.neurons.some((n) => n.layer === 3 && n.index === 127), got);
  }
  assert.deepEqual(addDeactivateEdit('---\npolyglot.deactivate: [L3.N127]\n---\n', 3, 127), { reason: 'L3.N127 is already deactivated' });
  assert.match((addDeactivateEdit('---\npolyglot.deactivate: fr\n---\n', 3, 127) as { reason: string }).reason, /is the language "fr"/);
  assert.match((addDeactivateEdit('---\na: [\n---\n', 3, 127) as { reason: string }).reason, /YAML errors/);
});
