/**
 * Every CLI command, through the real bin/polyglot-lens, on a tiny Gemma and a tiny Gemma 2 whose
 * weights are the committed pytorch_model.bin files (Gemma 2: sharded with an index).
 * max_position_embeddings is raised to 512 (rotary positions have no table) so that the
 * studies' example prompts fit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, jsonLines } from '../helpers/cli';
import { readSafetensorsHeader } from '../../src/engine/checkpoint/safetensors';
import { archCase, writeArchBinCase } from '../reference/arch-cases';


function ok(args: string[]): { stdout: string; stderr: string } {
  const r = cli([...args, '--threads', '1']);
  assert.equal(r.code, 0, `${args[0]}: ${r.stderr}`);
  return r;
}

for (const [modelType, name, layers] of [
  ['gemma', 'gemma-mqa-tied-f32', 2],
  ['gemma2', 'gemma2-window4-softcap-f32', 3],
] as const) {
  test(`every CLI command runs on a tiny ${modelType} read from pytorch_model.bin`, () => {
    const work = mkdtempSync(join(tmpdir(), `pl-cli-${modelType}-`));
    try {
      const M = writeArchBinCase(archCase(name), join(work, 'model'), { max_position_embeddings: 512 });
      const before = readdirSync(M).sort();
      const info = JSON.parse(ok(['info', '--model', M, '--json']).stdout) as Record<string, unknown>;
      assert.equal(info.modelType, modelType);
      assert.equal(info.architecture, modelType === 'gemma' ? 'GemmaForCausalLM' : 'Gemma2ForCausalLM');
      assert.equal(info.nLayers, layers);
      assert.equal(info.dHead, 16);
      assert.equal(info.weightFormat, 'pytorch');
      const text = ok(['info', '--model', M]);
      assert.match(text.stdout, /weights: pytorch_model\.bin/);
      assert.match(text.stderr, /^warning: .*2 tensors not used by gemma2?: .*extra_unknown\.weight, .*position_ids \(ignored\)\n$/);

      writeFileSync(join(work, 'in.jsonl'), '{"text":"Hello"}\n');
      assert.deepEqual(jsonLines(ok(['tokenize', '--model', M, '--input', join(work, 'in.jsonl')]).stdout), [{ ids: [1, 42, 71, 78, 78, 81] }]);

      const gen = JSON.parse(ok(['generate', '--model', M, '--prompt', 'Hello', '--max-new-tokens', '4', '--json']).stdout) as { generatedIds: number[] };
      assert.equal(gen.generatedIds.length, 4);

      const acts = join(work, 'acts.safetensors');
      ok(['capture', '--model', M, '--ids', '1,5,9,40,41,42', '--hooks', 'blocks.*.mlp.hook_post,logits', '--out', acts]);
      assert.deepEqual(readSafetensorsHeader(acts).map((e) => [e.name, e.shape]).sort(), [...Array.from({ length: layers }, (_, l) => [`blocks.${l}.mlp.hook_post`, [6, 48]]), ['logits', [6, 264]]].sort());

      writeFileSync(
        join(work, 'corpus.jsonl'),
        ['{"lang":"en","text":"The cat sits on the mat."}', '{"lang":"en","text":"A dog runs in the park."}', '{"lang":"fr","text":"Le chat est sur le tapis."}', '{"lang":"fr","text":"Un chien court dans le parc."}'].join('\n') + '\n',
      );
      ok(['neurons', '--model', M, '--corpus', join(work, 'corpus.jsonl'), '--out', join(work, 'lape')]);
      const lape = JSON.parse(readFileSync(join(work, 'lape', 'lape.json'), 'utf8')) as { languages: string[]; neurons: Record<string, number[][]> };
      assert.deepEqual(lape.languages, ['en', 'fr']);
      assert.equal(lape.neurons.en!.length, layers);

      writeFileSync(join(work, 'a.txt'), 'The cat sits on the mat.\nA dog runs in the park.\n');
      writeFileSync(join(work, 'b.txt'), 'Le chat est sur le tapis.\nUn chien court.\n');
      ok(['features', '--model', M, '--calibration', `a=${join(work, 'a.txt')}`, '--calibration', `b=${join(work, 'b.txt')}`, '--sequences', '2', '--length', '16', '--out', join(work, 'feat')]);
      assert.ok(existsSync(join(work, 'feat', 'overlap.json')));

      const pr = JSON.parse(ok(['prune', '--model', M, '--method', 'wanda', '--sparsity', '0.5', '--calibration', join(work, 'a.txt'), '--out', join(work, 'pruned')]).stdout) as { achievedSparsity: number };
      assert.equal(pr.achievedSparsity, 0.5);
      const pinfo = JSON.parse(ok(['info', '--model', join(work, 'pruned'), '--json']).stdout) as Record<string, unknown>;
      assert.equal(pinfo.modelType, modelType);
      assert.equal(pinfo.weightFormat, 'safetensors');

      const iv = JSON.parse(ok(['intervene', '--model', M, '--prompt', 'The cat', '--lape', join(work, 'lape', 'lape.json'), '--deactivate', 'fr', '--max-new-tokens', '3', '--json']).stdout) as { a: { text: string } };
      assert.equal(typeof iv.a.text, 'string');

      ok(['analyze', join(__dirname, '..', '..', 'examples', 'hello.prompt'), '--model', M, '--out', join(work, 'report')]);
      assert.ok(existsSync(join(work, 'report', 'report.html')));

      const EX = join(__dirname, '..', '..', 'examples', 'studies');
      const bias = JSON.parse(ok(['bias', join(EX, 'quality.prompt'), '--dataset', join(EX, 'quality.jsonl'), '--limit', '3', '--ranges', '1-5', '--models', M, '--out', join(work, 'bias')]).stdout) as { items: number };
      assert.equal(bias.items, 3);
      const ci = JSON.parse(ok(['compare-instructions', join(EX, 'rights.prompt'), '--dataset', join(EX, 'rights-fr.jsonl'), '--limit', '2', '--max-new-tokens', '4', '--model', M, '--out', join(work, 'ci')]).stdout) as { items: number[]; results: { variants: string[] }[] };
      assert.deepEqual(ci.items, [2], 'items per task');
      assert.ok(ci.results[0]!.variants.length >= 2);

      assert.deepEqual(readdirSync(M).sort(), before, 'the model folder is never written to');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
}
