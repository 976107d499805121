import * as vscode from 'vscode';
import { LANGUAGE_NAMES } from '../../shared/languages';
import { DOTPROMPT_KEYS, EVAL_KEYS, HOOK_NAMES, POLYGLOT_KEYS, PRUNING_KEYS, type KeyDoc } from '../../shared/prompt/keys';
import type { PolyglotContext } from '../context';
import { completionSite } from '../prompt/completionContext';
import { PROMPT_SELECTOR, type PromptDocuments } from '../promptDocuments';

/** Frontmatter completion: our keys (dotted at top level, plain inside `polyglot:`), language codes, hook names, enum values. */
export function registerCompletion(ctx: PolyglotContext, prompts: PromptDocuments): void {
  ctx.own(vscode.languages.registerCompletionItemProvider(PROMPT_SELECTOR, {
    provideCompletionItems(doc, position) {
      const parsed = prompts.get(doc);
      const site = completionSite(doc.getText(), doc.offsetAt(position), parsed.doc.frontmatter);
      if (!site) return undefined;
      const replace = new vscode.Range(position.translate(0, -site.prefix.length), position);
      switch (site.kind) {
        case 'key':
          if (site.scope === 'top') return [...POLYGLOT_KEYS.map((k) => keyItem(k, `polyglot.${k.key}`, replace)), ...DOTPROMPT_KEYS.map((k) => keyItem(k, k.key, replace))];
          return (site.scope === 'polyglot' ? POLYGLOT_KEYS : site.scope === 'eval' ? EVAL_KEYS : PRUNING_KEYS).map((k) => keyItem(k, k.key, replace));
        case 'language':
          return [...LANGUAGE_NAMES].map(([code, name]) => {
            const item = new vscode.CompletionItem({ label: code, description: name }, vscode.CompletionItemKind.EnumMember);
            item.filterText = `${code} ${name}`;
            item.range = replace;
            return item;
          });
        case 'hook':
          return HOOK_NAMES.map((h) => Object.assign(new vscode.CompletionItem(h, vscode.CompletionItemKind.Event), { range: replace }));
        case 'enum':
          return site.values.map((v) => Object.assign(new vscode.CompletionItem(v, vscode.CompletionItemKind.EnumMember), { range: replace }));
      }
    },
  }, ':', ' ', ',', '[', '.'));
}

function keyItem(k: KeyDoc, label: string, range: vscode.Range): vscode.CompletionItem {
  const item = new vscode.CompletionItem(label, vscode.CompletionItemKind.Property);
  item.insertText = new vscode.SnippetString(`${label}: ${k.snippet}`);
  item.documentation = new vscode.MarkdownString(k.doc);
  item.range = range;
  return item;
}
