// Flat config. Besides the recommended rules it enforces the architecture's import boundaries:
// - 'vscode' exists only in the extension host: the engine, shared code, CLI and webviews must
//   run without it (worker thread, plain Node, browser).
// - 'onnxruntime-node' is a native addon loaded in exactly one place (src/engine/onnx/ort.ts),
//   so the rest of the engine stays testable and the addon is loaded lazily.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const noVscode = { name: 'vscode', message: 'Only src/extension/** may import vscode (this code also runs in the CLI, the worker or a webview).' };
const noOrt = { name: 'onnxruntime-node', message: 'Import onnxruntime-node only in src/engine/onnx/ort.ts.' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/e2e/node_modules/**', 'scratch/**', 'out/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [noOrt] }],
    },
  },
  {
    files: ['src/engine/**', 'src/shared/**', 'src/cli/**', 'webview/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode, noOrt] }] },
  },
  {
    files: ['webview/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The one place allowed to load the native runtime.
    files: ['src/engine/onnx/ort.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode] }] },
  },
);
