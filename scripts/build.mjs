// One esbuild call builds every entry point: extension host, engine worker, CLI, webviews.
// Node entries are CommonJS (VS Code loads the extension with require); onnxruntime-node stays
// external because it ships a native addon that must be loaded from node_modules.
import { build } from 'esbuild';
import { existsSync, readdirSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const node = {
  bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: !production, minify: production,
  external: ['vscode', 'onnxruntime-node'], outdir: 'dist', logLevel: 'warning',
};
const nodeEntries = {
  extension: 'src/extension/main.ts',
  'engine-worker': 'src/engine/worker/worker.ts',
  cli: 'src/cli/main.ts',
};
const webviewEntries = Object.fromEntries(
  (existsSync('webview/entries') ? readdirSync('webview/entries') : [])
    .filter((f) => f.endsWith('.ts'))
    .map((f) => [`webview/${f.replace(/\.ts$/, '')}`, `webview/entries/${f}`]),
);
const present = (entries) => Object.fromEntries(Object.entries(entries).filter(([, p]) => existsSync(p)));
await Promise.all([
  build({ ...node, entryPoints: present(nodeEntries) }),
  Object.keys(webviewEntries).length &&
    build({ bundle: true, platform: 'browser', format: 'iife', target: 'es2022', sourcemap: !production, minify: production,
      entryPoints: webviewEntries, outdir: 'dist', logLevel: 'warning' }),
]);
if (watch) console.log('watch mode is not supported; rerun npm run build');
