#!/usr/bin/env node
// The `shiftkit` command.
import { Command } from 'commander';
import { runDemo } from './demo.js';

const program = new Command();
program
  .name('shiftkit')
  .description('Train computer-vision networks when labels are scarce or come from another domain.')
  .showHelpAfterError();

program
  .command('demo')
  .description('Run the demo on built-in data (today: an engine self-check; the full adaptation story comes with the methods)')
  .option('--quick', 'fewer steps')
  .addHelpText('after', '\nExample:\n  npx shiftkit demo --quick')
  .action(async (opts: { quick?: boolean }) => {
    await runDemo({ quick: opts.quick ?? false });
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(`shiftkit: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
