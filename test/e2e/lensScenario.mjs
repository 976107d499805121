// Issue #24 in real VS Code: the Latent language panel. Show Latent Language on a prompt opens the
// panel; its cells read back the engine's lens (dump/lens.json: the result sent to the panel), the
// hover card lists a cell's top tokens, the selected position's chart carries the engine's language
// mass, the grid works by keyboard with announcements, and a token row selects its text in the editor.
// Self-contained: writes its own prompt into the workspace; called from drive.mjs with its helpers.
/* global document -- used inside frame.evaluate, which runs in the browser */
import fs from 'node:fs';
import path from 'node:path';

const FILE = 'latent.prompt';
// Default model: a French → English translation prompt in the format it was trained on.
const PROMPT = '---\nconfig:\n  maxOutputTokens: 2\n---\nFrench: Le chat voit le chien.</s>English:\n';

export async function lensScenario(h) {
  const { check, page, wsDir, dumpDir, openFile, panelFrame, shot, metric, events, waitFor, settled, ceil, runCommand } = h;
  const cellOf = (lens, r, layer, pos) => {
    const at = (layer * r.tokens.length + pos) * r.k;
    return { id: lens.topIds[at], p: Math.exp(lens.topLogp[at]) };
  };
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
      if (c.id !== want.id || c.p !== want.p) throw new Error(`layer ${c.layer}: cell shows id ${c.id} p ${c.p}, engine ${want.id} ${want.p}`);
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
}
