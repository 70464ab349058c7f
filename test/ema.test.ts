// Weight EMA against its closed form, computed here in float64 JavaScript arithmetic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/torch/index.js';
import { ExponentialMovingAverage, meanTeacherDecay } from '../src/torch/optim/index.js';

const f64 = (v: number[]) => torch.tensor(v, { dtype: 'float64' });
const values = (t: torch.Tensor) => Array.from(t.toTypedArray() as Float64Array);

function assertClose(actual: number[], expected: number[], what: string): void {
  actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) <= 1e-15 * Math.max(1, Math.abs(expected[i])), `${what}[${i}]: ${v} vs ${expected[i]}`));
}

test('update averages parameters as decay * ema + (1 - decay) * source and copies buffers', () => torch.scope(() => {
  const start = [1, -2, 0.5];
  const student = { parameters: [['w', f64(start).requiresGrad_()]] as [string, torch.Tensor][],
    buffers: [['count', torch.tensor([3], { dtype: 'int64' })]] as [string, torch.Tensor][] };
  const ema = new ExponentialMovingAverage(student);
  let want = [...start];
  const sources = [[2, 0, 1], [-1, 4, 0.25], [0.3, 0.3, -7]];
  sources.forEach((src, k) => {
    const decay = [0.9, 0.5, 0.99][k];
    ema.update({ parameters: [['w', f64(src)]], buffers: [['count', torch.tensor([10 + k], { dtype: 'int64' })]] }, decay);
    want = want.map((e, i) => decay * e + (1 - decay) * src[i]);
    assertClose(values(ema.parameters.get('w')!), want, `step ${k}`);
    assert.deepEqual(ema.buffers.get('count')!.tolist(), [10 + k]);
  });
  // The average is a copy: the student's own tensors are untouched and it does not track gradients.
  assert.deepEqual(values(student.parameters[0][1].detach()), start);
  assert.equal(ema.stateDict().w.requiresGrad, false);
  assert.deepEqual(Object.keys(ema.stateDict()), ['w', 'count']);
}));

test('copy: false averages into the given tensors in place (a teacher module)', () => torch.scope(() => {
  const teacher = f64([4, 8]);
  const ema = new ExponentialMovingAverage({ parameters: [['w', teacher]] }, { copy: false });
  ema.update({ parameters: [['w', f64([0, 0])]] }, 0.75);
  assert.deepEqual(values(teacher), [3, 6]);
}));

test('meanTeacherDecay is min(1 - 1/(step+1), decay): a copy at step 0, then a growing average', () => {
  assert.equal(meanTeacherDecay(0, 0.99), 0);
  assert.equal(meanTeacherDecay(1, 0.99), 0.5);
  assert.equal(meanTeacherDecay(9, 0.99), 0.9);
  assert.equal(meanTeacherDecay(1000, 0.99), 0.99);
});

test('update rejects unknown, missing and reshaped tensors and bad decays', () => torch.scope(() => {
  const ema = new ExponentialMovingAverage({ parameters: [['a', f64([1])], ['b', f64([1, 2])]] });
  assert.throws(() => ema.update({ parameters: [['a', f64([1])], ['c', f64([1, 2])]] }, 0.9), /unknown parameter 'c'/);
  assert.throws(() => ema.update({ parameters: [['a', f64([1])]] }, 0.9), /missing from the source: b/);
  assert.throws(() => ema.update({ parameters: [['a', f64([1])], ['b', f64([1])]] }, 0.9), /'b' has shape \[1\], the average has \[2\]/);
  assert.throws(() => ema.update({ parameters: [] }, 1.5), /decay must be in \[0, 1\]/);
}));
