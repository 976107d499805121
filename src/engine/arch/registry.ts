/** Architecture adapters keyed by config.json `model_type`. One line per adapter. */
import { UserError } from '../errors';
import { gemmaAdapter } from './gemma';
import { gemma2Adapter } from './gemma2';
import { llamaAdapter } from './llama';
import { gpt2Adapter } from './gpt2';
import { bloomAdapter } from './bloom';
import { xglmAdapter } from './xglm';
import type { ArchAdapter } from './types';

const ADAPTERS: ArchAdapter[] = [
  llamaAdapter,
  gemmaAdapter,
  gemma2Adapter,
  gpt2Adapter,
  bloomAdapter,
  xglmAdapter,
];

export function adapterFor(modelType: string, configFile: string): ArchAdapter {
  const a = ADAPTERS.find((x) => x.modelTypes.includes(modelType));
  if (!a) {
    const known = ADAPTERS.flatMap((x) => x.modelTypes).join(', ');
    throw new UserError(configFile, `unknown model_type ${JSON.stringify(modelType)} (supported: ${known})`);
  }
  return a;
}
