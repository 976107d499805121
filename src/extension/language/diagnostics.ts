import * as vscode from 'vscode';
import type { PromptDiagnostic } from '../../shared/prompt/types';
import { polyglotDiagnostics } from '../prompt/ownership';
import type { PolyglotContext } from '../context';
import { isPromptDocument, type PromptDocuments } from '../promptDocuments';

const SEVERITY: Record<PromptDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** Frontmatter and template diagnostics for open `.prompt` documents, refreshed as they change (debounced). */
export function registerDiagnostics(ctx: PolyglotContext, prompts: PromptDocuments): void {
  const collection = ctx.own(vscode.languages.createDiagnosticCollection('polyglot-prompt'));
  const timers = new Map<string, NodeJS.Timeout>();
  const refresh = (doc: vscode.TextDocument) => {
    if (!isPromptDocument(doc)) return;
    const shown = polyglotDiagnostics(prompts.get(doc).doc);
    collection.set(doc.uri, shown.map((d) => toVscode(doc, d)));
    ctx.e2e.event('diagnostics', { file: doc.fileName, diagnostics: shown.map((d) => ({ code: d.code, start: d.start, end: d.end, message: d.message, ...(d.fix ? { fix: d.fix } : {}) })) });
  };
  const later = (doc: vscode.TextDocument) => {
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => { timers.delete(key); refresh(doc); }, 200));
  };
  ctx.own(
    vscode.workspace.onDidOpenTextDocument(refresh),
    vscode.workspace.onDidChangeTextDocument((e) => later(e.document)),
    vscode.workspace.onDidSaveTextDocument((doc) => {
      if (!doc.fileName.endsWith('.prompt')) return;
      // A saved partial changes the diagnostics of every prompt that includes it.
      prompts.clear();
      vscode.workspace.textDocuments.forEach(refresh);
    }),
    vscode.workspace.onDidCloseTextDocument((doc) => { collection.delete(doc.uri); prompts.forget(doc); }),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );
  // Documents already open: checked right after activation, not inside it (activation must stay cheap).
  const initial = setTimeout(() => vscode.workspace.textDocuments.forEach(refresh), 0);
  ctx.own({ dispose: () => clearTimeout(initial) });
}

function toVscode(doc: vscode.TextDocument, d: PromptDiagnostic): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(new vscode.Range(doc.positionAt(d.start), doc.positionAt(d.end)), d.message, SEVERITY[d.severity]);
  diagnostic.source = 'Polyglot Lens';
  diagnostic.code = d.code;
  return diagnostic;
}
