/**
 * `overview`, the README's first command: one report telling the three studies on the default
 * model, each section led by what it shows, the command that runs it at full size on the user's
 * model (its options are ones the command accepts) and the editor action (a contributed command).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { GLOBAL_OPTIONS } from '../../src/cli/args';
import { COMMANDS } from '../../src/cli/main';
import { FULL_SIZE } from '../../src/cli/commands/overview';
import { cli, ROOT } from '../helpers/cli';

const titles = (): string[] => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: { commands: { title: string; category?: string }[] } };
  const nls = JSON.parse(readFileSync(join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
  return pkg.contributes.commands.map((c) => `Polyglot Lens: ${c.title.startsWith('%') ? nls[c.title.slice(1, -1)] : c.title}`);
};

test('each section\'s full-size command uses only options its command accepts; each editor action is a contributed command', () => {
  const actions = titles();
  for (const [section, { command, editor }] of Object.entries(FULL_SIZE)) {
    const [bin, name, ...rest] = command.split(' ');
    assert.equal(bin, './bin/polyglot-lens', section);
    const cmd = COMMANDS.find((c) => c.name === name);
    assert.ok(cmd, `${section}: no command ${name}`);
    for (const o of rest.filter((w) => w.startsWith('--')).map((w) => w.slice(2))) assert.ok(o in cmd.options || o in GLOBAL_OPTIONS, `${section}: ${name} has no --${o}`);
    assert.ok(actions.some((t) => editor.startsWith(t)), `${section}: "${editor}" starts with no contributed command title`);
  }
});

test('overview on the default model: language neurons, the quadrant scatter, dense vs θ_{En-Fr} vs θ_Rand with p-values, the instruction table and a bias histogram', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'pl-overview-')), 'report');
  const r = cli(['overview', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const printed = JSON.parse(r.stdout) as { seconds: Record<string, { wall: number; cpu: number }> };
  assert.deepEqual(Object.keys(printed.seconds), ['languageNeurons', 'translationFeatures', 'pruning', 'instructionLanguage', 'numericBias', 'total']);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { sections: { kind: string; title: string; data: Record<string, unknown> }[] };
  const kinds = report.sections.map((s) => s.kind);
  for (const k of ['languageNeurons', 'features', 'results', 'scoreHistograms']) assert.ok(kinds.includes(k), k);
  const leads = report.sections.filter((s) => s.kind === 'text');
  assert.equal(leads.length, 5);
  for (const l of leads) assert.ok(typeof l.data.command === 'string' && typeof l.data.editor === 'string' && String(l.data.text).length > 40, l.title);
  // Pruning: the finding shows — translation-calibrated Wanda keeps chrF and accuracy, random pruning collapses both, significantly.
  const rows = report.sections.find((s) => s.kind === 'results')!.data.rows as { model: string; task: string; metric: string; value: number }[];
  const v = (model: string, task: string, metric: string): number => rows.find((x) => x.model === model && x.task === task && x.metric === metric)!.value;
  assert.ok(v('default', 'translate', 'chrf') > 90);
  assert.ok(v('default@wanda:mt:en-fr:0.5', 'translate', 'chrf') > 80);
  assert.ok(v('default@random:0.5', 'translate', 'chrf') < 30);
  assert.ok(v('default@random:0.5', 'translate', 'p_worse') < 0.05, 'θ_Rand is ‡ (significantly worse)');
  assert.ok(v('default@wanda:mt:en-fr:0.5', 'translate', 'p_worse') >= 0.05, 'θ_{En-Fr} is not');
  assert.equal(v('default', 'classify', 'accuracy'), 1);
  assert.ok(v('default@random:0.5', 'classify', 'p_worse') < 0.05);
  // The instruction table: crossing instruction and label languages fails, marked against English.
  const acc = report.sections.find((s) => s.kind === 'table' && s.title.startsWith('Accuracy by instruction language'))!;
  assert.ok((acc.data.rows as string[][]).some((row) => row[2] === 'target' && /‡/.test(row[3]!)));
  const hist = report.sections.find((s) => s.kind === 'scoreHistograms')!;
  assert.deepEqual((hist.data.series as { model: string }[]).map((s) => s.model), ['default', 'gold']);
  assert.ok(readFileSync(join(out, 'report.html'), 'utf8').includes('"kind":"scoreHistograms"'));
});
