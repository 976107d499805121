/**
 * Whether a prompt's `model:` names a checkpoint folder (ours) or another tool's model. Genkit and
 * Dotprompt write `provider/name` (`googleai/gemini-2.0-flash`, `openai/gpt-4o`); a folder is
 * written as a path: relative (`./m`, `../m`, `.`), absolute (`/m`, `C:\m`, `~/m`), with a
 * backslash, or any name that exists next to the prompt. Pure: `exists` is injected.
 */
const PATH_LIKE = /^(\.{1,2}([\\/]|$)|[\\/~]|[A-Za-z]:[\\/])|\\/;

export function isModelPath(model: string, exists?: (model: string) => boolean): boolean {
  const m = model.trim();
  if (m === '') return false;
  if (PATH_LIKE.test(m)) return true;
  return exists?.(m) ?? false;
}
