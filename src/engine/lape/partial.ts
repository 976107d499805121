/**
 * LAPE counts as partial statistics (shard/partial.ts) and back: tensors `counts/{lang}` hold the
 * active-position counts [n_layers · d_mlp], scalars `tokens/{lang}` the counted positions.
 */
import type { Merged } from '../shard/merge';
import type { PartialContent } from '../shard/partial';
import type { ShardSpec } from '../shard/shard';
import type { LapeCounts } from './lape';

export function lapePartial(c: LapeCounts, model: { name: string; fingerprint: string }, shard: ShardSpec): { content: PartialContent; tensors: Map<string, Float64Array> } {
  return {
    content: {
      kind: 'neurons',
      model,
      corpus: { name: c.corpus, fingerprint: c.corpusFingerprint },
      settings: {
        statistic: 'countPos blocks.*.mlp.hook_pre',
        languages: c.languages,
        maxLength: c.maxLength,
        maxTokensPerLang: c.maxTokensPerLang,
        probQuantile: c.probQuantile,
        entropyQuantile: c.entropyQuantile,
      },
      shard,
      scalars: Object.fromEntries(c.languages.map((l, i) => [`tokens/${l}`, c.tokenCounts[i]!])),
      info: { nLayers: c.nLayers, dMlp: c.dMlp },
    },
    tensors: new Map(c.languages.map((l, i) => [`counts/${l}`, c.counts[i]!])),
  };
}

export function lapeCountsFromMerged(m: Merged): LapeCounts {
  const s = m.manifest.settings as { languages: string[]; maxLength: number; maxTokensPerLang: number | null; probQuantile: number; entropyQuantile: number };
  const info = m.manifest.info as { nLayers: number; dMlp: number };
  return {
    languages: s.languages,
    counts: s.languages.map((l) => m.tensors.get(`counts/${l}`)!),
    tokenCounts: s.languages.map((l) => m.manifest.scalars[`tokens/${l}`]!),
    nLayers: info.nLayers,
    dMlp: info.dMlp,
    maxLength: s.maxLength,
    maxTokensPerLang: s.maxTokensPerLang,
    probQuantile: s.probQuantile,
    entropyQuantile: s.entropyQuantile,
    corpus: m.manifest.corpus.name,
    corpusFingerprint: m.manifest.corpus.fingerprint,
  };
}
