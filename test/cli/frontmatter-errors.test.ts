/**
 * Invalid YAML frontmatter (issue #26 item 1): the editor publishes every parse error at its
 * range and refuses to run, and the CLI refuses the same files with the same first error. Before
 * the fix a Polyglot prompt whose YAML failed counted as another tool's file: no diagnostics, and
 * Analyze ran with every key ignored. The e2e suite opens the same files in VS Code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseDocument } from 'yaml';
import { cli, ROOT } from '../helpers/cli';
import { formatDiagnostic, parsePrompt } from '../../src/shared/prompt';
import { splitPrompt } from '../../src/shared/prompt/frontmatter';
import { nodePromptHost } from '../../src/engine/io/nodePromptHost';
import { blockingDiagnostic, polyglotDiagnostics } from '../../src/extension/prompt/ownership';

const DIR = join(ROOT, 'test', 'fixtures', 'prompts', 'frontmatter-errors');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.prompt')).sort();

test('the fixture set covers Polyglot and other tools\' prompts', () => {
  assert.deepEqual(FILES, ['duplicate-key.prompt', 'genkit-unclosed-map.prompt', 'tab-indent.prompt', 'two-errors.prompt', 'unclosed-list.prompt']);
});

for (const name of FILES) {
  test(`${name}: the editor shows every YAML error and blocks; the CLI refuses with the same first error`, () => {
    const file = join(DIR, name);
    const source = readFileSync(file, 'utf8');
    const { doc } = parsePrompt(source, { fileName: file, host: nodePromptHost(file) });
    // Every error the YAML parser reports is shown (one diagnostic each), whoever owns the file.
    const yamlErrors = parseDocument(source.slice(0, splitPrompt(source).frontmatter!.end), { prettyErrors: false, uniqueKeys: true }).errors;
    const shown = polyglotDiagnostics(doc).filter((d) => d.code === 'yaml');
    assert.ok(yamlErrors.length > 0);
    assert.deepEqual(shown.map((d) => d.message), yamlErrors.map((e) => `YAML: ${e.message.split('\n')[0]}`));
    // Each at visible characters of its line (not a bare line break).
    for (const d of shown) assert.notEqual(source.slice(d.start, d.end).trim(), '', `${d.message} at ${d.start}`);
    const blocking = blockingDiagnostic(doc);
    assert.ok(blocking, 'the editor does not run a prompt whose frontmatter failed');
    const out = join(mkdtempSync(join(tmpdir(), 'pl-fm-')), 'r');
    const r = cli(['analyze', file, '--out', out]);
    assert.equal(r.code, 1);
    const errors = doc.diagnostics.filter((d) => d.severity === 'error');
    assert.equal(r.stderr, `polyglot-lens: ${file}: ${errors.length} problem(s); first: ${formatDiagnostic(basename(file), source, blocking)}\n`);
    assert.ok(!existsSync(out));
  });
}

test('the issue\'s file: topK, config and an unclosed languages list: the error is on "[de", nothing of the frontmatter is read', () => {
  const file = join(DIR, 'unclosed-list.prompt');
  const source = readFileSync(file, 'utf8');
  const { doc } = parsePrompt(source, { fileName: file });
  const d = polyglotDiagnostics(doc);
  assert.deepEqual(d.map((x) => [source.slice(x.start, x.end), x.message]), [['[de', 'YAML: Flow sequence in block collection must be sufficiently indented and end with a ]']]);
  assert.equal(doc.hasPolyglotKeys, true);
  assert.equal(doc.metadata.polyglot.topK, undefined, 'the keys are unread: which is why the run must not start');
});
