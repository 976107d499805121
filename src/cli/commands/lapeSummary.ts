import type { LapeRun } from '../../engine/lape/lape';

/** The JSON line `neurons` and `import-lape` print about a LAPE result (docs/cli.md). */
export function lapeSummary(out: string, run: LapeRun): Record<string, unknown> {
  const r = run.result;
  return {
    out,
    languages: r.languages,
    tokens: Object.fromEntries(r.languages.map((l, i) => [l, run.tokenCounts[i]])),
    bar: r.bar,
    entropyThreshold: run.entropyThreshold,
    passing: run.passing,
    kept: run.kept,
    selected: Object.fromEntries(r.languages.map((l, i) => [l, r.neurons[i]!.reduce((n, js) => n + js.length, 0)])),
  };
}
