import { Command, CommanderError } from 'commander';
import { UserError } from '../core/errors.js';
import { registerDeviceCommand } from './commands/device.js';
import { registerStudyCommand } from './commands/study.js';
import { registerRunCommand } from './commands/run.js';
import { registerEvaluateCommand } from './commands/evaluate.js';
import { registerReportCommand } from './commands/report.js';
import { registerSchemaCommand } from './commands/schema.js';
import { registerSweepCommand } from './commands/sweep.js';
import { CliExit, processOutput, type Output } from './output.js';
import { aimsimVersion } from './version.js';


/** Exit codes: 0 success, 2 a user mistake (one line on stderr), 1 an internal error. */
export async function main(argv: readonly string[], out: Output = processOutput): Promise<number> {
  const program = new Command()
    .name('aimsim')
    .description('Analog in-memory computing training simulator')
    .version(aimsimVersion())
    .exitOverride()
    // Options belong to the command they follow, so `device fit --out` is fit's (commander needs
    // this on every ancestor of a subcommand that shares an option name with its parent).
    .enablePositionalOptions()
    .configureOutput({ writeOut: (s) => out.stdout(s.trimEnd()), writeErr: (s) => out.stderr(s.trimEnd()) });
  registerDeviceCommand(program, out);
  registerStudyCommand(program, out);
  registerRunCommand(program, out);
  registerEvaluateCommand(program, out);
  registerReportCommand(program, out);
  registerSchemaCommand(program, out);
  registerSweepCommand(program, out);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; usage errors were already printed by commander in one line.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof CliExit) return error.code;
    if (error instanceof UserError) {
      // One line, whatever a message carries (style.md "Errors").
      out.stderr(`aimsim: ${error.message.replace(/\s*\n\s*/g, ' ')}`);
      return 2;
    }
    out.stderr(`aimsim: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
}
