// Issue #24 in real VS Code: the Latent language panel. Show Latent Language on a prompt opens the
// panel; its cells read back the engine's lens (dump/lens.json: the result sent to the panel), the
// hover card lists a cell's top tokens, the selected position's chart carries the engine's language
// mass, the grid works by keyboard with announcements, and a token row selects its text in the editor.
// Then with a fitted linear lens (`polyglot-lens lens fit` run here, named by polyglotLens.linearLens)
// the panel's logit ↔ linear switch repaints a cell with the linear lens's value from the engine.
// Self-contained: writes its own prompt and lens into the workspace; called from drive.mjs with its helpers.
/* global document -- used inside frame.evaluate, which runs in the browser */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const FILE = 'latent.prompt';
// Default model: a French → English translation prompt in the format it was trained on.
const PROMPT = '---\nconfig:\n  maxOutputTokens: 2\n---\nFrench: Le chat voit le chien.</s>English:\n';

export async function lensScenario(h) {
  const { check, page, wsDir, dumpDir, openFile, panelFrame, shot, metric, events, waitFor, settled, ceil, runCommand, writeSettings } = h;
  const cellOf = (lens, r, layer, pos) => {
    const at = (layer * r.tokens.length + pos) * r.k;
    return { id: lens.topIds[at], p: Math.exp(lens.topLogp[at]) };
  };
  // The panel computes p = exp(log p) in Chromium's V8, this file in Node's: their Math.exp differ in
  // the last bit for ~10 % of inputs (Chromium 156 against Node 20, measured), so p agrees to an ulp
  // or two, not bit for bit; the log-probabilities themselves are the engine's F32 values.
  const sameP = (a, b) => Math.abs(a - b) <= 4 * Number.EPSILON * Math.max(Math.abs(a), Math.abs(b));
  let r;
  let frame;

  await check('lens: Show Latent Language opens the panel; every layer\'s cell at the last token reads back the engine\'s top token and probability', async () => {
    fs.writeFileSync(path.join(wsDir, FILE), PROMPT);
    await runCommand('Refresh Explorer');
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: FILE }).waitFor({ timeout: ceil(30000) });
    await openFile(FILE, 'Le chat voit');
    const before = events().length;
    const started = Date.now();
    await runCommand('Polyglot Lens: Show Latent Language');
    const e = await waitFor(() => events().slice(before).find((x) => x.kind === 'lens' || x.kind === 'error'), 180000, 'lens');
    if (e.kind === 'error') throw new Error(`extension reported: ${e.reason}`);
    r = JSON.parse(fs.readFileSync(path.join(dumpDir, 'lens.json'), 'utf8'));
    frame = await panelFrame('latentLanguage');
    await frame.locator('[data-testid="lens-cell"]').first().waitFor({ timeout: ceil(60000) });
    metric('lens_command_to_panel_ms', Date.now() - started);
    const T = r.tokens.length;
    const n = await frame.locator('[data-testid="lens-cell"]').count();
    if (n !== T * r.layers) throw new Error(`${n} cells, expected ${T} tokens × ${r.layers} layers`);
    const lens = r.lenses[0];
    const shown = await frame.locator(`[data-testid="lens-cell"][data-pos="${T - 1}"]`).evaluateAll((els) => els.map((el) => ({ layer: Number(el.dataset.layer), id: Number(el.dataset.id), p: Number(el.dataset.p), text: el.textContent, label: el.getAttribute('aria-label') })));
    for (const c of shown) {
      const want = cellOf(lens, r, c.layer, T - 1);
      if (c.id !== want.id || !sameP(c.p, want.p)) throw new Error(`layer ${c.layer}: cell shows id ${c.id} p ${c.p}, engine ${want.id} ${want.p}`);
      if (!c.label.includes(`layer ${c.layer}:`) || !c.label.includes(JSON.stringify(r.vocab[String(want.id)].text))) throw new Error(`cell label ${c.label}`);
    }
    // The last layer's top token is the model's own next token: the translation starts in English.
    const last = shown.find((c) => c.layer === r.layers - 1);
    if (r.vocab[String(last.id)].text !== ' The') throw new Error(`last layer predicts ${JSON.stringify(r.vocab[String(last.id)].text)}`);
    const legend = await frame.locator('[data-testid="lens-legend-item"]').evaluateAll((els) => els.map((el) => el.dataset.lang));
    if (!legend.includes('unknown') || legend.length < 2) throw new Error(`legend ${JSON.stringify(legend)}`);
    await shot('lens-1-panel');
  });

  await check('lens: hovering a cell lists its top-k with probabilities; selecting it charts the engine\'s language mass by layer', async () => {
    const T = r.tokens.length;
    const lens = r.lenses[0];
    const layer = Math.floor(r.layers / 2);
    const cell = frame.locator(`[data-testid="lens-cell"][data-pos="${T - 1}"][data-layer="${layer}"]`);
    await cell.hover();
    const card = frame.locator('[data-testid="hover-card"]');
    await card.waitFor({ state: 'visible', timeout: ceil(10000) });
    const title = await frame.locator('[data-testid="hover-title"]').innerText();
    if (!title.startsWith(`layer ${layer} · token ${T - 1}`)) throw new Error(`hover title ${title}`);
    const bars = await card.locator('.hc-bar').evaluateAll((els) => els.map((el) => Number(el.dataset.fraction)));
    const want = Array.from({ length: r.k }, (_, j) => Math.exp(lens.topLogp[(layer * T + T - 1) * r.k + j]).toFixed(4));
    if (JSON.stringify(bars.map((b) => b.toFixed(4))) !== JSON.stringify(want)) throw new Error(`hover bars ${JSON.stringify(bars)} vs engine ${JSON.stringify(want)}`);
    await shot('lens-2-hover');
    await cell.click();
    await frame.locator('[data-testid="lens-chart"]').waitFor({ timeout: ceil(10000) });
    const C = r.languages.length + 1;
    const unknown = await frame.locator('[data-testid="lens-chart"] circle[data-series="unknown"]').evaluateAll((els) => els.map((el) => Number(el.dataset.value)));
    const mass = Array.from({ length: r.layers }, (_, l) => Number(lens.mass[(l * T + T - 1) * C + C - 1].toPrecision(6)));
    if (JSON.stringify(unknown) !== JSON.stringify(mass)) throw new Error(`chart unknown mass ${JSON.stringify(unknown)} vs engine ${JSON.stringify(mass)}`);
    const sel = await frame.locator('[data-testid="lens-selection"]').getAttribute('data-layer');
    if (sel !== String(layer)) throw new Error(`selection layer ${sel}`);
  });

  await check('lens: the grid works by keyboard and announces each cell; a token row selects its text in the editor', async () => {
    const T = r.tokens.length;
    const layer = Math.floor(r.layers / 2);
    await frame.locator(`[data-testid="lens-cell"][data-pos="${T - 1}"][data-layer="${layer}"]`).focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowUp');
    const live = frame.locator('[data-testid="live-region"]');
    const want = await frame.locator(`[data-testid="lens-cell"][data-pos="${T - 2}"][data-layer="${layer - 1}"]`).getAttribute('aria-label');
    // The announcement follows the key presses: wait for it (a ceiling, not a fixed sleep).
    let said = '';
    try {
      await waitFor(async () => (said = await live.innerText()) === want, 5000, 'the live region to announce the cell');
    } catch {
      throw new Error(`live region says ${JSON.stringify(said)}, the cell is ${JSON.stringify(want)}`);
    }
    const focused = await frame.evaluate(() => document.activeElement && [document.activeElement.getAttribute('data-pos'), document.activeElement.getAttribute('data-layer')]);
    if (JSON.stringify(focused) !== JSON.stringify([String(T - 2), String(layer - 1)])) throw new Error(`focus on ${JSON.stringify(focused)}`);
    // " chat": a token written verbatim in the prompt; its row selects it in the editor.
    const pos = r.tokens.findIndex((t) => t.text === ' chat');
    const before = events().length;
    await frame.locator(`[data-testid="lens-token"][data-pos="${pos}"]`).click();
    const sel = await waitFor(() => events().slice(before).find((x) => x.kind === 'editor-selection'), 15000, 'editor selection');
    if (sel.pos !== pos || sel.text !== ' chat') throw new Error(`editor selected ${JSON.stringify(sel)}`);
    await settled(page);
    await shot('lens-3-keyboard-and-editor');
  });

  await check('lens: with a fitted linear lens (polyglotLens.linearLens) the panel\'s logit ↔ linear switch shows the engine\'s linear-lens value in a cell, and back', async () => {
    // The lens file a user makes with the CLI, over the toy world's dev clauses (default model). Outside
    // the workspace: a new folder there shifts the explorer's rows under the next click.
    const fitDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pl-e2e-lens-')), 'linear-lens');
    execFileSync(process.execPath, [path.join(ROOT, 'bin', 'polyglot-lens'), 'lens', 'fit', '--model', path.join(ROOT, 'models', 'default'), '--corpus', path.join(ROOT, 'examples', 'eval', 'toyworld', 'dev.jsonl'), '--out', fitDir], { cwd: ROOT, stdio: 'pipe', timeout: ceil(120000) });
    const settingsFile = path.join(wsDir, '.vscode', 'settings.json');
    const saved = fs.readFileSync(settingsFile, 'utf8');
    try {
      await writeSettings(saved.replace('{', `{ "polyglotLens.linearLens": ${JSON.stringify(fitDir)},`), { linearLens: fitDir });
      await openFile(FILE, 'Le chat voit');
      const before = events().length;
      await runCommand('Polyglot Lens: Show Latent Language');
      const e = await waitFor(() => events().slice(before).find((x) => x.kind === 'lens' || x.kind === 'error'), 180000, 'lens with the linear lens');
      if (e.kind === 'error') throw new Error(`extension reported: ${e.reason}`);
      const r2 = JSON.parse(fs.readFileSync(path.join(dumpDir, 'lens.json'), 'utf8'));
      if (JSON.stringify(r2.lenses.map((v) => v.kind)) !== '["logit","linear"]') throw new Error(`lenses ${JSON.stringify(r2.lenses.map((v) => v.kind))}`);
      const [logit, linear] = r2.lenses;
      const T = r2.tokens.length;
      // A cell whose top token differs between the lenses (below the last layer, where both are the logits).
      let at;
      for (let l = 1; l < r2.layers - 1 && !at; l++) for (let t = T - 1; t >= 0 && !at; t--) if (cellOf(logit, r2, l, t).id !== cellOf(linear, r2, l, t).id) at = { layer: l, pos: t };
      if (!at) throw new Error('the logit and linear lenses agree on every cell below the last layer');
      const f = await panelFrame('latentLanguage');
      const cell = f.locator(`[data-testid="lens-cell"][data-pos="${at.pos}"][data-layer="${at.layer}"]`);
      await cell.waitFor({ timeout: ceil(60000) });
      const read = () => cell.evaluate((el) => ({ id: Number(el.dataset.id), p: Number(el.dataset.p), text: el.textContent }));
      const showing = async (lens, what) => {
        const want = cellOf(lens, r2, at.layer, at.pos);
        let got;
        await waitFor(async () => { got = await read(); return got.id === want.id && sameP(got.p, want.p); }, 10000, `the cell to show the ${what} lens`).catch(() => {
          throw new Error(`layer ${at.layer} token ${at.pos}: the cell shows id ${got?.id} p ${got?.p}, the engine's ${what} lens ${want.id} ${want.p}`);
        });
        return got;
      };
      await showing(logit, 'logit');
      const select = f.locator('[data-testid="lens-kind"]');
      if (await select.evaluate((el) => el.hasAttribute('disabled'))) throw new Error('the lens switch is disabled with a fitted lens');
      const pick = async (label) => {
        await select.click();
        await select.getByRole('option', { name: label }).click();
      };
      await pick('linear lens');
      const got = await showing(linear, 'linear');
      if (got.text === '' || !r2.vocab[String(got.id)]) throw new Error(`cell text ${JSON.stringify(got.text)}`);
      await waitFor(async () => (await f.locator('[data-testid="live-region"]').innerText()) === 'showing the linear lens', 5000, 'the switch to be announced');
      await settled(page);
      await shot('lens-4-linear');
      await pick('logit lens');
      await showing(logit, 'logit');
    } finally {
      await writeSettings(saved, { linearLens: undefined });
      fs.rmSync(path.dirname(fitDir), { recursive: true, force: true });
    }
  });
}
