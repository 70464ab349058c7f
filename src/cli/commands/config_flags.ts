// What every config-driven command shares: the --config/--set flags and the default run folder name.
import type { Command } from 'commander';

export interface ConfigFlags { config?: string; set: string[] }

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function withConfigFlags(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'config file (YAML or JSON); every field has a default')
    .option('--set <field=value>', 'override one config field, e.g. --set optim.lr=0.01 (repeatable)', collect, []);
}

/** runs/<method>-<yyyymmdd-hhmmss> (UTC). */
export function defaultRunDir(method: string): string {
  return `runs/${method}-${new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}`;
}
