// Drives a real VS Code workbench (code-server) with Chromium and checks Polyglot Lens end to end.
// Usage: node drive.js <workbench-url> <workspace-dir> <dump-dir> <out-dir>
// Each check is independent where it can be: a failed check is counted and the run goes on.
// Numbers (activation ms, panel paint ms) are printed as METRIC lines and saved to metrics.json.
/* global document, NodeFilter -- used inside page.evaluate, which runs in the browser */
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [url, wsDir, dumpDir, outDir] = process.argv.slice(2);
const t0 = Date.now();
const lap = (m) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);
const results = [];
const metrics = {};
const metric = (name, value) => { metrics[name] = value; console.log(`METRIC ${name}=${value}`); };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function events() {
  const p = path.join(dumpDir, 'events.jsonl');
  return fs.existsSync(p) ? fs.readFileSync(p, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
}
async function waitFor(pred, ms, what) {
  const end = Date.now() + ms;
  for (;;) {
    const v = pred();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timeout (${ms} ms) waiting for ${what}`);
    await sleep(200);
  }
}
function assertEq(actual, expected, what) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

(async () => {
  fs.mkdirSync(outDir, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'polyglot-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const page = context.pages()[0] || (await context.newPage());
  page.on('pageerror', (e) => console.log('PAGEERROR', e.message));
  const shot = (name) => page.screenshot({ path: path.join(outDir, `${name}.png`) }).catch(() => {});

  async function check(name, fn) {
    const s = Date.now();
    try {
      await fn();
      results.push({ name, ok: true });
      lap(`PASS ${name} (${Date.now() - s} ms)`);
    } catch (e) {
      results.push({ name, ok: false, error: String(e && e.message || e).split('\n')[0] });
      lap(`FAIL ${name}: ${String(e && e.message || e).split('\n')[0]}`);
      await shot(`fail-${name.replace(/\W+/g, '-')}`);
      await page.keyboard.press('Escape').catch(() => {});
    }
  }

  async function openFile(name, textInside) {
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().click();
    await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: 30000 });
    await page.locator('.editor-instance .view-lines', { hasText: textInside }).first().waitFor({ timeout: 30000 });
  }

  // Commands register a few seconds after the workbench appears and an open palette does not refresh: retry.
  async function runCommand(title) {
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget').waitFor({ state: 'visible' });
      await page.keyboard.type(title);
      try { await row.waitFor({ timeout: 5000 }); break; } catch (e) {
        if (attempt >= 10) throw e;
        await page.keyboard.press('Escape');
      }
    }
    await page.keyboard.press('Enter');
  }

  /** Hovers character `index` of the first occurrence of `needle` in the visible editor lines. */
  async function hoverText(needle, index) {
    const line = page.locator('.editor-instance .view-line', { hasText: needle }).first();
    await line.waitFor({ timeout: 10000 });
    const box = await line.evaluate((el, args) => {
      const [needle, index] = args;
      // Monaco splits a line into one span per syntax token: search the concatenated text.
      const nodes = [];
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
      const text = nodes.map((n) => n.textContent.replace(/\u00a0/g, ' ')).join('');
      const at = text.indexOf(needle);
      if (at < 0) return null;
      let target = at + index;
      for (const n of nodes) {
        if (target < n.textContent.length) {
          const r = document.createRange();
          r.setStart(n, target); r.setEnd(n, target + 1);
          const b = r.getBoundingClientRect();
          return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
        }
        target -= n.textContent.length;
      }
      return null;
    }, [needle, index]);
    if (!box) throw new Error(`"${needle}" not found in the editor line`);
    await page.mouse.move(10, 10);
    await page.mouse.move(box.x, box.y, { steps: 3 });
    const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content').first();
    await hover.waitFor({ state: 'visible', timeout: 10000 });
    await sleep(300);
    return (await hover.innerText()).trim();
  }

  const webview = () => page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame');
  const analysisFile = path.join(dumpDir, 'analysis.json');
  async function analyze(fileName) {
    fs.rmSync(analysisFile, { force: true });
    const before = events().length;
    const started = Date.now();
    await runCommand('Polyglot Lens: Analyze Activations');
    const outcome = await waitFor(() => events().slice(before).find((e) => e.kind === 'analyzed' || e.kind === 'error'), 180000, `analysis of ${fileName}`);
    if (outcome.kind === 'error') throw new Error(`extension reported: ${outcome.reason}`);
    return { analysis: JSON.parse(fs.readFileSync(analysisFile, 'utf8')), started };
  }

  try {
    await page.goto(url);
    await check('workbench loads and lists the example prompts', async () => {
      await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 120000 });
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'hello.en.prompt' }).waitFor({ timeout: 120000 });
      metric('workbench_ready_s', (Date.now() - t0) / 1000);
    });

    await check('broken.prompt: diagnostics at exact ranges, and a one-line error when analyzed', async () => {
      await openFile('broken.prompt', 'shout');
      const d = await waitFor(() => events().reverse().find((e) => e.kind === 'diagnostics' && e.file.endsWith('broken.prompt')), 60000, 'diagnostics event');
      const src = fs.readFileSync(path.join(wsDir, 'broken.prompt'), 'utf8');
      assertEq(d.diagnostics.map((x) => `${x.code} ${JSON.stringify(src.slice(x.start, x.end))}`),
        ['unknown-language "xx"', 'out-of-range "1.5"', 'unknown-helper "{{shout name}}"'], 'diagnostics');
      const activated = events().find((e) => e.kind === 'activated');
      if (!activated) throw new Error('no activation event');
      metric('activate_ms', Number(activated.ms.toFixed(2)));
      await page.locator('.squiggly-error').first().waitFor({ timeout: 20000 });
      const squiggles = await page.locator('.squiggly-error').count();
      if (squiggles < 3) throw new Error(`expected ≥ 3 error squiggles, saw ${squiggles}`);
      const hover = await hoverText('[en, xx]', 5);
      if (!hover.includes('unknown language code "xx"')) throw new Error(`hover: ${hover}`);
      await shot('01-broken-diagnostics');
      await page.keyboard.press('Escape');
      await runCommand('Polyglot Lens: Analyze Activations');
      const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'broken.prompt:2' }).first();
      await toast.waitFor({ timeout: 20000 });
      const text = await toast.innerText();
      if (!/Show Log/.test(text)) throw new Error(`notification lacks Show Log: ${text}`);
      await shot('02-broken-error-notification');
      await page.keyboard.press('Escape');
    });

    await check('activation time ≤ 50 ms', async () => {
      if (!(metrics.activate_ms <= 50)) throw new Error(`activate() took ${metrics.activate_ms} ms`);
    });

    await check('status bar shows model and variant', async () => {
      await openFile('prune-de.prompt', 'Menschen');
      const item = page.locator('.statusbar-item', { hasText: 'wanda' }).first();
      await item.waitFor({ timeout: 15000 });
      const text = (await item.innerText()).trim();
      if (!/default model · wanda-s0\.5-sequential-seed0@udhr:de/.test(text)) throw new Error(`status bar: ${text}`);
    });

    let analyzed;
    await check('Analyze Activations from the palette opens the panel with the engine\'s values', async () => {
      await openFile('hello.en.prompt', 'All human beings');
      const { analysis, started } = await analyze('hello.en.prompt');
      analyzed = analysis;
      assertEq(analysis.text, 'All human beings are born free and equal', 'rendered text');
      assertEq(analysis.topK, 4, 'topK from polyglot.topK');
      const frame = webview();
      const placeholder = frame.locator('[data-testid="placeholder-tokens"]');
      const continuation = frame.locator('[data-testid="continuation"]');
      await Promise.race([placeholder.waitFor({ timeout: 60000 }), continuation.waitFor({ timeout: 60000 })]);
      const visible = Date.now();
      metric('analyze_to_panel_ms', visible - started);
      const analyzedAt = events().reverse().find((e) => e.kind === 'analyzed').t;
      metric('panel_paint_ms_after_result', visible - analyzedAt);
      if (await placeholder.count()) {
        assertEq(Number(await placeholder.innerText()), analysis.tokens.length, 'placeholder token count');
      } else {
        const cont = (await continuation.innerText()).trim();
        if (analysis.generated.text && cont !== analysis.generated.text.trim()) throw new Error(`continuation: panel "${cont}" vs engine "${analysis.generated.text}"`);
        const toolbar = await frame.locator('.toolbar').first().innerText();
        if (!toolbar.includes(`${analysis.tokens.length} tokens × ${analysis.nLayers} layers, top-${analysis.topK}`)) throw new Error(`toolbar: ${toolbar}`);
      }
      const painted = events().reverse().find((e) => e.kind === 'painted');
      if (painted) metric('panel_paint_ms_reported', painted.ms);
      await shot('03-activations-panel');
    });

    await check('hovering a token in the prompt shows its text, id and top neurons', async () => {
      if (!analyzed) throw new Error('no analysis');
      await openFile('hello.en.prompt', 'All human beings');
      const offset = analyzed.text.indexOf('human') + 1;
      const pos = analyzed.tokens.findIndex((t) => t.start !== null && offset >= t.start && offset < t.end);
      const hover = await hoverText('All human beings', 'All h'.length);
      const tok = analyzed.tokens[pos];
      if (!hover.includes(`Token ${pos}`) || !hover.includes(`id ${tok.id}`)) throw new Error(`hover: ${hover}`);
      // The strongest neuron of that token over all layers, as the engine computed it.
      let best = { v: -Infinity };
      for (let l = 0; l < analyzed.nLayers; l++) for (let r = 0; r < analyzed.topK; r++) {
        const i = (pos * analyzed.nLayers + l) * analyzed.topK + r;
        if (analyzed.topValue[i] > best.v) best = { v: analyzed.topValue[i], key: `L${l}.N${analyzed.topIndex[i]}` };
      }
      if (!hover.includes(best.key) || !hover.includes(best.v.toFixed(3))) throw new Error(`hover lacks ${best.key} ${best.v.toFixed(3)}: ${hover}`);
      await shot('04-token-hover');
      await page.keyboard.press('Escape');
    });

    await check('hovering L1.N42 in the frontmatter shows the neuron in the last analysis', async () => {
      const hover = await hoverText('L1.N42', 2);
      if (!hover.includes('L1.N42')) throw new Error(`hover: ${hover}`);
      await shot('05-neuron-hover');
      await page.keyboard.press('Escape');
    });

    await check('changing polyglotLens.topK in workspace settings changes the next analysis', async () => {
      fs.writeFileSync(path.join(wsDir, '.vscode', 'settings.json'), '{ "polyglotLens.topK": 3, "polyglotLens.maxNewTokens": 2 }\n');
      await sleep(1500); // the configuration service picks the file change up
      await openFile('hello.prompt', 'Tous les');
      const { analysis } = await analyze('hello.prompt');
      assertEq(analysis.topK, 3, 'topK from the workspace setting');
      assertEq(analysis.generated.ids.length <= 8, true, 'maxOutputTokens from the prompt');
      await shot('06-after-setting-change');
    });
  } catch (e) {
    console.error('DRIVER ERROR', e);
    results.push({ name: 'driver', ok: false, error: String(e) });
    await shot('driver-error');
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  fs.writeFileSync(path.join(outDir, 'metrics.json'), JSON.stringify({ metrics, results }, null, 2));
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  for (const r of results.filter((x) => !x.ok)) console.log(`  failed: ${r.name}: ${r.error}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
})();
