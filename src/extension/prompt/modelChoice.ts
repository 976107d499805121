/**
 * Which checkpoint a job loads, and whether workspace trust allows it. Pure (no vscode import)
 * so the rule is unit-tested: a model path written in a workspace file (a prompt's `model:`, or
 * the workspace's settings.json) is only followed in a trusted workspace, because loading a
 * checkpoint parses attacker-controlled files (and tokenizer configs) with native code.
 */
export interface ModelSources {
  /** The prompt's `model:` as written, and resolved against the prompt's folder. */
  frontmatter?: { written: string; resolved: string; promptName: string };
  /** `polyglotLens.modelPath` from user settings and from workspace (or folder) settings. */
  userSetting?: string;
  workspaceSetting?: string;
  trusted: boolean;
}

export type ModelChoice =
  | { ok: true; dir: string | undefined; source: 'prompt' | 'workspace setting' | 'user setting' | 'default model'; note?: string }
  | { ok: false; reason: string };

export function chooseModel(s: ModelSources): ModelChoice {
  if (s.frontmatter) {
    if (!s.trusted) {
      return {
        ok: false,
        reason: `${s.frontmatter.promptName} names model "${s.frontmatter.written}", but this workspace is not trusted and Polyglot Lens only loads models named by workspace files in trusted workspaces. Trust the workspace (Workspaces: Manage Workspace Trust) or remove the model: line to use your own setting.`,
      };
    }
    return { ok: true, dir: s.frontmatter.resolved, source: 'prompt' };
  }
  const ignored = !s.trusted && nonEmpty(s.workspaceSetting)
    ? `ignored the workspace's polyglotLens.modelPath ("${s.workspaceSetting}") because the workspace is not trusted`
    : undefined;
  if (s.trusted && nonEmpty(s.workspaceSetting)) return { ok: true, dir: s.workspaceSetting, source: 'workspace setting' };
  if (nonEmpty(s.userSetting)) return { ok: true, dir: s.userSetting, source: 'user setting', note: ignored };
  return { ok: true, dir: undefined, source: 'default model', note: ignored };
}

function nonEmpty(v: string | undefined): v is string {
  return v !== undefined && v.trim() !== '';
}
