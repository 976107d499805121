/**
 * Panels you can trust (issue #26 items 3, 4): every panel is headed by what it was computed from
 * (prompt and document version, model, variant, time); it marks itself stale, with a Re-run
 * button, once the editor would run something else (the prompt edited, a Toggle undone, another
 * model or variant chosen); a panel VS Code restores after a window reload is reconnected to its
 * saved data where the editor can use it (Activations: token hovers and editor linking;
 * Language neurons: neuron hovers' language profiles), and otherwise says plainly that it is a
 * snapshot.
 */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { ActivationAnalysis } from '../../shared/analysis';
import type { LapeResult } from '../../shared/lape';
import type { PanelKind, PanelProvenance, PanelRestored, RerunAction } from '../../shared/protocol';
import { fromWire } from '../../shared/wire';
import type { App } from '../app';
import { LensPanel } from '../panels/lensPanel';
import { SECTION } from '../settings';
import { activeModelDir, planRun, type RunPlan } from './runPlan';
import { runLabel, staleReason, type RunSignature } from '../prompt/runSignature';

export { runLabel, staleReason, type RunSignature };

export function signatureOf(app: App, plan: RunPlan, opts: { lengths?: boolean } = {}): RunSignature {
  return {
    model: app.variants.modelKey(plan.modelDir),
    variant: runLabel(plan.variant, plan.deactivate),
    text: plan.text,
    ...(opts.lengths ? { topK: plan.topK, maxNewTokens: plan.maxNewTokens } : {}),
  };
}

/** The header of a panel computed from a prompt run. */
export function promptProvenance(doc: vscode.TextDocument, version: number, model: string, variant: string, rerun: RerunAction): PanelProvenance {
  return { source: basename(doc.fileName), version, model, variant, ranAt: new Date().toISOString(), rerun };
}

type Watch = () => string | undefined;
const watches = new WeakMap<LensPanel, Watch>();

/** Keeps `panel`'s stale mark up to date with `watch` (checked on edits, settings, variants, editor switches). */
export function watchPanel(panel: LensPanel, watch: Watch): void {
  watches.set(panel, watch);
  refresh(panel);
}

/** Stale when the prompt `uri` (example `example`) would now run something other than `ran`. */
export function promptWatch(app: App, uri: vscode.Uri, example: number, ran: RunSignature, opts: { lengths?: boolean; side?: (plan: RunPlan, doc: vscode.TextDocument) => string } = {}): Watch {
  return () => {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!doc) return undefined; // closed: nothing to compare with
    let plan: RunPlan;
    try {
      plan = planRun(app, doc, Math.max(0, example));
    } catch (e) {
      return `the prompt cannot run now (${(e instanceof Error ? e.message : String(e)).split('\n')[0]})`;
    }
    const now = signatureOf(app, plan, opts);
    if (opts.side) now.variant = opts.side(plan, doc);
    return staleReason(ran, now);
  };
}

/** Stale once the prompt is edited after the run (Evaluate and the studies read the saved file). */
export function versionWatch(uri: vscode.Uri, version: number): Watch {
  return () => {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    return doc && doc.version !== version ? 'the prompt was edited since this run' : undefined;
  };
}

/** Stale when the active prompt (or the settings) now name another model than the one this ran on. */
export function modelWatch(app: App, model: string): Watch {
  return () => {
    let now: string;
    try {
      now = app.variants.modelKey(activeModelDir(app));
    } catch {
      return undefined;
    }
    return now !== model ? `the active prompt runs on ${basename(now)}, this ran on ${basename(model)}` : undefined;
  };
}

function refresh(panel: LensPanel): void {
  const watch = watches.get(panel);
  const p = panel.provenance;
  if (!watch || !p) return;
  const stale = watch();
  if (stale === p.stale) return;
  const { stale: _old, ...rest } = p;
  panel.setProvenance(stale ? { ...rest, stale } : rest);
}

export function registerPanelState(app: App): void {
  const { ctx } = app;
  const refreshAll = (): void => LensPanel.all(ctx).forEach(refresh);
  let timer: NodeJS.Timeout | undefined;
  const later = (): void => {
    clearTimeout(timer);
    timer = setTimeout(refreshAll, 300);
  };
  ctx.own(
    vscode.workspace.onDidChangeTextDocument(later),
    vscode.workspace.onDidSaveTextDocument(later),
    vscode.window.onDidChangeActiveTextEditor(later),
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration(SECTION)) later(); }),
    app.variants.onDidChange.event(later),
    { dispose: () => clearTimeout(timer) },
    ctx.panelMessages.event(({ kind, msg }) => {
      if (msg.type === 'panel/rerun') {
        ctx.e2e.event('panel-rerun', { panel: kind, command: msg.rerun.command });
        void vscode.commands.executeCommand(msg.rerun.command, ...(msg.rerun.uri ? [vscode.Uri.parse(msg.rerun.uri)] : []), ...msg.rerun.args);
      } else if (msg.type === 'languageNeurons/save') {
        void vscode.commands.executeCommand('polyglotLens.saveLanguageNeurons');
      } else if (msg.type === 'panel/restored') {
        void reconnect(app, kind, msg).then((why) => { if (why) ctx.log(`${kind} panel restored after the reload stays a snapshot: ${why}`); });
      }
    }),
  );
}

/**
 * A restored panel: Activations is reconnected when its prompt still renders to the analysed text
 * with the same model and variant (token hovers, editor ↔ panel linking, neuron hovers from its
 * top-k); Language neurons always (its result feeds neuron hovers). Other panels stay marked as
 * snapshots: their data cannot be recomputed without running the job again.
 */
async function reconnect(app: App, kind: PanelKind, msg: PanelRestored): Promise<string | undefined> {
  const panel = LensPanel.get(app.ctx, kind);
  if (!panel?.restored) return undefined; // a live panel shown again: LensPanel re-sends its header
  if (!msg.provenance) return 'it was saved without its header';
  const p = msg.provenance;
  if (msg.show.type === 'languageNeurons/show') {
    app.ctx.storeLape(fromWire<LapeResult>(msg.show.lape));
    live(app, panel, p, kind);
    return undefined;
  }
  if (msg.show.type !== 'activations/show' || !p.rerun?.uri) return 'its result cannot be used without running it again';
  let doc: vscode.TextDocument;
  try {
    doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(p.rerun.uri));
  } catch {
    return `${p.rerun.uri} cannot be opened`;
  }
  const analysis = fromWire<ActivationAnalysis>(msg.show.analysis);
  const example = typeof p.rerun.args[0] === 'number' ? p.rerun.args[0] : 0;
  let plan: RunPlan;
  try {
    plan = planRun(app, doc, Math.max(0, example));
  } catch (e) {
    return `the prompt cannot run now (${e instanceof Error ? e.message : String(e)})`;
  }
  if (plan.text !== analysis.text || runLabel(plan.variant, plan.deactivate) !== p.variant) return 'the prompt has changed since';
  const signature = signatureOf(app, plan, { lengths: true });
  app.ctx.storeAnalysis(doc.uri, { analysis, rendered: plan.rendered, example: plan.example, run: { deactivate: plan.deactivate, variant: plan.variant }, provenance: p, signature });
  app.ctx.shownActivations = doc.uri;
  live(app, panel, p, kind);
  watchPanel(panel, promptWatch(app, doc.uri, example, signature, { lengths: true }));
  return undefined;
}

function live(app: App, panel: LensPanel, p: PanelProvenance, kind: PanelKind): void {
  panel.restored = false;
  panel.setProvenance(p);
  app.ctx.e2e.event('panel-reconnected', { panel: kind });
  app.ctx.log(`${kind} panel restored after the reload and reconnected to its saved result (${p.source ?? ''} ${p.model})`);
}
