import type { OptionSpec } from '../args';
import type { CliContext } from '../context';

export interface Command {
  name: string;
  usage: string;
  summary: string;
  options: Record<string, OptionSpec>;
  run(ctx: CliContext): Promise<void>;
  /** `name SUB …`: a first positional naming one of these runs it instead (e.g. `neurons index`). */
  subcommands?: Command[];
}

export const MODEL_OPTION: Record<string, OptionSpec> = {
  model: { kind: 'string', help: 'Hugging Face checkpoint folder (default: the embedded multilingual model)' },
};
