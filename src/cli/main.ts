#!/usr/bin/env node
// The `shiftkit` command. Exit codes: 0 success, 1 runtime failure, 2 bad usage or config.
import './threadpool.js';
import * as os from 'node:os';
import { Command, CommanderError } from 'commander';
import { EXIT_FAILURE, EXIT_USAGE, UsageError } from './errors.js';
import { addDataCommands } from './commands/data.js';
import { addDemoCommand } from './commands/demo.js';
import { addMethodCommands } from './commands/method.js';
import { addRenderCommands } from './commands/render.js';
import { addReportCommand } from './commands/report.js';
import { segMethod } from '../methods/seg/index.js';
import { TrainingInterrupted } from '../run/index.js';

function buildProgram(): Command {
  const program = new Command();
  program
    .name('shiftkit')
    .description('Train computer-vision networks when labels are scarce or come from another domain.')
    .exitOverride()
    .showHelpAfterError('(add --help for usage and examples)')
    .addHelpText('after', '\nExamples:\n  npx shiftkit demo --quick\n  npx shiftkit report runs/seg-demo\n  npx shiftkit <command> --help');
  addDemoCommand(program);
  addReportCommand(program);
  addMethodCommands(program, segMethod);
  addRenderCommands(program);
  addDataCommands(program);

  return program;
}

async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : EXIT_USAGE; // commander already printed it
    if (err instanceof TrainingInterrupted) {
      // The checkpoint is saved; exit as a process stopped by that signal would (130 for SIGINT, 143 for SIGTERM).
      console.error(`shiftkit: ${err.message}`);
      return 128 + os.constants.signals[err.signal];
    }
    if (err instanceof UsageError) {
      console.error(`shiftkit: ${err.message}`);
      return EXIT_USAGE;
    }
    console.error(`shiftkit: ${err instanceof Error ? err.message : String(err)}`);
    if (process.env.SHIFTKIT_DEBUG && err instanceof Error) console.error(err.stack);
    return EXIT_FAILURE;
  }
}

// `shiftkit ... | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
process.exitCode = await main(process.argv);
