// The real-vs-rendered distance: the unbiased squared MMD and the median bandwidth against plain loops written here,
// and the fixed features (colour statistics by hand; the random net is the same at every construction).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/torch/index.js';
import { colorFeatures, RandomFeatureNet } from '../src/methods/render/features.js';
import { medianDistance, mmd2 } from '../src/methods/render/evaluate.js';

const close = (a: number, b: number, tol: number, what = '') => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what} ${a} vs ${b}`);
const rows = (t: torch.Tensor): number[][] => {
  const [n, f] = t.shape;
  const v = t.double().contiguous().toTypedArray() as Float64Array;
  return Array.from({ length: n }, (_, i) => Array.from(v.subarray(i * f, (i + 1) * f)));
};
const dist = (a: number[], b: number[]) => Math.sqrt(a.reduce((s, x, i) => s + (x - b[i]) ** 2, 0));

test('unbiased MMD^2 and the median pairwise distance, as written out in loops', () => torch.scope(() => {
  torch.manualSeed(1);
  const x = torch.randn([7, 5], { dtype: 'float64' });
  const y = torch.randn([6, 5], { dtype: 'float64' }).add(0.8);
  const X = rows(x), Y = rows(y);
  const d: number[] = [];
  for (let i = 0; i < X.length; i++) for (let j = i + 1; j < X.length; j++) d.push(dist(X[i], X[j]));
  d.sort((a, b) => a - b);
  close(medianDistance(x), d[10], 1e-12, 'median of 21 distances: the 11th');
  const sigma = 1.7;
  const k = (a: number[], b: number[]) => Math.exp(-(dist(a, b) ** 2) / (2 * sigma * sigma));
  let xx = 0, yy = 0, xy = 0;
  for (let i = 0; i < 7; i++) for (let j = 0; j < 7; j++) if (i !== j) xx += k(X[i], X[j]);
  for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) if (i !== j) yy += k(Y[i], Y[j]);
  for (const a of X) for (const b of Y) xy += k(a, b);
  close(mmd2(x, y, sigma), xx / 42 + yy / 30 - (2 * xy) / 42, 1e-12, 'MMD^2');
}));

test('median of an even number of distances averages the middle two', () => torch.scope(() => {
  // Points 0, 1, 3, 7 on a line: distances 1, 3, 7, 2, 6, 4 -> sorted 1 2 3 4 6 7 -> (3 + 4) / 2.
  close(medianDistance(torch.tensor([0, 1, 3, 7], { shape: [4, 1], dtype: 'float64' })), 3.5, 1e-15);
}));

test('colour features: channel means and standard deviations, then 2 x 4 cell means', () => torch.scope(() => {
  torch.manualSeed(2);
  const img = torch.rand([1, 3, 4, 8], { dtype: 'float64' });
  const f = rows(colorFeatures(img))[0];
  const px = rows(img.reshape(3, 32));
  assert.equal(f.length, 30);
  px.forEach((ch, c) => {
    const mean = ch.reduce((a, b) => a + b, 0) / 32;
    close(f[c], mean, 1e-12, `mean ${c}`);
    close(f[3 + c], Math.sqrt(ch.reduce((a, b) => a + (b - mean) ** 2, 0) / 32), 1e-12, `std ${c}`);
    // Cell (row 1, column 2) covers rows 2-3, columns 4-5.
    const cell = [ch[2 * 8 + 4], ch[2 * 8 + 5], ch[3 * 8 + 4], ch[3 * 8 + 5]].reduce((a, b) => a + b, 0) / 4;
    close(f[6 + c * 8 + 6], cell, 1e-12, `cell ${c}`);
  });
}));

test('the random feature net is fixed: same features on every construction, global generator untouched', () => torch.scope(() => {
  const img = torch.rand([2, 3, 16, 32]);
  torch.manualSeed(9);
  const a = rows(new RandomFeatureNet().features(img));
  const next = torch.rand([1]).item();
  torch.manualSeed(123);
  const b = rows(new RandomFeatureNet().features(img));
  assert.deepEqual(a, b);
  assert.equal(a[0].length, 64);
  torch.manualSeed(9);
  assert.equal(torch.rand([1]).item(), next, 'building the net consumed no global random numbers');
}));
