/**
 * The panels' CSP (src/extension/panels/html.ts) has no 'unsafe-inline' for styles, so a style
 * attribute set by a view is dropped by the browser: the Results panel's bold best values were
 * lost that way. Views style through classes in views/styles.ts; this scan keeps it so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

test('no view sets a style attribute (the CSP would drop it)', () => {
  const dir = join(__dirname, '..', '..', 'webview', 'views');
  const offenders = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'styles.ts').flatMap((f) =>
    readFileSync(join(dir, f), 'utf8').split('\n').map((line, i) => ({ f, i, line })).filter((x) => /[{,]\s*style:\s|setAttribute\(\s*['"]style['"]/.test(x.line)).map((x) => `${x.f}:${x.i + 1}`));
  assert.deepEqual(offenders, []);
});
