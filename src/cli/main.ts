/**
 * `polyglot-lens` — the headless CLI on the same engine as the extension. Its commands and JSON
 * outputs are a contract other tools rely on (see docs/cli.md); errors are one line on stderr
 * naming the file or argument, with a non-zero exit, and a stack trace only with --verbose.
 */
import { Args, GLOBAL_OPTIONS, parseArgs } from './args';
import { CliContext } from './context';
import { analyzeCommand } from './commands/analyze';
import { biasCommand } from './commands/bias';
import { compareInstructionsCommand } from './commands/compareInstructions';
import { captureCommand } from './commands/capture';
import { evalCommand } from './commands/eval';
import { sweepCommand } from './commands/sweep';
import { neuronsImpactCommand } from './commands/neuronsImpact';
import { ablateCommand } from './commands/ablate';
import { featuresCommand } from './commands/features';
import { generateCommand } from './commands/generate';
import { importLapeCommand } from './commands/importLape';
import { infoCommand } from './commands/info';
import { interveneCommand } from './commands/intervene';
import { neuronCommand } from './commands/neuron';
import { mergeCommand } from './commands/merge';
import { neuronsCommand } from './commands/neurons';
import { lensCommand } from './commands/lens';
import { pruneCommand } from './commands/prune';
import { tokenizeCommand } from './commands/tokenize';
import { overviewCommand } from './commands/overview';
import type { Command } from './commands/types';
import { CancelledError, UserError } from '../engine/errors';
import { terminalLine, terminalText } from './terminal';
import { CANCELLED_EXIT, installInterrupt } from '../engine/io/interrupt';

export const COMMANDS: Command[] = [overviewCommand, tokenizeCommand, generateCommand, captureCommand, infoCommand, analyzeCommand, neuronCommand, neuronsCommand, featuresCommand, interveneCommand, pruneCommand, compareInstructionsCommand, biasCommand, evalCommand, sweepCommand, neuronsImpactCommand, ablateCommand, mergeCommand, importLapeCommand, lensCommand];

function usage(): string {
  const rows = COMMANDS.flatMap((c) => [c, ...(c.subcommands ?? [])]).map((c) => `  ${c.usage}\n      ${c.summary}`);
  return `usage: polyglot-lens <command> [options]\n\ncommands:\n${rows.join('\n')}\n\nglobal options: ${Object.keys(GLOBAL_OPTIONS).map((o) => `--${o}`).join(' ')}\n`;
}

function commandHelp(c: Command): string {
  const opts = Object.entries({ ...c.options, ...GLOBAL_OPTIONS }).map(([n, s]) => `  --${n}${s.kind === 'flag' ? '' : ' VALUE'}\n      ${s.help}`);
  return `usage: polyglot-lens ${c.usage}\n\n${c.summary}\n\noptions:\n${opts.join('\n')}\n`;
}

export { CANCELLED_EXIT };

export async function main(argv: string[], signal?: AbortSignal): Promise<number> {
  const verbose = argv.includes('--verbose');
  const [name, ...rest] = argv;
  try {
    if (!name || name === '--help' || name === 'help') {
      process.stdout.write(usage());
      return name ? 0 : 2;
    }
    // Two-word commands (`neurons impact`), then a command and its subcommand (`neurons index`), then one word.
    const twoWord = COMMANDS.find((c) => rest[0] !== undefined && c.name === `${name} ${rest[0]}`);
    const top = twoWord ?? COMMANDS.find((c) => c.name === name);
    if (!top) throw new UserError(name, `unknown command (commands: ${COMMANDS.map((c) => c.name).join(', ')})`);
    const sub = twoWord ?? top.subcommands?.find((c) => c.name === rest[0]);
    const cmd = sub ?? top;
    const args = new Args(parseArgs(sub ? rest.slice(1) : rest, cmd.options));
    if (args.flag('help')) {
      process.stdout.write(commandHelp(cmd));
      return 0;
    }
    await cmd.run(new CliContext(args, signal));
    return 0;
  } catch (e) {
    if (e instanceof CancelledError || signal?.aborted) {
      process.stderr.write('polyglot-lens: cancelled (no output written)\n');
      return CANCELLED_EXIT;
    }
    const msg = e instanceof UserError ? e.message : `error: ${(e as Error).message ?? String(e)}`;
    // A UserError is one line by contract (a newline inside comes from a file's name or value and is
    // shown escaped); other errors print their first line, with the stack only under --verbose.
    process.stderr.write(`polyglot-lens: ${terminalLine(e instanceof UserError ? msg : msg.split('\n')[0]!)}\n`);
    if (verbose && e instanceof Error && e.stack) process.stderr.write(`${terminalText(e.stack)}\n`);
    return 1;
  }
}

/**
 * Ctrl-C, SIGTERM or SIGHUP (engine/io/interrupt.ts, the one cancellation path): the first aborts
 * the running job (it stops at its next batch, and the output policy commits nothing once it
 * fired) and main() says "cancelled" and returns 130; a second one exits at once (temp folders are
 * removed on the way out).
 */
export function cancelOnSignals(): AbortSignal {
  return installInterrupt(() => {
    process.stderr.write('polyglot-lens: cancelled (no output written)\n');
    process.exit(CANCELLED_EXIT);
  });
}

if (require.main === module) {
  const signal = cancelOnSignals();
  void main(process.argv.slice(2), signal).then((code) => {
    process.exitCode = code;
  });
}
