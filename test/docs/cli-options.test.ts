/**
 * docs/cli.md is a contract: every command line its table documents must be accepted as written.
 * Each `--option` a row names is checked against the command's own option table (the parser
 * refuses anything else), and `--mode oneshot` on neurons/features runs to its partial folder.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { GLOBAL_OPTIONS } from '../../src/cli/args';
import { COMMANDS } from '../../src/cli/main';
import type { Command } from '../../src/cli/commands/types';
import { cli, ROOT } from '../helpers/cli';

const all: Command[] = COMMANDS.flatMap((c) => [c, ...(c.subcommands ?? []).map((s) => ({ ...s, name: `${c.name} ${s.name}` }))]);

/** The first cell of each row of the command table (the first table, `| command | output |`): `cmd1\|cmd2 --opt … ` in backticks. */
function documentedLines(): { line: string; commands: string[]; options: string[] }[] {
  const md = readFileSync(join(ROOT, 'docs', 'cli.md'), 'utf8').split('\n');
  const start = md.indexOf('| command | output |');
  const end = md.findIndex((l, i) => i > start && !l.startsWith('|'));
  const rows = md.slice(start + 2, end).filter((l) => /^\| `[a-z]/.test(l));
  return rows.map((row) => {
    const cell = /^\| `([^`]+)`/.exec(row)![1]!.replace(/\\\|/g, '|');
    const head = cell.split(' ')[0]!;
    const second = cell.split(' ')[1];
    const names = head.split('|').map((n) => (second && !second.startsWith('-') && all.some((c) => c.name === `${n} ${second}`) ? `${n} ${second}` : n));
    return { line: cell, commands: names, options: [...cell.matchAll(/--([a-z][a-z0-9-]*)/g)].map((m) => m[1]!) };
  });
}

test('every option a docs/cli.md command line names is one its command accepts', () => {
  const lines = documentedLines();
  assert.ok(lines.length >= 20, `${lines.length} documented command lines`);
  const problems: string[] = [];
  for (const { line, commands, options } of lines) {
    for (const name of commands) {
      const cmd = all.find((c) => c.name === name);
      if (!cmd) { problems.push(`${line}: no command ${name}`); continue; }
      for (const o of options) if (!(o in cmd.options) && !(o in GLOBAL_OPTIONS)) problems.push(`${line}: ${name} has no --${o}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('neurons and features accept --mode oneshot (their only mode) and refuse sequential with why', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-oneshot-'));
  const r = cli(['neurons', '--corpus', 'udhr:fr,en', '--max-tokens-per-lang', '64', '--mode', 'oneshot', '--shard', '0/2', '--out', join(dir, 'n0'), '--threads', '1']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(existsSync(join(dir, 'n0', 'partial.json')));
  const f = cli(['features', '--calibration', 'fr-en=mt:fr-en', '--calibration', 'fr=mono:fr', '--sequences', '2', '--length', '64', '--mode', 'oneshot', '--out', join(dir, 'f'), '--threads', '1']);
  assert.equal(f.code, 0, f.stderr);
  const bad = cli(['features', '--calibration', 'fr-en=mt:fr-en', '--mode', 'sequential', '--out', join(dir, 'f2')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--mode: features has one mode, oneshot .*sequential applies to prune only/);
  assert.ok(!existsSync(join(dir, 'f2')));
});

/** The output cell of the command table's row for `name`. */
function outputCell(name: string): string {
  const md = readFileSync(join(ROOT, 'docs', 'cli.md'), 'utf8').split('\n');
  const row = md.find((l) => l.startsWith(`| \`${name} `));
  assert.ok(row, `docs/cli.md has a row for ${name}`);
  return row.split(/(?<!\\)\|/)[2]!;
}

test('info --json: every key it prints, and every runtime key, is documented', () => {
  const r = cli(['info', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const info = JSON.parse(r.stdout) as Record<string, unknown> & { runtime: Record<string, unknown> };
  const doc = outputCell('info');
  for (const k of Object.keys(info)) assert.ok(doc.includes(`"${k}"`), `info's "${k}" is not in docs/cli.md`);
  for (const k of Object.keys(info.runtime)) assert.ok(doc.includes(`"${k}"`), `info's runtime."${k}" is not in docs/cli.md`);
});

test('every command that writes report.html documents its report.json', () => {
  for (const name of ['analyze', 'compare-instructions', 'bias']) assert.match(outputCell(name), /report\.json/, name);
  const md = readFileSync(join(ROOT, 'docs', 'cli.md'), 'utf8');
  assert.match(md, /`report\.json` \(beside every `report\.html`[\s\S]{0,200}\{"version": 1, "sections": \[\{"kind", "title", "data"\}/, 'the report.json format is described once');
});
