import assert from 'node:assert/strict';
import { test } from 'node:test';
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
