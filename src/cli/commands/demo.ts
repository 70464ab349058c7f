import fs from 'node:fs';
import type { Command } from 'commander';
import { runDemo } from '../../demo/run.js';
import { DEMO_SETTINGS } from '../../demo/settings.js';
import { UsageError } from '../errors.js';
import { defaultRunDir } from './config_flags.js';
import { parseCount } from './render.js';

export function addDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('the whole story on built-in data: synthesise source and target streets, tune the renderer toward the target, '
      + 'render the source with the tuned θ, train source-only and adapted segmentation, score them on the target, write report.html')
    .option('--quick', 'small data and few steps (under 2 minutes on 2 cores; the full demo takes under 10)')
    .option('--out <dir>', 'output folder (default: runs/demo-<time>)')
    .option('--seed <n>', 'seed of the scenes and the training', '0')
    .addHelpText('after', '\nExamples:\n  npx shiftkit demo\n  npx shiftkit demo --quick --out runs/demo-quick')
    .action(async (opts: { quick?: boolean; out?: string; seed: string }) => {
      const out = opts.out ?? defaultRunDir('demo');
      if (fs.existsSync(out) && fs.readdirSync(out).length > 0) throw new UsageError(`--out: ${out} exists and is not empty; give another folder`);
      await runDemo(DEMO_SETTINGS[opts.quick ? 'quick' : 'full'], { out, seed: parseCount(opts.seed, '--seed') });
    });
}
