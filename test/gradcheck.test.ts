// Autograd against central finite differences in float64 (eps 1e-6; |autograd - numeric| <= 1e-5 + 1e-4 |numeric|)
// for every differentiable op family, plus double backward, explicit output gradients and retainGraph against
// closed forms.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/torch/index.js';
import { F, type Tensor } from '../src/torch/index.js';
import { gradcheck } from './helpers/gradcheck.js';
import { makeInput } from './helpers/fixtures.js';

/** A float64 input with distinct values in [lo, hi] (away from the kinks of relu, abs, max at 0 by default). */
const d = (shape: number[], k = 0, lo = -1, hi = 1.1) => makeInput({ shape, k, lo, hi, dtype: 'float64' });
const idx = (values: number[] | number[][] | number[][][]) => torch.tensor(values, { dtype: 'int64' });
const check = (name: string, fn: (...x: Tensor[]) => Tensor | Tensor[], inputs: () => Tensor[], wrt?: number[]) =>
  test(name, () => torch.scope(() => gradcheck(fn, inputs(), { wrt })));

// ---- elementwise, broadcasting ----
check('add/sub/mul/div broadcast', (a, b) => a.add(b).mul(a).sub(b.mul(2)).div(b.add(2)), () => [d([3, 1]), d([4], 1)]);
check('pow tensor and scalar', (a, b) => [a.pow(b), a.pow(3), a.pow(0.5)], () => [d([2, 3], 0, 0.2, 2), d([2, 3], 1)]);
check('exp/log/sqrt/rsqrt', (a) => [a.exp(), a.log(), a.sqrt(), a.rsqrt(), a.log1p(), a.expm1()], () => [d([5], 0, 0.2, 2)]);
check('trig and hyperbolic', (a) => [a.sin(), a.cos(), a.tan(), a.atan(), a.asin(), a.acos(), a.sinh(), a.cosh(), a.tanh()],
  () => [d([5], 0, -0.9, 0.8)]);
check('sigmoid/relu/abs/clamp/erf', (a) => [a.sigmoid(), a.relu(), a.abs(), a.clamp(-0.5, 0.5), a.erf(), a.square()], () => [d([6])]);
check('maximum/minimum/atan2/lerp', (a, b) => [a.maximum(b), a.minimum(b), a.atan2(b), a.lerp(b, 0.3)], () => [d([5]), d([5], 1)]);
check('addcmul/addcdiv', (a, b, c) => [a.addcmul(b, c, 0.5), a.addcdiv(b, c, 2)], () => [d([4]), d([4], 1), d([4], 2, 0.5, 2)]);
check('where/maskedFill', (a, b) => [torch.where(a.gt(0), a, b), a.maskedFill(b.gt(0), 2)], () => [d([3, 4]), d([3, 4], 1)]);

// ---- reductions ----
check('sum/mean over dims', (a) => [a.sum(), a.sum([0, 2], true), a.mean(1)], () => [d([2, 3, 4])]);
check('prod', (a) => [a.prod(), a.prod(1)], () => [d([2, 3], 0, 0.5, 2)]);
check('max/min with dim, amax', (a) => [a.max(1)[0], a.min(0)[0], a.amax([0, 1]), a.max()], () => [d([3, 4])]);
check('var/std', (a) => [a.var(), a.var(1, { unbiased: false }), a.std(0)], () => [d([3, 4])]);
check('norm p=2,1', (a) => [a.norm(), a.norm(1, 1)], () => [d([3, 4])]);
check('logsumexp', (a) => a.logsumexp(1), () => [d([3, 4], 0, -3, 3)]);
check('cumsum', (a) => a.cumsum(1), () => [d([3, 4])]);
check('cumprod', (a) => a.cumprod(0), () => [d([5, 2], 0, -1.5, 1.5)]);
// cumprod's backward has a separate path for zeros in the input.
check('cumprod with a zero', (a) => a.cumprod(0), () => [torch.tensor([0.5, -1.2, 0, 2, 0.7], { dtype: 'float64' })]);
check('topk/sort values', (a) => [a.topk(2)[0], a.sort(1, true)[0]], () => [d([3, 5])]);

// ---- linear algebra, einsum, fft ----
check('matmul/bmm', (a, b, c) => [a.matmul(b), c.bmm(c.transpose(1, 2))], () => [d([2, 3, 4]), d([4, 2], 1), d([2, 2, 3], 2)]);
check('einsum', (a, b) => [torch.einsum('bij,jk->bik', a, b), torch.einsum('bii->b', a.narrow(2, 0, 3))], () => [d([2, 3, 4]), d([4, 2], 1)]);
const wellConditioned = (a: Tensor) => a.add(torch.eye(3, 3, { dtype: 'float64' }).mul(4));
check('linalg.solve', (a, b) => torch.linalg.solve(wellConditioned(a), b), () => [d([3, 3]), d([3, 2], 1)]);
check('linalg.inv/det', (a) => [torch.linalg.inv(wellConditioned(a)), torch.linalg.det(wellConditioned(a))], () => [d([3, 3])]);
// A real filter in the frequency domain: the path of FFT-based losses and augmentations.
check('irfft2(rfft2(x) * h)', (a, h) => torch.fft.irfft2(torch.fft.rfft2(a).mul(h), [4, 6]), () => [d([2, 4, 6]), d([4, 4], 1)]);
check('fft2 magnitude', (a) => torch.fft.fft2(a).abs(), () => [d([3, 4], 0, 0.1, 1)]);
check('fftshift', (a) => torch.fft.fftshift(a).mul(a), () => [d([3, 4])]);

// ---- shape and indexing ----
check('reshape/permute/expand/flatten', (a) => a.permute(2, 0, 1).reshape(4, 6).unsqueeze(0).expand(2, 4, 6).flatten(1),
  () => [d([2, 3, 4])]);
check('cat/stack/split/chunk', (a, b) => [torch.cat([a, b], 1), torch.stack([a, a.mul(b)]), ...a.split(1, 1), ...b.chunk(2)],
  () => [d([2, 3]), d([2, 3], 1)]);
check('slice/narrow/select/flip/roll/repeat', (a) => [a.slice(1, 1, 4, 2), a.narrow(0, 1, 2), a.select(1, 0), a.flip(0), a.roll(1, 1),
  a.repeat(2, 1)], () => [d([3, 4])]);
check('gather/indexSelect', (a) => [a.gather(1, idx([[0, 0, 2], [3, 1, 1], [2, 2, 0]])), a.indexSelect(0, idx([2, 0, 2]))],
  () => [d([3, 4])]);
check('scatter/scatterAdd', (a, s) => [a.scatter(1, idx([[0, 2], [3, 1], [1, 0]]), s), a.scatterAdd(1, idx([[1, 1], [0, 3], [2, 2]]), s)],
  () => [d([3, 4]), d([3, 2], 1)]);
check('index/indexPut', (a, v) => [a.index([idx([0, 2, 2]), idx([1, 3, 3])]), a.indexPut([idx([0, 2])], v),
  a.indexPut([idx([1, 1, 0]), idx([0, 0, 3])], v.flatten().narrow(0, 0, 3), true)], () => [d([3, 4]), d([2, 4], 1)]);
check('pad modes', (a) => [F.pad(a, [1, 2, 0, 1], 'constant', 0.5), F.pad(a, [2, 1, 1, 2], 'reflect'),
  F.pad(a, [1, 1, 2, 0], 'replicate'), F.pad(a, [1, 2, 2, 1], 'circular')], () => [d([1, 2, 3, 4])]);

// ---- F: convolution and linear ----
check('conv2d stride/padding/bias', (x, w, b) => F.conv2d(x, w, b, { stride: 2, padding: 1 }),
  () => [d([1, 2, 5, 5]), d([3, 2, 3, 3], 1), d([3], 2)]);
check('conv2d dilation/groups', (x, w) => F.conv2d(x, w, null, { padding: [1, 2], dilation: 2, groups: 2 }),
  () => [d([1, 4, 5, 4]), d([2, 2, 2, 2], 1)]);
check('convTranspose2d', (x, w, b) => F.convTranspose2d(x, w, b, { stride: 2, padding: 1, outputPadding: 1 }),
  () => [d([1, 2, 3, 3]), d([2, 3, 3, 3], 1), d([3], 2)]);
check('convTranspose2d groups/dilation', (x, w) => F.convTranspose2d(x, w, null, { groups: 2, dilation: 2 }),
  () => [d([1, 4, 3, 3]), d([4, 1, 2, 2], 1)]);
check('linear', (x, w, b) => F.linear(x, w, b), () => [d([2, 3, 4]), d([5, 4], 1), d([5], 2)]);

// ---- F: normalisation ----
check('batchNorm train', (x, w, b) => F.batchNorm(x, null, null, { weight: w, bias: b, training: true }),
  () => [d([3, 2, 2, 2]), d([2], 1, 0.5, 1.5), d([2], 2)]);
check('batchNorm eval', (x, m, v, w) => F.batchNorm(x, m, v, { weight: w }), () => [d([2, 3, 2]), d([3], 1), d([3], 2, 0.5, 2), d([3], 3)],
  [0, 3]);
check('groupNorm', (x, w, b) => F.groupNorm(x, 2, w, b), () => [d([2, 4, 2, 2]), d([4], 1, 0.5, 1.5), d([4], 2)]);
check('layerNorm', (x, w, b) => F.layerNorm(x, [3, 4], w, b), () => [d([2, 3, 4]), d([3, 4], 1), d([3, 4], 2)]);
check('instanceNorm', (x) => F.instanceNorm(x), () => [d([2, 2, 3, 3])]);
check('normalize', (x) => F.normalize(x), () => [d([3, 4])]);

// ---- F: pooling and resampling ----
check('maxPool2d', (x) => [F.maxPool2d(x, 2), F.maxPool2d(x, 3, { stride: 2, padding: 1 })], () => [d([1, 2, 5, 4])]);
check('avgPool2d', (x) => [F.avgPool2d(x, 2), F.avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false })], () => [d([1, 2, 5, 4])]);
check('adaptiveAvgPool2d/adaptiveMaxPool2d', (x) => [F.adaptiveAvgPool2d(x, [2, 3]), F.adaptiveMaxPool2d(x, 2)], () => [d([1, 2, 5, 4])]);
for (const alignCorners of [false, true]) {
  check(`interpolate bilinear alignCorners=${alignCorners}`, (x) => [F.interpolate(x, { size: [5, 3], mode: 'bilinear', alignCorners }),
    F.interpolate(x, { scaleFactor: 1.5, mode: 'bilinear', alignCorners })], () => [d([1, 2, 3, 4])]);
}
check('interpolate nearest', (x) => F.interpolate(x, { scaleFactor: 2 }), () => [d([1, 2, 2, 3])]);
for (const paddingMode of ['zeros', 'border', 'reflection'] as const) {
  for (const alignCorners of [false, true]) {
    check(`gridSample bilinear ${paddingMode} alignCorners=${alignCorners}`, (x, g) => F.gridSample(x, g, { paddingMode, alignCorners }),
      () => [d([1, 2, 3, 4]), d([1, 2, 3, 2], 1, -1.23, 1.31)]);
  }
}
check('gridSample nearest (input only)', (x, g) => F.gridSample(x, g, { mode: 'nearest' }), () => [d([1, 2, 3, 4]), d([1, 2, 3, 2], 1)], [0]);
check('affineGrid', (th) => F.affineGrid(th, [1, 1, 3, 4]), () => [d([1, 2, 3])]);
check('pixelShuffle/unfold/fold', (x) => [F.pixelShuffle(x, 2), F.unfold(x, 2, { padding: 1 }), F.fold(x.reshape(1, 4, 6), [3, 4], 2)],
  () => [d([1, 4, 2, 3])]);

// ---- F: activations and losses (class weights and pos_weight are not differentiable in PyTorch either) ----
check('softmax/logSoftmax', (x) => [F.softmax(x, 1), F.logSoftmax(x, -1)], () => [d([2, 3, 4], 0, -3, 3)]);
check('activations', (x, w) => [F.gelu(x), F.gelu(x, 'tanh'), F.elu(x, 0.7), F.silu(x), F.softplus(x, 2), F.mish(x), F.leakyRelu(x, 0.2),
  F.logSigmoid(x), F.hardswish(x), F.prelu(x, w)], () => [d([2, 3, 2], 0, -2.7, 3.1), d([3], 1, 0, 0.5)]);
check('crossEntropy weights/ignoreIndex/smoothing', (x, w) => [
  F.crossEntropy(x, idx([0, 3, -1, 2, 1]), { weight: w, ignoreIndex: -1 }),
  F.crossEntropy(x, idx([0, 3, 1, 2, 1]), { reduction: 'none' }),
  F.crossEntropy(x, idx([0, 3, 1, 2, 1]), { weight: w, labelSmoothing: 0.1 })], () => [d([5, 4], 0, -3, 3), d([4], 1, 0.5, 2)], [0]);
check('crossEntropy spatial and probabilities', (x, p) => [F.crossEntropy(x, idx([[[0, 2], [1, 1]]])),
  F.crossEntropy(x, F.softmax(p, 1))], () => [d([1, 3, 2, 2], 0, -3, 3), d([1, 3, 2, 2], 1)]);
check('nllLoss', (x, w) => F.nllLoss(F.logSoftmax(x, 1), idx([1, 0, 3]), { weight: w }), () => [d([3, 4]), d([4], 1, 0.5, 2)], [0]);
check('binaryCrossEntropyWithLogits', (x, t, pw) => [F.binaryCrossEntropyWithLogits(x, t, { posWeight: pw }),
  F.binaryCrossEntropyWithLogits(x, t, { reduction: 'none' })], () => [d([3, 4], 0, -3, 3), d([3, 4], 1, 0, 1), d([4], 2, 0.5, 3)], [0, 1]);
check('mse/l1/smoothL1/huber', (a, b) => [F.mseLoss(a, b), F.l1Loss(a, b, 'sum'), F.smoothL1Loss(a, b, 'mean', 0.5), F.huberLoss(a, b, 'none', 0.5)],
  () => [d([3, 4], 0, -2, 2), d([3, 4], 1)]);
check('klDiv', (x, t) => [F.klDiv(F.logSoftmax(x, 1), t, 'batchmean'), F.klDiv(F.logSoftmax(x, 1), t.log(), 'sum', true)],
  () => [d([3, 4]), d([3, 4], 1, 0.05, 1)]);

// ---- autograd API against closed forms ----
test('autograd.grad createGraph: second derivative of sum(x^3) is 6x', () => torch.scope(() => {
  const x = d([4]).requiresGrad_();
  const [g] = torch.autograd.grad(x.pow(3).sum(), x, { createGraph: true });
  assert.ok(g !== null && g.requiresGrad);
  assertClose(g, x.detach().pow(2).mul(3));
  const [h] = torch.autograd.grad(g.sum(), x);
  assertClose(h!, x.detach().mul(6));
}));

test('backward with an explicit gradient for a non-scalar output', () => torch.scope(() => {
  const x = d([2, 3]).requiresGrad_();
  const v = d([2, 3], 1);
  x.exp().backward(v);
  assertClose(x.grad!, x.detach().exp().mul(v));
}));

test('retainGraph allows a second backward, which accumulates; without it the second backward throws', () => torch.scope(() => {
  const x = d([3]).requiresGrad_();
  const y = x.mul(x).sum();
  y.backward(undefined, { retainGraph: true });
  y.backward();
  assertClose(x.grad!, x.detach().mul(4));
  const z = x.exp().sum();
  z.backward();
  assert.throws(() => z.backward(), (e: Error) => e instanceof Error && /backward through the graph a second time/.test(e.message));
}));

function assertClose(actual: Tensor, expected: Tensor): void {
  const a = actual.toTypedArray() as Float64Array;
  const e = expected.toTypedArray() as Float64Array;
  assert.deepEqual(actual.shape, expected.shape);
  a.forEach((v, i) => assert.ok(Math.abs(v - e[i]) <= 1e-12 + 1e-10 * Math.abs(e[i]), `element ${i}: ${v} vs ${e[i]}`));
}
