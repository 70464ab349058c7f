// `shiftkit <method> train|eval|predict|config`, the same shape for every method.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';
import YAML from 'yaml';
import type { Method } from '../../methods/method.js';
import { resolveConfig } from '../config.js';
import { UsageError } from '../errors.js';
import { defaultRunDir, withConfigFlags, type ConfigFlags } from './config_flags.js';


export function addMethodCommands(program: Command, method: Method): void {
  const group = program.command(method.id).description(method.summary)
    .addHelpText('after', `\nExamples:\n${method.examples.map((e) => `  ${e}`).join('\n')}`);

  withConfigFlags(group.command('train').description(`train (${method.id}); writes a run folder`))
    .option('--run <dir>', 'run folder (default: runs/<method>-<time>)')
    .option('--resume', 'continue the run in --run from its latest checkpoint')
    .action(async (flags: ConfigFlags & { run?: string; resume?: boolean }) => {
      if (flags.resume && !flags.run) throw new UsageError('--resume needs --run <dir> (the run to continue)');
      const runDir = flags.run ?? defaultRunDir(method.id);
      const saved = path.join(runDir, 'config.yaml');
      if (flags.resume && !fs.existsSync(saved)) throw new UsageError(`--resume: ${runDir} is not a run folder (no config.yaml)`);
      // A resumed run keeps its own config unless a file is given; --set still applies on top.
      const config = resolveConfig(method.config, { file: flags.config ?? (flags.resume ? saved : undefined), set: flags.set });
      console.log(`${method.id} train: run ${runDir}${flags.resume ? ' (resuming)' : ''}\nconfig:\n${YAML.stringify(config).trimEnd().replace(/^/gm, '  ')}`);
      await method.train(config, { runDir, resume: flags.resume ?? false });
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

  withConfigFlags(group.command('config').description('print the resolved config (defaults + file + --set) as YAML'))
    .action((flags: ConfigFlags) => {
      console.log(YAML.stringify(resolveConfig(method.config, flags)).trimEnd());
    });
}
