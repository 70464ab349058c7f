// torch.nn modules against PyTorch goldens (scripts/fixtures/nn.py): BatchNorm numerics and running statistics,
// seeded default initialisation, module-tree names, and the state-dict / to() / train() contracts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as torch from '../src/torch/index.js';
import * as nn from '../src/torch/nn/index.js';
import { closedForm, closedFormStateDict } from './helpers/closed_form.js';

type Tensor = torch.Tensor;
interface BnCase {
  options: { momentum?: null; track_running_stats?: boolean; affine?: boolean; eps?: number };
  state_dict_keys: string[];
  train1: number[]; train2: number[]; eval: number[];
  buffers: Record<string, number[]>;
}
const fx = JSON.parse(readFileSync(new URL('../../test/fixtures/nn/nn.json', import.meta.url), 'utf8')) as {
  batchnorm: BnCase[];
  seeded_layers: Record<string, number[]>[];
  seeded_init: Record<string, number[]>;
  gains: Record<string, number>;
  net: {
    state_dict: [string, number[]][]; named_parameters: string[]; named_buffers: string[]; named_modules: string[];
    named_children: string[]; eval: number[][]; train: number[][]; train_running_mean: number[];
  };
};

// float32 forward passes: a few ulps of values of order 1.
const tol = 1e-5;
const values = (t: Tensor): number[] => Array.from(t.detach().double().flatten().toTypedArray() as Float64Array);
function assertClose(actual: Tensor, expected: number[], tolerance: number, what: string): void {
  const a = values(actual);
  assert.equal(a.length, expected.length, `${what}: ${a.length} values, expected ${expected.length}`);
  const diff = Math.max(0, ...a.map((v, i) => Math.abs(v - expected[i])));
  assert.ok(diff <= tolerance, `${what}: max abs diff ${diff} > ${tolerance}`);
}

test('BatchNorm2d: train/eval outputs, running statistics and num_batches_tracked match PyTorch', () => {
  for (const c of fx.batchnorm) torch.scope(() => {
    const bn = new nn.BatchNorm2d(3, { momentum: c.options.momentum, trackRunningStats: c.options.track_running_stats,
      affine: c.options.affine, eps: c.options.eps });
    const what = JSON.stringify(c.options);
    assert.deepEqual(Object.keys(bn.stateDict()), c.state_dict_keys, what);
    bn.loadStateDict(closedFormStateDict(bn.stateDict()));
    const x1 = closedForm('bn.x1', [2, 3, 3, 4]);
    const x2 = closedForm('bn.x2', [2, 3, 3, 4]).mul(2).add(0.5);
    assertClose(bn.forward(x1), c.train1, tol, `${what} train step 1`);
    assertClose(bn.forward(x2), c.train2, tol, `${what} train step 2`);
    bn.eval();
    assertClose(bn.forward(x1), c.eval, tol, `${what} eval`);
    assert.deepEqual(bn.namedBuffers().map(([k]) => k), Object.keys(c.buffers), what);
    for (const [k, b] of bn.namedBuffers()) assertClose(b, c.buffers[k], 1e-6, `${what} ${k}`);
  });
});

test('Linear / Conv2d / ConvTranspose2d seeded default init equals PyTorch\'s', () => torch.scope(() => {
  torch.manualSeed(0);
  const layers = [new nn.Linear(5, 4), new nn.Conv2d(3, 4, 3), new nn.Conv2d(4, 6, 3, { groups: 2, bias: false }),
    new nn.ConvTranspose2d(4, 2, 3), new nn.Linear(3, 2, { bias: false })];
  layers.forEach((m, i) => {
    const sd = m.stateDict();
    assert.deepEqual(Object.keys(sd), Object.keys(fx.seeded_layers[i]));
    for (const [k, t] of Object.entries(sd)) assertClose(t, fx.seeded_layers[i][k], 1e-7, `layer ${i} ${k}`);
  });
}));

test('init functions with a seed equal torch.nn.init\'s', () => torch.scope(() => {
  const { init } = nn;
  torch.manualSeed(1);
  const e = (...shape: number[]) => torch.empty(shape);
  const got: Record<string, Tensor> = {
    kaimingUniform_leaky: init.kaimingUniform_(e(4, 3, 2, 2), { a: 0.2 }),
    kaimingUniform_fanOut: init.kaimingUniform_(e(4, 3, 2, 2), { mode: 'fan_out', nonlinearity: 'relu' }),
    kaimingNormal_fanOut: init.kaimingNormal_(e(8, 4, 3, 3), { mode: 'fan_out', nonlinearity: 'relu' }),
    kaimingNormal_tanh: init.kaimingNormal_(e(5, 7), { nonlinearity: 'tanh' }),
    xavierUniform: init.xavierUniform_(e(6, 5), 2),
    xavierNormal: init.xavierNormal_(e(6, 5, 3)),
    uniform: init.uniform_(e(7), -2, 3),
    normal: init.normal_(e(7), 1, 0.5),
  };
  for (const [k, t] of Object.entries(got)) assertClose(t, fx.seeded_init[k], 1e-7, k);
  for (const [k, g] of Object.entries(fx.gains)) {
    const [name, param] = k.split('_0.') as [nn.init.Nonlinearity, string | undefined];
    assert.ok(Math.abs(init.calculateGain(name, param === undefined ? undefined : Number(`0.${param}`)) - g) < 1e-15, k);
  }
  assert.throws(() => init.kaimingUniform_(e(5)), /fewer than 2 dimensions/);
}));

test('default init draws weights and biases from U(-1/sqrt(fanIn), 1/sqrt(fanIn))', () => torch.scope(() => {
  // fanIn = weight.shape[1] * kernel area, which for ConvTranspose2d is out_channels / groups * kh * kw.
  const cases: [nn.Conv2d | nn.ConvTranspose2d | nn.Linear, number][] = [
    [new nn.Conv2d(64, 128, 3), 64 * 9], [new nn.Linear(300, 256), 300], [new nn.ConvTranspose2d(16, 96, 4), 96 * 16]];
  for (const [m, fanIn] of cases) {
    const bound = 1 / Math.sqrt(fanIn);
    const w = m.weight.detach();
    const n = w.numel();
    assert.ok(w.abs().max().item() <= bound, `${m.constructor.name}: a weight exceeds the bound`);
    assert.ok(w.abs().max().item() > bound * (1 - 20 / n), `${m.constructor.name}: weights do not reach the bound`);
    // Mean 0 and variance bound^2 / 3, within about 5 standard errors for these sizes.
    assert.ok(Math.abs(w.mean().item()) < 5 * bound / Math.sqrt(3 * n), `${m.constructor.name}: mean ${w.mean().item()}`);
    const relVar = w.square().mean().item() / (bound * bound / 3);
    assert.ok(Math.abs(relVar - 1) < 5 * Math.sqrt(0.8 / n), `${m.constructor.name}: variance ratio ${relVar}`);
    assert.ok(m.bias!.abs().max().item() <= bound);
    assert.ok(m.weight.requiresGrad && m.weight.isLeaf);
  }
}));

// The same tree as Net in scripts/fixtures/nn.py.
class Net extends nn.Module {
  readonly stem = this.registerModule('stem', new nn.Sequential(new nn.Conv2d(3, 8, 3, { padding: 1 }), new nn.BatchNorm2d(8),
    new nn.ReLU(), new nn.Identity(), new nn.MaxPool2d(2)));
  readonly blocks = this.registerModule('blocks', new nn.ModuleList([
    new nn.Sequential(new nn.Conv2d(8, 8, 3, { padding: 2, dilation: 2, groups: 2, bias: false }), new nn.GroupNorm(4, 8), new nn.GELU()),
    new nn.Sequential(new nn.Conv2d(8, 8, 3, { padding: 1, paddingMode: 'reflect' }), new nn.LeakyReLU(0.2), new nn.Dropout2d(0.3)),
  ]));
  readonly heads = this.registerModule('heads', new nn.ModuleDict<nn.Layer>({
    seg: new nn.Sequential(new nn.ConvTranspose2d(8, 4, 2, { stride: 2 }), new nn.Upsample({ scaleFactor: 2, mode: 'bilinear' }),
      new nn.Sigmoid()),
    cls: new nn.Sequential(new nn.AdaptiveAvgPool2d(1), new nn.Flatten(), new nn.Linear(8, 6), new nn.LayerNorm(6), new nn.SiLU(),
      new nn.Dropout(0.5), new nn.Linear(6, 3, { bias: false }), new nn.Tanh()),
    pool: new nn.AvgPool2d(3, { stride: 1, padding: 1 }),
  }));
  readonly tail = this.registerModule('tail', this.blocks.at(0));

  forward(input: Tensor): Tensor[] {
    let x = this.stem.forward(input);
    for (const b of this.blocks) x = x.add(b.forward(x));
    x = this.tail.forward(x);
    return ['seg', 'cls', 'pool'].map((k) => this.heads.get(k).forward(x));
  }
}

test('names of a nested Sequential / ModuleList / ModuleDict tree equal PyTorch\'s (shared module included)', () => torch.scope(() => {
  const net = new Net();
  assert.deepEqual(Object.entries(net.stateDict()).map(([k, t]) => [k, t.shape]), fx.net.state_dict);
  assert.deepEqual(net.namedParameters().map(([k]) => k), fx.net.named_parameters);
  assert.deepEqual(net.namedBuffers().map(([k]) => k), fx.net.named_buffers);
  assert.deepEqual(net.namedModules().map(([k]) => k), fx.net.named_modules);
  assert.deepEqual(net.namedChildren().map(([k]) => k), fx.net.named_children);
  assert.equal(net.getSubmodule('heads.cls.2'), (net.heads.get('cls') as nn.Sequential).at(2));
}));

test('Net forward matches PyTorch in eval and, with the same seed, in training (dropout masks, batch stats)', () => torch.scope(() => {
  const net = new Net();
  net.loadStateDict(closedFormStateDict(net.stateDict()));
  const x = closedForm('net.x', [2, 3, 4, 4]);
  net.eval();
  net.forward(x).forEach((y, i) => assertClose(y, fx.net.eval[i], tol, `eval output ${i}`));
  net.train();
  torch.manualSeed(5);
  net.forward(x).forEach((y, i) => assertClose(y, fx.net.train[i], tol, `train output ${i}`));
  assertClose((net.stem.at(1) as nn.BatchNorm2d).runningMean!, fx.net.train_running_mean, 1e-6, 'running_mean');
}));

test('loadStateDict: strict errors name missing, unexpected and mis-shaped keys, and copy nothing', () => torch.scope(() => {
  const m = new nn.Sequential(new nn.Linear(3, 2), new nn.BatchNorm2d(2));
  const before = values(m.stateDict()['0.weight']);
  const sd = { ...closedFormStateDict(m.stateDict()) };
  delete sd['1.running_var'];
  sd['2.weight'] = torch.zeros([1]);
  assert.throws(() => m.loadStateDict(sd), (e: Error) => e.message.startsWith('Error(s) in loading state_dict for Sequential:')
    && e.message.includes('Missing key(s) in state_dict: "1.running_var".')
    && e.message.includes('Unexpected key(s) in state_dict: "2.weight".'));
  assert.deepEqual(values(m.stateDict()['0.weight']), before);

  const wrongShape = { ...sd, '0.bias': torch.zeros([3]) };
  assert.throws(() => m.loadStateDict(wrongShape, false),
    /size mismatch for 0\.bias: copying a param with shape \[3\] from checkpoint, the shape in current model is \[2\]/);
  assert.deepEqual(m.loadStateDict(sd, false), { missingKeys: ['1.running_var'], unexpectedKeys: ['2.weight'] });
}));

test('loadStateDict copies in place, converting dtype; parameters stay leaves that require grad', () => torch.scope(() => {
  const m = new nn.Linear(3, 2);
  const weight = m.weight;
  const src = torch.tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' });
  m.loadStateDict({ weight: src, bias: torch.tensor([7, 8]) });
  assert.equal(m.weight, weight);
  assert.deepEqual(weight.tolist(), [[1, 2, 3], [4, 5, 6]]);
  assert.equal(weight.dtype, 'float32');
  assert.ok(weight.requiresGrad && weight.isLeaf);
  src.fill_(0);
  assert.deepEqual(m.bias!.tolist(), [7, 8]);
  assert.deepEqual(m.weight.tolist(), [[1, 2, 3], [4, 5, 6]], 'the module must not share memory with the source');
}));

test('to(float64) converts floating parameters, buffers and grads in place; integer buffers keep int64', () => torch.scope(() => {
  const net = new nn.Sequential(new nn.Conv2d(2, 3, 1), new nn.BatchNorm2d(3));
  const before = net.parameters();
  net.forward(torch.ones([2, 2, 2, 2])).sum().backward();
  const w = values(before[0]);
  net.to('float64');
  assert.deepEqual(net.parameters(), before);
  for (const p of net.parameters()) {
    assert.equal(p.dtype, 'float64');
    assert.equal(p.grad!.dtype, 'float64');
    assert.ok(p.requiresGrad && p.isLeaf);
  }
  assert.deepEqual(values(before[0]), w);
  assert.deepEqual(net.namedBuffers().map(([k, b]) => [k, b.dtype]),
    [['1.running_mean', 'float64'], ['1.running_var', 'float64'], ['1.num_batches_tracked', 'int64']]);
  assert.equal(net.forward(torch.ones([1, 2, 2, 2], { dtype: 'float64' })).dtype, 'float64');
  assert.throws(() => net.to({ dtype: 'int64' }), /only accepts floating point dtypes/);
}));

test('train()/eval() recurse; zeroGrad zeroes or clears gradients', () => torch.scope(() => {
  const net = new Net();
  net.eval();
  assert.ok(net.modules().every((m) => !m.training));
  net.train();
  assert.ok(net.modules().every((m) => m.training));
  const lin = new nn.Linear(2, 2);
  lin.forward(torch.ones([1, 2])).sum().backward();
  lin.zeroGrad(false);
  assert.deepEqual(lin.weight.grad!.tolist(), [[0, 0], [0, 0]]);
  lin.zeroGrad();
  assert.equal(lin.weight.grad, null);
}));

test('parameters outlive the scope that created their module', () => {
  const m = torch.scope(() => new nn.Linear(4, 3));
  assert.ok(m.parameters().every((p) => !p.isDisposed));
  assert.deepEqual(torch.scope(() => m.forward(torch.ones([1, 4])).shape), [1, 3]);
});

test('registration and container errors are clear', () => torch.scope(() => {
  const m = new nn.Linear(2, 2);
  assert.throws(() => m.registerModule('weight', new nn.ReLU()), /attribute 'weight' already exists in Linear/);
  assert.throws(() => m.registerBuffer('a.b', torch.zeros([1])), /can't be empty or contain "\."/);
  const seq = new nn.Sequential(new nn.ReLU(), new nn.Tanh());
  assert.ok(seq.at(-1) instanceof nn.Tanh);
  assert.throws(() => seq.at(2), /index 2 is out of range \(length 2\)/);
  assert.throws(() => new nn.ModuleDict({ a: new nn.ReLU() }).get('b'), /ModuleDict has no key 'b' \(keys: a\)/);
  assert.throws(() => m.getSubmodule('x'), /Linear has no submodule 'x'/);
  assert.throws(() => new nn.Dropout(1.5), /between 0 and 1/);
}));
