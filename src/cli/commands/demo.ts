import type { Command } from 'commander';
import { runDemo } from '../demo.js';

export function addDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('Run the demo on built-in data')
    .option('--quick', 'fewer steps (under 2 minutes)')
    .addHelpText('after', '\nExamples:\n  npx shiftkit demo\n  npx shiftkit demo --quick')
    .action(async (opts: { quick?: boolean }) => {
      await runDemo({ quick: opts.quick ?? false });
    });
}
