/**
 * Which `.prompt` files are ours to judge. Pure (no vscode import) so the rule is unit-tested.
 * Genkit and Google's Dotprompt extension use the same file extension: a file without any
 * `polyglot.*` key is another tool's prompt, and squiggles on it (or a blocked Analyze) would
 * be Polyglot Lens judging a file it does not own.
 */
import type { PromptDiagnostic, PromptDocument } from '../../shared/prompt/types';

/**
 * Problems that make the file unreadable to every tool (Dotprompt and Genkit parse the same YAML):
 * shown and blocking whoever owns the file, because a frontmatter that did not parse leaves every
 * key unread and a run would silently use defaults.
 */
const UNREADABLE = new Set(['yaml', 'frontmatter-not-map', 'too-large']);

/** The diagnostics the editor shows: all of them for a Polyglot prompt; for another tool's, only that its frontmatter does not parse. */
export function polyglotDiagnostics(doc: Pick<PromptDocument, 'hasPolyglotKeys' | 'diagnostics'>): PromptDiagnostic[] {
  return doc.hasPolyglotKeys ? doc.diagnostics : doc.diagnostics.filter((d) => UNREADABLE.has(d.code));
}

/** The first diagnostic that stops a run, if any (another tool's prompt only by unparsable frontmatter or a render error). */
export function blockingDiagnostic(doc: Pick<PromptDocument, 'hasPolyglotKeys' | 'diagnostics'>): PromptDiagnostic | undefined {
  return polyglotDiagnostics(doc).find((d) => d.severity === 'error');
}
