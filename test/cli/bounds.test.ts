/**
 * Bounded resources (issue 16, probe 10), through the real bin: inputs far beyond what a model can
 * use fail (or are cut) at once, with one line naming the input, instead of running for minutes
 * into an out-of-memory abort.
 */
import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, jsonLines } from '../helpers/cli';
import { writeTinyModel } from '../helpers/tiny-model';

function withModel(fn: (work: string, model: string) => void): () => void {
  return () => {
    const work = mkdtempSync(join(tmpdir(), 'pl-bounds-'));
    try {
      fn(work, writeTinyModel({ seed: 10 }, join(work, 'model')).dir);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  };
}

function oneLineError(r: { code: number; stdout: string; stderr: string }, re: RegExp): void {
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
  assert.match(r.stderr.trimEnd(), re);
}

test(
  'a 10 MB prompt body is refused before rendering; a prompt too long for the context before tokenizing',
  withModel((work) => {
    const big = join(work, 'big.prompt');
    writeFileSync(big, `---\nmodel: ./model\n---\n${'mot '.repeat(2_500_000)}`);
    oneLineError(cli(['analyze', big, '--out', join(work, 'r1')], { timeoutMs: 60_000 }), /big\.prompt: 1 problem\(s\); first: big\.prompt:1:1: error: prompt has 10000023 characters; more than 4194304 are not read$/);
    // 64 positions × 64 characters per token: 4096 characters can never fit.
    const long = join(work, 'long.prompt');
    writeFileSync(long, `---\nmodel: ./model\n---\n${'a'.repeat(5000)}`);
    oneLineError(cli(['analyze', long, '--out', join(work, 'r2')], { timeoutMs: 60_000 }), /prompt: 5000 characters cannot fit in the model's max_position_embeddings \(64 tokens\); shorten the input$/);
  }),
);

test(
  'a FIFO or a 20 MB .prompt file is not read (a FIFO as a partial neither)',
  withModel((work) => {
    const fifo = join(work, 'fifo.prompt');
    execFileSync('mkfifo', [fifo]);
    oneLineError(cli(['analyze', fifo, '--out', join(work, 'r')], { timeoutMs: 60_000 }), /fifo\.prompt: is not a plain file but a FIFO/);
    const huge = join(work, 'huge.prompt');
    writeFileSync(huge, '');
    truncateSync(huge, 20 * 1024 * 1024);
    oneLineError(cli(['analyze', huge, '--out', join(work, 'r')], { timeoutMs: 60_000 }), /huge\.prompt: 20971520 bytes; prompt files over 16777216 bytes are not read$/);
    execFileSync('mkfifo', [join(work, '_part.prompt')]);
    const p = join(work, 'p.prompt');
    writeFileSync(p, '---\nmodel: ./model\n---\nHello {{> part}}\n');
    oneLineError(cli(['analyze', p, '--out', join(work, 'r')], { timeoutMs: 60_000 }), /partial "part" \(_part\.prompt\) is not a plain file but a FIFO/);
  }),
);

test(
  'capture --prompt longer than the context can hold is refused before tokenizing',
  withModel((work, model) => {
    const r = cli(['capture', '--model', model, '--prompt', 'z'.repeat(100_000), '--hooks', 'logits', '--out', join(work, 'a.safetensors')], { timeoutMs: 60_000 });
    oneLineError(r, /--prompt: 100000 characters cannot fit in the model's max_position_embeddings \(64 tokens\)/);
  }),
);

test(
  'a 20 MB corpus line is cut to what --max-length can use before tokenizing',
  withModel((work, model) => {
    const corpus = join(work, 'corpus.jsonl');
    const lines = [JSON.stringify({ lang: 'en', text: 'hello there '.repeat(1_700_000) }), JSON.stringify({ lang: 'fr', text: 'bonjour à tous' }), JSON.stringify({ lang: 'en', text: 'short' })];
    writeFileSync(corpus, lines.join('\n') + '\n');
    const r = cli(['neurons', '--model', model, '--corpus', corpus, '--max-length', '8', '--out', join(work, 'n'), '--threads', '1'], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    const out = jsonLines(r.stdout)[0] as { tokens: Record<string, number> };
    // Byte-level tokenizer with BOS: the long text gives 8 (cut), "short" 6, the French text 8 (cut).
    assert.deepEqual(out.tokens, { en: 14, fr: 8 });
  }),
);

test(
  'code: calibration reads only a prefix of each file (a 3 GB file costs what 32 KB cost)',
  withModel((work, model) => {
    const src = join(work, 'src');
    mkdirSync(src);
    writeFileSync(join(src, 'a.py'), 'def f(x):\n    return x + 1\n');
    truncateSync(join(src, 'a.py'), 3 * 1024 ** 3); // sparse: takes no disk space
    const r = cli(
      ['prune', '--model', model, '--method', 'wanda', '--sparsity', '0.5', '--calibration', 'code:*.py', '--calibration-sequences', '1', '--calibration-length', '16', '--out', join(work, 'p'), '--threads', '1'],
      { cwd: src, timeoutMs: 60_000 },
    );
    assert.equal(r.code, 0, r.stderr);
  }),
);
