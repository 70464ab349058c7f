// Checkpoints: checkpoints/step-000123/ holds weights.safetensors (every tensor: module state dicts under
// `<module>.`, optimizer state under `optimizer.<name>.<param index>.`) and trainer.json (the step,
// optimizer groups and non-tensor state, scheduler state, the torch RNG state, the data position, and what
// the trainer or method adds). A checkpoint is built in a hidden temporary folder and renamed into place,
// then `checkpoints/latest` (its folder name) is replaced the same way: a crash at any point leaves
// `latest` naming a complete checkpoint.
import fs from 'node:fs';
import path from 'node:path';
import * as torch from '../torch/index.js';
import type { Tensor } from '../torch/index.js';
import type { BaseOptions, Optimizer, OptimizerStateDict, ParamState } from '../torch/optim/optimizer.js';
import type { ExponentialMovingAverage } from '../torch/optim/ema.js';
import { fsyncDir, tempPath, writeFileAtomic } from '../util/atomic.js';
import { parseStepName, stepName } from './run_dir.js';

/** Anything with PyTorch-style state: nn.Module, LRScheduler, a data loader, a method's own state. */
export interface Stateful<S> {
  stateDict(): S;
  /** Must copy what it keeps: the tensors it is given are freed afterwards. */
  loadStateDict(state: S): unknown;
}

export interface CheckpointState {
  /** nn.Modules, or any other named tensors (see emaState). Names may not contain '.' or be 'optimizer'. */
  modules: Record<string, Stateful<Record<string, Tensor>>>;
  optimizers?: Record<string, Optimizer<BaseOptions>>;
  schedulers?: Record<string, Stateful<unknown>>;
  /** The data source's position ({epoch, batch} for a DataLoader). */
  data?: Stateful<unknown>;
  /** The method's own JSON-serializable state. */
  extra?: Stateful<unknown>;
}

export interface LoadedCheckpoint { step: number; folder: string; trainer: Record<string, unknown> }

const FORMAT = 'shiftkit-checkpoint';
const WEIGHTS = 'weights.safetensors';
const TRAINER = 'trainer.json';
const LATEST = 'latest';

/** The torch CPU generator's state as base64 (torch.getRngState's bytes). */
function rngState(): string {
  return torch.scope(() => Buffer.from(torch.getRngState().toTypedArray() as Uint8Array).toString('base64'));
}

function setRngState(b64: string): void {
  torch.scope(() => torch.setRngState(torch.tensor(new Uint8Array(Buffer.from(b64, 'base64')))));
}

function checkNames(state: CheckpointState): void {
  for (const kind of ['modules', 'optimizers', 'schedulers'] as const) {
    for (const name of Object.keys(state[kind] ?? {})) {
      if (name === '' || name.includes('.')) throw new Error(`checkpoint: ${kind} name '${name}' must be non-empty and contain no '.'`);
    }
  }
  if ('optimizer' in state.modules) throw new Error(`checkpoint: no module may be named 'optimizer' (optimizer state uses that prefix)`);
}

/**
 * Writes checkpoints/step-<step>/ atomically, points `latest` at it, and removes all but the newest `keep`
 * checkpoints (and any of a later step: they belong to a run this one was resumed from before them).
 * `trainer` is stored in trainer.json beside the state (the trainer's own bookkeeping). Returns the folder.
 */
export function saveCheckpoint(dir: string, step: number, state: CheckpointState,
  opts: { keep?: number; trainer?: Record<string, unknown> } = {}): string {
  checkNames(state);
  const folder = path.join(dir, stepName(step));
  const tmp = tempPath(folder);
  fs.mkdirSync(tmp, { recursive: true });
  try {
    torch.scope(() => {
      const tensors: Record<string, Tensor> = {};
      for (const [m, mod] of Object.entries(state.modules)) {
        for (const [k, t] of Object.entries(mod.stateDict())) tensors[`${m}.${k}`] = t;
      }
      const optimizers: Record<string, unknown> = {};
      for (const [name, opt] of Object.entries(state.optimizers ?? {})) {
        const sd = opt.stateDict();
        const plain: Record<string, Record<string, number>> = {};
        for (const [idx, st] of Object.entries(sd.state)) {
          plain[idx] = {};
          for (const [k, v] of Object.entries(st)) {
            if (typeof v === 'number') plain[idx][k] = v;
            else tensors[`optimizer.${name}.${idx}.${k}`] = v;
          }
        }
        optimizers[name] = { param_groups: sd.param_groups, state: plain };
      }
      torch.safetensors.saveFile(path.join(tmp, WEIGHTS), tensors, { format: FORMAT, step: String(step) });
      const json = {
        format: FORMAT, version: 1, step, time: Date.now() / 1000,
        modules: Object.keys(state.modules),
        optimizers,
        schedulers: Object.fromEntries(Object.entries(state.schedulers ?? {}).map(([n, s]) => [n, s.stateDict()])),
        rng: { cpu: rngState() },
        data: state.data?.stateDict() ?? null,
        extra: state.extra?.stateDict() ?? null,
        trainer: opts.trainer ?? {},
      };
      writeFileAtomic(path.join(tmp, TRAINER), `${JSON.stringify(json, null, 1)}\n`);
    });
    fsyncDir(tmp);
    // The same step can exist from an earlier, abandoned attempt: move it aside so the rename can succeed.
    const old = fs.existsSync(folder) ? tempPath(folder) : null;
    if (old) fs.renameSync(folder, old);
    fs.renameSync(tmp, folder);
    fsyncDir(dir);
    writeFileAtomic(path.join(dir, LATEST), `${stepName(step)}\n`);
    if (old) fs.rmSync(old, { recursive: true, force: true });
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  prune(dir, step, opts.keep ?? Infinity);
  return folder;
}

/** Steps of the complete checkpoints in `dir`, ascending. */
export function listCheckpoints(dir: string): number[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).map(parseStepName).filter((s): s is number => s !== null).sort((a, b) => a - b);
}

function prune(dir: string, current: number, keep: number): void {
  const steps = listCheckpoints(dir).filter((s) => s <= current);
  const drop = new Set([...steps.slice(0, Math.max(0, steps.length - keep)), ...listCheckpoints(dir).filter((s) => s > current)]);
  drop.delete(current);
  for (const s of drop) fs.rmSync(path.join(dir, stepName(s)), { recursive: true, force: true });
  // Leftovers of writes that crashed before their rename.
  for (const f of fs.readdirSync(dir)) if (f.startsWith('.') && f.endsWith('.tmp')) fs.rmSync(path.join(dir, f), { recursive: true, force: true });
}

/** The folder `latest` names, or null when the run has no checkpoint yet. */
export function latestCheckpoint(dir: string): string | null {
  const file = path.join(dir, LATEST);
  if (!fs.existsSync(file)) return null;
  const name = fs.readFileSync(file, 'utf8').trim();
  const folder = path.join(dir, name);
  if (parseStepName(name) === null || !fs.existsSync(path.join(folder, TRAINER))) {
    throw new Error(`${file} names '${name}', which is not a complete checkpoint in ${dir}`);
  }
  return folder;
}

/** Restores everything saveCheckpoint wrote from `folder` into `state`. */
export function loadCheckpoint(folder: string, state: CheckpointState): LoadedCheckpoint {
  checkNames(state);
  const jsonFile = path.join(folder, TRAINER);
  const fail = (why: string): never => { throw new Error(`${jsonFile}: ${why}`); };
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    return fail((e as Error).message);
  }
  if (json.format !== FORMAT || json.version !== 1) fail(`not a ${FORMAT} version 1 file`);
  if (!Number.isSafeInteger(json.step)) fail('lacks an integer step');
  const sameNames = (kind: string, saved: string[], have: string[]): void => {
    if ([...saved].sort().join() !== [...have].sort().join()) {
      fail(`has ${kind} [${saved.join(', ')}] but the run has [${have.join(', ')}]`);
    }
  };
  const optimizers = (json.optimizers ?? {}) as Record<string, { param_groups: OptimizerStateDict['param_groups']; state: Record<string, Record<string, number>> }>;
  const schedulers = (json.schedulers ?? {}) as Record<string, unknown>;
  sameNames('modules', (json.modules ?? []) as string[], Object.keys(state.modules));
  sameNames('optimizers', Object.keys(optimizers), Object.keys(state.optimizers ?? {}));
  sameNames('schedulers', Object.keys(schedulers), Object.keys(state.schedulers ?? {}));
  if (typeof (json.rng as { cpu?: unknown } | undefined)?.cpu !== 'string') fail('lacks rng.cpu');

  torch.scope(() => {
    const weightsFile = path.join(folder, WEIGHTS);
    const { tensors } = torch.safetensors.loadFile(weightsFile);
    const perModule: Record<string, Record<string, Tensor>> = Object.fromEntries(Object.keys(state.modules).map((m) => [m, {}]));
    const optState: Record<string, Record<string, ParamState>> = {};
    for (const [key, t] of Object.entries(tensors)) {
      const [head, ...rest] = key.split('.');
      if (head === 'optimizer' && rest.length === 3 && rest[0] in optimizers) {
        const [name, idx, k] = rest;
        ((optState[name] ??= {})[idx] ??= {})[k] = t;
      } else if (head in perModule) {
        perModule[head][rest.join('.')] = t;
      } else {
        throw new Error(`${weightsFile}: tensor '${key}' belongs to no module or optimizer of this run`);
      }
    }
    for (const [m, mod] of Object.entries(state.modules)) mod.loadStateDict(perModule[m]);
    for (const [name, opt] of Object.entries(state.optimizers ?? {})) {
      const saved = optimizers[name];
      const st: Record<number, ParamState> = {};
      for (const [idx, nums] of Object.entries(saved.state)) st[Number(idx)] = { ...nums, ...optState[name]?.[idx] };
      opt.loadStateDict({ state: st, param_groups: saved.param_groups });
    }
  });
  for (const [name, s] of Object.entries(state.schedulers ?? {})) s.loadStateDict(schedulers[name]);
  setRngState((json.rng as { cpu: string }).cpu);
  if (state.data) {
    if (json.data === null || json.data === undefined) fail('has no data position but the run has a data source');
    state.data.loadStateDict(json.data);
  }
  if (state.extra) state.extra.loadStateDict(json.extra);
  return { step: json.step as number, folder, trainer: (json.trainer ?? {}) as Record<string, unknown> };
}

/**
 * Loads only module weights (evaluation, prediction) from a run folder (its latest checkpoint), a checkpoint
 * folder, or a weights.safetensors file; tensors of other modules and of optimizers are ignored. Returns the
 * file read.
 */
export function loadModuleWeights(target: string, modules: Record<string, Stateful<Record<string, Tensor>>>): string {
  let file = target;
  if (fs.statSync(target, { throwIfNoEntry: false })?.isDirectory()) {
    const latest = fs.existsSync(path.join(target, 'checkpoints')) ? latestCheckpoint(path.join(target, 'checkpoints')) : target;
    if (latest === null) throw new Error(`${target}: the run has no checkpoint yet`);
    file = path.join(latest, WEIGHTS);
  }
  if (!fs.existsSync(file)) throw new Error(`Checkpoint not found: ${file}`);
  torch.scope(() => {
    const { tensors } = torch.safetensors.loadFile(file);
    for (const [m, mod] of Object.entries(modules)) {
      const prefix = `${m}.`;
      const own = Object.fromEntries(Object.entries(tensors).filter(([k]) => k.startsWith(prefix)).map(([k, t]) => [k.slice(prefix.length), t]));
      if (Object.keys(own).length === 0) throw new Error(`${file} has no weights for module '${m}' (no '${prefix}*' tensors)`);
      mod.loadStateDict(own);
    }
  });
  return file;
}

/** An exponential moving average as checkpoint state: its averaged tensors, restored by copying in place. */
export function emaState(ema: ExponentialMovingAverage): Stateful<Record<string, Tensor>> {
  return {
    stateDict: () => ema.stateDict(),
    loadStateDict: (sd) => {
      const own = ema.stateDict();
      const missing = Object.keys(own).filter((k) => !(k in sd));
      const unexpected = Object.keys(sd).filter((k) => !(k in own));
      if (missing.length || unexpected.length) {
        throw new Error(`EMA state: missing [${missing.join(', ')}], unexpected [${unexpected.join(', ')}]`);
      }
      torch.noGrad(() => { for (const [k, t] of Object.entries(own)) t.copy_(sd[k]); });
    },
  };
}
