// Checkpoints: everything saved comes back (weights, buffers, optimizer and scheduler state, EMA, RNG,
// data position, method state); folders appear only complete (temp folder, then rename; `latest` after);
// the newest K are kept; mismatches are clear errors.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import * as torch from '../src/torch/index.js';
import type { Tensor } from '../src/torch/index.js';
import { emaState, latestCheckpoint, listCheckpoints, loadCheckpoint, loadModuleWeights, saveCheckpoint, type CheckpointState } from '../src/run/checkpoint.js';
import { makeTask } from './helpers/tiny_task.js';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'shiftkit-ckpt-'));
const numbers = (t: Tensor): number[] => Array.from(t.toTypedArray() as ArrayLike<number | bigint>, Number);
const values = (sd: Record<string, Tensor>): Record<string, number[]> => Object.fromEntries(Object.entries(sd).map(([k, t]) => [k, numbers(t)]));

function setup(seed: number) {
  const task = makeTask(seed);
  const ema = new torch.optim.ExponentialMovingAverage({ parameters: task.model.namedParameters(), buffers: task.model.namedBuffers() });
  let note = { phase: 'warmup', seen: [1, 2] };
  const state: CheckpointState = {
    modules: { model: task.model, ema: emaState(ema) }, optimizers: { sgd: task.optimizer }, schedulers: { step: task.scheduler },
    data: task.data, extra: { stateDict: () => note, loadStateDict: (s) => { note = s as typeof note; } },
  };
  const advance = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) {
      await torch.scope(async () => task.step(await task.data.next(), i));
      task.scheduler.step();
      ema.update({ parameters: task.model.namedParameters(), buffers: task.model.namedBuffers() }, 0.9);
    }
    note = { phase: `after ${n}`, seen: [...note.seen, n] };
  };
  // Everything a checkpoint must restore, as plain values.
  const snapshot = () => torch.scope(() => ({
    model: values(task.model.stateDict()), ema: values(ema.stateDict()),
    momentum: task.model.parameters().map((p) => numbers(task.optimizer.state.get(p)!.momentum_buffer as Tensor)),
    lr: task.optimizer.paramGroups[0].lr, lastEpoch: task.scheduler.lastEpoch, data: task.data.stateDict(), note,
  }));
  return { task, state, advance, snapshot };
}

test('a checkpoint restores weights, buffers, optimizer, scheduler, EMA, RNG, data position and method state', async () => {
  const dir = tmp();
  try {
    const a = setup(1);
    await a.advance(3);
    const folder = saveCheckpoint(dir, 3, a.state);
    const saved = a.snapshot();
    const nextRandom = numbers(torch.rand([6]));
    await a.advance(4);
    assert.notDeepEqual(a.snapshot(), saved);

    const loaded = loadCheckpoint(folder, a.state);
    assert.equal(loaded.step, 3);
    assert.deepEqual(a.snapshot(), saved);
    assert.deepEqual(numbers(torch.rand([6])), nextRandom);

    // A fresh process's objects (another seed's initial weights) load the same state.
    const b = setup(2);
    loadCheckpoint(folder, b.state);
    assert.deepEqual(b.snapshot(), saved);

    const { tensors, metadata } = torch.safetensors.loadFile(path.join(folder, 'weights.safetensors'));
    assert.deepEqual(metadata, { format: 'shiftkit-checkpoint', step: '3' });
    for (const k of ['model.0.weight', 'model.1.running_var', 'model.1.num_batches_tracked', 'ema.5.bias', 'optimizer.sgd.0.momentum_buffer']) assert.ok(k in tensors, k);
    assert.equal(tensors['model.1.num_batches_tracked'].item(), 3);
    const json = JSON.parse(fs.readFileSync(path.join(folder, 'trainer.json'), 'utf8'));
    assert.deepEqual([json.step, json.data, json.schedulers.step.last_epoch, json.optimizers.sgd.param_groups[0].momentum], [3, { epoch: 0, batch: 3 }, 3, 0.9]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('folders appear only complete: built under a temporary name, renamed, then `latest` replaced', () => {
  const dir = tmp();
  const rename = fs.renameSync;
  const seen: string[] = [];
  try {
    const { state } = setup(1);
    saveCheckpoint(dir, 1, state);
    fs.renameSync = (from: fs.PathLike, to: fs.PathLike) => {
      const [f, t] = [String(from), String(to)];
      if (path.basename(t) === 'step-000002') {
        assert.ok(path.basename(f).startsWith('.step-000002.') && f.endsWith('.tmp'), f);
        assert.equal(JSON.parse(fs.readFileSync(path.join(f, 'trainer.json'), 'utf8')).step, 2);
        assert.ok(Object.keys(torch.safetensors.loadFile(path.join(f, 'weights.safetensors')).tensors).length > 0);
        assert.equal(fs.readFileSync(path.join(dir, 'latest'), 'utf8'), 'step-000001\n');
      }
      seen.push(path.relative(dir, t));
      rename(from, to);
    };
    saveCheckpoint(dir, 2, state);
    fs.renameSync = rename;
    assert.deepEqual(seen.filter((s) => !s.includes(path.sep)), ['step-000002', 'latest']);
    assert.equal(fs.readFileSync(path.join(dir, 'latest'), 'utf8'), 'step-000002\n');
    assert.deepEqual(fs.readdirSync(dir).sort(), ['latest', 'step-000001', 'step-000002']);

    // A failure part-way (here, the method's state) leaves no folder, no temporary and `latest` as it was.
    assert.throws(() => saveCheckpoint(dir, 3, { ...state, extra: { stateDict: () => { throw new Error('boom'); }, loadStateDict() {} } }), /boom/);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['latest', 'step-000001', 'step-000002']);
    assert.equal(path.basename(latestCheckpoint(dir)!), 'step-000002');
  } finally {
    fs.renameSync = rename;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('keeps the newest K; saving an earlier step (after a resume) drops the abandoned later ones', () => {
  const dir = tmp();
  try {
    const { state } = setup(1);
    for (let s = 1; s <= 5; s++) saveCheckpoint(dir, s, state, { keep: 2 });
    assert.deepEqual(listCheckpoints(dir), [4, 5]);
    fs.mkdirSync(path.join(dir, '.step-000009.123.abcd.tmp')); // a crashed write's leftover
    saveCheckpoint(dir, 4, state, { keep: 2 });
    assert.deepEqual(fs.readdirSync(dir).sort(), ['latest', 'step-000004']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('mismatched state and broken pointers are errors naming the file', () => {
  const dir = tmp();
  try {
    const { state, task } = setup(1);
    const folder = saveCheckpoint(dir, 1, state);
    const json = path.join(folder, 'trainer.json');
    assert.throws(() => loadCheckpoint(folder, { ...state, optimizers: { adam: task.optimizer } }),
      new RegExp(`${json}: has optimizers \\[sgd\\] but the run has \\[adam\\]`));
    assert.throws(() => loadCheckpoint(folder, { ...state, modules: { model: task.model } }), /has modules \[model, ema\] but the run has \[model\]/);
    assert.throws(() => saveCheckpoint(dir, 2, { ...state, modules: { 'a.b': task.model } }), /modules name 'a.b'/);
    fs.writeFileSync(path.join(dir, 'latest'), 'step-000007\n');
    assert.throws(() => latestCheckpoint(dir), /latest names 'step-000007', which is not a complete checkpoint/);
    assert.equal(latestCheckpoint(path.join(dir, 'nowhere')), null);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('loadModuleWeights takes a run folder, a checkpoint folder or a weights file', async () => {
  const dir = tmp();
  try {
    const a = setup(1);
    await a.advance(2);
    const ckpts = path.join(dir, 'checkpoints');
    fs.mkdirSync(ckpts);
    const folder = saveCheckpoint(ckpts, 2, a.state);
    const expected = torch.scope(() => values(a.task.model.stateDict()));
    for (const target of [dir, folder, path.join(folder, 'weights.safetensors')]) {
      const b = setup(2);
      assert.equal(loadModuleWeights(target, { model: b.task.model }), path.join(folder, 'weights.safetensors'));
      assert.deepEqual(torch.scope(() => values(b.task.model.stateDict())), expected);
    }
    assert.throws(() => loadModuleWeights(folder, { teacher: a.task.model }), /has no weights for module 'teacher'/);
    assert.throws(() => loadModuleWeights(path.join(dir, 'nope.safetensors'), {}), /Checkpoint not found/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
