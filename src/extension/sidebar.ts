/**
 * The Polyglot Lens view in the sidebar (issue #26 item 11): where results live. Models, each with
 * Dense and its pruning variants (the one chosen marked, whether the engine holds it now); the
 * running job and the queued ones ("waiting for …"); the open result panels with their header
 * (stale ones marked), a click away.
 */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { App } from './app';
import { LensPanel } from './panels/lensPanel';
import { activeModelDir } from './commands/runPlan';
import { variantDescription } from './commands/prune';

type Node =
  | { kind: 'section'; id: 'models' | 'jobs' | 'results' }
  | { kind: 'model'; key: string }
  | { kind: 'variant'; key: string; name: string | undefined }
  | { kind: 'job'; title: string; state: 'running' | 'waiting'; waitingFor?: string }
  | { kind: 'result'; panel: LensPanel }
  | { kind: 'empty'; text: string };

export class PolyglotTree implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly app: App) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.changed.dispose();
  }

  getChildren(n?: Node): Node[] {
    if (!n) return [{ kind: 'section', id: 'models' }, { kind: 'section', id: 'jobs' }, { kind: 'section', id: 'results' }];
    const { variants } = this.app;
    if (n.kind === 'section' && n.id === 'models') {
      let active: string | undefined;
      try {
        active = variants.modelKey(activeModelDir(this.app));
      } catch {
        active = undefined;
      }
      const keys = [...new Set([...(active ? [active] : []), variants.modelKey(undefined), ...variants.models])];
      return keys.map((key) => ({ kind: 'model', key }));
    }
    if (n.kind === 'model') return [{ kind: 'variant', key: n.key, name: undefined }, ...variants.list(n.key).map((r) => ({ kind: 'variant' as const, key: n.key, name: r.summary.name }))];
    if (n.kind === 'section' && n.id === 'jobs') {
      const jobs = this.app.jobs.list();
      return jobs.length ? jobs.map((j) => ({ kind: 'job', title: j.title, state: j.state, waitingFor: j.waitingFor })) : [{ kind: 'empty', text: 'No job running' }];
    }
    if (n.kind === 'section' && n.id === 'results') {
      const panels = LensPanel.all(this.app.ctx);
      return panels.length ? panels.map((panel) => ({ kind: 'result', panel })) : [{ kind: 'empty', text: 'No results open' }];
    }
    return [];
  }

  getTreeItem(n: Node): vscode.TreeItem {
    const { variants } = this.app;
    switch (n.kind) {
      case 'section': {
        const label = { models: 'Models', jobs: 'Jobs', results: 'Results' }[n.id];
        const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `section:${n.id}`;
        return item;
      }
      case 'model': {
        const item = new vscode.TreeItem(basename(n.key), vscode.TreeItemCollapsibleState.Expanded);
        item.id = `model:${n.key}`;
        item.description = n.key === variants.modelKey(undefined) ? 'default model' : n.key;
        item.tooltip = n.key;
        item.iconPath = new vscode.ThemeIcon('database');
        item.contextValue = 'model';
        return item;
      }
      case 'variant': {
        const active = variants.active(n.key) === n.name;
        const rec = n.name ? variants.get(n.key, n.name) : undefined;
        const item = new vscode.TreeItem(n.name ?? 'Dense', vscode.TreeItemCollapsibleState.None);
        item.id = `variant:${n.key}:${n.name ?? ''}`;
        item.description = [active ? 'active' : undefined, rec ? variantDescription(rec.summary) : 'the model as loaded',
          rec && !variants.inEngine(n.key, n.name!) ? 're-created on its next run' : undefined].filter(Boolean).join(' · ');
        item.iconPath = new vscode.ThemeIcon(active ? 'pass-filled' : 'circle-large-outline');
        item.tooltip = `Use ${n.name ?? 'Dense'} for prompts on ${basename(n.key)} that have no polyglot.pruning`;
        item.command = { title: 'Select Variant', command: 'polyglotLens.selectVariant', arguments: [{ model: n.key, name: n.name ?? null }] };
        return item;
      }
      case 'job': {
        const item = new vscode.TreeItem(n.title, vscode.TreeItemCollapsibleState.None);
        item.description = n.state === 'running' ? 'running' : `waiting for ${n.waitingFor}`;
        item.iconPath = new vscode.ThemeIcon(n.state === 'running' ? 'sync~spin' : 'watch');
        return item;
      }
      case 'result': {
        const p = n.panel.provenance;
        const item = new vscode.TreeItem(n.panel.panel.title, vscode.TreeItemCollapsibleState.None);
        item.description = p?.stale ? 'stale' : n.panel.restored ? 'snapshot' : p ? new Date(p.ranAt).toLocaleTimeString('en-GB', { hour12: false }) : undefined;
        item.tooltip = p?.stale ? `Stale: ${p.stale}` : undefined;
        item.iconPath = new vscode.ThemeIcon(p?.stale ? 'warning' : 'graph');
        item.command = { title: 'Show', command: 'polyglotLens.revealPanel', arguments: [n.panel.kind] };
        return item;
      }
      case 'empty': {
        const item = new vscode.TreeItem(n.text, vscode.TreeItemCollapsibleState.None);
        item.description = '';
        return item;
      }
    }
  }
}

/** Registers the view and keeps it current (variants, jobs, panels, the active prompt). */
export function registerSidebar(app: App): void {
  const tree = new PolyglotTree(app);
  const { ctx } = app;
  ctx.own(
    tree,
    vscode.window.createTreeView('polyglotLens.overview', { treeDataProvider: tree, showCollapseAll: false }),
    app.variants.onDidChange.event(() => tree.refresh()),
    app.jobs.onDidChange.event(() => tree.refresh()),
    LensPanel.onDidChange(() => tree.refresh()),
    vscode.window.onDidChangeActiveTextEditor(() => tree.refresh()),
  );
}
