/**
 * One cancellation path for every long command (issue 21, items 14 and 16), through the real bin:
 * each command runs in its own process group and stops itself at a known point
 * (POLYGLOT_LENS_STOP_AT: its first progress report, or the start of its output write); the test
 * sends SIGINT, SIGTERM or SIGHUP to the group and resumes it. The command must stop at its next
 * batch (at most one more progress report), say "cancelled", exit 130 and write nothing: no output,
 * no temp folder, nothing on stdout. No fixed waits: every wait is on a condition.
 */
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, cliStopped, ROOT } from '../helpers/cli';
import { writeTinyModel } from '../helpers/tiny-model';

const STUDIES = join(ROOT, 'examples', 'studies');
const WORDS = join(ROOT, 'examples', 'lens', 'toyworld-words.jsonl');

interface Fixtures {
  work: string;
  /** Outputs go here; it must be empty after every cancelled run. */
  out: string;
  model: string;
  /** Room for the studies' prompts and translation prompts. */
  model512: string;
  corpus: string;
  prompt: string;
  lape: string;
  shards: string[];
  counts: string[];
  /** Latent-language items (lens build) from the toy-world word list. */
  items: string;
  /** 3,000 JSON lines for tokenize (three chunks). */
  lines: string;
}

let f: Fixtures;

function ok(args: string[]): void {
  const r = cli([...args, '--threads', '1']);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
}

before(() => {
  const work = mkdtempSync(join(tmpdir(), 'pl-cancel-'));
  const model = writeTinyModel({ seed: 16 }, join(work, 'model')).dir;
  const model512 = writeTinyModel({ seed: 17, maxPositions: 512 }, join(work, 'model512')).dir;
  const corpus = join(work, 'corpus.jsonl');
  writeFileSync(corpus, ['en', 'fr', 'de'].flatMap((lang) => Array.from({ length: 12 }, (_, i) => JSON.stringify({ lang, text: `${lang} sentence number ${i} with words` }))).join('\n') + '\n');
  const prompt = join(work, 'a.prompt');
  writeFileSync(prompt, '---\nmodel: ./model\n---\nHello world, this is a longer prompt with several tokens\n');
  const fixtures = join(work, 'fixtures');
  mkdirSync(fixtures);
  ok(['neurons', '--model', model, '--corpus', corpus, '--out', join(fixtures, 'lape')]);
  const shards = [0, 1].map((i) => join(fixtures, `part${i}`));
  shards.forEach((s, i) => ok(['neurons', '--model', model, '--corpus', corpus, '--shard', `${i}/2`, '--out', s]));
  // The reference repository's per-language counts (n, over_zero [layers, d_mlp]) as JSON.
  const counts = ['en', 'fr'].map((lang, k) => {
    const file = join(fixtures, `${lang}.json`);
    writeFileSync(file, JSON.stringify({ n: 100, over_zero: [0, 1].map((l) => Array.from({ length: 48 }, (_, j) => (j * 7 + l * 3 + k * 11) % 90)) }));
    return `${lang}=${file}`;
  });
  const lines = join(fixtures, 'lines.jsonl');
  writeFileSync(lines, Array.from({ length: 3000 }, (_, i) => JSON.stringify({ text: `line ${i}` })).join('\n') + '\n');
  const items = join(fixtures, 'items.jsonl');
  ok(['lens', 'build', '--words', WORDS, '--task', 'translate', '--tgt', 'fr', '--src', 'en', '--out', items]);
  const out = join(work, 'o');
  mkdirSync(out);
  f = { work, out, model, model512, corpus, prompt, lape: join(fixtures, 'lape', 'lape.json'), shards, counts, items, lines };
});

after(() => rmSync(f.work, { recursive: true, force: true }));

interface Case {
  /** The command as `--help` names it. */
  command: string;
  args: () => string[];
  at: 'progress' | 'write';
  signal: NodeJS.Signals;
}

const m = (): string[] => ['--model', f.model, '--threads', '1'];
const m512 = (): string[] => ['--model', f.model512, '--threads', '1'];
const o = (): string => join(f.out, 'result');

const CASES: Case[] = [
  { command: 'tokenize', args: () => ['tokenize', '--model', f.model, '--input', f.lines], at: 'progress', signal: 'SIGTERM' },
  { command: 'generate', args: () => ['generate', ...m(), '--prompt', 'hello world', '--max-new-tokens', '20', '--json'], at: 'progress', signal: 'SIGINT' },
  { command: 'capture', args: () => ['capture', ...m(), '--ids', '1,2,3', '--hooks', 'logits', '--out', join(f.out, 'acts.safetensors')], at: 'write', signal: 'SIGTERM' },
  { command: 'analyze', args: () => ['analyze', f.prompt, '--threads', '1', '--out', o()], at: 'progress', signal: 'SIGHUP' },
  { command: 'neurons', args: () => ['neurons', ...m(), '--corpus', f.corpus, '--batch-tokens', '64', '--out', o()], at: 'progress', signal: 'SIGINT' },
  { command: 'neurons index', args: () => ['neurons', 'index', ...m(), '--corpus', f.corpus, '--batch-tokens', '64', '--out', o()], at: 'progress', signal: 'SIGTERM' },
  { command: 'neurons impact', args: () => ['neurons', 'impact', ...m(), '--lape', f.lape, '--corpus', f.corpus, '--batch-tokens', '64', '--out', o()], at: 'progress', signal: 'SIGHUP' },
  { command: 'features', args: () => ['features', ...m512(), '--calibration', 'fr=mono:fr', '--calibration', 'en=mono:en', '--sequences', '8', '--length', '16', '--out', o()], at: 'progress', signal: 'SIGINT' },
  { command: 'intervene', args: () => ['intervene', ...m(), '--prompts', f.corpus, '--lape', f.lape, '--deactivate', 'own', '--max-new-tokens', '4'], at: 'progress', signal: 'SIGTERM' },
  { command: 'prune', args: () => ['prune', ...m(), '--method', 'magnitude', '--sparsity', '0.5', '--out', o()], at: 'progress', signal: 'SIGHUP' },
  // Item 14: a signal while prune writes its checkpoint, each of the three.
  ...(['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((signal): Case => ({ command: 'prune', args: () => ['prune', ...m(), '--method', 'magnitude', '--sparsity', '0.5', '--out', o()], at: 'write', signal })),
  { command: 'compare-instructions', args: () => ['compare-instructions', join(STUDIES, 'rights.prompt'), '--dataset', join(STUDIES, 'rights-fr.jsonl'), ...m512(), '--limit', '3', '--out', o()], at: 'progress', signal: 'SIGINT' },
  { command: 'bias', args: () => ['bias', join(STUDIES, 'quality.prompt'), '--dataset', join(STUDIES, 'quality.jsonl'), '--models', f.model512, '--threads', '1', '--limit', '4', '--out', o()], at: 'progress', signal: 'SIGTERM' },
  // Item 16: eval ignored Ctrl-C.
  { command: 'eval', args: () => ['eval', '--models', f.model, '--threads', '1', '--task', 'perplexity', '--corpus', f.corpus, '--resamples', '10', '--out', o()], at: 'progress', signal: 'SIGINT' },
  { command: 'sweep', args: () => ['sweep', ...m(), '--methods', 'magnitude', '--sparsities', '0.3,0.5', '--task', 'perplexity', '--corpus', f.corpus, '--resamples', '10', '--out', o()], at: 'progress', signal: 'SIGHUP' },
  { command: 'ablate', args: () => ['ablate', ...m512(), '--pairs', 'fr-en', '--calibration-sequences', '4', '--limit', '3', '--max-new-tokens', '4', '--out', o()], at: 'progress', signal: 'SIGINT' },
  { command: 'lens', args: () => ['lens', ...m(), '--prompt', 'hello world there', '--json'], at: 'progress', signal: 'SIGTERM' },
  { command: 'lens', args: () => ['lens', ...m512(), '--dataset', f.items, '--out', o()], at: 'progress', signal: 'SIGHUP' },
  { command: 'lens fit', args: () => ['lens', 'fit', ...m(), '--corpus', f.corpus, '--out', o()], at: 'progress', signal: 'SIGINT' },
  { command: 'lens languages', args: () => ['lens', 'languages', ...m(), '--corpus', f.corpus, '--out', o()], at: 'progress', signal: 'SIGTERM' },
  { command: 'lens build', args: () => ['lens', 'build', '--words', WORDS, '--task', 'translate', '--tgt', 'fr', '--src', 'en', '--out', join(f.out, 'items.jsonl')], at: 'write', signal: 'SIGHUP' },
  // The first run (#23): five jobs in a row; a signal during the first stops it before the report.
  { command: 'overview', args: () => ['overview', '--threads', '1', '--out', o()], at: 'progress', signal: 'SIGINT' },
  { command: 'merge', args: () => ['merge', ...f.shards, '--out', o()], at: 'write', signal: 'SIGTERM' },
  { command: 'import-lape', args: () => ['import-lape', ...f.counts, '--out', o()], at: 'write', signal: 'SIGHUP' },
];

/** Commands that are not long jobs, and why they need no case. */
const NOT_LONG: Record<string, string> = {
  info: 'reads config.json and the weight headers',
  neuron: 'one forward pass of one prompt',
};

test('every command of the CLI is either a cancellation case here or named as not long', () => {
  const help = cli(['--help']).stdout;
  const commands = [...help.matchAll(/^ {2}([a-z-]+)(?: ([a-z]+)(?= ))?/gm)].map((x) => (x[2] ? `${x[1]} ${x[2]}` : x[1]!));
  assert.ok(commands.length >= 19, `commands from --help: ${commands.join(', ')}`);
  const covered = new Set([...CASES.map((c) => c.command), ...Object.keys(NOT_LONG)]);
  assert.deepEqual(commands.filter((c) => !covered.has(c)), [], 'commands without a cancellation case');
});

for (const c of CASES) {
  test(`${c.command}: ${c.signal} to its process group at ${c.at === 'progress' ? 'its first progress report' : 'the start of its output write'} → stops at the next batch, "cancelled", exit 130, nothing written`, async () => {
    const r = await cliStopped(c.args(), c.at, (pid) => process.kill(-pid, c.signal), { env: { POLYGLOT_LENS_PROGRESS: 'lines' } });
    assert.ok(r.stopped, `reached the stop point: ${r.raw}`);
    assert.equal(r.code, 130, r.stderr);
    assert.equal(r.stdout, '', 'no result on stdout');
    const lines = r.raw.trimEnd().split('\n');
    const stopAt = lines.findIndex((l) => l.startsWith('polyglot-lens: stopped at '));
    const afterStop = lines.slice(stopAt + 1).filter((l) => l.startsWith('polyglot-lens: progress ') || l.startsWith('sweep: '));
    assert.ok(afterStop.length <= 1, `stopped at the next batch, but reported ${afterStop.length} more: ${afterStop.join(' | ')}`);
    const others = lines.filter((l, i) => i !== stopAt && !l.startsWith('polyglot-lens: progress ') && !l.startsWith('sweep: ') && !l.startsWith('polyglot-lens: warning: '));
    assert.deepEqual(others, ['polyglot-lens: cancelled (no output written)']);
    if (c.command === 'sweep') {
      // A sweep keeps the cells it finished (resuming reads them) and writes no results.
      assert.deepEqual(readdirSync(f.out), ['result']);
      assert.deepEqual(readdirSync(o()).sort(), ['.polyglot-lens-output.json', 'cells', 'sweep.json']);
      assert.equal(readdirSync(join(o(), 'cells')).length, 1, 'the one finished cell');
      JSON.parse(readFileSync(join(o(), 'cells', readdirSync(join(o(), 'cells'))[0]!), 'utf8'));
      rmSync(o(), { recursive: true });
    }
    assert.deepEqual(readdirSync(f.out), [], 'no output, no temp folder');
  });
}
