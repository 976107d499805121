/**
 * Hook point names (TransformerLens naming, methods.md §1) and their order in the forward pass.
 * The order lets the graph builder stop computing after the last hook a run needs.
 */
import { UserError } from './errors';

/** Per-block hook names in forward order. */
export const BLOCK_HOOKS = [
  'hook_resid_pre',
  'ln1.hook_normalized',
  'attn.hook_z',
  'ln2.hook_normalized',
  'mlp.hook_pre',
  'mlp.hook_pre_linear',
  'mlp.hook_post',
  'hook_resid_post',
] as const;
export type BlockHook = (typeof BLOCK_HOOKS)[number];

export const GLOBAL_HOOKS = ['hook_embed', 'ln_final.hook_normalized', 'logits'] as const;

export interface HookShapeFacts {
  nLayers: number;
  dModel: number;
  dMlp: number;
  nHeads: number;
  dHead: number;
  vocabSize: number;
  /** Plain (non-gated) MLPs have no hook_pre_linear. */
  gatedMlp: boolean;
}

/** Forward-order rank of a hook: everything with a lower rank is computed before it. */
export function hookRank(name: string, nLayers: number): number {
  if (name === 'hook_embed') return -1;
  if (name === 'ln_final.hook_normalized') return nLayers * BLOCK_HOOKS.length;
  if (name === 'logits') return nLayers * BLOCK_HOOKS.length + 1;
  const m = /^blocks\.(\d+)\.(.+)$/.exec(name);
  if (!m) throw new Error(`not a hook: ${name}`);
  return Number(m[1]) * BLOCK_HOOKS.length + BLOCK_HOOKS.indexOf(m[2] as BlockHook);
}

export function hookWidth(name: string, f: HookShapeFacts): number {
  if (name === 'logits') return f.vocabSize;
  if (name.endsWith('attn.hook_z')) return f.nHeads * f.dHead;
  if (/mlp\.hook_(pre|pre_linear|post)$/.test(name)) return f.dMlp;
  return f.dModel;
}

/** All hook names this model has. */
export function allHooks(f: HookShapeFacts): string[] {
  const names = ['hook_embed'];
  for (let i = 0; i < f.nLayers; i++) {
    for (const h of BLOCK_HOOKS) if (f.gatedMlp || h !== 'mlp.hook_pre_linear') names.push(`blocks.${i}.${h}`);
  }
  names.push('ln_final.hook_normalized', 'logits');
  return names;
}

/**
 * The residual streams a lens reads: layer 0 is the input of block 0 (the embeddings, with position
 * embeddings or BLOOM's embedding LayerNorm applied: HF's hidden_states[0]), layer ℓ ≥ 1 the output
 * of block ℓ−1 (before the final norm, which the lens applies itself).
 */
export function lensHooks(nLayers: number): string[] {
  return ['blocks.0.hook_resid_pre', ...Array.from({ length: nLayers }, (_, i) => `blocks.${i}.hook_resid_post`)];
}

/**
 * Expands user patterns (`blocks.*.mlp.hook_post`, exact names) into concrete hook names, in
 * forward order, rejecting anything unknown with the list of what exists.
 */
export function expandHookPatterns(patterns: string[], f: HookShapeFacts, subject = '--hooks'): string[] {
  const known = allHooks(f);
  const knownSet = new Set(known);
  const chosen = new Set<string>();
  for (const raw of patterns) {
    const p = raw.trim();
    if (!p) continue;
    if (p.includes('*')) {
      const re = new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '\\d+')}$`);
      const hits = known.filter((n) => re.test(n));
      if (hits.length === 0) throw new UserError(subject, `pattern ${p} matches no hook point (e.g. blocks.*.mlp.hook_post, logits)`);
      hits.forEach((h) => chosen.add(h));
    } else if (knownSet.has(p)) {
      chosen.add(p);
    } else {
      const m = /^blocks\.(\d+)\./.exec(p);
      if (m && Number(m[1]) >= f.nLayers) throw new UserError(subject, `${p}: layer ${m[1]} does not exist (the model has ${f.nLayers} layers, 0-${f.nLayers - 1})`);
      throw new UserError(subject, `unknown hook ${p} (known per block: ${BLOCK_HOOKS.join(', ')}; global: ${GLOBAL_HOOKS.join(', ')})`);
    }
  }
  return known.filter((n) => chosen.has(n));
}
