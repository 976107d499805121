/** `neuron L.N --json`: hook_post column j equals a capture of that hook; language profile from a LAPE folder. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, ROOT } from '../helpers/cli';
import { captureHooks } from '../../src/engine/capture';
import { LoadedModel } from '../../src/engine/model/model';
import { readLapeFolder } from '../../src/engine/lape/files';
import { lapeIndex, probIndex } from '../../src/shared/lape';
import { writeTinyModel } from '../helpers/tiny-model';

const DEFAULT_MODEL = join(ROOT, 'models', 'default');
const PROMPT = 'Bonjour le monde, comment allez-vous ?';

interface NeuronJson {
  layer: number;
  index: number;
  tokens: string[];
  activations: number[];
  languages: null | { languages: string[]; probability: Record<string, number>; entropy: number | null; selected: boolean; selectedFor: string[] };
  ids: number[];
}

async function captureColumn(modelDir: string, text: string, layer: number, index: number): Promise<{ ids: number[]; column: number[]; tokens: string[] }> {
  const model = LoadedModel.load(modelDir, { threads: 1 });
  const ids = model.tokenizer.encode(text);
  const out = await captureHooks(model, { ids, hooks: [`blocks.${layer}.mlp.hook_post`] });
  const t = out[`blocks.${layer}.mlp.hook_post`]!; // [pos, d_mlp]
  const column = Array.from({ length: ids.length }, (_, p) => t.data[p * t.dims[1]! + index]!);
  const tokens = model.tokenizer.tokenTexts(ids);
  await model.dispose();
  return { ids, column, tokens };
}

test('neuron --json: activations equal a capture of blocks.{i}.mlp.hook_post column j (default model)', async () => {
  const r = cli(['neuron', 'L3.N127', '--prompt', PROMPT, '--json', '--threads', '1']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as NeuronJson;
  assert.deepEqual(Object.keys(out).slice(0, 5), ['layer', 'index', 'tokens', 'activations', 'languages']);
  const want = await captureColumn(DEFAULT_MODEL, PROMPT, 3, 127);
  assert.deepEqual([out.layer, out.index], [3, 127]);
  assert.deepEqual(out.ids, want.ids);
  assert.deepEqual(out.tokens, want.tokens);
  assert.deepEqual(out.activations, want.column);
  assert.equal(out.languages, null);
});

test('neuron FILE.prompt renders the file and runs the model it declares (tiny random Llama)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-neuron-'));
  const tiny = writeTinyModel({ seed: 9 }, join(dir, 'tiny'));
  try {
    const file = join(dir, 'greet.prompt');
    writeFileSync(file, '---\nmodel: ./tiny\ninput:\n  default:\n    name: Ada\n---\nHello {{name}}, welcome.\n');
    const r = cli(['neuron', 'L1.N40', file, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as NeuronJson;
    const want = await captureColumn(tiny.dir, 'Hello Ada, welcome.', 1, 40);
    assert.deepEqual(out.ids, want.ids);
    assert.deepEqual(out.activations, want.column);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('neuron --lape: probability per language, entropy and selection are the LAPE folder\'s row', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-neuron-'));
  try {
    const lapeDir = join(dir, 'lape');
    const made = cli(['neurons', '--corpus', 'udhr:fr,en,ja', '--max-tokens-per-lang', '1500', '--out', lapeDir]);
    assert.equal(made.code, 0, made.stderr);
    const lape = readLapeFolder(lapeDir);
    const json = JSON.parse(readFileSync(join(lapeDir, 'lape.json'), 'utf8')) as { neurons: Record<string, number[][]> };
    // a selected neuron (for ja, say) and an unselected one
    const jaLayer = json.neurons.ja!.findIndex((js) => js.length > 0);
    assert.ok(jaLayer >= 0, 'LAPE selected no ja neuron');
    const picks = [
      { layer: jaLayer, index: json.neurons.ja![jaLayer]![0]! },
      { layer: 0, index: [...Array(lape.dMlp).keys()].find((j) => !lape.neurons.some((l) => l[0]!.includes(j)))! },
    ];
    for (const { layer, index } of picks) {
      const r = cli(['neuron', `L${layer}.N${index}`, '--prompt', 'こんにちは', '--lape', lapeDir, '--json']);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as NeuronJson;
      const l = out.languages!;
      assert.deepEqual(l.languages, ['fr', 'en', 'ja']);
      l.languages.forEach((lang, li) => assert.equal(l.probability[lang], lape.activationProbability[probIndex(lape, li, layer, index)]));
      const h = lape.lape[lapeIndex(lape, layer, index)]!;
      assert.equal(l.entropy, Number.isNaN(h) ? null : h);
      const selectedFor = ['fr', 'en', 'ja'].filter((lang) => json.neurons[lang]![layer]!.includes(index));
      assert.deepEqual(l.selectedFor, selectedFor);
      assert.equal(l.selected, selectedFor.length > 0);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('neuron: bad references and missing inputs are one-line errors', () => {
  const cases: [string[], RegExp][] = [
    [['neuron', 'L3N127', '--prompt', 'x'], /^polyglot-lens: neuron: give the neuron as L\{layer\}\.N\{index\}/],
    [['neuron', 'L99.N0', '--prompt', 'x'], /^polyglot-lens: L99\.N0: no such neuron in default \(6 layers × 704 neurons/],
    [['neuron', 'L0.N0'], /^polyglot-lens: --prompt\/FILE\.prompt: give exactly one of them/],
    [['neuron', 'L0.N0', 'missing.prompt'], /^polyglot-lens: missing\.prompt: file not found/],
  ];
  for (const [args, re] of cases) {
    const r = cli(args);
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
});
