// The same scenarios through @vscode/test-electron, for machines that can download VS Code
// (it fetches a build from update.code.visualstudio.com at run time, so it cannot run offline here;
// CI on this network uses ../run.sh with code-server instead). Not installed by setup.sh:
//   cd test/e2e && npm install --no-save @vscode/test-electron && node electron/runTest.mjs
import { runTests } from '@vscode/test-electron';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const run = mkdtempSync(join(tmpdir(), 'polyglot-electron-'));
const ws = join(run, 'ws');
mkdirSync(join(ws, '.vscode'), { recursive: true });
for (const f of readdirSync(join(root, 'examples')).filter((n) => n.endsWith('.prompt'))) cpSync(join(root, 'examples', f), join(ws, f));
writeFileSync(join(ws, 'broken.prompt'), '---\npolyglot.languages: [en, xx]\npolyglot.pruning: {sparsity: 1.5}\n---\nHello {{shout name}}\n');
writeFileSync(join(ws, '.vscode', 'settings.json'), '{ "polyglotLens.topK": 4, "polyglotLens.maxNewTokens": 4 }\n');
try {
  await runTests({
    version: '1.100.3',
    extensionDevelopmentPath: root,
    extensionTestsPath: join(here, 'suite.cjs'),
    launchArgs: [ws, '--disable-extensions', '--disable-workspace-trust'],
    extensionTestsEnv: { POLYGLOT_LENS_E2E_DUMP: join(run, 'dump') },
  });
} catch (e) {
  console.error('electron e2e failed:', e);
  process.exit(1);
}
