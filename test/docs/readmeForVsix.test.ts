/** The README the .vsix carries (issue #26 item 10): its screenshot embedded, its links still relative. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
// @ts-expect-error -- a plain .mjs script without type declarations
import { embedImages } from '../../scripts/readmeForVsix.mjs';

test('every relative image becomes a data: URI of the file; links and web images stay as written', () => {
  const readme = readFileSync('README.md', 'utf8');
  const out = (embedImages as (m: string) => string)(readme);
  const images = [...out.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
  assert.ok(images.length > 0);
  for (const src of images) assert.match(src, /^data:image\/png;base64,/);
  const png = readFileSync('media/screenshot-vscode.png');
  assert.ok(out.includes(png.toString('base64')), 'the screenshot, byte for byte');
  const links = (s: string) => [...s.matchAll(/(?<!!)\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
  assert.deepEqual(links(out), links(readme));
  assert.equal((embedImages as (m: string) => string)('![x](https://example.org/a.png) ![y](#z)'), '![x](https://example.org/a.png) ![y](#z)');
});
