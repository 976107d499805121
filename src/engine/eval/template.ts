/**
 * Prompt templates for evaluation. A `.prompt` file (Dotprompt + polyglot.* keys) is parsed once
 * and rendered per item with the item's variables; without a file, translation uses the
 * methods.md §3 demonstration format the default model was trained on.
 *
 * Translation variables: `src`, `tgt` (English language names), `src_code`, `tgt_code`,
 * `source` (the sentence to translate), `demos` (a list of {source, target}), `eos` (the
 * tokenizer's EOS text). Classification: the item's fields and `label` (see classify.ts).
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { UserError } from '../errors';
import { nodePromptHost } from '../io/nodePromptHost';
import { readUserText } from '../io/userFile';
import { formatDiagnostic, parsePrompt, renderPrompt, type PromptMetadata } from '../../shared/prompt';

export interface EvalTemplate {
  /** Where it came from, for messages and results.json. */
  source: string;
  metadata?: PromptMetadata;
  render(vars: Record<string, unknown>): string;
}

export function loadPromptTemplate(file: string): EvalTemplate {
  if (!existsSync(file)) throw new UserError(file, 'template file not found');
  // A plain file of a prompt's size, checked before it is opened (a FIFO would block, /dev/zero never end).
  const text = readUserText(file, 'prompt');
  const { doc, partials } = parsePrompt(text, { fileName: file, host: nodePromptHost(file) });
  const errors = doc.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new UserError(file, formatDiagnostic(basename(file), text, errors[0]!));
  return {
    source: file,
    metadata: doc.metadata,
    render(vars) {
      try {
        // The body's final newline ends the file, not the prompt: "English:\n" would ask for a new line.
        return renderPrompt(doc, partials, vars).text.replace(/\r?\n$/, '');
      } catch (e) {
        throw new UserError(file, (e as Error).message);
      }
    },
  };
}

/** methods.md §3: "{Src}: {s}{eos}{Tgt}: {t}{eos}" per demonstration, then "{Src}: {source}{eos}{Tgt}:". */
export const BUILTIN_TRANSLATION_TEMPLATE: EvalTemplate = {
  source: 'built-in (methods.md §3 format)',
  render(v) {
    const demos = (v.demos as { source: string; target: string }[]).map((d) => `${v.src}: ${d.source}${v.eos}${v.tgt}: ${d.target}${v.eos}`).join('');
    return `${demos}${v.src}: ${v.source}${v.eos}${v.tgt}:`;
  },
};
