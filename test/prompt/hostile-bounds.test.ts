/**
 * Hostile .prompt files of the second probe (issue 21, items 7, 9, 11 and 13): the frontmatter
 * parse is linear, rendering stops at the prompt-size cap, Handlebars' internals and partials
 * that include themselves are one-line errors naming the file, and a partial that is a link to a
 * file outside the prompt's folder is refused like `{{> ../secret}}`. CLI cases run the real bin.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodePromptHost } from '../../src/engine/io/nodePromptHost';
import { parsePrompt, PromptRenderError, renderPrompt } from '../../src/shared/prompt';
import { MAX_FRONTMATTER_ITEMS } from '../../src/shared/prompt/yamlFields';
import { inTempDir } from '../helpers/temp';
import { assertOneLineError, cli, ROOT } from '../helpers/cli';

const withWork = (fn: (work: string) => void): (() => void) => inTempDir('pl-prompt-', fn);

const T = { timeoutMs: 60_000 };

/**
 * parsePrompt in a child process with a ceiling far below the quadratic time and far above the
 * linear one (no timing assertion: the ceiling only stops a run that would take minutes).
 */
function parseInChild(source: string, ceilingMs: number): { status: number | null; out: string } {
  const work = mkdtempSync(join(tmpdir(), 'pl-fm-'));
  try {
    writeFileSync(join(work, 'src.txt'), source);
    const script = `const { parsePrompt } = require(${JSON.stringify(join(ROOT, 'src', 'shared', 'prompt'))});
const src = require('node:fs').readFileSync(${JSON.stringify(join(work, 'src.txt'))}, 'utf8');
const d = parsePrompt(src).doc.diagnostics.filter((x) => x.severity === 'error');
process.stdout.write(JSON.stringify(d.map((x) => [x.code, x.start, x.message])));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: ceilingMs });
    return { status: r.status, out: r.stdout };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

test('frontmatter: 140k keys (4 MB) answer at once with one diagnostic; a duplicate among 90k keys is found by a linear check', () => {
  // 140k keys took more than 120 s with the yaml package's quadratic uniqueKeys check.
  const keys = (n: number, pad: string): string => Array.from({ length: n }, (_, i) => `key_${i}_${pad}: ${i}`).join('\n');
  const huge = `---\n${keys(140_000, 'x'.repeat(11))}\n---\nHi\n`;
  assert.ok(huge.length > 3.8e6 && huge.length < 4 * 1024 * 1024, String(huge.length));
  const a = parseInChild(huge, 60_000);
  assert.equal(a.status, 0, 'parsed within the ceiling');
  assert.deepEqual(JSON.parse(a.out), [['frontmatter-too-large', 4, `frontmatter has 140000 lines and list items; more than ${MAX_FRONTMATTER_ITEMS} are not parsed (put long data in a file the prompt names)`]]);
  // Under the item bound the parser runs; the repeated key at the end is found (quadratically:
  // 90k² / 2 key comparisons, minutes; linearly: one Set lookup per key).
  const dup = `---\n${keys(90_000, '')}\nkey_7_: again\n---\nHi\n`;
  const b = parseInChild(dup, 60_000);
  assert.equal(b.status, 0, 'parsed within the ceiling');
  assert.deepEqual(JSON.parse(b.out), [['yaml', dup.indexOf('key_7_: again'), 'YAML: Map keys must be unique']]);
});

test('frontmatter: duplicate keys are still found in nested and flow maps, and equal only when the values are ===', () => {
  const errs = (src: string): string[] => parsePrompt(src).doc.diagnostics.filter((d) => d.severity === 'error').map((d) => `${src.slice(d.start, d.end)}: ${d.message}`);
  assert.deepEqual(errs('---\ninput:\n  default: {a: 1, b: 2, a: 3}\n---\nx'), ['a: YAML: Map keys must be unique']);
  assert.deepEqual(errs('---\npolyglot:\n  topK: 3\n  topK: 4\n---\nx'), ['topK: YAML: Map keys must be unique']);
  assert.deepEqual(errs('---\ninput:\n  default: {1: a, "1": b}\n---\nx'), []);
});

test('rendering counts its output: three nested #each over 200 items in a 1 KB prompt stop at the cap with one line', () => {
  const items = Array.from({ length: 200 }, (_, i) => i).join(', ');
  const src = `---\ninput:\n  default:\n    xs: [${items}]\n---\n{{#each xs}}{{#each ../xs}}{{#each ../../xs}}word {{/each}}{{/each}}{{/each}}`;
  assert.ok(src.length < 1100);
  const { doc, partials } = parsePrompt(src);
  assert.throws(() => renderPrompt(doc, partials), (e: unknown) => e instanceof PromptRenderError && /^the rendered prompt passes 4194304 characters/.test(e.message));
  // The same loops under the cap render exactly (the count is of visible characters, not of internal markers).
  const ok = parsePrompt(`---\ninput:\n  default:\n    xs: [1, 2, 3]\n---\n{{#each xs}}{{#each ../xs}}{{this}}{{/each}};{{/each}}`);
  assert.equal(renderPrompt(ok.doc, ok.partials).text, '123;123;123;');
  const cap = parsePrompt(`---\ninput:\n  default:\n    xs: [1, 2, 3]\n---\n{{#each xs}}ab{{/each}}`);
  assert.equal(renderPrompt(cap.doc, cap.partials, {}, 6).text, 'ababab');
  assert.throws(() => renderPrompt(cap.doc, cap.partials, {}, 5), /passes 5 characters/);
});

test('rendering counts partials and variables too: a doubling chain of partials and a long variable repeated stop at the cap', withWork((work) => {
  // _p0 includes _p1 twice, _p1 includes _p2 twice, …: 2^30 copies of one word without any loop.
  for (let i = 0; i < 30; i++) writeFileSync(join(work, `_p${i}.prompt`), `{{> p${i + 1}}}{{> p${i + 1}}}`);
  writeFileSync(join(work, '_p30.prompt'), 'word ');
  const prompt = join(work, 'chain.prompt');
  const chain = parsePrompt('{{> p0}}', { host: nodePromptHost(prompt) });
  assert.deepEqual(chain.doc.diagnostics, []);
  assert.throws(() => renderPrompt(chain.doc, chain.partials), /^Error: the rendered prompt passes 4194304 characters|the rendered prompt passes 4194304 characters/);
  const big = 'x'.repeat(100_000);
  const vars = parsePrompt(`${'{{v}}'.repeat(50)}`);
  assert.throws(() => renderPrompt(vars.doc, vars.partials, { v: big }), /passes 4194304 characters/);
  assert.equal(renderPrompt(vars.doc, vars.partials, { v: 'ab' }).text, 'ab'.repeat(50));
}));

test('analyze: the nested-#each prompt, {{#blockHelperMissing}} and a partial including itself are one line naming the file', withWork((work) => {
  const items = Array.from({ length: 200 }, (_, i) => i).join(', ');
  const write = (name: string, text: string): string => {
    writeFileSync(join(work, name), text);
    return join(work, name);
  };
  const loops = write('loops.prompt', `---\ninput:\n  default:\n    xs: [${items}]\n---\n{{#each xs}}{{#each ../xs}}{{#each ../../xs}}word {{/each}}{{/each}}{{/each}}\n`);
  assertOneLineError(cli(['analyze', loops, '--out', join(work, 'o1')], T), /loops\.prompt: the rendered prompt passes 4194304 characters/);
  const hook = write('hook.prompt', '{{#blockHelperMissing}}x{{/blockHelperMissing}}\n');
  assertOneLineError(cli(['analyze', hook, '--out', join(work, 'o2')], T), /hook\.prompt: 1 problem\(s\); first: hook\.prompt:1:1: error: "blockHelperMissing" is Handlebars' internal hook for missing helpers, not a helper a template can call$/);
  const missing = write('missing.prompt', 'a {{helperMissing}} b\n');
  assertOneLineError(cli(['analyze', missing, '--out', join(work, 'o3')], T), /missing\.prompt:1:3: error: "helperMissing" is Handlebars' internal hook/);
  write('_self.prompt', 'again {{> self}}');
  const self = write('self.prompt', 'Hello {{> self}}\n');
  assertOneLineError(cli(['analyze', self, '--out', join(work, 'o4')], T), /self\.prompt:1:7: error: .*partial "self" includes itself \(self → self\); rendering it would never end$/);
  write('_a.prompt', 'A {{> b}}');
  write('_b.prompt', 'B {{> a}}');
  const cycle = write('cycle.prompt', 'x {{> a}}\n');
  assertOneLineError(cli(['analyze', cycle, '--out', join(work, 'o5')], T), /cycle\.prompt:1:3: error: .*partial "a" includes itself \(a → b → a\)/);
}));

test('a partial that is a symlink to a file outside the prompt folder is refused; links inside the folder are followed', withWork((work) => {
  const secret = join(work, 'elsewhere', 'secret.txt');
  mkdirSync(join(work, 'elsewhere'));
  writeFileSync(secret, 'TOP SECRET');
  const dir = join(work, 'prompts');
  mkdirSync(join(dir, '_sub'), { recursive: true });
  symlinkSync(secret, join(dir, '_secret.prompt'));
  // {{> sub/rel}} reads _sub/rel.prompt: a relative link from a subfolder.
  symlinkSync('../../elsewhere/secret.txt', join(dir, '_sub', 'rel.prompt'));
  writeFileSync(join(dir, 'real.txt'), 'inside');
  symlinkSync('real.txt', join(dir, '_inside.prompt'));
  const prompt = join(dir, 'p.prompt');
  const host = nodePromptHost(prompt);
  for (const name of ['secret', 'sub/rel']) {
    const { doc, partials } = parsePrompt(`Hi {{> ${name}}}`, { host });
    assert.equal(doc.diagnostics.length, 1, name);
    assert.match(doc.diagnostics[0]!.message, new RegExp(`^partial "${name}" \\(.*\\) is a link to .*elsewhere/secret\\.txt, outside this prompt's folder`));
    assert.ok(![...partials.values()].some((t) => t.includes('SECRET')));
  }
  const inside = parsePrompt('Hi {{> inside}}', { host });
  assert.deepEqual(inside.doc.diagnostics, []);
  assert.equal(renderPrompt(inside.doc, inside.partials).text, 'Hi inside');
  // Through the real bin: the secret never reaches the report.
  writeFileSync(prompt, 'Hello {{> secret}}\n');
  const r = cli(['analyze', prompt, '--out', join(work, 'out')], T);
  assertOneLineError(r, /p\.prompt: 1 problem\(s\); first: p\.prompt:1:7: error: partial "secret" \(_secret\.prompt\) is a link to .*, outside this prompt's folder/);
}));
