// What every config-driven command shares: the --config/--set flags, and for training commands the run
// folder flags, resuming with the run's own config, and printing the resolved config.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import YAML from 'yaml';
import type { z } from 'zod';
import { resolveConfig } from '../config.js';
import { UsageError } from '../errors.js';

export interface ConfigFlags { config?: string; set: string[] }
export interface RunFlags extends ConfigFlags { run?: string; resume?: boolean }

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function withConfigFlags(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'config file (YAML or JSON); every field has a default')
    .option('--set <field=value>', 'override one config field, e.g. --set optim.lr=0.01 (repeatable)', collect, []);
}

/** --config/--set plus --run and --resume. */
export function withRunFlags(cmd: Command, method: string): Command {
  return withConfigFlags(cmd)
    .option('--run <dir>', `run folder (default: runs/${method}-<time>)`)
    .option('--resume', 'continue the run in --run from its latest checkpoint');
}

/** runs/<method>-<yyyymmdd-hhmmss> (UTC). */
export function defaultRunDir(method: string): string {
  return `runs/${method}-${new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}`;
}

/**
 * The run folder and its config. A resumed run keeps its own config.yaml unless a file is given; --set still
 * applies on top.
 */
export function resolveRun<S extends z.ZodTypeAny>(schema: S, flags: RunFlags, method: string): { runDir: string; resume: boolean; config: z.infer<S> } {
  if (flags.resume && !flags.run) throw new UsageError('--resume needs --run <dir> (the run to continue)');
  const runDir = flags.run ?? defaultRunDir(method);
  const saved = path.join(runDir, 'config.yaml');
  if (flags.resume && !fs.existsSync(saved)) throw new UsageError(`--resume: ${runDir} is not a run folder (no config.yaml)`);
  const config = resolveConfig(schema, { file: flags.config ?? (flags.resume ? saved : undefined), set: flags.set });
  return { runDir, resume: flags.resume ?? false, config };
}

/** Prints the resolved config at the start of a run. */
export function announceRun(title: string, runDir: string, resume: boolean, config: unknown): void {
  console.log(`${title}: run ${runDir}${resume ? ' (resuming)' : ''}\nconfig:\n${YAML.stringify(config).trimEnd().replace(/^/gm, '  ')}`);
}

/** `<group> config`: prints the resolved config (defaults + file + --set) as YAML. */
export function addConfigCommand(group: Command, schema: z.ZodTypeAny, what = 'config'): void {
  withConfigFlags(group.command('config').description(`print the resolved ${what} (defaults + file + --set) as YAML`))
    .action((flags: ConfigFlags) => {
      console.log(YAML.stringify(resolveConfig(schema, flags)).trimEnd());
    });
}
