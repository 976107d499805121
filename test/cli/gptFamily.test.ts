/**
 * Every CLI command through the real bin on a tiny GPT-2, BLOOM and XGLM checkpoint: info,
 * tokenize, generate (the reference's greedy tokens), capture (the reference's hook values),
 * analyze, neurons, features, prune (export in the checkpoint's own names and layouts),
 * intervene, bias and compare-instructions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, cli, jsonLines } from '../helpers/cli';
import { writeTinyGpt } from '../helpers/tiny-gpt';
import { FIXTURE_DIR, ONE_PER_FAMILY } from '../reference/gpt-family-cases';
import { readSafetensorsHeader, readTensorF32 } from '../../src/engine/checkpoint/safetensors';

interface Expected {
  ids: number[];
  hooks: Record<string, number[]>;
  greedy: number[];
}

const CORPUS = [
  { lang: 'en', text: 'the cat in the hat' },
  { lang: 'en', text: 'in the hat, the cat!' },
  { lang: 'en', text: 'the hat in the cat' },
  { lang: 'fr', text: 'le chat est dans le chapeau' },
  { lang: 'fr', text: 'le chapeau du chat' },
  { lang: 'fr', text: 'les chats et les chapeaux' },
];

const ok = (r: { code: number; stderr: string }, what: string): void => assert.equal(r.code, 0, `${what}: ${r.stderr}`);

for (const c of ONE_PER_FAMILY) {
  test(`${c.spec.family} (${c.name}): every CLI command runs through bin/polyglot-lens`, async () => {
    const exp = JSON.parse(readFileSync(join(FIXTURE_DIR, `${c.name}.json`), 'utf8')) as Expected;
    const work = mkdtempSync(join(tmpdir(), `pl-cli-${c.spec.family}-`));
    const tiny = writeTinyGpt(c.spec, join(work, 'model'));
    const model = tiny.dir;
    const run = (args: string[]) => cli([...args, '--model', model, '--threads', '1']);
    try {
      const info = run(['info', '--json']);
      ok(info, 'info');
      const i = JSON.parse(info.stdout) as Record<string, unknown>;
      assert.equal(i.modelType, c.spec.family);
      assert.equal(i.nLayers, tiny.spec.nLayers);
      assert.equal(i.dMlp, tiny.spec.dMlp);
      assert.equal(i.positions, { gpt2: 'learned', bloom: 'alibi', xglm: 'sinusoidal' }[c.spec.family]);
      assert.equal(i.tiedEmbeddings, true);
      assert.match(run(['info']).stdout, { gpt2: /learned positions/, bloom: /alibi positions/, xglm: /sinusoidal positions/ }[c.spec.family]);

      const input = join(work, 'in.jsonl');
      writeFileSync(input, `${JSON.stringify({ text: c.text })}\n`);
      const tok = run(['tokenize', '--input', input]);
      ok(tok, 'tokenize');
      assert.deepEqual(jsonLines(tok.stdout), [{ ids: exp.ids }]);

      const gen = run(['generate', '--prompt', c.text, '--max-new-tokens', String(c.greedyNewTokens), '--json']);
      ok(gen, 'generate');
      assert.deepEqual((JSON.parse(gen.stdout) as { generatedIds: number[] }).generatedIds, exp.greedy);

      const acts = join(work, 'acts.safetensors');
      ok(run(['capture', '--ids', exp.ids.join(','), '--hooks', 'blocks.1.mlp.hook_post,blocks.0.hook_resid_pre', '--out', acts]), 'capture');
      for (const e of readSafetensorsHeader(acts)) {
        const got = readTensorF32(e);
        const want = exp.hooks[e.name]!;
        assert.ok(got.every((v, k) => Math.abs(v - want[k]!) <= 1e-4), e.name);
      }

      const prompt = join(work, 'p.prompt');
      writeFileSync(prompt, '---\nconfig:\n  maxOutputTokens: 3\npolyglot.languages: [en]\n---\nthe cat in the hat\n');
      ok(run(['analyze', prompt, '--out', join(work, 'report')]), 'analyze');
      assert.ok(existsSync(join(work, 'report', 'report.html')));

      const corpus = join(work, 'corpus.jsonl');
      writeFileSync(corpus, CORPUS.map((x) => JSON.stringify(x)).join('\n') + '\n');
      ok(run(['neurons', '--corpus', corpus, '--out', join(work, 'lape'), '--prob-quantile', '0.5', '--entropy-quantile', '0.2']), 'neurons');
      const lape = JSON.parse(readFileSync(join(work, 'lape', 'lape.json'), 'utf8')) as { languages: string[]; neurons: Record<string, number[][]> };
      assert.deepEqual(lape.languages, ['en', 'fr']);
      assert.equal(lape.neurons.en!.length, tiny.spec.nLayers);

      const iv = run(['intervene', '--prompt', c.text, '--lape', join(work, 'lape', 'lape.json'), '--deactivate', 'en,fr', '--max-new-tokens', '3', '--json']);
      ok(iv, 'intervene');
      assert.ok(JSON.parse(iv.stdout));

      const feats = run(['features', '--calibration', 'en=mono:en', '--calibration', 'fr=mono:fr', '--calibration', 'enfr=mt:en-fr', '--sequences', '2', '--length', '24', '--shots', '1', '--out', join(work, 'features')]);
      ok(feats, 'features');
      assert.ok(existsSync(join(work, 'features')));

      const cal = join(work, 'cal.jsonl');
      writeFileSync(cal, CORPUS.map((x) => JSON.stringify({ text: x.text })).join('\n') + '\n');
      const pr = run(['prune', '--method', 'wanda', '--sparsity', '0.5', '--calibration', cal, '--out', join(work, 'pruned')]);
      ok(pr, 'prune');
      const kinds = (JSON.parse(pr.stdout) as { achievedByKind: Record<string, number> }).achievedByKind;
      assert.deepEqual(Object.keys(kinds).sort(), c.spec.family === 'xglm' ? ['fc1', 'fc2', 'k', 'o', 'q', 'v'] : ['fc1', 'fc2', 'o', 'qkv']);
      // The export keeps every tensor of the source under its own name, shape and dtype.
      const names = (dir: string) => readSafetensorsHeader(join(dir, 'model.safetensors')).map((e) => `${e.name} ${e.dtype} [${e.shape.join(',')}]`).sort();
      assert.deepEqual(names(join(work, 'pruned')), names(model));
      ok(cli(['capture', '--model', join(work, 'pruned'), '--ids', exp.ids.join(','), '--hooks', 'logits', '--out', join(work, 'pruned.safetensors'), '--threads', '1']), 'capture on the export');

      // Studies 2 and 3 (a cached prompt prefix, then batched continuations: positions and ALiBi
      // continue after the cache) need longer prompts than 64 positions.
      const long = writeTinyGpt({ ...c.spec, maxPositions: 512 }, join(work, 'long')).dir;
      const ex = join(ROOT, 'examples', 'studies');
      ok(cli(['bias', join(ex, 'quality.prompt'), '--dataset', join(ex, 'quality.jsonl'), '--models', long, '--limit', '2', '--ranges', '1-5', '--out', join(work, 'bias'), '--threads', '1']), 'bias');
      ok(cli(['compare-instructions', join(ex, 'rights.prompt'), '--dataset', join(ex, 'rights-fr.jsonl'), '--model', long, '--limit', '2', '--max-new-tokens', '3', '--out', join(work, 'ci'), '--threads', '1']), 'compare-instructions');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
}
