// `shiftkit render tune|generate|config`: adversarial tuning of rendering parameters and rendering datasets with them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { renderConfigSchema, sceneKinds, type SceneKind } from '../../methods/render/config.js';
import { generate } from '../../methods/render/generate.js';
import { initialTheta, tunedNames } from '../../methods/render/theta.js';
import { RenderParams } from '../../render/params.js';
import { tune, TUNE_FILES } from '../../methods/render/tune.js';
import { UsageError } from '../errors.js';
import { addConfigCommand, announceRun, resolveRun, withRunFlags, type RunFlags } from './config_flags.js';


/** 'HxW' -> [H, W]. */
export function parseSize(text: string, flag = '--size'): [number, number] {
  const m = /^(\d+)x(\d+)$/.exec(text.trim());
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new UsageError(`${flag} must be HEIGHTxWIDTH in pixels, e.g. 128x256; got '${text}'`);
  return [Number(m[1]), Number(m[2])];
}

export function parseCount(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`${flag} must be a non-negative integer, got '${text}'`);
  return n;
}

const EXAMPLES = [
  'npx shiftkit render tune --real data/synth/target/leftImg8bit/train --run runs/render-tune',
  'npx shiftkit render tune --real photos/ --init my_theta.json --set steps=500 --set theta.tune=[ambient.*,light0.*,fog.density]',
  'npx shiftkit render tune --run runs/render-tune --resume',
  'npx shiftkit render generate --params runs/render-tune/theta_best.json --scene street --count 500 --out data/tuned',
];

export function addRenderCommands(program: Command): void {
  const group = program.command('render')
    .description('tune rendering parameters adversarially against real images (CN108876764A); render labelled datasets')
    .addHelpText('after', `\nExamples:\n${EXAMPLES.map((e) => `  ${e}`).join('\n')}`);

  withRunFlags(group.command('tune').description('tune θ so renders look like the real images; writes a run folder'), 'render')
    .option('--real <folder>', 'folder of real images (sets real.folder)')
    .option('--init <file>', 'initial θ (render params JSON; sets theta.init); default: the built-in θ')
    .action(async (flags: RunFlags & { real?: string; init?: string }) => {
      const { runDir, resume, config } = resolveRun(renderConfigSchema, flags, 'render');
      if (flags.real !== undefined) config.real.folder = flags.real;
      if (flags.init !== undefined) config.theta.init = flags.init;
      if (config.real.folder === '') throw new UsageError('render tune: give the real images with --real <folder>');
      if (!fs.existsSync(config.real.folder) || !fs.statSync(config.real.folder).isDirectory()) {
        throw new UsageError(`--real: folder not found: ${config.real.folder}`);
      }
      if (config.theta.init !== '' && !fs.existsSync(config.theta.init)) throw new UsageError(`--init: file not found: ${config.theta.init}`);
      const defaults = RenderParams.defaults(config.scene);
      try {
        tunedNames(defaults, config.theta.tune);
      } catch (e) {
        throw new UsageError((e as Error).message);
      } finally {
        defaults.dispose();
      }
      announceRun('render tune', runDir, resume, config);
      const r = await tune(config, { runDir, resume });
      const f = (x: number) => x.toPrecision(4);
      console.log(`${r.stopped ? `stopped at step ${r.steps}: the classifier is near chance` : `done: ${r.steps} steps`}\n`
        + `MMD initial ${f(r.initial.mmd)}, best ${f(r.best.mmd)} (step ${r.best.step}), final ${f(r.final.mmd)}\n`
        + `best θ: ${path.join(runDir, TUNE_FILES.best)}`);
    });

  group.command('generate').description('render a labelled dataset (Cityscapes layout, depth, boxes, cameras, gaze) with θ')
    .option('--params <file>', 'θ (render params JSON, e.g. a tune run\'s theta_best.json); default: the built-in θ')
    .option('--scene <kind>', `scene kind (${sceneKinds.join(' | ')})`, 'street')
    .requiredOption('--count <n>', 'number of images')
    .requiredOption('--out <dir>', 'dataset root')
    .option('--size <HxW>', 'image size', '128x256')
    .option('--split <name>', 'split folder', 'train')
    .option('--city <name>', 'city folder and name prefix', 'synth')
    .option('--seed <n>', 'scene seed', '0')
    .action(async (flags: { params?: string; scene: string; count: string; out: string; size: string; split: string; city: string; seed: string }) => {
      if (!(sceneKinds as readonly string[]).includes(flags.scene)) throw new UsageError(`--scene must be one of ${sceneKinds.join(', ')}; got '${flags.scene}'`);
      const scene = flags.scene as SceneKind;
      const count = parseCount(flags.count, '--count');
      if (count === 0) throw new UsageError('--count must be at least 1');
      const size = parseSize(flags.size);
      if (flags.params !== undefined && !fs.existsSync(flags.params)) throw new UsageError(`--params: file not found: ${flags.params}`);
      const params = await initialTheta(scene, flags.params ?? '');
      await generate({
        params, scene, count, out: flags.out, size, split: flags.split, city: flags.city, seed: parseCount(flags.seed, '--seed'),
        onProgress: (done, total) => process.stderr.write(`\rrendered ${done}/${total}`),
      });
      process.stderr.write('\n');
      console.log(`wrote ${count} ${scene} images to ${flags.out}`);
    });

  addConfigCommand(group, renderConfigSchema, 'tune config');
}
