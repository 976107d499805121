// Issue #17 in real VS Code: hovering a neuron reference shows that neuron's hook_post on every
// token of the analysed prompt — the numbers the engine answered (dump/neurons.jsonl) — and its
// link opens the Neuron panel, whose "Deactivate in prompt" edits polyglot.deactivate.
// Self-contained: writes its own prompt into the workspace; called from drive.mjs with its helpers.
import fs from 'node:fs';
import path from 'node:path';

const FILE = 'neuron-hover.prompt';
// Default model; L0.N3 is deactivated by the prompt, L2.N100 is the neuron under test.
const PROMPT = '---\npolyglot.deactivate: [L0.N3]\nconfig:\n  maxOutputTokens: 2\n---\nLe chat dort sur le tapis. Watch L2.N100.\n';
const SPARK = '▁▂▃▄▅▆▇█';

function sparkline(xs) {
  const lo = Math.min(...xs), hi = Math.max(...xs);
  return xs.map((v) => SPARK[hi > lo ? Math.round(((v - lo) / (hi - lo)) * (SPARK.length - 1)) : 0]).join('');
}

export async function neuronScenario(h) {
  const { check, page, wsDir, dumpDir, openFile, analyze, hoverText, hoverTiming, panelFrame, shot, metric, events, waitFor, settled, ceil, runCommand } = h;
  const neurons = () => {
    const p = path.join(dumpDir, 'neurons.jsonl');
    return fs.existsSync(p) ? fs.readFileSync(p, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
  };
  let analysis;

  await check('neuron: hovering L2.N100 shows its activation on every token, as the engine computed it', async () => {
    fs.writeFileSync(path.join(wsDir, FILE), PROMPT);
    // The server's file watcher may not report a file written from outside: refresh the explorer.
    await runCommand('Refresh Explorer');
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: FILE }).waitFor({ timeout: ceil(30000) });
    await openFile(FILE, 'Le chat dort');
    ({ analysis } = await analyze(FILE));
    const seen = neurons().length;
    const t = Date.now();
    const hover = await hoverText('L2.N100', 3, 'tokens of the analysed prompt');
    const polled = Date.now() - t;
    const r = await waitFor(() => neurons().slice(seen).find((x) => x.where === 'hover' && x.layer === 2 && x.index === 100), 10000, 'neuron report');
    const e = events().reverse().find((x) => x.kind === 'neuron-hover' && x.neuron === 'L2.N100');
    // The mouse's last move → the first frame showing the answer, both on the page's clock; the
    // provider's call and answer on the extension host's (the same machine's clock).
    const { lastMove, shown } = await hoverTiming();
    metric('neuron_hover_visible_ms_incl_200ms_hover_delay', shown - lastMove);
    metric('neuron_hover_phases_ms', `to provider ${Math.round(e.t - e.ms - lastMove)}, provider ${e.ms.toFixed(1)}, to frame ${Math.round(shown - e.t)}`);
    // The driver's own span (locating the word, moving, polling every 200 ms) for comparison with earlier runs.
    metric('neuron_hover_polled_ms', polled);
    metric('neuron_hover_engine_ms', Number(e.ms.toFixed(2)));
    if (!r.cached) throw new Error('the hover ran the model again instead of reading the analysis forward');
    if (r.text !== analysis.text || r.activations.length !== analysis.tokens.length) throw new Error(`report on another prompt: ${r.text}`);
    if (!hover.includes('L2.N100') || !hover.includes(sparkline(r.activations))) throw new Error(`hover lacks the sparkline ${sparkline(r.activations)}: ${hover}`);
    // The five strongest tokens with the engine's values, strongest first.
    const order = r.activations.map((v, p) => [v, p]).sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, 5);
    for (const [v, p] of order) {
      if (!hover.includes(JSON.stringify(r.tokens[p].text)) || !hover.includes(v.toFixed(3))) throw new Error(`hover lacks token ${p} ${JSON.stringify(r.tokens[p].text)} = ${v.toFixed(3)}: ${hover}`);
    }
    await shot('neuron-1-hover');
  });

  await check('neuron: the hover link opens the Neuron panel with the same numbers; Deactivate in prompt edits polyglot.deactivate', async () => {
    const link = page.locator('.monaco-hover a', { hasText: 'Open in Neuron panel' }).first();
    if (!(await link.count())) await hoverText('L2.N100', 3, 'Open in Neuron panel');
    const before = events().length;
    await page.locator('.monaco-hover a', { hasText: 'Open in Neuron panel' }).first().click();
    await waitFor(() => events().slice(before).find((x) => x.kind === 'neuron-panel'), 30000, 'Neuron panel');
    const r = neurons().reverse().find((x) => x.where === 'panel');
    const frame = await panelFrame('neuron');
    await frame.locator('[data-testid="neuron-chart-svg"]').waitFor({ timeout: ceil(30000) });
    const bars = await frame.locator('[data-testid="neuron-chart-svg"] rect[data-pos]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
    // SVG attributes carry 2 decimals (render/svg.ts); the table below carries the exact values.
    const round2 = (v) => Math.round(v * 100) / 100;
    if (JSON.stringify(bars) !== JSON.stringify(r.activations.map(round2))) throw new Error(`panel bars ${JSON.stringify(bars)} vs engine ${JSON.stringify(r.activations)}`);
    const rows = await frame.locator('[data-testid="neuron-top-tokens"] tr[data-pos]').evaluateAll((els) => els.map((e) => [Number(e.getAttribute('data-pos')), Number(e.getAttribute('data-value'))]));
    const want = r.activations.map((v, p) => [p, v]).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 10);
    if (JSON.stringify(rows) !== JSON.stringify(want)) throw new Error(`panel strongest tokens ${JSON.stringify(rows)} vs engine ${JSON.stringify(want)}`);
    await page.keyboard.press('Escape');
    await shot('neuron-2-panel');
    await frame.locator('[data-testid="neuron-deactivate"]').click();
    await page.locator('.editor-instance .view-line', { hasText: 'polyglot.deactivate: [L0.N3, L2.N100]' }).first().waitFor({ timeout: ceil(15000) });
    await settled(page);
    await shot('neuron-3-deactivated-in-prompt');
  });
}
