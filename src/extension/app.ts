import type { PolyglotContext } from './context';
import type { EngineHost } from './engineHost';
import type { JobTracker } from './jobs';
import type { PromptDocuments } from './promptDocuments';
import type { VariantState } from './variants';

/** What commands need, built once in main.ts. */
export interface App {
  ctx: PolyglotContext;
  engine: EngineHost;
  jobs: JobTracker;
  prompts: PromptDocuments;
  variants: VariantState;
}
