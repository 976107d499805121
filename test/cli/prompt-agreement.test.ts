/**
 * The CLI and the prompt files agree (issue #9): what a .prompt accepts, `prune` accepts; a user's
 * own parallel data and mixed sources calibrate; shortfalls, empty deactivations, single-language
 * LAPE and Ctrl-C are reported; `analyze` shows what the file asks for, dense beside the variant.
 * Runs the built bin/polyglot-lens on the shipped default model.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, cli, cliStopped } from '../helpers/cli';
import { parsePrompt } from '../../src/shared/prompt';
import { nodePromptHost } from '../../src/engine/io/nodePromptHost';

const SMALL = ['--calibration-sequences', '4', '--calibration-length', '48', '--threads', '1'];

test('examples/prune-de.prompt: calibration udhr:de is accepted by the prompt checker and by prune', () => {
  const file = join(ROOT, 'examples', 'prune-de.prompt');
  const { doc } = parsePrompt(readFileSync(file, 'utf8'), { fileName: file, host: nodePromptHost(file) });
  assert.deepEqual(doc.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.equal(doc.metadata.polyglot.pruning?.calibration, 'udhr:de');
  const out = join(mkdtempSync(join(tmpdir(), 'pl-agree-')), 'p');
  const r = cli(['prune', '--method', 'wanda', '--sparsity', '0.5', '--calibration', 'udhr:de', ...SMALL, '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).calibration.calibration.source, 'udhr:de');
  // and what neither accepts, both reject
  const bad = parsePrompt('---\npolyglot.pruning: {enabled: true, method: wanda, calibration: "mt:fr"}\n---\nx', { fileName: 'x.prompt' }).doc.diagnostics;
  assert.match(bad.map((d) => d.message).join('\n'), /expected mt:SRC-TGT/);
  assert.match(cli(['prune', '--method', 'wanda', '--sparsity', '0.5', '--calibration', 'mt:fr', '--out', `${out}2`]).stderr, /^polyglot-lens: mt:fr: expected mt:SRC-TGT/);
});

test('prune: your own parallel data (--corpus my.tsv), two directions mixed, and a warning when it is short', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-agree-'));
  const tsv = join(dir, 'my.tsv');
  const en = ['The house is red.', 'I like tea.', 'We walk home.', 'The dog sleeps.', 'It is cold today.'];
  const de = ['Das Haus ist rot.', 'Ich mag Tee.', 'Wir gehen nach Hause.', 'Der Hund schläft.', 'Heute ist es kalt.'];
  writeFileSync(tsv, en.map((e, i) => `en\t${e}\nde\t${de[i]}`).join('\n') + '\n');
  const out = join(dir, 'p');
  const r = cli(['prune', '--method', 'wanda', '--sparsity', '0.5', '--calibration', 'mt:en-de', '--calibration', 'mt:de-en', '--corpus', tsv, '--calibration-sequences', '20', '--calibration-length', '64', '--threads', '1', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.calibration.calibration.source, 'mt:en-de+mt:de-en');
  assert.equal(s.calibration.calibration.sequences, 20); // 10 per direction
  // 5 pairs for 10 sequences of 4 shots each, in each direction: said once per direction
  const warnings = r.stderr.split('\n').filter((l) => l.startsWith('polyglot-lens: warning:'));
  assert.deepEqual(warnings, [
    'polyglot-lens: warning: mt:en-de: only 5 English–German pairs available for the 10 sequences asked; sequences reuse them',
    'polyglot-lens: warning: mt:de-en: only 5 German–English pairs available for the 10 sequences asked; sequences reuse them',
  ]);
  assert.match(cli(['prune', '--method', 'magnitude', '--sparsity', '0.5', '--corpus', tsv, '--out', `${out}2`]).stderr, /--corpus: feeds mono:\/mt: calibration sources/);
  assert.match(cli(['prune', '--method', 'wanda', '--sparsity', '0.5', '--scope', 'row', '--calibration', 'mono:de', '--out', `${out}3`]).stderr, /--scope: applies to --method magnitude only/);
});

test('neurons on one language is an error; intervene with 0 neurons for a language warns', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-agree-'));
  const one = cli(['neurons', '--corpus', 'udhr:de', '--out', join(dir, 'n'), '--threads', '1']);
  assert.equal(one.code, 1);
  assert.equal(one.stderr, 'polyglot-lens: udhr:de: LAPE compares languages and needs at least 2; got only de\n');
  assert.ok(!existsSync(join(dir, 'n')));
  const lape = join(dir, 'lape.json');
  writeFileSync(lape, JSON.stringify({ languages: ['en', 'fr'], neurons: { en: [[], [], [], [], [], []], fr: [[3], [], [], [], [], []] } }));
  const r = cli(['intervene', '--prompt', 'Hello', '--lape', lape, '--deactivate', 'en', '--max-new-tokens', '2', '--threads', '1']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^polyglot-lens: warning: --deactivate en: .*lape\.json selects 0 neurons for en, so nothing of en is deactivated/);
  assert.match(r.stdout, /deactivated 0 neurons/);
  assert.equal(cli(['intervene', '--prompt', 'Hello', '--lape', lape, '--deactivate', 'fr', '--max-new-tokens', '2', '--threads', '1']).stderr, '');
});

test('Ctrl-C stops a running job, says "cancelled", exits 130 and writes nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-agree-'));
  const out = join(dir, 'n');
  // Ctrl-C reaches the process group while the job is running: at its first progress report, where
  // it stopped itself (a 2.5 s timer could land before the handler was installed, or after the end).
  const r = await cliStopped(['neurons', '--corpus', 'udhr:en,fr,de,es,ja,zh,ar,ru', '--out', out, '--threads', '1', '--batch-tokens', '64'], 'progress', (pid) => process.kill(-pid, 'SIGINT'));
  assert.ok(r.stopped, r.raw);
  assert.equal(r.code, 130, r.stderr);
  assert.match(r.stderr, /polyglot-lens: cancelled/);
  assert.deepEqual(readdirSync(dir), [], 'nothing written, no temp folder left');
});

test('analyze FILE.prompt: pruning and deactivation run beside dense, each section naming its variant', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-agree-'));
  const prompt = join(dir, 'p.prompt');
  writeFileSync(prompt, [
    '---', 'config:', '  maxOutputTokens: 3', 'polyglot.pruning:', '  enabled: true', '  method: magnitude', '  sparsity: 0.5',
    'polyglot.deactivate: [L1.N5, L2.N7]', '---', 'Alle Menschen sind frei', '',
  ].join('\n'));
  const r = cli(['analyze', prompt, '--out', join(dir, 'r'), '--threads', '1']);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.deepEqual(s.runs, ['dense', 'pruned: magnitude-s0.5-sequential-seed0', 'magnitude-s0.5-sequential-seed0 + deactivated L1.N5, L2.N7']);
  const report = JSON.parse(readFileSync(join(dir, 'r', 'report.json'), 'utf8'));
  const titles = (report.sections as { title: string }[]).map((x) => x.title);
  const runs = ['dense', 'pruned: magnitude-s0.5-sequential-seed0', 'magnitude-s0.5-sequential-seed0 + deactivated L1.N5, L2.N7'];
  // Each run's activations, then its latent-language lens read from the same forward.
  assert.deepEqual(titles, runs.flatMap((r) => [`Activations — ${r}`, `Latent language — ${r}`]));
  // the pruned run really is another model: its continuation or its activations differ from dense, and so does its lens
  const sections = report.sections as { kind: string; data: { topValue: unknown; generated: { text: string } } }[];
  const [dense, pruned] = sections.filter((x) => x.kind === 'activations');
  assert.notDeepEqual(JSON.stringify(pruned!.data), JSON.stringify(dense!.data));
  const [denseLens, prunedLens] = sections.filter((x) => x.kind === 'latentLanguage');
  assert.notDeepEqual(JSON.stringify(prunedLens!.data), JSON.stringify(denseLens!.data));
  // pruning disabled: dense only, as before
  writeFileSync(prompt, readFileSync(prompt, 'utf8').replace('enabled: true', 'enabled: false').replace('polyglot.deactivate: [L1.N5, L2.N7]\n', ''));
  const d = cli(['analyze', prompt, '--out', join(dir, 'r2'), '--threads', '1']);
  assert.deepEqual(JSON.parse(d.stdout).runs, ['dense']);
});
