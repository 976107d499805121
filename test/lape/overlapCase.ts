/** The overlap reference case (test/lape/overlap_reference.py, features-overlap.test.ts): 3 mono, 3 mt settings on UDHR. */
export const OVERLAP_CASE = {
  requests: [
    { name: 'fr', source: 'mono:fr' },
    { name: 'de', source: 'mono:de' },
    { name: 'en', source: 'mono:en' },
    { name: 'fr-en', source: 'mt:fr-en' },
    { name: 'de-en', source: 'mt:de-en' },
    { name: 'en-fr', source: 'mt:en-fr' },
  ],
  options: { sequences: 12, length: 256, shots: 4, seed: 0 },
  k: 0.3,
};
