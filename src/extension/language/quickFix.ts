import * as vscode from 'vscode';
import type { PolyglotContext } from '../context';
import { polyglotDiagnostics } from '../prompt/ownership';
import { PROMPT_SELECTOR, type PromptDocuments } from '../promptDocuments';

/**
 * Quick Fix (Ctrl+.) for every "did you mean …?" diagnostic: the diagnostic's `fix` edits,
 * applied as one WorkspaceEdit (Undo restores the text). The VS Code diagnostic is matched back
 * to the parser's by range, code and message, so the fix is the one the message names.
 */
export function registerQuickFixes(ctx: PolyglotContext, prompts: PromptDocuments): void {
  ctx.own(vscode.languages.registerCodeActionsProvider(PROMPT_SELECTOR, {
    provideCodeActions(doc, _range, context) {
      const ours = polyglotDiagnostics(prompts.get(doc).doc);
      const actions: vscode.CodeAction[] = [];
      for (const shown of context.diagnostics) {
        if (shown.source !== 'Polyglot Lens') continue;
        const d = ours.find((x) => x.fix && x.code === shown.code && x.message === shown.message &&
          doc.offsetAt(shown.range.start) === x.start && doc.offsetAt(shown.range.end) === x.end);
        if (!d?.fix) continue;
        const text = d.fix[0]!.text;
        const action = new vscode.CodeAction(`Change to "${text}"`, vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        for (const f of d.fix) action.edit.replace(doc.uri, new vscode.Range(doc.positionAt(f.start), doc.positionAt(f.end)), f.text);
        action.diagnostics = [shown];
        action.isPreferred = true;
        actions.push(action);
      }
      return actions;
    },
  }, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }));
}
