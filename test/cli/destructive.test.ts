/**
 * Destructive paths (issue 16, probes 1, 3 and 4), through the real bin in temp folders: no
 * command deletes or overwrites anything but an earlier output of its own, never writes into the
 * model folder, and checks --out before loading the model.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, ROOT, type CliResult } from '../helpers/cli';
import { writeTinyModel } from '../helpers/tiny-model';

const STUDIES = join(ROOT, 'examples', 'studies');

interface World {
  work: string;
  model: string;
  prompt: string;
  corpus: string;
}

/** A temp folder holding a tiny model, a prompt next to it, a corpus, and a user file. */
function world(): World {
  const work = mkdtempSync(join(tmpdir(), 'pl-destructive-'));
  const model = join(work, 'model');
  writeTinyModel({ seed: 16 }, model);
  const prompt = join(work, 'a.prompt');
  writeFileSync(prompt, '---\nmodel: ./model\n---\nHello world\n');
  const corpus = join(work, 'corpus.jsonl');
  writeFileSync(corpus, ['en', 'fr'].flatMap((lang) => [1, 2, 3].map((i) => JSON.stringify({ lang, text: `${lang} text number ${i}` }))).join('\n') + '\n');
  writeFileSync(join(work, 'notes.txt'), 'my notes');
  return { work, model, prompt, corpus };
}

/** Every file under `dir` with its bytes, to prove nothing changed. */
function snapshot(dir: string): Map<string, string> {
  const m = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else m.set(p, readFileSync(p).toString('base64'));
    }
  };
  walk(dir);
  return m;
}

function refused(r: CliResult, re: RegExp): void {
  assert.equal(r.code, 1, `exit 1: ${r.stderr}`);
  assert.equal(r.stdout, '');
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line: ${r.stderr}`);
  assert.match(lines[0]!, /^polyglot-lens: /);
  assert.match(lines[0]!, re);
}

function withWorld(fn: (w: World) => void): () => void {
  return () => {
    const w = world();
    try {
      fn(w);
    } finally {
      rmSync(w.work, { recursive: true, force: true });
    }
  };
}

test(
  'analyze --overwrite never deletes the model folder, the prompt folder, ., / or home',
  withWorld((w) => {
    const before = snapshot(w.work);
    const analyze = (out: string, cwd?: string): CliResult => cli(['analyze', w.prompt, '--out', out, '--overwrite', '--threads', '1'], { cwd });
    refused(analyze(w.model), /is the source model's folder or inside it/);
    refused(analyze(join(w.model, 'sub')), /is the source model's folder or inside it/);
    refused(analyze(w.work), /contains the source model/);
    refused(analyze('.', w.work), /contains the source model/);
    refused(analyze(w.prompt), /is an input of this command/);
    refused(analyze('/'), /refusing to write to the root folder/);
    assert.deepEqual(snapshot(w.work), before, 'nothing changed');
  }),
);

test(
  'analyze --overwrite refuses the home folder and a folder without our marker',
  withWorld((w) => {
    // The prompt with its model elsewhere, so only the home and marker rules can refuse.
    const home = join(w.work, 'home');
    mkdirSync(home);
    writeFileSync(join(home, 'thesis.tex'), 'years of work');
    const r = cli(['analyze', w.prompt, '--out', home, '--overwrite'], { env: { HOME: home } });
    refused(r, /refusing to write to the home folder/);
    const mine = join(w.work, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'report.html'), 'a user file that happens to share the name');
    refused(cli(['analyze', w.prompt, '--out', mine, '--overwrite']), /is not an output folder of polyglot-lens/);
    assert.equal(readFileSync(join(home, 'thesis.tex'), 'utf8'), 'years of work');
    assert.equal(readFileSync(join(mine, 'report.html'), 'utf8'), 'a user file that happens to share the name');
  }),
);

test(
  'analyze --overwrite replaces only an earlier report of ours, and not once a user file joined it',
  withWorld((w) => {
    const out = join(w.work, 'report');
    const first = cli(['analyze', w.prompt, '--out', out, '--threads', '1']);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(readdirSync(out).sort(), ['.polyglot-lens-output.json', 'report.html', 'report.json']);
    refused(cli(['analyze', w.prompt, '--out', out]), /output folder already exists/);
    const again = cli(['analyze', w.prompt, '--out', out, '--overwrite', '--threads', '1']);
    assert.equal(again.code, 0, again.stderr);
    writeFileSync(join(out, 'my-notes.md'), 'notes');
    refused(cli(['analyze', w.prompt, '--out', out, '--overwrite']), /holds files polyglot-lens did not write \(my-notes\.md\)/);
    assert.equal(readFileSync(join(out, 'my-notes.md'), 'utf8'), 'notes');
    assert.deepEqual(
      readdirSync(w.work).filter((f) => f.includes('tmp')),
      [],
      'no temp folder left',
    );
  }),
);

test(
  'capture never overwrites model.safetensors, an existing file, or a file that is not a capture',
  withWorld((w) => {
    const before = snapshot(w.model);
    const capture = (out: string, ...extra: string[]): CliResult => cli(['capture', '--model', w.model, '--ids', '1,5,9', '--hooks', 'logits', '--out', out, '--threads', '1', ...extra]);
    refused(capture(join(w.model, 'model.safetensors')), /is the source model's folder or inside it/);
    refused(capture(join(w.model, 'model.safetensors'), '--overwrite'), /is the source model's folder or inside it/);
    refused(capture(join(w.model, 'new.safetensors')), /is the source model's folder or inside it/);
    refused(capture(join(w.work, 'notes.txt')), /output file already exists/);
    refused(capture(join(w.work, 'notes.txt'), '--overwrite'), /was not written by polyglot-lens/);
    assert.equal(readFileSync(join(w.work, 'notes.txt'), 'utf8'), 'my notes');
    assert.deepEqual(snapshot(w.model), before);
    const out = join(w.work, 'acts.safetensors');
    assert.equal(capture(out).code, 0);
    refused(capture(out), /output file already exists/);
    const r = capture(out, '--overwrite');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(w.work).sort(), ['a.prompt', 'acts.safetensors', 'corpus.jsonl', 'model', 'notes.txt']);
  }),
);

test(
  'neurons, features, prune, bias and compare-instructions never write into the model folder',
  withWorld((w) => {
    const before = snapshot(w.model);
    const inModel = join(w.model, 'out');
    refused(cli(['neurons', '--model', w.model, '--corpus', w.corpus, '--out', inModel]), /is the source model's folder or inside it/);
    refused(cli(['features', '--model', w.model, '--calibration', `c=${w.corpus}`, '--out', inModel]), /is the source model's folder or inside it/);
    refused(cli(['prune', '--model', w.model, '--method', 'magnitude', '--sparsity', '0.5', '--out', inModel]), /is the source model's folder or inside it/);
    refused(cli(['neurons', '--model', w.model, '--corpus', w.corpus, '--out', w.corpus, '--overwrite']), /is an input of this command/);
    refused(cli(['bias', join(STUDIES, 'quality.prompt'), '--dataset', join(STUDIES, 'quality.jsonl'), '--models', w.model, '--out', inModel]), /is the source model's folder or inside it/);
    refused(cli(['compare-instructions', join(STUDIES, 'rights.prompt'), '--dataset', join(STUDIES, 'rights-fr.jsonl'), '--model', w.model, '--out', inModel]), /is the source model's folder or inside it/);
    assert.deepEqual(snapshot(w.model), before);
  }),
);

test(
  '--out is checked before the model loads (broken weights are not even read)',
  withWorld((w) => {
    truncateSync(join(w.model, 'model.safetensors'), 100);
    const taken = join(w.work, 'notes.txt');
    const cases: string[][] = [
      ['analyze', w.prompt, '--out', taken],
      ['capture', '--model', w.model, '--ids', '1', '--hooks', 'logits', '--out', taken],
      ['neurons', '--model', w.model, '--corpus', w.corpus, '--out', taken],
      ['features', '--model', w.model, '--calibration', `c=${w.corpus}`, '--out', taken],
      ['prune', '--model', w.model, '--method', 'magnitude', '--sparsity', '0.5', '--out', taken],
      ['bias', join(STUDIES, 'quality.prompt'), '--dataset', join(STUDIES, 'quality.jsonl'), '--models', w.model, '--out', taken],
      ['compare-instructions', join(STUDIES, 'rights.prompt'), '--dataset', join(STUDIES, 'rights-fr.jsonl'), '--model', w.model, '--out', taken],
    ];
    for (const args of cases) refused(cli(args), /notes\.txt: output (file|folder) already exists/);
  }),
);
