// Builds one platform-specific .vsix per target (`vsce package --target`), each carrying only
// that platform's onnxruntime-node binaries (all platforms together are ~290 MB; one is ~20-40 MB).
// Usage: npm run package [-- linux-x64 darwin-arm64 …]   (default: this machine's platform)
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { embedImages } from './readmeForVsix.mjs';

// vsce target → onnxruntime-node's bin/napi-v*/<os>/<arch> folder
const TARGETS = {
  'linux-x64': ['linux', 'x64'],
  'linux-arm64': ['linux', 'arm64'],
  'darwin-x64': ['darwin', 'x64'],
  'darwin-arm64': ['darwin', 'arm64'],
  'win32-x64': ['win32', 'x64'],
  'win32-arm64': ['win32', 'arm64'],
};
const here = `${process.platform}-${process.arch}`;
const targets = process.argv.slice(2).length ? process.argv.slice(2) : [here];
for (const t of targets) if (!TARGETS[t]) throw new Error(`unknown target ${t} (known: ${Object.keys(TARGETS).join(', ')})`);

execFileSync(process.execPath, ['scripts/build.mjs', '--production'], { stdio: 'inherit' });
const base = readFileSync('.vscodeignore', 'utf8');
// The README the Extensions view shows, with its screenshot embedded (readmeForVsix.mjs).
const readme = '.README.vsix.md';
writeFileSync(readme, embedImages(readFileSync('README.md', 'utf8')));
const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
for (const t of targets) {
  const [os, arch] = TARGETS[t];
  const ignore = join('.', `.vscodeignore.${t}`);
  // README.md comes in through --readme-path (the embedded-image copy), not the allow-list.
  writeFileSync(ignore, `${base.replace(/^!README\.md\n/m, '')}!node_modules/onnxruntime-node/bin/napi-v*/${os}/${arch}/**\n`);
  try {
    // --no-rewrite-relative-links: the README's screenshot and links stay relative paths into files the
    // .vsix carries, so the Extensions view shows them offline (vsce would point them at a web host).
    execFileSync(process.execPath, ['node_modules/@vscode/vsce/vsce', 'package', '--target', t, '--ignoreFile', ignore, '--no-rewrite-relative-links', '--readme-path', readme,
      '--out', `polyglot-lens-${version}-${t}.vsix`], { stdio: 'inherit' });
  } finally {
    rmSync(ignore, { force: true });
  }
}
rmSync(readme, { force: true });
