/* global document, getComputedStyle, requestAnimationFrame, window -- used inside page.evaluate, which runs in the browser */
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
    const widget = page.locator('.quick-input-widget');
    // Ctrl+P is sometimes swallowed (focus still moving from a webview to the clicked tab, seen
    // under load): try again until the widget is up, each try waiting on the widget, not a sleep.
    for (let attempt = 1; ; attempt++) {
      if (await firstGroupTab.count()) await firstGroupTab.first().click();
      await page.keyboard.press('Control+P');
      try {
        await widget.waitFor({ state: 'visible', timeout: ceil(5000) });
        // Visible is not enough: once the path was typed into the document (focus was still in the
        // editor). Type only when the widget's own input has the keyboard focus.
        await page.waitForFunction(() => !!document.activeElement?.closest('.quick-input-widget'), null, { timeout: ceil(5000) });
        break;
      } catch (e) {
        if (attempt >= 4) throw e;
        await page.keyboard.press('Escape');
      }
    }
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

  await check('state: the status bar item opens a menu (model, variant, jobs, restart); the sidebar lists models, variants, jobs and open results', async () => {
    await quickOpen('hello.prompt', 'Tous les');
    await page.locator('.statusbar-item', { hasText: 'default model' }).first().click();
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Polyglot Lens' }).first().waitFor({ timeout: ceil(15000) });
    const rows = await page.locator('.quick-input-widget .quick-input-list .monaco-list-row').allInnerTexts();
    for (const want of ['Select Model…', 'Select Variant…', 'Jobs', 'Restart Engine', 'Show Log', 'Get Started']) {
      if (!rows.some((r) => r.includes(want))) throw new Error(`menu lacks "${want}": ${rows.join(' | ')}`);
    }
    await shot('50-status-menu');
    await page.keyboard.press('Escape');
    // The sidebar: the Polyglot Lens view container in the activity bar.
    await runCommand('Polyglot Lens: Focus on Models, Jobs and Results View');
    const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Models, Jobs and Results' }) }).first();
    await view.locator('.monaco-list-row', { hasText: 'Models' }).first().waitFor({ timeout: ceil(20000) });
    const tree = async () => (await view.locator('.monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    const items = await tree();
    for (const want of ['Models', 'default', 'Dense', 'Jobs', 'Results']) if (!items.some((t) => t.startsWith(want))) throw new Error(`sidebar lacks ${want}: ${items.join(' | ')}`);
    await shot('51-sidebar');
    // A queued job says what it waits for: Map Translation Features runs, Analyze waits behind it.
    const { pickRow, waitQuickTitle, waitEvent, writeSettings } = h;
    // A features job long enough to queue behind on an idle machine too (the default size finished
    // before the sidebar was read once the engine stopped spinning): many calibration sequences for this check only.
    const settingsFile = path.join(wsDir, '.vscode', 'settings.json');
    const saved = fs.readFileSync(settingsFile, 'utf8');
    await writeSettings(saved.replace('{', '{ "polyglotLens.calibrationSequences": 120,'), { calibrationSequences: 120 });
    const before = events().length;
    await quickOpen('hello.prompt', 'Tous les');
    await runCommand('Polyglot Lens: Map Translation Features');
    await waitQuickTitle('Map Translation Features');
    await pickRow('mt:de-en');
    // Analyze is queued only once the features job runs in the engine.
    await waitFor(() => events().slice(before).find((e) => e.kind === 'job-running' && /^Map translation features/i.test(e.title)), 120000, 'Map Translation Features running');
    await writeSettings(saved, { calibrationSequences: undefined }); // it read the setting when it started
    await runCommand('Polyglot Lens: Analyze Activations');
    const waiting = view.locator('.monaco-list-row', { hasText: 'waiting for Map translation features' }).first();
    await waiting.waitFor({ timeout: ceil(20000) });
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Analyze hello.prompt' }).first();
    await toast.waitFor({ timeout: ceil(20000) });
    const toastText = await toast.innerText();
    if (/loading model/.test(toastText) || !/waiting for Map translation features/.test(toastText)) throw new Error(`queued job's progress: ${toastText}`);
    await shot('52-sidebar-queued-job');
    await waitEvent(['analyzed'], before, 300000, 'the queued analysis');
    // Results: the open panels, a click reveals one.
    await view.locator('.monaco-list-row', { hasText: 'Activations: hello.prompt' }).first().waitFor({ timeout: ceil(20000) });
    await runCommand('View: Show Explorer');
  });

  await check('state: Get Started walkthrough end to end on the default model: open an example, Analyze, hover a neuron, find language neurons, prune and compare, evaluate', async () => {
    const { waitEvent, panelWith } = h;
    await runCommand('Welcome: Open Walkthrough...');
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Get Started with Polyglot Lens' }).first().waitFor({ timeout: ceil(20000) });
    await page.keyboard.type('Get Started with Polyglot Lens');
    await page.keyboard.press('Enter');
    const pageRoot = page.locator('.gettingStartedContainer').first();
    await pageRoot.waitFor({ timeout: ceil(30000) });
    await shot('53-walkthrough');
    const steps = [
      ['Open an example', 'Open an example', ['walkthrough']],
      ['Analyze Activations', 'Analyze Activations', ['analyzed']],
      ['Hover a neuron', 'Hover L2.N100', ['neuron-hover']],
      ['Find language neurons', 'Find Language Neurons', ['lape']],
      ['Prune and compare', 'Prune and Compare', ['compared']],
      ['Evaluate', 'Evaluate', ['evaluated']],
    ];
    for (const [title, button, kinds] of steps) {
      // The walkthrough page stays in its tab: bring it back, expand the step, press its button.
      await page.locator('.tabs-container .tab', { hasText: 'Walkthrough' }).first().click();
      const step = pageRoot.locator('.getting-started-step', { hasText: title }).first();
      await step.click();
      const b = step.locator('.button-link, .monaco-button', { hasText: button }).first();
      await b.waitFor({ timeout: ceil(15000) });
      const before = events().length;
      await b.click();
      const e = await waitEvent(kinds, before, 360000, `walkthrough step "${title}"`);
      if (title === 'Hover a neuron') {
        await page.locator('.monaco-hover:not(.hidden) .monaco-hover-content', { hasText: 'L2.N100 in default' }).first().waitFor({ timeout: ceil(20000) });
        await shot('54-walkthrough-hover');
        await page.keyboard.press('Escape');
      }
      if (e.file && !e.file.includes('globalStorage')) throw new Error(`step "${title}" ran on ${e.file}, not the walkthrough's copy`);
    }
    await panelWith('results', '[data-testid="results-table"] table', 60000);
    await shot('55-walkthrough-evaluate');
  });

  await check('state: the Extensions view README shows its screenshot from the installed extension, offline, with relative links', async () => {
    await runCommand('Extensions: Show Enabled Extensions');
    const row = page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'Polyglot Lens' }).first();
    await row.waitFor({ timeout: ceil(30000) });
    await row.click();
    const found = await waitFor(async () => {
      for (const f of page.frames()) {
        try {
          const img = f.locator('img[alt^="Polyglot Lens in VS Code"]').first();
          if (await img.count()) return { f, img };
        } catch { /* detached */ }
      }
      return undefined;
    }, 60000, 'the README screenshot in the Extensions view');
    const info = await found.img.evaluate(async (el) => {
      if (!el.complete) await new Promise((r) => { el.onload = r; el.onerror = r; });
      return { src: el.getAttribute('src'), resolved: el.src, width: el.naturalWidth };
    });
    if (/github|githubusercontent|https?:\/\/(?!127\.0\.0\.1|localhost)/.test(info.resolved)) throw new Error(`the screenshot points at a web host: ${info.resolved}`);
    if (!(info.width > 0)) throw new Error(`the screenshot did not load offline: ${JSON.stringify(info)}`);
    const links = await found.f.locator('a[href]').evaluateAll((els) => els.map((a) => a.getAttribute('href')));
    const web = links.filter((l) => /github\.com\/polyglot-lens/.test(l));
    if (web.length) throw new Error(`README links rewritten to a web host: ${web.slice(0, 3).join(', ')}`);
    await shot('56-extension-readme');
    await runCommand('View: Show Explorer');
  });

  await check('state: Show L3.N<k> in the Activations heatmap colours every token of layer 3 with the engine\'s values (not only where it is in a top-k); "¿" reads as its bytes, not two "�" rows', async () => {
    const { analyze, panelFrame } = h;
    await writeAndOpen('column.prompt', '---\nconfig:\n  maxOutputTokens: 0\n---\n¿Dónde está la biblioteca? The library is near the river, 日本.\n', 'biblioteca');
    const { analysis: a } = await analyze('column.prompt');
    const rows = a.tokens.length, layer = 3;
    // A neuron of layer 3 in the top-k of at most one token: before the fix only those cells were coloured.
    const count = new Map();
    for (let p = 0; p < rows; p++) for (let r = 0; r < a.topK; r++) { const n = a.topIndex[(p * a.nLayers + layer) * a.topK + r]; count.set(n, (count.get(n) ?? 0) + 1); }
    let index = [...count].find(([, c]) => c === 1)?.[0];
    if (index === undefined) index = Array.from({ length: a.model.dMlp }, (_, i) => i).find((i) => !count.has(i));
    const frame = await panelFrame('activations');
    const canvas = frame.locator('[data-testid="heatmap-canvas"]');
    await canvas.waitFor({ timeout: ceil(30000) });
    const neurons = () => { const p = path.join(h.dumpDir, 'neurons.jsonl'); return fs.existsSync(p) ? fs.readFileSync(p, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []; };
    const seen = neurons().length;
    // The text field's own <input> (inside the web component): typing elsewhere would edit the prompt.
    await frame.locator('[data-testid="neuron-input"] input').fill(`L${layer}.N${index}`);
    await frame.locator('[data-testid="neuron-apply"]').click();
    const report = await waitFor(() => neurons().slice(seen).find((x) => x.where === 'column' && x.layer === layer && x.index === index), 30000, 'the engine\'s column');
    assertEq(report.activations.length, rows, 'column length');
    await waitFor(async () => (await canvas.getAttribute('data-filled')) === String(rows), 15000, `${rows} cells filled (had ${count.get(index) ?? 0} from the top-k)`);
    const note = (await frame.locator('[data-testid="legend-note"]').textContent()) ?? '';
    if (note !== `grey: not layer ${layer}`) throw new Error(`legend note: ${note}`);
    // Each cell of the column holds the engine's value for that token.
    const cellW = Number(await canvas.getAttribute('data-cell-w')), cellH = Number(await canvas.getAttribute('data-cell-h'));
    for (let p = 0; p < rows; p++) {
      await canvas.click({ position: { x: layer * cellW + cellW / 2, y: p * cellH + cellH / 2 } });
      const cell = frame.locator('[data-testid="selected-cell"]');
      await waitFor(async () => (await cell.getAttribute('data-pos')) === String(p), 5000, `cell ${p}`);
      const v = Number(await cell.getAttribute('data-value')), want = report.activations[p];
      if (!(Math.abs(v - want) <= 1e-6 * Math.max(1, Math.abs(want)))) throw new Error(`token ${p}: panel ${v} vs engine ${want}`);
      if (Number(await cell.getAttribute('data-neuron')) !== index) throw new Error(`token ${p}: neuron ${await cell.getAttribute('data-neuron')}`);
    }
    await shot('57-heatmap-full-column');
    // Byte-level pieces: the rows name the character, which byte and the bytes.
    const labels = await frame.locator('[data-testid="token"]').evaluateAll((els) => els.map((e) => e.textContent.replace(/^\d+/, '')));
    for (const want of ['¿ 1/2 ‹C2›', '¿ 2/2 ‹BF›']) if (!labels.includes(want)) throw new Error(`no row "${want}": ${JSON.stringify(labels)}`);
    if (labels.some((l) => l === '�')) throw new Error(`a bare "�" row: ${JSON.stringify(labels)}`);
  });

  await check('state: Toggle Pruning on a prompt without polyglot.pruning offers to insert the active variant; the inserted block runs that very variant, and Toggle then switches it', async () => {
    const { pruneWandaFrEn20, waitEvent } = h;
    await writeAndOpen('toggle-insert.prompt', '---\nconfig:\n  maxOutputTokens: 2\n---\nLe chat dort.\n', 'Le chat');
    // The active variant of the default model, made from the palette.
    const v = await pruneWandaFrEn20();
    let before = events().length;
    await runCommand('Polyglot Lens: Toggle Pruning in Prompt');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'no polyglot.pruning block' }).first();
    await toast.waitFor({ timeout: ceil(15000) });
    if (!(await toast.innerText()).includes(v.name)) throw new Error(`the offer does not name ${v.name}: ${await toast.innerText()}`);
    await shot('58-toggle-offers-insert');
    await toast.locator('.monaco-button', { hasText: 'Insert polyglot.pruning' }).first().click();
    const ins = await waitEvent(['pruning-inserted'], before, 15000, 'the insertion');
    assertEq(ins.variant, v.name, 'inserted variant');
    await page.locator('.editor-instance .view-line', { hasText: 'polyglot.pruning: {enabled: true, method: wanda, sparsity: 0.2' }).first().waitFor({ timeout: ceil(15000) });
    const ran = await waitEvent(['analyzed'], before, 180000, 'the analysis with the inserted variant');
    assertEq(ran.variant, v.name, 'the prompt runs the palette variant');
    await page.locator('.statusbar-item', { hasText: v.name }).first().waitFor({ timeout: ceil(10000) });
    // Toggle now has a block to switch: dense.
    before = events().length;
    await runCommand('Polyglot Lens: Toggle Pruning in Prompt');
    const t = await waitEvent(['pruning-toggled'], before, 15000, 'toggle');
    assertEq(t.enabled, false, 'toggled off');
    const dense = await waitEvent(['analyzed'], before, 180000, 'the dense analysis');
    assertEq(dense.variant, null, 'dense after Toggle');
    await shot('59-toggle-after-insert');
  });

  /** VS Code's folder dialog (the simple file dialog in a browser): types `folder`/ once the dialog has listed its start folder, and accepts. */
  async function pickFolder(okLabel, folder) {
    const ok = page.locator('.quick-input-widget .monaco-button', { hasText: okLabel }).first();
    await ok.waitFor({ timeout: ceil(20000) });
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first().waitFor({ timeout: ceil(20000) });
    // The dialog rewrites the path while it loads: fill until it keeps ours.
    const input = page.locator('.quick-input-widget .quick-input-box input').first();
    await waitFor(async () => {
      if ((await input.inputValue()) === `${folder}/`) return true;
      await input.fill(`${folder}/`);
      return false;
    }, 10000, `the dialog to show ${folder}/`);
    if (await ok.count()) await ok.click(); else await page.keyboard.press('Enter');
  }

  await check('state: Find Language Neurons saves its result (the panel\'s Save Folder… button) to a folder that Open Language Neurons Folder… and the Neuron panel accept (after an engine restart)', async () => {
    const { analyze, waitEvent, waitQuickTitle, panelWith, readDump } = h;
    await quickOpen('lape-en-fr.prompt', 'All human beings');
    await analyze('lape-en-fr.prompt');
    let before = events().length;
    await runCommand('Polyglot Lens: Find Language Neurons');
    await waitEvent(['lape'], before, 240000, 'LAPE');
    const found = readDump('lape.json');
    const parent = path.join(wsDir, 'saved-neurons');
    fs.mkdirSync(parent, { recursive: true });
    before = events().length;
    // The panel's Save Folder… button (the palette's Save Language Neurons Folder… runs the same command).
    const lf = await panelWith('languageNeurons', '[data-testid="lape-save"]', 30000);
    await lf.locator('[data-testid="lape-save"]').first().click();
    await pickFolder('Save into this folder', parent);
    await waitQuickTitle('Save Language Neurons Folder: folder name');
    await page.keyboard.press('Enter');
    const saved = await waitEvent(['lape-saved'], before, 60000, 'saved folder');
    assertEq(path.dirname(saved.outDir), parent, 'saved under the picked folder');
    const json = JSON.parse(fs.readFileSync(path.join(saved.outDir, 'lape.json'), 'utf8'));
    assertEq(json.languages, found.languages, 'languages');
    assertEq(found.languages.map((l, i) => json.neurons[l].flat().length === found.neurons[i].flat().length), found.languages.map(() => true), 'neuron lists as found');
    if (!fs.existsSync(path.join(saved.outDir, 'neuron-stats.safetensors'))) throw new Error('no neuron-stats.safetensors');
    // A fresh engine knows no language neurons; opening the folder gives them back to it.
    before = events().length;
    await runCommand('Polyglot Lens: Restart Engine');
    await waitEvent(['engine-restart'], before, 10000, 'restart');
    await quickOpen('lape-en-fr.prompt', 'All human beings');
    await analyze('lape-en-fr.prompt');
    before = events().length;
    await runCommand('Polyglot Lens: Open Language Neurons Folder…');
    await pickFolder('Open language neurons', saved.outDir);
    const opened = await waitEvent(['lape-opened'], before, 60000, 'opened folder');
    assertEq(opened.engine, true, 'the engine took the folder');
    // The Neuron panel of a neuron the folder lists for the first language shows that language profile.
    const lang = found.languages[0];
    const layer = found.neurons[0].findIndex((js) => js.length > 0);
    const neuron = `L${layer}.N${found.neurons[0][layer][0]}`;
    before = events().length;
    await runCommand('Polyglot Lens: Show Neuron…');
    await page.locator('.quick-input-widget .quick-input-box input').first().waitFor({ timeout: ceil(15000) });
    await page.keyboard.type(neuron);
    await page.keyboard.press('Enter');
    await waitEvent(['neuron-panel'], before, 60000, 'Neuron panel');
    const neurons = fs.readFileSync(path.join(h.dumpDir, 'neurons.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const r = neurons.reverse().find((x) => x.where === 'panel' && `L${x.layer}.N${x.index}` === neuron);
    if (!r || !r.languages) throw new Error(`the Neuron panel of ${neuron} has no language profile: ${JSON.stringify(r && r.languages)}`);
    if (!r.languages.selectedFor.includes(lang)) throw new Error(`${neuron} is not specific to ${lang} in the panel: ${JSON.stringify(r.languages)}`);
    await panelWith('neuron', `[data-testid="neuron-languages"] [data-lang="${lang}"]`, 30000);
    await shot('60-neuron-panel-from-saved-lape');
  });

  await check('state: the Neuron panel builds the neuron index from the editor (Build Neuron Index…), then shows the neuron\'s top examples', async () => {
    const { waitEvent, waitQuickTitle, panelWith, analyze } = h;
    await quickOpen('lape-en-fr.prompt', 'All human beings');
    await analyze('lape-en-fr.prompt');
    let before = events().length;
    await runCommand('Polyglot Lens: Show Neuron…');
    await page.locator('.quick-input-widget .quick-input-box input').first().waitFor({ timeout: ceil(15000) });
    await page.keyboard.type('L2.N100');
    await page.keyboard.press('Enter');
    await waitEvent(['neuron-panel'], before, 60000, 'Neuron panel');
    let frame = await panelWith('neuron', '[data-testid="neuron-buildIndex"]', 30000);
    before = events().length;
    await frame.locator('[data-testid="neuron-buildIndex"]').click();
    // The prompt declares polyglot.corpus (udhr:en,fr): no language pick; the folder dialog, then its name.
    await pickFolder('Build the index in this folder', wsDir);
    await waitQuickTitle('Build Neuron Index: folder name');
    await page.keyboard.press('Enter');
    const built = await waitEvent(['neuron-index'], before, 300000, 'neuron index');
    assertEq(built.outDir, path.join(wsDir, 'neuron-index'), 'index folder');
    assertEq(built.setting, 'neuron-index', 'polyglotLens.neuronIndex (workspace, relative)');
    if (!(built.sequences > 0)) throw new Error(`empty index: ${JSON.stringify(built)}`);
    await waitEvent(['neuron-panel'], before, 60000, 'the Neuron panel again');
    const neurons = fs.readFileSync(path.join(h.dumpDir, 'neurons.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const r = neurons.reverse().find((x) => x.where === 'panel' && x.layer === 2 && x.index === 100);
    if (!r || r.indexState.state !== 'ok' || !(r.examples && r.examples.length)) throw new Error(`no top examples after building: ${JSON.stringify(r && r.indexState)}`);
    frame = await panelWith('neuron', '[data-testid="neuron-examples"] li', 30000);
    const shown = await frame.locator('[data-testid="neuron-examples"] li').count();
    assertEq(shown, r.examples.length, 'examples listed');
    await shot('61-neuron-index-built');
  });

  await check('state: every panel in light, dark and both high-contrast themes: screenshots, and no text cut by its box, its chart or the panel edge', async () => {
    const { analyze, panelFrame, panelWith, pickRow, waitQuickTitle, waitEvent, openFile } = h;
    const tab = (prefix) => page.locator('.tabs-container .tab', { hasText: prefix }).first();
    const has = async (prefix) => (await tab(prefix).count()) > 0;
    // Every panel kind, made here when an earlier check has not left it open.
    if (!(await has('Activations:'))) { await quickOpen('hello.en.prompt', 'All human beings'); await analyze('hello.en.prompt'); }
    if (!(await has('Neuron L'))) {
      await quickOpen('hello.en.prompt', 'All human beings');
      await runCommand('Polyglot Lens: Show Neuron…');
      await page.locator('.quick-input-widget .quick-input-box input').first().waitFor({ timeout: ceil(15000) });
      await page.keyboard.type('L2.N100');
      await page.keyboard.press('Enter');
      await panelWith('neuron', '[data-testid="provenance"]', 120000);
    }
    if (!(await has('Language neurons:'))) {
      await openFile('lape-en-fr.prompt', 'All human beings');
      const before = events().length;
      await runCommand('Polyglot Lens: Find Language Neurons');
      await waitEvent(['lape'], before, 240000, 'LAPE');
    }
    if (!(await has('Translation features:'))) {
      await quickOpen('hello.prompt', 'Tous les');
      const before = events().length;
      await runCommand('Polyglot Lens: Map Translation Features');
      await waitQuickTitle('Map Translation Features');
      await pickRow('mt:fr-en');
      await waitEvent(['features'], before, 300000, 'features');
    }
    if (!(await has('Compare:'))) {
      await writeAndOpen('theme-compare.prompt', '---\npolyglot.deactivate: [L0.N3]\nconfig:\n  maxOutputTokens: 4\n---\nLe chat dort sur le tapis.\n', 'Le chat');
      const before = events().length;
      await runCommand('Polyglot Lens: Compare Dense vs Pruned');
      await waitEvent(['compared'], before, 120000, 'compare');
    }
    if (!(await has('Measure numeric') ) && !(await has('Numeric bias')) && !(await has('Studies'))) {
      await openFile('quality.prompt', 'Rate how fluent');
      const before = events().length;
      await runCommand('Polyglot Lens: Measure Numeric Bias');
      await waitQuickTitle('Dataset');
      await pickRow('quality.jsonl');
      await waitQuickTitle('Score ranges');
      await page.keyboard.press('Enter');
      await waitQuickTitle('Models');
      await pickRow('This model only');
      await waitEvent(['studies'], before, 240000, 'numeric bias');
    }
    if (!(await has('Results:'))) {
      await openFile('classify.prompt', 'polyglot.eval');
      const before = events().length;
      await runCommand('Polyglot Lens: Evaluate');
      await waitEvent(['evaluated'], before, 360000, 'evaluation');
    }
    if (!(await has('Latent language:'))) {
      await quickOpen('hello.en.prompt', 'All human beings');
      const before = events().length;
      await runCommand('Polyglot Lens: Show Latent Language');
      await waitEvent(['lens'], before, 180000, 'latent language');
    }
    const kinds = [['activations', 'Activations:'], ['neuron', 'Neuron L'], ['languageNeurons', 'Language neurons:'], ['features', 'Translation features:'], ['compare', 'Compare:'], ['studies', null], ['results', 'Results:'], ['latentLanguage', 'Latent language:']];
    // Themes picked as a user does (Preferences: Color Theme): [name, the picker's label, the webview body's class, the workbench's class].
    const themes = [['light', 'Light Modern', 'vscode-light', 'vs'], ['dark', 'Dark Modern', 'vscode-dark', 'vs-dark'], ['hc-dark', 'Dark High Contrast', 'vscode-high-contrast', 'hc-black'], ['hc-light', 'Light High Contrast', 'vscode-high-contrast-light', 'hc-light']];
    const exactRow = (text) => page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${text}$`) }) }).first();
    const pickTheme = async (label) => {
      // The command's own row (Enter on the top row may be "Browse Color Themes in Marketplace"), then the theme's.
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget').waitFor({ state: 'visible' });
      await page.keyboard.type('Preferences: Color Theme');
      await exactRow('Preferences: Color Theme').waitFor({ timeout: ceil(15000) });
      await exactRow('Preferences: Color Theme').click();
      await page.locator('.quick-input-widget .quick-input-box input[placeholder*="Color Theme"]').first().waitFor({ timeout: ceil(15000) });
      await page.keyboard.type(label);
      await exactRow(label).waitFor({ timeout: ceil(15000) });
      await exactRow(label).click();
    };
    const problems = [];
    try {
      for (const [name, theme, bodyClass, workbenchClass] of themes) {
        await pickTheme(theme);
        await page.locator(`.monaco-workbench.${workbenchClass}`).first().waitFor({ timeout: ceil(30000) });
        await runCommand('Notifications: Clear All Notifications');
        for (const [kind, prefix] of kinds) {
          // The Studies panel's tab is the study's title.
          const t = prefix ? tab(prefix) : page.locator('.tabs-container .tab', { hasText: /Numeric bias|Instruction variants|Score/ }).first();
          if (!(await t.count())) { problems.push(`${name}: no ${kind} panel open`); continue; }
          await t.click();
          const frame = await panelFrame(kind, 60000);
          await frame.locator(`body.${bodyClass}`).waitFor({ timeout: ceil(30000) });
          await settled(page); // charts redraw on the theme change
          await page.screenshot({ path: path.join(h.outDir, `theme-${name}-${kind}.png`) });
          // The rest of a panel taller than the window: scrolled to its end, a second screenshot.
          if (await frame.evaluate(() => document.documentElement.scrollHeight > window.innerHeight + 4)) {
            await frame.evaluate(() => new Promise((r) => { window.scrollTo(0, document.documentElement.scrollHeight); requestAnimationFrame(() => requestAnimationFrame(r)); }));
            await page.screenshot({ path: path.join(h.outDir, `theme-${name}-${kind}-end.png`) });
            await frame.evaluate(() => window.scrollTo(0, 0));
          }
          const cut = await frame.evaluate(() => {
            const out = [];
            const say = (el, what) => out.push(`${what}: ${(el.textContent || el.getAttribute('data-testid') || el.tagName).trim().slice(0, 60)}`);
            for (const t of document.querySelectorAll('svg text')) {
              const svg = t.closest('svg');
              const r = t.getBoundingClientRect(), c = svg.getBoundingClientRect();
              if (r.width === 0 || getComputedStyle(svg).display === 'none') continue;
              if (r.left < c.left - 1 || r.right > c.right + 1 || r.top < c.top - 1 || r.bottom > c.bottom + 1) say(t, `svg text outside its chart (${Math.round(r.left - c.left)}..${Math.round(r.right - c.right)})`);
            }
            for (const el of document.querySelectorAll('body *')) {
              if (el.closest('svg') || el.classList.contains('sr-only') || el.closest('[hidden]')) continue;
              const cs = getComputedStyle(el);
              if (cs.overflowX !== 'hidden' && cs.overflowX !== 'clip') continue;
              if (el.scrollWidth > el.clientWidth + 1 && !(cs.textOverflow === 'ellipsis' && (el.title || el.closest('[title]')))) say(el, 'text cut by its box');
            }
            const W = document.documentElement.clientWidth;
            const scrolls = (el) => { for (let p = el.parentElement; p; p = p.parentElement) { const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll') return true; } return false; };
            for (const el of document.querySelectorAll('table, svg, canvas, .toolbar, .output, .continuation')) {
              const r = el.getBoundingClientRect();
              if (r.width > 0 && r.right > W + 1 && !scrolls(el)) say(el, `${el.tagName.toLowerCase()} past the panel edge by ${Math.round(r.right - W)} px`);
            }
            return out;
          });
          for (const c of cut) problems.push(`${name}/${kind}: ${c}`);
          if (name === 'dark' && kind === 'activations') {
            // The hover card of the right-most cell stays inside the panel.
            const canvas = frame.locator('[data-testid="heatmap-canvas"]');
            const box = await canvas.boundingBox();
            await canvas.hover({ position: { x: box.width - 2, y: 9 } });
            const card = frame.locator('[data-testid="hover-card"]:not([hidden])');
            await card.waitFor({ timeout: ceil(10000) });
            const inside = await card.evaluate((el) => { const r = el.getBoundingClientRect(); return r.left >= 0 && r.top >= 0 && r.right <= document.documentElement.clientWidth + 1 && r.bottom <= window.innerHeight + 1; });
            await page.screenshot({ path: path.join(h.outDir, 'theme-dark-activations-hover-card.png') });
            if (!inside) problems.push('dark/activations: the hover card runs off the panel');
          }
        }
      }
    } finally {
      await pickTheme('Light Modern').catch(() => {});
    }
    if (problems.length) throw new Error(`${problems.length} clipped: ${problems.slice(0, 8).join(' | ')}`);
  });
}

