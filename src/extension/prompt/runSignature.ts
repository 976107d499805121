/**
 * What a run ran, as the panel header says it and as the editor compares it with what it would
 * run now. Pure (no vscode import), unit-tested.
 */
import { basename } from 'node:path';
import type { Deactivation } from '../../engine/worker/protocol';

/** "dense", "wanda-s0.5-…", "dense −L0.N3", "wanda-… −fr neurons": what a run ran. */
export function runLabel(variant: string | undefined, deactivate: Deactivation | undefined): string {
  const base = variant ?? 'dense';
  if (!deactivate) return base;
  if ('language' in deactivate) return `${base} −${String(deactivate.language)} neurons`;
  const refs = Object.entries(deactivate).flatMap(([l, js]) => (js as number[]).map((j) => `L${l}.N${j}`));
  return refs.length === 0 ? base : `${base} −${refs.length <= 3 ? refs.join(',') : `${refs.length} neurons`}`;
}

/** What a prompt run is, for comparing the run on screen with what the editor would run now. */
export interface RunSignature {
  model: string;
  variant: string;
  text: string;
  topK?: number;
  maxNewTokens?: number;
}

/** Why the run on screen (`ran`) is not what the editor would run now (`now`), or undefined. Pure. */
export function staleReason(ran: RunSignature, now: RunSignature): string | undefined {
  const why: string[] = [];
  if (now.model !== ran.model) why.push(`the prompt now runs on ${basename(now.model)}, this ran on ${basename(ran.model)}`);
  if (now.variant !== ran.variant) why.push(`the prompt now runs ${now.variant}, this ran ${ran.variant}`);
  if (now.text !== ran.text) why.push('the prompt text changed');
  if (now.topK !== ran.topK || now.maxNewTokens !== ran.maxNewTokens) why.push('topK or the output length changed');
  return why.length ? why.join('; ') : undefined;
}

