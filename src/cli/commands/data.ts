// `shiftkit data synth`: the built-in domain-shift benchmark (methods/render/synth.ts).
import type { Command } from 'commander';
import { buildSynthBenchmark } from '../../methods/render/synth.js';
import { UsageError } from '../errors.js';
import { parseCount, parseSize } from './render.js';

/** 'TRAIN/VAL' -> counts. */
function parseSplits(text: string): { train: number; val: number } {
  const parts = text.split('/');
  if (parts.length !== 2) throw new UsageError(`--count must be TRAIN/VAL image counts, e.g. 400/100; got '${text}'`);
  const [train, val] = parts.map((p) => parseCount(p, '--count'));
  if (train + val === 0) throw new UsageError('--count: nothing to render (0/0)');
  return { train, val };
}

export function addDataCommands(program: Command): void {
  const group = program.command('data').description('built-in datasets');
  group.command('synth')
    .description('render the synthetic domain-shift benchmark: source (default θ) and target (hidden θ* plus lens distortion, '
      + 'defocus blur and JPEG), train and val splits each, in the Cityscapes layout')
    .option('--out <dir>', 'output folder', 'data/synth')
    .option('--size <HxW>', 'image size', '128x256')
    .option('--count <train/val>', 'images per split and domain', '400/100')
    .option('--seed <n>', 'scene seed', '0')
    .addHelpText('after', '\nExamples:\n  npx shiftkit data synth\n  npx shiftkit data synth --out data/synth-small --size 64x128 --count 100/20')
    .action(async (flags: { out: string; size: string; count: string; seed: string }) => {
      const { train, val } = parseSplits(flags.count);
      await buildSynthBenchmark({
        out: flags.out, size: parseSize(flags.size), train, val, seed: parseCount(flags.seed, '--seed'),
        onProgress: (what, done, total) => process.stderr.write(`\r${what}: ${done}/${total}   `),
      });
      process.stderr.write('\n');
      console.log(`wrote ${flags.out}/source and ${flags.out}/target (${train} train + ${val} val images each); see ${flags.out}/benchmark.json`);
    });
}
