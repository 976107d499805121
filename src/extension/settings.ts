import * as vscode from 'vscode';

/** Typed access to the `polyglotLens.*` settings declared in package.json. */
export const SECTION = 'polyglotLens';

export interface Settings {
  threads: number;
  cacheDir: string | undefined;
  executionProvider: 'cpu' | 'cuda';
  weights: 'auto' | 'resident' | 'streaming' | 'mapped';
  topK: number;
  maxNewTokens: number;
  /** Calibration sequences for pruning and features; 0 = the engine's default (100). */
  calibrationSequences: number;
  /** Find Language Neurons reads at most this many tokens per language; 0 = the whole corpus. */
  lapeMaxTokensPerLanguage: number;
  /** A `neurons index` folder whose top examples neuron hovers show; undefined = none. */
  neuronIndex: string | undefined;
  /** Jobs estimated above this many seconds ask for confirmation first (0 = always). */
  confirmJobsAbove: number;
  /** Token language profile of the Latent language panel (folder or corpus); undefined = udhr: of the model's languages. */
  lensLanguages: string | undefined;
  /** A `lens fit` folder: the Latent language panel also shows the linear lens; undefined = logit lens only. */
  linearLens: string | undefined;
  /** Tokens per cell the Latent language panel keeps (its hover card lists them). */
  lensTopK: number;
  /** Start the engine and prepare a prompt's model when the prompt is opened (engineWarmup.ts). */
  warmUp: boolean;
}

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration(SECTION);
  const cacheDir = c.get<string>('cacheDir', '').trim();
  return {
    threads: c.get<number>('threads', 0),
    cacheDir: cacheDir === '' ? undefined : cacheDir,
    executionProvider: c.get<string>('executionProvider', 'cpu') === 'cuda' ? 'cuda' : 'cpu',
    weights: (['resident', 'streaming', 'mapped'] as const).find((m) => m === c.get<string>('weights', 'auto')) ?? 'auto',
    topK: c.get<number>('topK', 8),
    maxNewTokens: c.get<number>('maxNewTokens', 16),
    calibrationSequences: c.get<number>('calibrationSequences', 0),
    lapeMaxTokensPerLanguage: c.get<number>('lapeMaxTokensPerLanguage', 0),
    neuronIndex: c.get<string>('neuronIndex', '').trim() || undefined,
    confirmJobsAbove: c.get<number>('confirmJobsAbove', 60),
    lensLanguages: c.get<string>('lensLanguages', '').trim() || undefined,
    linearLens: c.get<string>('linearLens', '').trim() || undefined,
    lensTopK: c.get<number>('lensTopK', 10),
    warmUp: c.get<boolean>('warmUp', true),
  };
}

/** `polyglotLens.modelPath` split by where it was set, so workspace values can be refused when untrusted. */
export function modelPathSetting(): { user?: string; workspace?: string } {
  const i = vscode.workspace.getConfiguration(SECTION).inspect<string>('modelPath');
  return { user: i?.globalValue, workspace: i?.workspaceFolderValue ?? i?.workspaceValue };
}
