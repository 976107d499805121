/** Neuron panel: renderer (no DOM), CSV exports, decode checks and the protocol's neuron messages. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_THEME } from '../../webview/render/color';
import { languageRows, neuronExamplesCsv, neuronReportNotes, neuronTokensCsv, tokenBarGeometry, tokenBarsSvg } from '../../webview/render/neuron';
import { decodeNeuron } from '../../webview/render/data';
import { isHostToWebviewMessage, isWebviewToHostMessage } from '../../src/shared/protocol';
import { toWire } from '../../src/shared/wire';
import type { NeuronReport } from '../../src/shared/neuron';

const report: NeuronReport = {
  model: { name: 'default', nLayers: 6, dMlp: 704 },
  layer: 3,
  index: 127,
  text: 'Le chat',
  tokens: [{ id: 1, text: '<s>' }, { id: 40, text: 'Le' }, { id: 41, text: ' chat' }, { id: 42, text: ',=1' }],
  activations: Float32Array.of(0.5, -0.25, 1, 0),
  languages: { languages: ['fr', 'en'], probability: { fr: 0.75, en: 0.125 }, entropy: 0.5, selected: true, selectedFor: ['fr'] },
  examples: [
    { text: 'Le chat, "noir"', token: ' chat', position: 2, value: 2.5, start: 2, end: 7 },
    { text: '=SUM(A1)', token: '=', position: 1, value: 2, start: 0, end: 1 },
  ],
  indexState: { state: 'ok', corpus: 'c.tsv', top: 2 },
  cached: true,
  deactivated: false,
};

test('token bars: zero line where 0 falls between min and max, heights proportional, negative bars below', () => {
  const g = tokenBarGeometry(report.activations, 400, 140); // plot height 100, span 1.25
  assert.equal(g.zeroY, 80);
  assert.deepEqual(g.bars.map((b) => [b.y, b.h]), [[40, 40], [80, 20], [0, 80], [80, 0]]);
  assert.deepEqual(g.bars.map((b) => b.x), [1, 101, 201, 301]);
  assert.equal(tokenBarGeometry([0, 0], 10, 50).zeroY, 0, 'all zeros: no division by zero');
  const svg = tokenBarsSvg(DEFAULT_THEME, report, { width: 400, height: 140, testid: 't' });
  for (const [p, v] of [[0, 0.5], [1, -0.25], [2, 1], [3, 0]]) assert.ok(svg.includes(`data-pos="${p}" data-value="${v}"`), `bar ${p}`);
  assert.equal((svg.match(new RegExp(`fill="${DEFAULT_THEME.negative}"`, 'g')) ?? []).length, 1);
});

test('language rows and CSV exports', () => {
  assert.deepEqual(languageRows(report).map((r) => [r.label, r.value, r.selected]), [['fr', 0.75, true], ['en', 0.125, false]]);
  assert.deepEqual(languageRows({ ...report, languages: null }), []);
  assert.equal(
    neuronExamplesCsv(report),
    'neuron,rank,value,token,position,start,end,text\r\nL3.N127,1,2.5, chat,2,2,7,"Le chat, ""noir"""\r\nL3.N127,2,2,\'=,1,0,1,\'=SUM(A1)\r\n',
  );
  assert.equal(neuronTokensCsv(report), 'pos,token,token_id,activation\r\n0,<s>,1,0.5\r\n1,Le,40,-0.25\r\n2, chat,41,1\r\n3,",=1",42,0\r\n');
});

test('neuron messages: the report crosses as wire data and is checked after decoding; actions are validated', () => {
  const msg = { type: 'neuron/show', report: toWire(report) };
  assert.ok(isHostToWebviewMessage(JSON.parse(JSON.stringify(msg))));
  const back = decodeNeuron(JSON.parse(JSON.stringify(msg)).report);
  assert.deepEqual(Array.from(back.activations), [0.5, -0.25, 1, 0]);
  assert.throws(() => decodeNeuron(toWire({ ...report, activations: Float32Array.of(1) })), /activations: 1 values, expected 4/);
  assert.equal(isHostToWebviewMessage({ type: 'neuron/show', report: { ...toWire(report), examples: [{ text: 1 }] } }), false);
  assert.ok(isWebviewToHostMessage({ type: 'panel/ready', kind: 'neuron' }));
  assert.ok(isWebviewToHostMessage({ type: 'neuron/action', action: 'deactivate', layer: 3, index: 127 }));
  assert.equal(isWebviewToHostMessage({ type: 'neuron/action', action: 'rm -rf', layer: 3, index: 127 }), false);
  assert.equal(isWebviewToHostMessage({ type: 'neuron/action', action: 'copy', layer: -1, index: 127 }), false);
});

test('hover-card notes for a neuron in the Activations panel: sparkline, strongest tokens, LAPE, top example', () => {
  assert.deepEqual(neuronReportNotes(report), [
    'this prompt: ▅▁█▂',
    'strongest: ·chat 1 · <s> 0.5 · ,=1 0',
    'LAPE 0.5 · selected for fr',
    'top example (2.5): Le[ chat], "noir"',
  ]);
  assert.deepEqual(neuronReportNotes({ ...report, languages: null, examples: null }).length, 2);
});
