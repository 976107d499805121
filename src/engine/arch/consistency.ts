/**
 * Checks of config.json that no single adapter owns: a config whose `architectures` names another
 * family than its `model_type`, keys that only another architecture's math uses, and features
 * the engine does not implement (quantized weights). Each is refused by name rather than run
 * wrong.
 */
import type { ConfigReader } from '../checkpoint/config';
import { UserError } from '../errors';

/** "Gemma2ForCausalLM" → "gemma2", "GPT2LMHeadModel" → "gpt2", "LLaMAForCausalLM" → "llama". */
function family(architecture: string): string {
  return architecture
    .replace(/(LMHeadModel|Model|For[A-Za-z]+)$/, '')
    .toLowerCase()
    .replace(/[-_]/g, '');
}

/** Keys whose presence (non-null) means the config was written for this model_type. */
const OWN_KEYS: Record<string, string[]> = {
  gemma2: ['query_pre_attn_scalar', 'attn_logit_softcapping', 'final_logit_softcapping'],
};

export function checkConfigConsistency(cfg: ConfigReader): void {
  const modelType = cfg.string('model_type');
  const archs = cfg.raw.architectures;
  if (Array.isArray(archs)) {
    for (const a of archs) {
      if (typeof a !== 'string') continue;
      if (family(a) !== modelType.replace(/[-_]/g, '').toLowerCase()) {
        throw new UserError(cfg.file, `architectures lists ${a} but model_type is ${modelType} (a config that mixes architectures; fix one of them)`);
      }
    }
  }
  for (const [owner, keys] of Object.entries(OWN_KEYS)) {
    if (owner === modelType) continue;
    const k = keys.find((x) => cfg.has(x));
    if (k) throw new UserError(cfg.file, `key ${k} belongs to ${owner}, not ${modelType} (a config that mixes architectures)`);
  }
  const q = cfg.object('quantization_config');
  if (q) throw new UserError(cfg.file, `quantization_config (${String(q.quant_method ?? 'unknown method')}) is not supported: quantized weights cannot be read`);
}
