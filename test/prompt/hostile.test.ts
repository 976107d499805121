/**
 * Hostile .prompt files (issue 16, probes 7, 10 and 12): parsePrompt never throws and never reads
 * outside the prompt's folder, whatever the file says.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { nodePromptHost } from '../../src/engine/io/nodePromptHost';
import { MAX_PROMPT_CHARS, parsePrompt, renderPrompt } from '../../src/shared/prompt';
import { isLocalPartialName } from '../../src/shared/prompt/templateCheck';
import { folderWith } from './helpers';

test('a partial cannot reach outside the prompt folder ({{> ../../../secret}})', () => {
  const dir = folderWith({ 'secret.prompt': 'TOP SECRET', 'prompts/_ok.prompt': 'fine', 'prompts/x': '' });
  try {
    const prompt = join(dir, 'prompts', 'a.prompt');
    for (const name of ['../../../secret', '../../secret']) {
      const { doc, partials } = parsePrompt(`Hello {{> ${name}}} {{> ok}}`, { host: nodePromptHost(prompt) });
      assert.deepEqual(
        doc.diagnostics.map((d) => d.message),
        [`partial "${name}" must name a _NAME.prompt file in this prompt's folder (no .., no absolute path)`],
        name,
      );
      assert.deepEqual([...partials.keys()], ['ok']);
      assert.ok(![...partials.values()].some((t) => t.includes('SECRET')));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('partial names: plain names and sub/folder names are local; .., absolute, backslash are not', () => {
  assert.deepEqual(
    ['header', 'lang.fr', 'sub/header', '..', '../x', 'a/./b', '/abs', 'C:x', 'a\\b', 'a//b', ''].map(isLocalPartialName),
    [true, true, true, false, false, false, false, false, false, false, false],
  );
});

test('a YAML alias bomb in the frontmatter is a diagnostic, not an exception', () => {
  const lines = ['---', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
  lines.push('---', 'Hello');
  const { doc } = parsePrompt(lines.join('\n'));
  assert.deepEqual(
    doc.diagnostics.map((d) => [d.severity, d.code, d.message]),
    [['error', 'yaml', 'YAML: Excessive alias count indicates a resource exhaustion attack']],
  );
});

test('a prompt over MAX_PROMPT_CHARS is one diagnostic and is not parsed', () => {
  const big = `---\nmodel: x\n---\n${'word '.repeat(2_000_000)}`;
  assert.ok(big.length > MAX_PROMPT_CHARS);
  const { doc, partials } = parsePrompt(big);
  assert.deepEqual(doc.diagnostics.map((d) => d.code), ['too-large']);
  assert.match(doc.diagnostics[0]!.message, /^prompt has 10000017 characters; more than 4194304 are not read$/);
  assert.throws(() => renderPrompt(doc, partials), /the template has errors: prompt has 10000017 characters/);
});
