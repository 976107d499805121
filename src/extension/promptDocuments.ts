import * as vscode from 'vscode';
import { parsePrompt, type ParsedPromptFile } from '../shared/prompt/parse';
import { nodePromptHost } from '../engine/io/nodePromptHost';

/**
 * `.prompt` documents, whichever extension owns the file: ours registers `polyglot-prompt`,
 * Google's Dotprompt extension registers `dotprompt` for the same extension. Every provider
 * uses this selector so features work under either language id.
 */
export const PROMPT_LANGUAGES = ['polyglot-prompt', 'dotprompt'] as const;
export const PROMPT_SELECTOR: vscode.DocumentSelector = PROMPT_LANGUAGES.map((language) => ({ language }));

export function isPromptDocument(doc: vscode.TextDocument): boolean {
  return (PROMPT_LANGUAGES as readonly string[]).includes(doc.languageId) || doc.fileName.endsWith('.prompt');
}

/** Parses a document once per version (diagnostics, CodeLens, hovers and commands share it). */
export class PromptDocuments {
  private readonly cache = new Map<string, { version: number; parsed: ParsedPromptFile }>();

  constructor(private readonly defaultModelDir: string) {}

  get(doc: vscode.TextDocument): ParsedPromptFile {
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === doc.version) return hit.parsed;
    const host = doc.uri.scheme === 'file' ? nodePromptHost(doc.uri.fsPath) : undefined;
    // Workspace folders: polyglot.eval model entries are looked up there after the prompt's folder.
    const roots = vscode.workspace.workspaceFolders?.map((f) => f.uri.fsPath);
    const parsed = parsePrompt(doc.getText(), { fileName: doc.fileName, host, defaultModelDir: this.defaultModelDir, roots });
    this.cache.set(key, { version: doc.version, parsed });
    return parsed;
  }

  forget(doc: vscode.TextDocument): void {
    this.cache.delete(doc.uri.toString());
  }

  /** A partial or a model folder may have changed: parse everything again. */
  clear(): void {
    this.cache.clear();
  }
}
