/** An error the user fixes with a command; `actions` are offered on its notification. */
export interface ErrorAction {
  title: string;
  command: string;
  args?: unknown[];
}

export class ActionableError extends Error {
  constructor(message: string, readonly actions: ErrorAction[]) {
    super(message);
    this.name = 'ActionableError';
  }
}

/** A model folder that cannot be loaded: pick another, or fix the setting that names it. */
export const MODEL_ACTIONS: ErrorAction[] = [
  { title: 'Select Model…', command: 'polyglotLens.selectModel' },
  { title: 'Open Settings', command: 'workbench.action.openSettings', args: ['polyglotLens.modelPath'] },
];
