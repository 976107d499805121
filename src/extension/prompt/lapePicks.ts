/**
 * The languages Find Language Neurons offers and pre-selects. Pure (no vscode import), unit-tested:
 * the languages the active prompt declares (`polyglot.languages`) come first and are selected,
 * whether or not the model card lists them; without a declaration en and fr are, as before.
 */
export interface LanguagePick {
  code: string;
  picked: boolean;
}

export function lapeLanguagePicks(offered: readonly string[], declared: readonly string[] | undefined): LanguagePick[] {
  const mine = [...new Set(declared ?? [])];
  const chosen = mine.length > 0 ? new Set(mine) : new Set(['en', 'fr']);
  return [...new Set([...mine, ...offered])].map((code) => ({ code, picked: chosen.has(code) }));
}
