/* eslint-disable @typescript-eslint/no-require-imports -- VS Code loads extensionTestsPath with require(), so this file is CommonJS */
// Runs inside the VS Code extension host started by runTest.mjs: the scenarios of ../drive.mjs
// through the API instead of the UI (diagnostic ranges, analyze, hovers, a setting change).
const vscode = require('vscode');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const dump = process.env.POLYGLOT_LENS_E2E_DUMP;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(pred, ms, what) {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(200)) { const v = pred(); if (v) return v; }
  throw new Error(`timeout waiting for ${what}`);
}
const file = (name) => vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, name);
async function analyze(name) {
  const out = path.join(dump, 'analysis.json');
  fs.rmSync(out, { force: true });
  await vscode.window.showTextDocument(file(name));
  await vscode.commands.executeCommand('polyglotLens.analyzeActivations');
  return JSON.parse(await until(() => fs.existsSync(out) && fs.readFileSync(out, 'utf8'), 180000, `analysis of ${name}`));
}

exports.run = async function run() {
  const results = [];
  const check = async (name, fn) => {
    try { await fn(); results.push([name, true]); console.log('PASS', name); } catch (e) { results.push([name, false]); console.log('FAIL', name, e.message); }
  };
  await check('diagnostics at exact ranges', async () => {
    const doc = await vscode.workspace.openTextDocument(file('broken.prompt'));
    await vscode.window.showTextDocument(doc);
    const diags = await until(() => { const d = vscode.languages.getDiagnostics(doc.uri); return d.length >= 3 && d; }, 30000, 'diagnostics');
    assert.deepEqual(diags.map((d) => doc.getText(d.range)), ['xx', '1.5', '{{shout name}}']);
  });
  let analysis;
  await check('analyze hello.en.prompt', async () => {
    analysis = await analyze('hello.en.prompt');
    assert.equal(analysis.text, 'All human beings are born free and equal');
    assert.equal(analysis.topK, 4);
  });
  await check('token hover', async () => {
    const doc = await vscode.workspace.openTextDocument(file('hello.en.prompt'));
    const offset = doc.getText().indexOf('human') + 1;
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, doc.positionAt(offset));
    const text = hovers.flatMap((h) => h.contents.map((c) => c.value ?? String(c))).join('\n');
    const pos = analysis.tokens.findIndex((t) => t.start !== null && analysis.text.indexOf('human') + 1 >= t.start && analysis.text.indexOf('human') + 1 < t.end);
    assert.match(text, new RegExp(`Token ${pos}\\*\\* .* id ${analysis.tokens[pos].id}`));
  });
  await check('setting change reaches the next analysis', async () => {
    await vscode.workspace.getConfiguration('polyglotLens').update('topK', 3, vscode.ConfigurationTarget.Workspace);
    assert.equal((await analyze('hello.prompt')).topK, 3);
  });
  const failed = results.filter(([, ok]) => !ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  if (failed) throw new Error(`${failed} e2e checks failed`);
};
