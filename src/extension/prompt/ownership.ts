/**
 * Which `.prompt` files are ours to judge. Pure (no vscode import) so the rule is unit-tested.
 * Genkit and Google's Dotprompt extension use the same file extension: a file without any
 * `polyglot.*` key is another tool's prompt, and squiggles on it (or a blocked Analyze) would
 * be Polyglot Lens judging a file it does not own.
 */
import type { PromptDiagnostic, PromptDocument } from '../../shared/prompt/types';

/** The diagnostics the editor shows: all of them for a Polyglot prompt, none for another tool's. */
export function polyglotDiagnostics(doc: Pick<PromptDocument, 'hasPolyglotKeys' | 'diagnostics'>): PromptDiagnostic[] {
  return doc.hasPolyglotKeys ? doc.diagnostics : [];
}

/** The first diagnostic that stops a run, if any (another tool's prompt is only stopped by a render error). */
export function blockingDiagnostic(doc: Pick<PromptDocument, 'hasPolyglotKeys' | 'diagnostics'>): PromptDiagnostic | undefined {
  return polyglotDiagnostics(doc).find((d) => d.severity === 'error');
}
