/**
 * The output policy's whole-tree replace check, sweep resume, and the commit-time re-check
 * (issue 21, items 1-3), through the real bin in temp folders.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertOneLineError, cli, cliStopped, ROOT } from '../helpers/cli';
import { writeTinyModel } from '../helpers/tiny-model';

const STUDIES = join(ROOT, 'examples', 'studies');
const MARKER = '.polyglot-lens-output.json';

/** Every path under `dir` with its bytes (folders as ''), to prove nothing changed. */
function snapshot(dir: string): Map<string, string> {
  const m = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        m.set(`${p}/`, '');
        walk(p);
      } else m.set(p, readFileSync(p).toString('base64'));
    }
  };
  walk(dir);
  return m;
}

function inTemp(fn: (work: string) => void | Promise<void>): () => Promise<void> {
  return async () => {
    const work = mkdtempSync(join(tmpdir(), 'pl-policy-'));
    try {
      await fn(work);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  };
}

test(
  'item 1: --overwrite refuses an earlier output with a user file in a subfolder (the issue\'s compare-instructions case), naming it',
  inTemp((work) => {
    const out = join(work, 'O');
    const args = ['compare-instructions', join(STUDIES, 'rights.prompt'), '--dataset', join(STUDIES, 'rights-fr.jsonl'), '--out', out, '--limit', '2', '--threads', '1'];
    const first = cli(args);
    assert.equal(first.code, 0, first.stderr);
    const note = join(out, 'variant-neurons', 'my-notes.md');
    writeFileSync(note, 'my notes');
    const before = snapshot(out);
    assertOneLineError(cli([...args, '--overwrite']), /O: holds files polyglot-lens did not write \(variant-neurons\/my-notes\.md\); refusing to replace it/);
    assert.deepEqual(snapshot(out), before, 'nothing replaced');
    assert.equal(readFileSync(note, 'utf8'), 'my notes');
    rmSync(note);
    // Without the note the folder is ours again and is replaced.
    const again = cli([...args, '--overwrite']);
    assert.equal(again.code, 0, again.stderr);
    assert.ok(existsSync(join(out, 'variant-neurons', 'lape.json')));
  }),
);

test(
  'item 1: the marker records every file and folder with size and hash; an empty folder, a changed file or a link anywhere below is refused',
  inTemp((work) => {
    const tiny = writeTinyModel({ seed: 21 }, join(work, 'model'));
    const corpus = join(work, 'c.jsonl');
    writeFileSync(corpus, ['en', 'fr'].flatMap((lang) => [1, 2, 3].map((i) => JSON.stringify({ lang, text: `${lang} text number ${i}` }))).join('\n') + '\n');
    const out = join(work, 'acts');
    const args = ['neurons', '--model', tiny.dir, '--corpus', corpus, '--out', out, '--threads', '1'];
    assert.equal(cli(args).code, 0);
    const marker = JSON.parse(readFileSync(join(out, MARKER), 'utf8')) as { tree: { path: string; type: string; size?: number; sha256?: string }[] };
    const lape = marker.tree.find((e) => e.path === 'lape.json');
    assert.equal(lape?.type, 'file');
    assert.equal(lape?.size, readFileSync(join(out, 'lape.json')).length);
    assert.match(lape?.sha256 ?? '', /^[0-9a-f]{64}$/);
    const overwrite = (): ReturnType<typeof cli> => cli([...args, '--overwrite']);

    mkdirSync(join(out, 'drafts'));
    assertOneLineError(overwrite(), /holds files polyglot-lens did not write \(drafts\)/);
    rmSync(join(out, 'drafts'), { recursive: true });

    // Same size, one byte changed: the hash tells.
    const csv = join(out, 'neurons.csv');
    const text = readFileSync(csv, 'utf8');
    writeFileSync(csv, text.replace(/,(\d)/, (_, d: string) => `,${(Number(d) + 1) % 10}`));
    assertOneLineError(overwrite(), /neurons\.csv changed since polyglot-lens wrote it; refusing to replace it/);
    writeFileSync(csv, `${text}my row\n`);
    assertOneLineError(overwrite(), /neurons\.csv changed since polyglot-lens wrote it/);
    writeFileSync(csv, text);

    rmSync(csv);
    symlinkSync(join(work, 'c.jsonl'), csv);
    assertOneLineError(overwrite(), /neurons\.csv is a symbolic link/);
    rmSync(csv);
    writeFileSync(csv, text);

    const r = overwrite();
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(join(work, 'c.jsonl'), 'utf8').length > 0, true);
  }),
);

test(
  'item 1: a marker from before whole-tree records cannot vouch for a subfolder: refused, naming it',
  inTemp((work) => {
    const out = join(work, 'O');
    mkdirSync(join(out, 'variant-neurons'), { recursive: true });
    writeFileSync(join(out, 'report.html'), 'old report');
    writeFileSync(join(out, 'variant-neurons', 'lape.json'), '{}');
    writeFileSync(join(out, MARKER), JSON.stringify({ tool: 'polyglot-lens compare-instructions', files: ['report.html', 'variant-neurons'] }));
    const before = snapshot(out);
    const r = cli(['compare-instructions', join(STUDIES, 'rights.prompt'), '--dataset', join(STUDIES, 'rights-fr.jsonl'), '--out', out, '--limit', '2', '--overwrite']);
    assertOneLineError(r, /O: its marker predates whole-tree records and cannot vouch for what is inside variant-neurons/);
    assert.deepEqual(snapshot(out), before);
  }),
);

test(
  'item 2: sweep resume passes the output policy: a copied sweep.json in a model folder is refused; sweep folders carry a marker',
  inTemp((work) => {
    const tiny = writeTinyModel({ seed: 22 }, join(work, 'model'));
    const other = writeTinyModel({ seed: 23 }, join(work, 'other-model'));
    const corpus = join(work, 'c.jsonl');
    writeFileSync(corpus, ['{"lang":"en","text":"hello there"}', '{"lang":"fr","text":"bonjour à tous"}'].join('\n') + '\n');
    const sweep = (model: string, out: string): ReturnType<typeof cli> =>
      cli(['sweep', '--model', model, '--methods', 'magnitude', '--sparsities', '0.5', '--task', 'perplexity', '--corpus', corpus, '--resamples', '10', '--threads', '1', '--out', out]);
    const out = join(work, 'sweep');
    const first = sweep(tiny.dir, out);
    assert.equal(first.code, 0, first.stderr);
    const marker = JSON.parse(readFileSync(join(out, MARKER), 'utf8')) as { tool: string; resumable: boolean };
    assert.deepEqual([marker.tool, marker.resumable], ['polyglot-lens sweep', true]);
    // The sweep folder's sweep.json and marker copied into a model folder: resuming "there" is refused.
    for (const model of [tiny.dir, other.dir]) {
      cpSync(join(out, 'sweep.json'), join(model, 'sweep.json'));
      cpSync(join(out, MARKER), join(model, MARKER));
      const before = snapshot(model);
      assertOneLineError(sweep(tiny.dir, model), /is a model folder|is the source model's folder/);
      assert.deepEqual(snapshot(model), before, 'nothing written into the model folder');
    }
    // A sweep.json without our marker (copied, or hand-made) is not resumed.
    const bare = join(work, 'bare');
    mkdirSync(bare);
    cpSync(join(out, 'sweep.json'), join(bare, 'sweep.json'));
    assertOneLineError(sweep(tiny.dir, bare), /bare: is not a resumable output folder of polyglot-lens \(no \.polyglot-lens-output\.json\)/);
    assert.deepEqual(readdirSync(bare), ['sweep.json']);
    // A sweep folder inside an input (the corpus's folder is not one, but a folder holding the corpus is).
    assertOneLineError(sweep(tiny.dir, work), /contains .*(model|c\.jsonl)/);
    // The real sweep folder resumes.
    const again = sweep(tiny.dir, out);
    assert.equal(again.code, 0, again.stderr);
    assert.equal((JSON.parse(again.stdout) as { reused: number }).reused, 2);
  }),
);

test(
  'item 3: a parent of --out replaced by a symlink to a model folder while the job runs: nothing is written there (stopped at the first progress report)',
  inTemp(async (work) => {
    const tiny = writeTinyModel({ seed: 24 }, join(work, 'model'));
    const prompt = join(work, 'a.prompt');
    writeFileSync(prompt, '---\nmodel: ./model\n---\nHello world, hello world, hello world\n');
    const parent = join(work, 'reports');
    mkdirSync(parent);
    const out = join(parent, 'r');
    const before = snapshot(tiny.dir);
    // At planning already: a parent that is a link to a model folder (another model than the prompt's).
    const other = writeTinyModel({ seed: 26 }, join(work, 'other-model')).dir;
    symlinkSync(other, join(work, 'linked'));
    assertOneLineError(cli(['analyze', prompt, '--out', join(work, 'linked', 'r'), '--threads', '1']), /linked\/r: is inside .*other-model, which is a model folder/);
    const r = await cliStopped(['analyze', prompt, '--out', out, '--threads', '1'], 'progress', () => {
      renameSync(parent, join(work, 'reports.orig'));
      symlinkSync(tiny.dir, parent);
    });
    assertOneLineError(r, /reports\/r: now resolves to .*model\/r, not .*reports\/r as when the command started/);
    assert.deepEqual(snapshot(tiny.dir), before, 'the model folder is unchanged');
    assert.deepEqual(readdirSync(join(work, 'reports.orig')), [], 'no output and no temp folder in the original parent');
  }),
);

test(
  'item 3: the same swap after the output is complete, just before the rename: refused at commit, temp removed',
  inTemp(async (work) => {
    const tiny = writeTinyModel({ seed: 25 }, join(work, 'model'));
    const prompt = join(work, 'a.prompt');
    writeFileSync(prompt, '---\nmodel: ./model\n---\nHello world\n');
    const parent = join(work, 'reports');
    mkdirSync(parent);
    const out = join(parent, 'r');
    const elsewhere = join(work, 'elsewhere');
    mkdirSync(elsewhere);
    const before = snapshot(tiny.dir);
    // The parent is emptied and re-pointed at the model folder (a copy of the temp would otherwise move with it).
    const r = await cliStopped(['analyze', prompt, '--out', out, '--threads', '1'], 'commit', () => {
      for (const f of readdirSync(parent)) renameSync(join(parent, f), join(elsewhere, f));
      rmSync(parent, { recursive: true });
      symlinkSync(tiny.dir, parent);
    });
    assertOneLineError(r, /reports\/r: now resolves to .*model\/r/);
    assert.deepEqual(snapshot(tiny.dir), before, 'the model folder is unchanged');
    assert.deepEqual(readdirSync(elsewhere).filter((f) => !f.includes('polyglot-lens-tmp')), [], 'no output anywhere');
  }),
);
