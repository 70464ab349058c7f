// The render method's losses against closed forms written out here: per-image binary cross-entropy (averaged over
// patches), claim 3's sum and mean over the m + n images, the θ losses, accuracy, and the stop rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/torch/index.js';
import { accuracy, classifierLoss, subLosses, thetaLoss } from '../src/methods/render/losses.js';
import { StopRule } from '../src/methods/render/stop.js';

const close = (a: number, b: number, tol = 1e-12, what = '') => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what} ${a} vs ${b}`);
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
/** -log D for real (label 1), -log(1 - D) for rendered (label 0), D = sigmoid(logit). */
const bce = (z: number, label: 0 | 1) => -Math.log(label === 1 ? sigmoid(z) : 1 - sigmoid(z));

// Rendered images (m = 2, 3 patches each) and real images (n = 3).
const RENDERED = [[0.3, -1.2, 2.0], [-0.4, 0.1, 0.7]];
const REAL = [[1.5, 0.2, -0.3], [-2.0, 0.4, 0.9], [0.05, 0.05, 3.1]];
const t = (rows: number[][]) => torch.tensor(Float64Array.from(rows.flat()), { shape: [rows.length, rows[0].length], dtype: 'float64' });
const sub = (rows: number[][], label: 0 | 1) => rows.map((r) => r.reduce((a, z) => a + bce(z, label), 0) / r.length);
const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);

test('per-image sub-losses are the BCE averaged over the image\'s patches', () => torch.scope(() => {
  const got = Array.from(subLosses(t(RENDERED), 0).toTypedArray() as Float64Array);
  sub(RENDERED, 0).forEach((v, i) => close(got[i], v, 1e-12, `image ${i}`));
}));

test('classifier loss: the sum, or the mean, of the m + n sub-losses (claim 3)', () => torch.scope(() => {
  const total = sum(sub(RENDERED, 0)) + sum(sub(REAL, 1));
  close(classifierLoss(t(RENDERED), t(REAL), 'sum').item(), total, 1e-12, 'sum');
  close(classifierLoss(t(RENDERED), t(REAL), 'mean').item(), total / 5, 1e-12, 'mean');
}));

test('θ losses: rendered labelled real (non-saturating) or minus the rendered terms (minimax), over the same m + n', () => torch.scope(() => {
  const ns = sum(sub(RENDERED, 1)), mm = -sum(sub(RENDERED, 0));
  close(thetaLoss(t(RENDERED), 3, 'sum', 'nonsaturating').item(), ns);
  close(thetaLoss(t(RENDERED), 3, 'mean', 'nonsaturating').item(), ns / 5);
  close(thetaLoss(t(RENDERED), 3, 'sum', 'minimax').item(), mm);
  close(thetaLoss(t(RENDERED), 3, 'mean', 'minimax').item(), mm / 5);
}));

test('sum and mean differ by the factor m + n in value and in gradient', () => torch.scope(() => {
  const x = t(RENDERED).requiresGrad_(true);
  const [gs] = torch.autograd.grad(thetaLoss(x, 3, 'sum', 'nonsaturating'), x);
  const [gm] = torch.autograd.grad(thetaLoss(x, 3, 'mean', 'nonsaturating'), x);
  const a = Array.from(gs!.toTypedArray() as Float64Array), b = Array.from(gm!.toTypedArray() as Float64Array);
  // d(-log sigmoid z)/dz = sigmoid(z) - 1, over 3 patches.
  RENDERED.flat().forEach((z, i) => {
    close(a[i], (sigmoid(z) - 1) / 3, 1e-12, 'sum gradient');
    close(b[i], (sigmoid(z) - 1) / 3 / 5, 1e-12, 'mean gradient');
  });
}));

test('accuracy counts an image as real when its mean patch logit is > 0', () => torch.scope(() => {
  // Mean logits: rendered 1.0333 (wrong), 0.1333 (wrong); real 0.4667, -0.2333 (wrong), 1.0667.
  assert.equal(accuracy(t(RENDERED), 0), 0);
  close(accuracy(t(REAL), 1), 2 / 3, 1e-6);
}));

test('stop rule: a full window whose mean accuracy is within tolerance of 0.5, from minSteps on', () => {
  const rule = new StopRule({ window: 3, tolerance: 0.05, minSteps: 5 });
  for (const a of [1, 0.5, 0.5]) rule.record(a);
  assert.equal(rule.shouldStop(10), false, 'mean 0.667');
  rule.record(0.56);
  assert.equal(rule.shouldStop(10), true, 'mean (0.5 + 0.5 + 0.56) / 3 = 0.52');
  assert.equal(rule.shouldStop(4), false, 'before minSteps');
  const copy = new StopRule({ window: 3, tolerance: 0.05, minSteps: 5 });
  copy.loadStateDict(rule.stateDict());
  assert.equal(copy.shouldStop(10), true, 'state round trip');
  const short = new StopRule({ window: 3, tolerance: 0.05, minSteps: 0 });
  short.record(0.5);
  assert.equal(short.shouldStop(10), false, 'window not full');
});
