import * as vscode from 'vscode';
import { basename, dirname, resolve } from 'node:path';
import type { PromptMetadata } from '../shared/prompt/types';
import { chooseModel, type ModelChoice } from './prompt/modelChoice';
import { modelPathSetting } from './settings';

/**
 * The model a document's runs use: its `model:` (resolved against the prompt's folder), else the
 * workspace or user setting, else the default model; refused when untrusted (modelChoice.ts).
 * One place for runs, the status bar, CodeLens and Select Variant…, so they agree on whose
 * variants a prompt sees.
 */
export function modelChoiceFor(doc: vscode.TextDocument | undefined, meta: PromptMetadata | undefined): ModelChoice {
  const setting = modelPathSetting();
  const frontmatter = meta?.model !== undefined && doc?.uri.scheme === 'file'
    ? { written: meta.model, resolved: resolve(dirname(doc.uri.fsPath), meta.model), promptName: basename(doc.fileName) }
    : undefined;
  return chooseModel({ frontmatter, userSetting: setting.user, workspaceSetting: setting.workspace, trusted: vscode.workspace.isTrusted });
}
