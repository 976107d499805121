import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { exportBytes, writeFileAtomic } from '../../src/extension/panels/atomicWrite';
import { contentSecurityPolicy, makeNonce, panelHtml } from '../../src/extension/panels/html';

test('CSP: nothing by default, only the nonce script, no unsafe-inline or unsafe-eval', () => {
  const csp = contentSecurityPolicy('https://x.vscode-cdn.net', 'N0NCE');
  assert.equal(csp, "default-src 'none'; script-src 'nonce-N0NCE'; style-src https://x.vscode-cdn.net 'nonce-N0NCE'; img-src https://x.vscode-cdn.net data:; font-src https://x.vscode-cdn.net");
  const html = panelHtml({ cspSource: 'https://x.vscode-cdn.net', scriptUri: 'https://x/dist/webview/activations.js?a=1&b=2', nonce: 'N0NCE', title: 'A "B"' });
  assert.ok(html.includes('<script nonce="N0NCE" src="https://x/dist/webview/activations.js?a=1&amp;b=2"></script>'));
  assert.ok(!/unsafe-(inline|eval)/.test(html));
  assert.equal((html.match(/<script/g) ?? []).length, 1);
  assert.ok(html.includes('<title>A &quot;B&quot;</title>'));
});

test('nonce: 32 alphanumerics', () => {
  const n = makeNonce((k) => new Uint8Array(k).map((_, i) => i * 7));
  assert.match(n, /^[A-Za-z0-9]{32}$/);
  assert.equal(n.slice(0, 4), 'AHOV');
});

test('atomic write leaves only the target, with the decoded content', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-export-'));
  const target = join(dir, 'heat.png');
  await writeFileAtomic(target, exportBytes('iVBORw0KGgo=', 'base64'));
  assert.deepEqual(readdirSync(dir), ['heat.png']);
  assert.deepEqual([...readFileSync(target)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  await writeFileAtomic(target, exportBytes('a,b\r\n', 'utf8'));
  assert.equal(readFileSync(target, 'utf8'), 'a,b\r\n');
  await assert.rejects(writeFileAtomic(join(dir, 'missing', 'x.csv'), 'x'));
  assert.deepEqual(readdirSync(dir), ['heat.png'], 'no temp file left behind on failure');
});
