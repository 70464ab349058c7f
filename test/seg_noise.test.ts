// The target-copy perturbations: Gaussian noise statistics against the clipped normal's closed form, blur
// against a separable convolution written out here, jitter as per-image blend factors, and reproducibility.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/torch/index.js';
import { segConfigSchema, type NoiseConfig } from '../src/methods/seg/config.js';
import { grayscale, perturb } from '../src/methods/seg/noise.js';

const off = segConfigSchema.parse({ noise: { student: {
  gaussian: { sigma: 0 }, jitter: { brightness: 0, contrast: 0, saturation: 0 }, blur: { p: 0 } } } }).noise.student;
const spec = (o: { gaussian?: Partial<NoiseConfig['gaussian']>; jitter?: Partial<NoiseConfig['jitter']>; blur?: Partial<NoiseConfig['blur']> }): NoiseConfig => ({
  gaussian: { ...off.gaussian, ...o.gaussian }, jitter: { ...off.jitter, ...o.jitter }, blur: { ...off.blur, ...o.blur },
});
const flat = (t: torch.Tensor) => Array.from(t.contiguous().toTypedArray() as Float32Array);

test('Gaussian noise is clamp(0.1 randn, -0.2, 0.2): bounded, with the clipped normal\'s spread', () => torch.scope(() => {
  torch.manualSeed(1);
  const x = torch.rand([2, 3, 64, 64]);
  const d = flat(perturb(x, spec({ gaussian: { sigma: 0.1, clamp: 0.2 } })).sub(x));
  assert.ok(d.every((v) => Math.abs(v) <= 0.2 + 1e-6));
  // E[clip(Z, -2, 2)^2] = (2 Phi(2) - 1) - 4 phi(2) + 8 (1 - Phi(2)); Phi(2) = 0.97724986805182.
  const Phi2 = 0.97724986805182;
  const phi2 = Math.exp(-2) / Math.sqrt(2 * Math.PI);
  const std = 0.1 * Math.sqrt(2 * Phi2 - 1 - 4 * phi2 + 8 * (1 - Phi2));
  const mean = d.reduce((a, b) => a + b, 0) / d.length;
  const got = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length);
  assert.ok(Math.abs(got - std) / std < 0.03, `std ${got} vs ${std}`);
  assert.ok(Math.abs(mean) < 0.003, `mean ${mean}`);
  const clipped = d.filter((v) => Math.abs(v) > 0.2 - 1e-6).length / d.length;
  assert.ok(Math.abs(clipped - 2 * (1 - Phi2)) < 0.01, `clipped share ${clipped}`);
}));

test('the same seed gives the same copy; two draws give two different copies', () => torch.scope(() => {
  const x = torch.rand([2, 3, 16, 16]);
  const s = segConfigSchema.parse({}).noise.student;
  torch.manualSeed(7);
  const a = perturb(x, s);
  const b = perturb(x, s);
  torch.manualSeed(7);
  assert.ok(torch.equal(perturb(x, s), a));
  assert.ok(!torch.allclose(a, b));
}));

test('blur with p = 1 is a Gaussian of the drawn sigma with reflected borders; p = 0 changes nothing', () => torch.scope(() => {
  const [n, c, h, w] = [2, 3, 6, 7];
  const x = torch.rand([n, c, h, w]);
  assert.ok(torch.equal(perturb(x, spec({ blur: { p: 0 } })), x));
  const sigma = 0.8;
  const r = Math.ceil(3 * sigma);
  const k = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const ks = k.reduce((a, b) => a + b, 0);
  const reflect = (i: number, len: number) => (i < 0 ? -i : i >= len ? 2 * (len - 1) - i : i);
  const xs = flat(x);
  const at = (img: number, y: number, xx: number) => xs[img * h * w + reflect(y, h) * w + reflect(xx, w)];
  const want: number[] = [];
  for (let img = 0; img < n * c; img++) {
    for (let y = 0; y < h; y++) {
      for (let xx = 0; xx < w; xx++) {
        let s = 0;
        for (let i = -r; i <= r; i++) for (let j = -r; j <= r; j++) s += (k[i + r] * k[j + r] * at(img, y + i, xx + j)) / (ks * ks);
        want.push(s);
      }
    }
  }
  const got = flat(perturb(x, spec({ blur: { p: 1, sigma: [sigma, sigma] } })));
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-5, `element ${i}: ${v} vs ${want[i]}`));
}));

// out = clamp(f (x - ref) + ref) with one factor f per image in [1 - s, 1 + s]: recovers f from unclipped pixels.
function assertBlend(x: torch.Tensor, out: torch.Tensor, ref: torch.Tensor, s: number, what: string): void {
  const factors: number[] = [];
  for (let i = 0; i < x.shape[0]; i++) {
    const [xi, oi, ri] = [x, out, ref.expand(x.shape)].map((t) => flat(t.select(0, i)));
    const ratios = xi.flatMap((v, j) => (oi[j] > 1e-3 && oi[j] < 1 - 1e-3 && Math.abs(v - ri[j]) > 0.05 ? [(oi[j] - ri[j]) / (v - ri[j])] : []));
    assert.ok(ratios.length > 20, `${what}: image ${i} has unclipped pixels`);
    ratios.forEach((q) => assert.ok(Math.abs(q - ratios[0]) < 1e-3, `${what}: image ${i} factor ${q} vs ${ratios[0]}`));
    assert.ok(ratios[0] >= 1 - s - 1e-4 && ratios[0] <= 1 + s + 1e-4, `${what}: factor ${ratios[0]} outside [${1 - s}, ${1 + s}]`);
    factors.push(ratios[0]);
  }
  assert.ok(new Set(factors.map((f) => f.toFixed(4))).size > 1, `${what}: images draw their own factors`);
}

test('colour jitter: brightness, contrast and saturation as torchvision blends, one factor per image', () => torch.scope(() => {
  torch.manualSeed(3);
  const x = torch.rand([4, 3, 12, 12]).mul(0.6).add(0.2);
  assertBlend(x, perturb(x, spec({ jitter: { brightness: 0.4 } })), torch.zeros([1]), 0.4, 'brightness');
  assertBlend(x, perturb(x, spec({ jitter: { contrast: 0.4 } })), grayscale(x).mean([1, 2, 3], true), 0.4, 'contrast');
  assertBlend(x, perturb(x, spec({ jitter: { saturation: 0.4 } })), grayscale(x), 0.4, 'saturation');
}));
