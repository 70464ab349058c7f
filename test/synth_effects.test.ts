// The target domain's unmodelled effects against closed forms: radial distortion of a label edge (nearest) and of
// a linear ramp (bilinear, exact for a linear image), the disc of a defocused impulse, JPEG's loss growing as the
// quality drops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/torch/index.js';
import { defocusBlur, distort, jpegRoundTrip } from '../src/data/synth/effects.js';

const H = 24, W = 40, K1 = -0.12, K2 = -0.02;
const cx = (W - 1) / 2, cy = (H - 1) / 2, HALF = Math.hypot(W, H) / 2;
/** Where output pixel (u, v) samples the input, by the model r' = r (1 + k1 r^2 + k2 r^4), r in half diagonals. */
function source(u: number, v: number): [number, number] {
  const x = (u - cx) / HALF, y = (v - cy) / HALF, r2 = x * x + y * y;
  const s = 1 + K1 * r2 + K2 * r2 * r2;
  return [cx + x * s * HALF, cy + y * s * HALF];
}

test('distortion keeps labels aligned: a vertical label edge bends as the radial model says', () => torch.scope(() => {
  const edge = 30.5; // between columns 30 and 31
  const labels = torch.tensor(Int32Array.from({ length: H * W }, (_, p) => (p % W <= edge ? 1 : 2)), { shape: [1, 1, H, W] }).to('int64');
  const out = Array.from(distort(labels, { k1: K1, k2: K2 }, 'nearest').to('int32').contiguous().toTypedArray() as Int32Array);
  assert.ok(out.every((v) => v === 1 || v === 2), 'nearest sampling makes no new label values');
  let mismatches = 0;
  for (let v = 0; v < H; v++) {
    for (let u = 0; u < W; u++) {
      const [xs] = source(u, v);
      if (Math.abs(xs - edge) < 1e-6) continue; // a tie: either side is right
      if (out[v * W + u] !== (xs < edge ? 1 : 2)) mismatches++;
    }
  }
  assert.equal(mismatches, 0);
  const ones = (row: number) => out.slice(row * W, (row + 1) * W).filter((x) => x === 1).length;
  assert.ok(ones(0) > ones(Math.round(cy)), `the edge bows outward at the top (${ones(0)}) vs the middle row (${ones(Math.round(cy))})`);
}));

test('distortion of an image is bilinear: a linear ramp maps to the ramp at the source points', () => torch.scope(() => {
  const ramp = torch.tensor(Float64Array.from({ length: H * W }, (_, p) => (p % W) / (W - 1) + Math.floor(p / W) / (2 * (H - 1))),
    { shape: [1, 1, H, W], dtype: 'float64' });
  const out = distort(ramp, { k1: K1, k2: K2 }, 'bilinear').contiguous().toTypedArray() as Float64Array;
  for (let v = 0; v < H; v++) {
    for (let u = 0; u < W; u++) {
      const [xs, ys] = source(u, v);
      const want = xs / (W - 1) + ys / (2 * (H - 1));
      assert.ok(Math.abs(out[v * W + u] - want) < 1e-9, `(${u}, ${v}): ${out[v * W + u]} vs ${want}`);
    }
  }
}));

test('defocus blur spreads an impulse evenly over the disc i^2 + j^2 <= r^2', () => torch.scope(() => {
  const img = torch.zeros([1, 3, 9, 9], { dtype: 'float64' });
  img.narrow(2, 4, 1).narrow(3, 4, 1).fill_(1);
  const out = defocusBlur(img, 2).select(0, 0).select(0, 1).contiguous().toTypedArray() as Float64Array;
  for (let y = 0; y < 9; y++) {
    for (let x = 0; x < 9; x++) {
      const inDisc = (x - 4) ** 2 + (y - 4) ** 2 <= 4;
      assert.ok(Math.abs(out[y * 9 + x] - (inDisc ? 1 / 13 : 0)) < 1e-15, `(${x}, ${y})`);
    }
  }
}));

test('JPEG round trip: same size, and more loss at lower quality', async () => {
  const w = 32, h = 16;
  const data = Uint8Array.from({ length: w * h * 3 }, (_, i) => ((i * 37) % 251) ^ ((i >> 4) & 0xff));
  const err = async (q: number) => {
    const r = await jpegRoundTrip({ data, width: w, height: h, channels: 3 }, q);
    assert.equal(r.width, w);
    assert.equal(r.height, h);
    assert.equal(r.channels, 3);
    return Array.from(r.data).reduce((a, v, i) => a + Math.abs(v - data[i]), 0) / data.length;
  };
  const [e95, e60, e20] = [await err(95), await err(60), await err(20)];
  assert.ok(e95 > 0 && e95 < e60 && e60 < e20, `mean error ${e95} < ${e60} < ${e20}`);
});
