// Schedules, confidence and losses of the seg method against closed forms and sums written out here in plain
// JavaScript; gradients of the consistency losses against float64 finite differences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/torch/index.js';
import {
  confidenceMask, consistencyWeight, entropy, meanSoftmax, pseudoLabelCe, rampedThreshold, rampup, segLoss, softmaxMse,
} from '../src/methods/seg/losses.js';
import { gradcheck } from './helpers/gradcheck.js';

const close = (a: number, b: number, tol = 1e-6, what = '') => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what} ${a} vs ${b}`);
const values = (t: torch.Tensor) => Array.from(t.double().toTypedArray() as Float64Array);

test('rampup and lambda(t) = lambdaMax exp(-5 (1 - t/T)^2), clipped, fixed when T = 0', () => {
  assert.equal(rampup(0, 100), Math.exp(-5));
  assert.equal(rampup(50, 100), Math.exp(-1.25));
  assert.equal(rampup(100, 100), 1);
  assert.equal(rampup(250, 100), 1);
  assert.equal(rampup(-7, 100), Math.exp(-5));
  assert.equal(rampup(3, 0), 1);
  assert.equal(consistencyWeight(75, 3, 100), 3 * Math.exp(-5 * 0.0625));
});

test('entropy threshold ramps from 0.75 ln C to ln C', () => {
  const lnC = Math.log(19);
  close(rampedThreshold(0, 0.75, 1, 1000) * lnC, (0.75 + 0.25 * Math.exp(-5)) * lnC, 1e-15);
  close(rampedThreshold(500, 0.75, 1, 1000) * lnC, (0.75 + 0.25 * Math.exp(-1.25)) * lnC, 1e-15);
  close(rampedThreshold(1000, 0.75, 1, 1000) * lnC, lnC, 1e-15);
});

// [N=1, C, H=1, W] probabilities from per-pixel lists.
const probsOf = (pixels: number[][]) => torch.tensor(pixels).t().reshape(1, pixels[0].length, 1, pixels.length);

test('entropy of known distributions (natural log, 0 log 0 = 0)', () => torch.scope(() => {
  const h = values(entropy(probsOf([[0.25, 0.25, 0.25, 0.25], [1, 0, 0, 0], [0.5, 0.5, 0, 0], [0.7, 0.2, 0.1, 0]])));
  close(h[0], Math.log(4), 1e-6, 'uniform');
  assert.ok(h[1] === 0, 'one-hot');
  close(h[2], Math.log(2), 1e-6, 'two classes');
  close(h[3], -(0.7 * Math.log(0.7) + 0.2 * Math.log(0.2) + 0.1 * Math.log(0.1)), 1e-6, '0.7/0.2/0.1');
}));

const softmax = (z: number[]) => {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

test('meanSoftmax averages the softmax of K passes', () => torch.scope(() => {
  // Two passes of a batch of one 3-class pixel.
  const passes = [[1, 2, 0.5], [-1, 0, 3]];
  const logits = torch.tensor(passes).reshape(2, 3, 1, 1);
  const want = softmax(passes[0]).map((p, c) => (p + softmax(passes[1])[c]) / 2);
  values(meanSoftmax(logits, 2)).forEach((v, c) => close(v, want[c], 1e-6, `class ${c}`));
  assert.throws(() => meanSoftmax(torch.zeros([3, 2, 1, 1]), 2), /3 maps are not 2 passes/);
}));

test('confidence masks: entropy below the threshold, max probability at or above it, or every pixel', () => torch.scope(() => {
  const probs = probsOf([[0.9, 0.05, 0.05], [0.4, 0.3, 0.3], [1 / 3, 1 / 3, 1 / 3], [0.6, 0.4, 0]]);
  // Entropies: 0.394, 1.089, 1.0986 (ln 3), 0.673.
  assert.deepEqual(values(confidenceMask(probs, 'entropy', 0.75 * Math.log(3))), [1, 0, 0, 1]);
  assert.deepEqual(values(confidenceMask(probs, 'entropy', Math.log(3) - 1e-3)), [1, 1, 0, 1]);
  assert.deepEqual(values(confidenceMask(probs, 'maxprob', 0.6)), [1, 0, 0, 1]);
  assert.deepEqual(values(confidenceMask(probs, 'none', 0)), [1, 1, 1, 1]);
}));

// Student logits and teacher probabilities of four 3-class pixels, and a mask keeping pixels 0, 2 and 3.
const student = [[2, 0, -1], [0.5, 0.5, 0], [-1, 1, 0.2], [0, 0, 3]];
const teacher = [[0.8, 0.1, 0.1], [0.2, 0.5, 0.3], [0.3, 0.3, 0.4], [0.1, 0.1, 0.8]];
const mask = [1, 0, 1, 1];
const tensors = (dtype: torch.DType = 'float32') => ({
  logits: probsOf(student).to(dtype), probs: probsOf(teacher).to(dtype), mask: torch.tensor(mask).reshape(1, 1, 4).to(dtype),
});

test('softmax MSE: mean over classes of (softmax(student) - teacher)^2, averaged over confident pixels', () => torch.scope(() => {
  const { logits, probs, mask: m } = tensors();
  let sum = 0;
  student.forEach((z, i) => { sum += mask[i] * softmax(z).reduce((a, p, c) => a + (p - teacher[i][c]) ** 2, 0) / 3; });
  close(softmaxMse(logits, probs, m).item(), sum / 3, 1e-6);
  assert.equal(softmaxMse(logits, probs, torch.zeros([1, 1, 4])).item(), 0, 'no confident pixel');
}));

test("confidence-weighted CE against the teacher's argmax, averaged over confident pixels", () => torch.scope(() => {
  const { logits, probs, mask: m } = tensors();
  let sum = 0;
  student.forEach((z, i) => {
    const target = teacher[i].indexOf(Math.max(...teacher[i]));
    sum += mask[i] * -Math.log(softmax(z)[target]);
  });
  close(pseudoLabelCe(logits, probs, m).item(), sum / 3, 1e-6);
}));

test('supervised CE ignores label 255 and averages over labelled pixels; all ignored gives 0', () => torch.scope(() => {
  const { logits } = tensors();
  const labels = [2, 255, 1, 0];
  let sum = 0;
  student.forEach((z, i) => { if (labels[i] !== 255) sum += -Math.log(softmax(z)[labels[i]]); });
  close(segLoss(logits, torch.tensor(Uint8Array.from(labels), { shape: [1, 1, 4] })).item(), sum / 3, 1e-6);
  assert.equal(segLoss(logits, torch.full([1, 1, 4], 255, { dtype: 'int64' })).item(), 0);
}));

test('gradcheck: both consistency losses with respect to the student logits (float64)', () => torch.scope(() => {
  const { logits, probs, mask: m } = tensors('float64');
  gradcheck((x) => softmaxMse(x, probs, m), [logits]);
  gradcheck((x) => pseudoLabelCe(x, probs, m), [logits]);
}));
