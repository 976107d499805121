// Issue #26 in real VS Code: the editor's state must be trustworthy. Self-contained like
// neuronScenario.mjs: it copies its own prompts into the workspace and opens them with Quick Open,
// so the explorer's length does not matter. Check names start with "state:" (E2E_ONLY='state:').
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FM_ERRORS = path.join(ROOT, 'test', 'fixtures', 'prompts', 'frontmatter-errors');

/** 1-based line and column of a file offset, as formatDiagnostic writes them. */
function lineCol(src, offset) {
  const before = src.slice(0, offset).split(/\r\n|\r|\n/);
  return [before.length, before[before.length - 1].length + 1];
}

/** Runs one step, naming it in the error: a timeout then says which wait it was. */
async function step(what, fn) {
  try { return await fn(); } catch (e) { throw new Error(`${what}: ${String(e && e.message || e).split('\n')[0]}`); }
}

export async function editorStateScenario(h) {
  const { check, page, wsDir, shot, events, waitFor, settled, ceil, runCommand, assertEq } = h;

  /** Opens a workspace file by name through Quick Open (Ctrl+P) and waits for its text. */
  async function quickOpen(name, textInside) {
    const firstGroupTab = page.locator('.editor-group-container').first().locator('.tabs-container .tab.active');
    if (await firstGroupTab.count()) await firstGroupTab.first().click();
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget').waitFor({ state: 'visible' });
    // The absolute path: a file written a moment ago is found before the search index has it.
    await page.keyboard.type(path.join(wsDir, name));
    // Click the row of exactly this file: Enter would take the top row, which may be a recent file with a similar name.
    const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();
    await row.waitFor({ timeout: ceil(20000) });
    await row.click();
    const exact = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    await page.locator('.tabs-container .tab.active .label-name').filter({ hasText: exact }).first().waitFor({ timeout: ceil(30000) });
    await page.locator('.editor-instance .view-lines', { hasText: textInside }).first().waitFor({ timeout: ceil(30000) });
  }
  /** Writes a prompt into the workspace and opens it. */
  async function writeAndOpen(name, text, textInside) {
    fs.writeFileSync(path.join(wsDir, name), text);
    await runCommand('Refresh Explorer');
    await quickOpen(name, textInside);
  }
  const lastDiagnostics = (name) => events().reverse().find((e) => e.kind === 'diagnostics' && e.file.endsWith(`/${name}`));

  await check('state: invalid YAML frontmatter: every parse error at its range, Analyze refused with the CLI\'s first error, on the same files', async () => {
    const names = fs.readdirSync(FM_ERRORS).filter((f) => f.endsWith('.prompt')).sort();
    for (const n of names) fs.copyFileSync(path.join(FM_ERRORS, n), path.join(wsDir, n));
    for (const name of names) {
      const file = path.join(wsDir, name);
      const src = fs.readFileSync(file, 'utf8');
      const firstLine = src.split('\n').find((l, i) => i > 0 && l.trim() && l !== '---');
      console.log(`  state: ${name}`);
      await step(`open ${name}`, () => quickOpen(name, firstLine.trim().split(/\s/)[0]));
      const d = await waitFor(() => lastDiagnostics(name), 30000, `diagnostics of ${name}`);
      const yaml = d.diagnostics.filter((x) => x.code === 'yaml');
      if (yaml.length === 0) throw new Error(`${name}: no YAML diagnostic in the editor: ${JSON.stringify(d.diagnostics)}`);
      for (const x of yaml) if (src.slice(x.start, x.end).trim() === '') throw new Error(`${name}: "${x.message}" at invisible characters ${x.start}-${x.end}`);
      // The CLI on the same file: its first error, line and column, is the editor's first error.
      let cliErr = '';
      try { execFileSync(process.execPath, [path.join(ROOT, 'bin', 'polyglot-lens'), 'analyze', file, '--out', path.join(wsDir, `${name}.out`)], { encoding: 'utf8', stdio: 'pipe' }); } catch (e) { cliErr = String(e.stderr); }
      const first = d.diagnostics.find((x) => x.code === 'yaml');
      const [line, col] = lineCol(src, first.start);
      if (!cliErr.includes(`first: ${name}:${line}:${col}: error: ${first.message}`)) throw new Error(`${name}: CLI said ${JSON.stringify(cliErr)}; editor's first error ${line}:${col} ${first.message}`);
      // The squiggle is drawn, and Analyze refuses with the error's line.
      await step(`squiggle in ${name}`, () => page.locator('.editor-group-container.active .squiggly-error').first().waitFor({ timeout: ceil(20000) }));
      const before = events().length;
      await runCommand('Polyglot Lens: Analyze Activations');
      const toast = page.locator('.notifications-toasts .notification-toast', { hasText: `${name}:${line}: ${first.message}` }).first();
      await step(`refusal toast for ${name}`, () => toast.waitFor({ timeout: ceil(20000) }));
      if (name === 'unclosed-list.prompt') await shot('40-yaml-error-refused');
      await page.keyboard.press('Escape');
      await settled(page);
      if (events().slice(before).some((e) => e.kind === 'analyzed')) throw new Error(`${name} was analyzed although its frontmatter failed`);
    }
    // Problems lists the file (the issue: "Problems lists nothing for the file").
    await quickOpen('unclosed-list.prompt', 'polyglot.topK');
    await page.keyboard.press('Control+Shift+M');
    const problems = page.locator('.markers-panel .monaco-list-row', { hasText: 'Flow sequence in block collection' }).first();
    await problems.waitFor({ timeout: ceil(20000) });
    await shot('41-yaml-error-problems');
    await runCommand('View: Hide Panel');
  });

  await check('state: Quick Fix (Ctrl+.) on "did you mean": polyglot.langauges (a transposition) becomes polyglot.languages', async () => {
    const name = 'typo.prompt';
    await writeAndOpen(name, '---\npolyglot.langauges: [en, fr]\npolyglot.topk: 3\n---\nAll human beings are born free.\n', 'langauges');
    const d = await waitFor(() => lastDiagnostics(name), 30000, 'diagnostics');
    assertEq(d.diagnostics.map((x) => x.message), ['unknown key polyglot.langauges; did you mean polyglot.languages?', 'unknown key polyglot.topk; did you mean polyglot.topK?'], 'diagnostics');
    for (const [i, [needle, want]] of [['langauges', 'polyglot.languages'], ['topk', 'polyglot.topK']].entries()) {
      // The previous fix's diagnostics are published (one fewer), so the marker under the cursor is current.
      await waitFor(() => { const x = lastDiagnostics(name); return x && x.diagnostics.length === 2 - i ? x : undefined; }, 15000, `${2 - i} diagnostics`);
      await settled(page);
      // Put the cursor inside the typo (a click), then Ctrl+. opens the Quick Fix menu.
      const line = page.locator('.editor-group-container.active .view-line', { hasText: needle }).first();
      const box = await line.boundingBox();
      await page.mouse.click(box.x + 40, box.y + box.height / 2);
      const item = page.locator('.action-widget .monaco-list-row', { hasText: `Change to "${want}"` }).first();
      for (let attempt = 0; ; attempt++) {
        await page.keyboard.press('Control+.');
        try { await item.waitFor({ timeout: ceil(5000) }); break; } catch (e) {
          if (attempt >= 2) throw e;
          await page.keyboard.press('Escape');
          await settled(page);
        }
      }
      if (needle === 'langauges') await shot('42-quick-fix-menu');
      await page.keyboard.press('Enter'); // the preferred fix is the focused row
      await page.locator('.editor-group-container.active .view-line', { hasText: `${want}:` }).first().waitFor({ timeout: ceil(10000) });
    }
    await waitFor(() => { const x = lastDiagnostics(name); return x && x.diagnostics.length === 0 ? x : undefined; }, 15000, 'no diagnostics after the fixes');
    await page.keyboard.press('Control+S');
    const want = ['polyglot.languages: [en, fr]', 'polyglot.topK: 3'];
    await waitFor(() => JSON.stringify(fs.readFileSync(path.join(wsDir, name), 'utf8').split('\n').slice(1, 3)) === JSON.stringify(want), 10000, `the saved file to read ${want.join(', ')}`);
  });

  await check('state: empty output is said in words: "the model ended at once (EOS)" in the Activations panel, Generate\'s notification and Compare', async () => {
    const { analyze, panelWith, readDump, waitEvent } = h;
    const name = 'eos.prompt';
    // The default model ends this UDHR sentence at once (its first greedy token is EOS), with or without L0.N3.
    await writeAndOpen(name, '---\npolyglot.deactivate: [L0.N3]\nconfig:\n  maxOutputTokens: 10\n---\nAll human beings are born free and equal in dignity and rights.\n', 'dignity');
    const AT_ONCE = 'the model ended at once (EOS)';
    const expectNote = (g) => (g.ids.length === 1 && g.stoppedBy === 'eos' && g.text === '' ? AT_ONCE : undefined);
    const { analysis } = await analyze(name);
    assertEq(expectNote(analysis.generated), AT_ONCE, `the engine's continuation ${JSON.stringify(analysis.generated)}`);
    const frame = await panelWith('activations', '[data-testid="continuation-note"]');
    assertEq((await frame.locator('[data-testid="continuation"]').innerText()).trim(), AT_ONCE, 'Activations panel continuation');
    await shot('43-eos-activations');
    let before = events().length;
    await runCommand('Polyglot Lens: Generate');
    const gen = await waitEvent(['generated'], before, 120000, 'generate');
    assertEq(expectNote(gen), AT_ONCE, `generated ${JSON.stringify(gen)}`);
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: `${name}: ${AT_ONCE}` }).first();
    await step('Generate\'s notification', () => toast.waitFor({ timeout: ceil(20000) }));
    await page.keyboard.press('Escape');
    before = events().length;
    await quickOpen(name, 'dignity');
    await runCommand('Polyglot Lens: Compare Dense vs Pruned');
    await waitEvent(['compared'], before, 120000, 'compare');
    const c = readDump('compare.json');
    const cf = await panelWith('compare', '[data-testid="compare-a-text"]');
    for (const [id, s] of [['a', c.a], ['b', c.b]]) {
      const note = expectNote({ ids: s.ids, text: s.text, stoppedBy: s.stoppedBy });
      assertEq((await cf.locator(`[data-testid="compare-${id}-text"]`).innerText()).trim(), note ?? s.text.trim(), `compare side ${id}`);
    }
    assertEq(expectNote({ ids: c.a.ids, text: c.a.text, stoppedBy: c.a.stoppedBy }), AT_ONCE, 'dense ends at once');
    const verdict = (await cf.locator('[data-testid="compare-language-verdict"]').innerText()).trim();
    if (/undetermined/.test(verdict) || !verdict.includes(AT_ONCE)) throw new Error(`verdict: ${verdict}`);
    await shot('44-eos-compare');
  });

  await check('state: Find Language Neurons pre-selects the languages the prompt declares ([es, en])', async () => {
    const name = 'lape-es-en.prompt';
    await writeAndOpen(name, '---\npolyglot.languages: [es, en]\n---\nTodos los seres humanos nacen libres.\n', 'Todos los');
    await runCommand('Polyglot Lens: Find Language Neurons');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'UDHR languages' }).first().waitFor({ timeout: ceil(20000) });
    const readRows = () => page.locator('.quick-input-widget .quick-input-list .monaco-list-row').evaluateAll((els) => els.map((el) => ({
      code: (el.querySelector('.label-name')?.textContent ?? '').trim(),
      checked: el.getAttribute('aria-checked') === 'true' || !!el.querySelector('input[type=checkbox]:checked') || !!el.querySelector('.monaco-custom-toggle.checked'),
    })));
    // The rows and their check marks are drawn after the title: read them once some row is checked (or at the ceiling, to fail below).
    const rows = await waitFor(async () => { const r = await readRows(); return r.some((x) => x.checked) ? r : undefined; }, 20000, 'pre-selected rows').catch(readRows);
    await shot('45-lape-preselected');
    await page.keyboard.press('Escape');
    assertEq(rows.slice(0, 2).map((r) => r.code), ['es', 'en'], 'first rows');
    assertEq(rows.filter((r) => r.checked).map((r) => r.code), ['es', 'en'], 'pre-selected');
  });

  await check('state: a variant belongs to its model: another model\'s prompt shows and uses none of it, and it is re-created (not gone) when its model runs again', async () => {
    const { pickRow, waitQuickTitle, waitEvent, analyze } = h;
    await writeAndOpen('variant-default.prompt', '---\npolyglot.topK: 2\nconfig:\n  maxOutputTokens: 1\n---\nLes êtres humains naissent libres.\n', 'naissent');
    let before = events().length;
    await runCommand('Polyglot Lens: Prune Model…');
    await waitQuickTitle('Prune Model: method');
    await pickRow('Magnitude');
    await waitQuickTitle('Prune Model: sparsity');
    await pickRow('30%');
    const v = await waitEvent(['variant'], before, 120000, 'magnitude variant');
    await page.locator('.statusbar-item', { hasText: `· ${v.name}` }).first().waitFor({ timeout: ceil(15000) });
    // A prompt on another model (the workspace's tiny model): its own, empty, variant list.
    await writeAndOpen('variant-tiny.prompt', '---\nmodel: ./tiny-24-layers\nconfig:\n  maxOutputTokens: 1\n---\nHello there.\n', 'Hello there');
    await page.locator('.statusbar-item', { hasText: 'tiny-24-layers · dense' }).first().waitFor({ timeout: ceil(15000) });
    const tiny = await analyze('variant-tiny.prompt');
    if (!tiny.analysis.model.dir.endsWith('tiny-24-layers')) throw new Error(`ran on ${tiny.analysis.model.dir}`);
    assertEq(events().reverse().find((e) => e.kind === 'analyzed').variant, null, 'the tiny model\'s run uses no variant of the default model');
    await runCommand('Polyglot Lens: Select Variant…');
    await waitQuickTitle('Select Variant of tiny-24-layers');
    const rows = await page.locator('.quick-input-widget .quick-input-list .monaco-list-row').allInnerTexts();
    await page.keyboard.press('Escape');
    if (rows.some((r) => r.includes(v.name))) throw new Error(`the tiny model lists the default model's variant: ${rows.join(' | ')}`);
    // A prompt whose model folder is missing shows no variant either.
    await writeAndOpen('variant-missing.prompt', '---\nmodel: ./no-such-folder\n---\nHello.\n', 'Hello.');
    await page.locator('.statusbar-item', { hasText: 'no-such-folder · dense' }).first().waitFor({ timeout: ceil(15000) });
    await shot('46-variant-other-model');
    // Back on the default model: the variant is still active and runs (re-created: the tiny model unloaded it).
    await quickOpen('variant-default.prompt', 'naissent');
    await page.locator('.statusbar-item', { hasText: `· ${v.name}` }).first().waitFor({ timeout: ceil(15000) });
    before = events().length;
    await analyze('variant-default.prompt');
    const ran = events().slice(before).find((e) => e.kind === 'analyzed');
    assertEq(ran.variant, v.name, 'the default model\'s run uses its variant');
    const recreated = events().slice(before).find((e) => e.kind === 'variant-recreated');
    if (!recreated || recreated.name !== v.name) throw new Error('the variant was not re-created after the other model ran');
  });

  await check('state: the Activations panel names model, variant and prompt version; Toggle then Ctrl+Z marks it stale; Re-run brings it up to date', async () => {
    const { panelWith, waitEvent, clickLens } = h;
    await quickOpen('prune-de.prompt', 'Menschen');
    // Toggle to dense: the lens edits the file and analyzes; the header says dense.
    let before = events().length;
    await clickLens('Toggle');
    const toggled = await waitEvent(['pruning-toggled'], before, 20000, 'toggle');
    const ran = await waitEvent(['analyzed'], before, 180000, 'analysis after the toggle');
    const want = toggled.enabled ? ran.variant : 'dense';
    let frame = await panelWith('activations', `[data-testid="provenance"][data-variant="${want}"]`);
    const header = frame.locator('[data-testid="provenance"]');
    const version = Number(await header.getAttribute('data-version'));
    if (!(version > 0)) throw new Error(`no document version in the header: ${await header.innerText()}`);
    if (!(await header.innerText()).startsWith(`prune-de.prompt v${version} · model default · ${want}`)) throw new Error(`header: ${await header.innerText()}`);
    assertEq(await frame.locator('[data-testid="stale-banner"]').count(), 0, 'no stale banner right after the run');
    const tab = await page.locator('.tabs-container .tab', { hasText: 'Activations: prune-de.prompt' }).first().innerText();
    if (want !== 'dense' && !tab.includes(want)) throw new Error(`tab title lacks the variant: ${tab}`);
    // Ctrl+Z in the editor undoes the toggle: the prompt would now run the other way; the panel says so.
    const line = page.locator('.editor-group-container .view-line', { hasText: 'Menschen' }).first();
    const box = await line.boundingBox();
    await page.mouse.click(box.x + 5, box.y + box.height / 2);
    await page.keyboard.press('Control+Z');
    await page.locator('.editor-instance .view-line', { hasText: `enabled: ${!toggled.enabled}` }).first().waitFor({ timeout: ceil(10000) });
    frame = await panelWith('activations', '[data-testid="stale-banner"][data-kind="stale"]', 20000);
    const banner = (await frame.locator('[data-testid="stale-banner"]').innerText()).trim();
    const nowRuns = toggled.enabled ? 'dense' : 'wanda-s0.5-sequential-seed0@udhr:de';
    if (!banner.includes(`the prompt now runs ${nowRuns}, this ran ${want}`)) throw new Error(`banner: ${banner}`);
    await shot('47-stale-after-undo');
    before = events().length;
    await frame.locator('[data-testid="rerun"]').click();
    const again = await waitEvent(['analyzed'], before, 240000, 're-run');
    assertEq(again.variant ?? 'dense', nowRuns, 'the re-run runs what the prompt says now');
    frame = await panelWith('activations', `[data-testid="provenance"][data-variant="${nowRuns}"]`, 30000);
    await frame.locator('[data-testid="stale-banner"]').waitFor({ state: 'detached', timeout: ceil(10000) });
    await shot('48-rerun-up-to-date');
  });

  await check('state: after a window reload the Activations panel is reconnected (token hover works), Compare says it is a snapshot and its Re-run recomputes it; panels share one column', async () => {
    const { analyze, panelWith, waitEvent, hoverText } = h;
    const name = 'restore.prompt';
    await writeAndOpen(name, '---\npolyglot.deactivate: [L0.N3]\nconfig:\n  maxOutputTokens: 2\n---\nAll human beings are born free.\n', 'born free');
    const { analysis } = await analyze(name);
    let before = events().length;
    await runCommand('Polyglot Lens: Compare Dense vs Pruned');
    await waitEvent(['compared'], before, 120000, 'compare');
    await panelWith('compare', '[data-testid="provenance"]');
    // One column for every panel: the prompts' group and one more.
    assertEq(await page.locator('.editor-group-container').count(), 2, 'editor groups (prompts + one panel column)');
    await runCommand('Developer: Reload Window');
    await page.waitForEvent('load', { timeout: ceil(60000) }).catch(() => {});
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: ceil(120000) });
    before = events().length;
    await page.locator('.tabs-container .tab', { hasText: `Activations: ${name}` }).first().click();
    await waitEvent(['panel-reconnected'], before, 60000, 'the Activations panel reconnects');
    const af = await panelWith('activations', '[data-testid="provenance"]', 60000);
    assertEq(await af.locator('[data-testid="stale-banner"]').count(), 0, 'a reconnected panel is live: no snapshot banner');
    // The token hover reads the reconnected analysis.
    await quickOpen(name, 'born free');
    const pos = analysis.tokens.findIndex((t) => t.start !== null && t.start <= analysis.text.indexOf('human') && analysis.text.indexOf('human') < t.end);
    const hover = await hoverText('All human beings', 'All h'.length, `Token ${pos}`);
    if (!hover.includes(`Token ${pos}`)) throw new Error(`token hover after the reload: ${hover}`);
    await page.keyboard.press('Escape');
    // Compare cannot be recomputed without running it: a snapshot, said plainly, with one Re-run.
    await page.locator('.tabs-container .tab', { hasText: `Compare: ${name}` }).first().click();
    const cf = await panelWith('compare', '[data-testid="stale-banner"][data-kind="restored"]', 60000);
    const text = await cf.locator('[data-testid="stale-banner"]').innerText();
    if (!text.includes('Snapshot from before the window reload')) throw new Error(`banner: ${text}`);
    assertEq(await cf.locator('[data-testid="rerun"]').count(), 1, 'one Re-run button');
    await shot('49-restored-snapshot');
    before = events().length;
    await cf.locator('[data-testid="rerun"]').click();
    await waitEvent(['compared'], before, 120000, 'compare re-run');
    const fresh = await panelWith('compare', '[data-testid="provenance"]', 30000);
    await fresh.locator('[data-testid="stale-banner"]').waitFor({ state: 'detached', timeout: ceil(10000) });
  });
}

