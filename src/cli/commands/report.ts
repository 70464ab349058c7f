import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { writeReport } from '../../run/index.js';
import { UsageError } from '../errors.js';

export function addReportCommand(program: Command): void {
  program
    .command('report')
    .description('(re)write report.html of a run: curves, metric table, sample predictions')
    .argument('<run>', 'run folder')
    .addHelpText('after', '\nExample:\n  npx shiftkit report runs/seg-20261121-101500')
    .action((run: string) => {
      if (!fs.existsSync(path.join(run, 'config.yaml'))) throw new UsageError(`${run} is not a run folder (no config.yaml)`);
      console.log(writeReport(run));
    });
}
