/**
 * The .prompt TextMate grammar, tokenized by the engine VS Code itself uses (vscode-textmate +
 * vscode-oniguruma). Each case names a piece of text and the scope it must (or must not) get.
 * source.yaml is not loaded (VS Code provides it), so only this grammar's own scopes are checked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as tm from 'vscode-textmate';

const root = join(__dirname, '..', '..');
const KEY = 'keyword.other.polyglot-key.polyglot-prompt';

async function grammar(): Promise<tm.IGrammar> {
  const wasm = readFileSync(join(root, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  const registry = new tm.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p), createOnigString: (s: string) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scope) => (scope === 'source.polyglot-prompt'
      ? tm.parseRawGrammar(readFileSync(join(root, 'syntaxes', 'prompt.tmLanguage.json'), 'utf8'), 'prompt.tmLanguage.json')
      : null),
  });
  const g = await registry.loadGrammar('source.polyglot-prompt');
  assert.ok(g);
  return g;
}

/** [line, text, scopes] for every token of `src`. */
async function tokens(src: string): Promise<{ line: number; text: string; scopes: string[] }[]> {
  const g = await grammar();
  let state = tm.INITIAL;
  const out: { line: number; text: string; scopes: string[] }[] = [];
  src.split('\n').forEach((line, i) => {
    const r = g.tokenizeLine(line, state);
    for (const t of r.tokens) out.push({ line: i, text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    state = r.ruleStack;
  });
  return out;
}
const scopesOf = (ts: Awaited<ReturnType<typeof tokens>>, line: number, text: string) =>
  ts.find((t) => t.line === line && t.text === text)?.scopes ?? assert.fail(`no token "${text}" on line ${line}: ${JSON.stringify(ts.filter((t) => t.line === line).map((t) => t.text))}`);

test('polyglot keys: dotted at top level, nested under polyglot: and under pruning:', async () => {
  const ts = await tokens([
    '---',
    'polyglot.topK: 4',
    'polyglot.pruning:',
    '  method: wanda',
    '  mode: sequential',
    '  seed: 0',
    'polyglot:',
    '  languages: [en, fr]',
    '  pruning:',
    '    sparsity: 0.5',
    '---',
    'Hello {{name}} L3.N127',
  ].join('\n'));
  assert.ok(scopesOf(ts, 1, 'topK').includes(KEY));
  assert.ok(scopesOf(ts, 1, 'polyglot').includes('entity.name.namespace.polyglot-prompt'));
  for (const [line, key] of [[3, 'method'], [4, 'mode'], [5, 'seed'], [7, 'languages'], [8, 'pruning'], [9, 'sparsity']] as const) {
    assert.ok(scopesOf(ts, line, key).includes(KEY), `${key} on line ${line}`);
  }
  assert.ok(scopesOf(ts, 11, 'L').includes('constant.other.neuron.polyglot-prompt'));
  assert.ok(scopesOf(ts, 11, '127').includes('constant.numeric.neuron.polyglot-prompt'));
  assert.ok(ts.some((t) => t.line === 11 && t.text === 'name' && t.scopes.includes('variable.parameter.handlebars')));
});

test('mode:, seed: and other indented keys outside polyglot.* blocks are not marked as Polyglot keys', async () => {
  const ts = await tokens([
    '---',
    'config:',
    '  mode: fast',
    '  seed: 42',
    'input:',
    '  schema:',
    '    method: string',
    '    languages: string',
    'output:',
    '  format: json',
    '---',
    'x',
  ].join('\n'));
  for (const [line, key] of [[2, 'mode'], [3, 'seed'], [6, 'method'], [7, 'languages']] as const) {
    const t = ts.find((x) => x.line === line && x.text.includes(key));
    assert.ok(t, `token for ${key}`);
    assert.equal(t.scopes.includes(KEY), false, `${key} on line ${line} is not ours: ${t.scopes.join(' ')}`);
  }
});

test('a polyglot: block ends at the next top-level key', async () => {
  const ts = await tokens(['---', 'polyglot:', '  topK: 3', 'config:', '  mode: x', '---', 'y'].join('\n'));
  assert.ok(scopesOf(ts, 2, 'topK').includes(KEY));
  const mode = ts.find((x) => x.line === 4 && x.text.includes('mode'))!;
  assert.equal(mode.scopes.includes(KEY), false);
  assert.ok(ts.some((t) => t.line === 5 && t.scopes.includes('punctuation.definition.frontmatter.end.polyglot-prompt')), 'the frontmatter still ends');
});
