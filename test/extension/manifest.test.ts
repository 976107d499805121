/** package.json as a Marketplace user meets it (issue 12, bugs 4, 5 and 7). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { nativeRuntimeHelp } from '../../src/engine/onnx/ort';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  contributes: { keybindings?: { key: string; mac?: string }[] };
  repository?: { url?: string } | string;
  icon?: string;
  license?: string;
};

test('no default keybinding is Ctrl+Alt+letter (AltGr types characters with it: AltGr+A = ą)', () => {
  const altGr = /(^|\s)ctrl\+alt\+(shift\+)?[a-z0-9]($|\s)|(^|\s)alt\+ctrl\+/i;
  for (const b of pkg.contributes.keybindings ?? []) assert.equal(altGr.test(b.key), false, `keybinding ${b.key}`);
});

test('the onnxruntime load error tells a Marketplace user what to do, not only "npm ci"', () => {
  const m = nativeRuntimeHelp('Cannot find module \'../bin/napi-v6/linux/arm64/onnxruntime_binding.node\'\nRequire stack: …', 'linux', 'arm64');
  assert.match(m, /^cannot load the native runtime for linux-arm64 \(Cannot find module '[^']+'\)\. In VS Code: reinstall Polyglot Lens from the Marketplace/);
  assert.equal(m.includes('\n'), false, 'one line');
});

test('the package has what vsce and the Marketplace need: repository, LICENSE, icon', () => {
  assert.ok(typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url, 'repository');
  assert.equal(pkg.license, 'MIT');
  assert.match(readFileSync('LICENSE', 'utf8'), /^MIT License/);
  assert.ok(pkg.icon && existsSync(pkg.icon), `icon ${pkg.icon}`);
  const png = readFileSync(pkg.icon!);
  assert.deepEqual([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join(''), 'PNG');
  assert.ok(png.readUInt32BE(16) >= 128 && png.readUInt32BE(20) >= 128, 'the Marketplace wants at least 128×128');
});

test('every relative README link points at a file the .vsix carries', () => {
  const readme = readFileSync('README.md', 'utf8');
  const ignore = readFileSync('.vscodeignore', 'utf8').split('\n').filter((l) => l.startsWith('!')).map((l) => l.slice(1));
  const carried = (p: string) => ignore.some((g) => g === p || (g.endsWith('/**') && p.startsWith(g.slice(0, -2))) || (g.endsWith('/*.md') && p.startsWith(g.slice(0, -4)) && p.endsWith('.md') && !p.slice(g.length - 4).includes('/')));
  const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((l) => !/^[a-z]+:|^#/.test(l));
  assert.ok(links.length > 0);
  for (const l of links) {
    const path = l.split('#')[0];
    assert.ok(existsSync(path), `${l} exists`);
    assert.ok(carried(path), `${l} is packaged (.vscodeignore)`);
  }
});

test('l10n: every %key% in package.json has its English text in package.nls.json', () => {
  const raw = readFileSync('package.json', 'utf8');
  const nls = JSON.parse(readFileSync('package.nls.json', 'utf8')) as Record<string, string>;
  const keys = [...raw.matchAll(/"%([\w.]+)%"/g)].map((m) => m[1]!);
  assert.ok(keys.length >= 20, `${keys.length} localized strings`);
  for (const k of keys) assert.ok(typeof nls[k] === 'string' && nls[k]!.length > 0, `package.nls.json lacks ${k}`);
  const pkg = JSON.parse(raw) as { contributes: { commands: { command: string; title: string; category?: string }[]; configuration: { properties: Record<string, { markdownDescription?: string }> } } };
  for (const c of pkg.contributes.commands) {
    assert.match(c.title, /^%[\w.]+%$/, `${c.command}: title "${c.title}" belongs in package.nls.json`);
    if (c.category) assert.equal(c.category, '%category%', `${c.command}: category`);
  }
  for (const [k, v] of Object.entries(pkg.contributes.configuration.properties)) assert.match(v.markdownDescription ?? '', /^%[\w.]+%$/, `${k}: description belongs in package.nls.json`);
});

test('panels restore from their saved state, so none keeps its webview alive when hidden', () => {
  const src = readFileSync('src/extension/panels/lensPanel.ts', 'utf8');
  assert.equal(/retainContextWhenHidden:\s*true/.test(src), false);
  assert.match(readFileSync('webview/views/boot.ts', 'utf8'), /bridge\.getState\(\)/);
});

test('the .vsix allow-list lets in no devDependency (the tokenizers binding the parity test uses) and nothing of tools/, test/ or bench/', () => {
  const lines = readFileSync('.vscodeignore', 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  assert.equal(lines[0], '**', 'everything is excluded first');
  const allowed = lines.filter((l) => l.startsWith('!')).map((l) => l.slice(1));
  const dev = Object.keys((JSON.parse(readFileSync('package.json', 'utf8')) as { devDependencies: Record<string, string> }).devDependencies);
  assert.ok(dev.includes('tokenizers'));
  for (const d of dev) assert.equal(allowed.find((g) => g === `node_modules/${d}` || g.startsWith(`node_modules/${d}/`)), undefined, `${d} is packaged`);
  assert.equal(allowed.find((g) => g.startsWith('node_modules/*') || /^(tools|test|bench)(\/|$)/.test(g) || g.startsWith('*')), undefined);
});
