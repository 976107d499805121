/** The handler signature every request method implements (handlers.ts assembles the table). */
import type { JobOptions } from '../api';
import type { EngineMethod, EngineMethods } from './protocol';
import type { EngineState } from './state';

export type { VariantSummary } from './protocol';

export type Handler<M extends EngineMethod> = (s: EngineState, p: EngineMethods[M]['params'], o: JobOptions) => Promise<EngineMethods[M]['result']>;
