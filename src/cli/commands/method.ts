// `shiftkit <method> train|eval|predict|config`, the same shape for every method.
import { Command } from 'commander';
import type { Method } from '../../methods/method.js';
import { resolveConfig } from '../config.js';
import { addConfigCommand, announceRun, resolveRun, withConfigFlags, withRunFlags, type ConfigFlags, type RunFlags } from './config_flags.js';

export function addMethodCommands(program: Command, method: Method): void {
  const group = program.command(method.id).description(method.summary)
    .addHelpText('after', `\nExamples:\n${method.examples.map((e) => `  ${e}`).join('\n')}`);

  withRunFlags(group.command('train').description(`train (${method.id}); writes a run folder`), method.id)
    .action(async (flags: RunFlags) => {
      const { runDir, resume, config } = resolveRun(method.config, flags, method.id);
      announceRun(`${method.id} train`, runDir, resume, config);
      await method.train(config, { runDir, resume });
    });

  withConfigFlags(group.command('eval').description(`evaluate a checkpoint (${method.id})`))
    .requiredOption('--checkpoint <path>', 'checkpoint folder or weights file')
    .option('--data <dir>', 'dataset root (default: the config\'s validation data)')
    .option('--json', 'print the metrics as JSON')
    .action(async (flags: ConfigFlags & { checkpoint: string; data?: string; json?: boolean }) => {
      const metrics = await method.evaluate(resolveConfig(method.config, flags), { checkpoint: flags.checkpoint, data: flags.data });
      if (flags.json) console.log(JSON.stringify(metrics));
      else for (const [k, v] of Object.entries(metrics)) console.log(`${k.padEnd(24)} ${Number.isInteger(v) ? v : v.toFixed(4)}`);
    });

  withConfigFlags(group.command('predict').description(`run inference on images (${method.id})`))
    .argument('<images...>', 'image files')
    .requiredOption('--checkpoint <path>', 'checkpoint folder or weights file')
    .requiredOption('--out <dir>', 'output folder')
    .action(async (inputs: string[], flags: ConfigFlags & { checkpoint: string; out: string }) => {
      await method.predict(resolveConfig(method.config, flags), { checkpoint: flags.checkpoint, inputs, out: flags.out });
    });

  addConfigCommand(group, method.config);
}
