// Optimizers against torch.optim goldens (scripts/fixtures/optim.py): trajectories, state dicts, resuming.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as torch from '../src/torch/index.js';
import { Adam, AdamW, SGD, type BaseOptions, type Optimizer, type OptimizerStateDict } from '../src/torch/optim/index.js';

type Tensor = torch.Tensor;
type Options = Record<string, unknown>;
interface Case {
  name: string;
  optimizer: 'SGD' | 'Adam' | 'AdamW';
  dtype: 'float32' | 'float64';
  defaults: Options & { lr: number };
  groups: (Options & { params: number[] })[];
  steps: number;
  trajectory: number[][][];
  state_dict: { state: Record<string, Record<string, number | number[]>>; param_groups: (Options & { params: number[] })[] };
}
const fx = JSON.parse(readFileSync(new URL('../../test/fixtures/optim/optimizers.json', import.meta.url), 'utf8')) as {
  shapes: number[][]; params: number[][]; a: number[][]; b: number[][]; unused: number; cases: Case[];
};

// float64 runs should agree with PyTorch to rounding; float32 within a few float32 ulps of the values.
const tolerance = { float64: 1e-12, float32: 2e-6 };

const constructors = {
  SGD: (g: never, d: never) => new SGD(g, d),
  Adam: (g: never, d: never) => new Adam(g, d),
  AdamW: (g: never, d: never) => new AdamW(g, d),
};

function makeOptimizer(c: Case, params: Tensor[], groups = c.groups, defaults: Options = c.defaults): Optimizer<BaseOptions> {
  const withTensors = groups.map((g) => ({ ...g, params: g.params.map((i) => params[i]) }));
  return constructors[c.optimizer](withTensors as never, defaults as never) as unknown as Optimizer<BaseOptions>;
}

const leaf = (values: number[], shape: number[], dtype: torch.DType) => torch.tensor(values, { dtype, shape, requiresGrad: true });
const flat = (t: Tensor) => Array.from(t.detach().toTypedArray() as Float64Array | Float32Array);

function assertClose(actual: number[], expected: number[], tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  actual.forEach((v, i) => {
    assert.ok(Math.abs(v - expected[i]) <= tol * Math.max(1, Math.abs(expected[i])), `${what}[${i}]: ${v} vs torch ${expected[i]}`);
  });
}

// One step as the fixture script does it: gradient p * a + b for every parameter but the unused one.
function step(c: Case, opt: Optimizer<BaseOptions>, params: Tensor[]): void {
  torch.scope(() => {
    opt.zeroGrad();
    torch.noGrad(() => params.forEach((p, k) => {
      if (k === fx.unused) return;
      p.grad = p.mul(torch.tensor(fx.a[k], { dtype: c.dtype, shape: fx.shapes[k] })).add(torch.tensor(fx.b[k], { dtype: c.dtype, shape: fx.shapes[k] }));
    }));
    opt.step();
  });
}

function checkStep(c: Case, params: Tensor[], t: number): void {
  params.forEach((p, k) => assertClose(flat(p), c.trajectory[t][k], tolerance[c.dtype], `${c.name} step ${t + 1} param ${k}`));
}

function checkStateDict(c: Case, sd: OptimizerStateDict): void {
  const golden = c.state_dict;
  assert.equal(sd.param_groups.length, golden.param_groups.length);
  sd.param_groups.forEach((g, i) => {
    for (const [k, v] of Object.entries(g)) assert.deepEqual(v, golden.param_groups[i][k], `${c.name} group ${i} '${k}'`);
  });
  assert.deepEqual(Object.keys(sd.state).sort(), Object.keys(golden.state).sort(), `${c.name}: parameters with state`);
  for (const [idx, st] of Object.entries(sd.state)) {
    const want = golden.state[idx];
    assert.deepEqual(Object.keys(st).sort(), Object.keys(want).sort(), `${c.name}: state keys of ${idx}`);
    for (const [k, v] of Object.entries(st)) {
      if (typeof v === 'number') assert.equal(v, want[k], `${c.name} state ${idx}.${k}`);
      else assertClose(flat(v), want[k] as number[], tolerance[c.dtype], `${c.name} state ${idx}.${k}`);
    }
  }
}

for (const c of fx.cases) {
  test(`${c.name}: ${c.steps} steps match torch.optim.${c.optimizer}, and so does the state dict`, () => torch.scope(() => {
    const params = fx.params.map((v, k) => leaf(v, fx.shapes[k], c.dtype));
    const opt = makeOptimizer(c, params);
    for (let t = 0; t < c.steps; t++) {
      step(c, opt, params);
      checkStep(c, params, t);
    }
    checkStateDict(c, opt.stateDict());
  }));

  test(`${c.name}: a fresh optimizer loading the state dict halfway continues as the uninterrupted run`, () => torch.scope(() => {
    const half = Math.floor(c.steps / 2);
    const params = fx.params.map((v, k) => leaf(v, fx.shapes[k], c.dtype));
    const first = makeOptimizer(c, params);
    for (let t = 0; t < half; t++) step(c, first, params);
    // Fresh parameters and an optimizer built with other options: everything must come from the state dict.
    const resumed = params.map((p) => torch.noGrad(() => p.detach().clone()).requiresGrad_(true));
    const second = makeOptimizer(c, resumed, c.groups.map((g) => ({ params: g.params })), { lr: 123 });
    second.loadStateDict(first.stateDict());
    for (let t = half; t < c.steps; t++) {
      step(c, second, resumed);
      checkStep(c, resumed, t);
    }
  }));
}

test('zeroGrad drops gradients by default and zeroes them in place with setToNone=false', () => torch.scope(() => {
  const p = torch.ones([2], { requiresGrad: true });
  const opt = new SGD([p], { lr: 0.1 });
  p.mul(3).sum().backward();
  opt.zeroGrad(false);
  assert.deepEqual(p.grad?.tolist(), [0, 0]);
  assert.equal(p.grad?.requiresGrad, false);
  opt.zeroGrad();
  assert.equal(p.grad, null);
}));

test('stateDict numbers parameters across groups and restores lr changed after saving', () => torch.scope(() => {
  const [a, b, c] = [0, 1, 2].map(() => torch.zeros([1], { requiresGrad: true }));
  const opt = new SGD([{ params: [a, b] }, { params: [c], lr: 0.5 }], { lr: 0.1, momentum: 0.9 });
  const sd = opt.stateDict();
  assert.deepEqual(sd.param_groups.map((g) => g.params), [[0, 1], [2]]);
  assert.equal(sd.param_groups[1].lr, 0.5);
  assert.equal(sd.param_groups[0].weight_decay, 0);
  opt.paramGroups[1].lr = 7;
  opt.loadStateDict(sd);
  assert.equal(opt.paramGroups[1].lr, 0.5);
}));

test('clear errors for bad parameters, options and state dicts', () => torch.scope(() => {
  const p = torch.zeros([2], { requiresGrad: true });
  assert.throws(() => new SGD([p.mul(2)], { lr: 0.1 }), /non-leaf/);
  assert.throws(() => new SGD([{ params: [p] }, { params: [p] }], { lr: 0.1 }), /more than one group/);
  assert.throws(() => new SGD([], { lr: 0.1 }), /empty parameter list/);
  assert.throws(() => new SGD([p], { lr: -1 }), /invalid learning rate/);
  assert.throws(() => new SGD([p], { lr: 0.1, nesterov: true }), /nesterov/);
  assert.throws(() => new Adam([p], { betas: [0.9, 1] }), /beta at index 1/);
  const opt = new AdamW([p]);
  assert.throws(() => opt.loadStateDict({ state: {}, param_groups: [] }), /0 parameter groups saved, optimizer has 1/);
}));
