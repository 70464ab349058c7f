// Transforms against torch/torchvision results on the same pixels (test/fixtures/data/transforms.json, made by
// scripts/fixtures/data.py) and against closed forms.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { gaussianBlur } from '../src/data/image_ops/blur.js';
import { adjustBrightness, adjustContrast, adjustHue, adjustSaturation, colorJitter } from '../src/data/image_ops/color.js';
import { View, type FloatPixels } from '../src/data/image_ops/geometry.js';
import { Rng } from '../src/data/random.js';
import { compose } from '../src/data/transforms.js';
import { fixturePath } from './helpers/fixtures.js';

interface G { shape: number[]; data: number[] }
const golden = JSON.parse(readFileSync(fixturePath('data', 'transforms.json'), 'utf8')) as Record<string, G & { image: G; label: G }>;

const [H, W] = [4, 6];
/** The fixture script's pixels: (37 x + 91 y + 53 c + 11) mod 256, HWC bytes. */
function bytes(h = H, w = W): Uint8Array {
  const d = new Uint8Array(h * w * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) d[(y * w + x) * 3 + c] = (37 * x + 91 * y + 53 * c + 11) % 256;
  return d;
}
/** Label ids (y * W + x) mod 19, as the fixture script's label map. */
function labelIds(): Uint8Array {
  return Uint8Array.from({ length: H * W }, (_, i) => i % 19);
}
const source = () => ({ image: { data: bytes(), width: W, height: H, channels: 3 }, labels: [labelIds()] });

/** The same pixels as float32 CHW planes in [0, 1], the pipeline's working layout. */
function floats(): FloatPixels {
  const b = bytes();
  const data = Float32Array.from({ length: 3 * H * W }, (_, i) => b[(i % (H * W)) * 3 + Math.floor(i / (H * W))] / 255);
  return { data, width: W, height: H, channels: 3 };
}

function close(actual: ArrayLike<number>, want: G, atol: number, label: string): void {
  assert.equal(actual.length, want.data.length, `${label}: size`);
  for (let i = 0; i < want.data.length; i++) {
    if (!(Math.abs(actual[i] - want.data[i]) <= atol)) assert.fail(`${label}: element ${i} is ${actual[i]}, torch gives ${want.data[i]}`);
  }
}

test('the fixture pixels are the ones torch saw (8 significant digits)', () => {
  close(floats().data, golden.image, 1e-8, 'image');
});

test('resize: bilinear image and nearest labels as F.interpolate', () => {
  for (const [h, w] of [[7, 9], [3, 4], [4, 11]]) {
    const v = new View(source());
    v.resize(h, w);
    const m = v.materialize();
    assert.deepEqual([m.image.height, m.image.width], [h, w]);
    close(m.image.data, golden[`bilinear_${h}x${w}`], 1e-6, `bilinear ${h}x${w}`);
    assert.deepEqual(Array.from(m.labels[0]), golden[`nearest_${h}x${w}`].data, `nearest ${h}x${w}`);
  }
});

test('resize then crop past the edge (padding) then flip, computed in one pass, equals doing them in turn', () => {
  const v = new View(source());
  v.resize(7, 9);
  v.crop(3, 0, 5, 10);
  v.hflip();
  const m = v.materialize();
  const g = golden.resize_pad_crop_flip;
  close(m.image.data, g.image, 1e-6, 'image');
  assert.deepEqual(Array.from(m.labels[0]), g.label.data, 'label');
});

test('crop and flip without resizing copy pixels exactly', () => {
  const v = new View(source());
  v.crop(1, 2, 2, 3);
  v.hflip();
  const m = v.materialize();
  const src = bytes();
  const lab = labelIds();
  for (let y = 0; y < 2; y++) {
    for (let x = 0; x < 3; x++) {
      const [sy, sx] = [y + 1, 2 + (2 - x)];
      for (let c = 0; c < 3; c++) assert.equal(m.image.data[(c * 2 + y) * 3 + x], Math.fround(src[(sy * W + sx) * 3 + c] / 255));
      assert.equal(m.labels[0][y * 3 + x], lab[sy * W + sx]);
    }
  }
});

test('a resize after a flip resizes the flipped float pixels (bilinear commutes with a flip)', () => {
  const v = new View(source());
  v.hflip();
  v.resize(7, 9); // computes the flip first, then resizes from float32 planes
  const got = v.materialize().image.data;
  const want = golden.bilinear_7x9.data;
  const flipped = Array.from(got, (_, i) => want[i - (i % 9) + 8 - (i % 9)]);
  close(got, { shape: [3, 7, 9], data: flipped }, 1e-6, 'flip then resize');
});

test('a flip before a crop mirrors the whole image first', () => {
  const v = new View(source());
  v.hflip();
  v.crop(0, 1, 1, 2); // columns 1..2 of the mirrored image = source columns 4, 3
  assert.deepEqual(Array.from(v.materialize().labels[0]), [4, 3]);
});

test('colour adjustments as torchvision functional ops', () => {
  const cases: [string, (p: FloatPixels) => void][] = [
    ['brightness_1.3', (p) => adjustBrightness(p, 1.3)],
    ['contrast_0.6', (p) => adjustContrast(p, 0.6)],
    ['saturation_1.7', (p) => adjustSaturation(p, 1.7)],
    ['hue_0.23', (p) => adjustHue(p, 0.23)],
    ['hue_-0.4', (p) => adjustHue(p, -0.4)],
  ];
  for (const [name, fn] of cases) {
    const p = floats();
    fn(p);
    close(p.data, golden[name], 2e-6, name);
  }
});

test('colorJitter applies the four adjustments in the drawn order with the drawn factors', () => {
  // The documented draws, made by hand from an identical stream: the order (a permutation of 4), then one
  // factor per adjustment from its range (x -> [1 - x, 1 + x], hue x -> [-x, x]).
  const p = floats();
  const rng = Rng.from(7);
  const probe = Rng.from(7);
  const order = Array.from(probe.permutation(4));
  const factors = [probe.uniform(0.5, 1.5), probe.uniform(0.5, 1.5), probe.uniform(0.5, 1.5), probe.uniform(-0.2, 0.2)];
  colorJitter(p, { brightness: 0.5, contrast: 0.5, saturation: 0.5, hue: 0.2 }, rng);
  const q = floats();
  const ops = [adjustBrightness, adjustContrast, adjustSaturation, adjustHue];
  for (const k of order) ops[k](q, factors[k]);
  assert.deepEqual(p.data, q.data);
  // The composition itself matches torchvision for a fixed order and factors.
  const r = floats();
  adjustSaturation(r, 0.4);
  adjustHue(r, -0.1);
  adjustBrightness(r, 1.2);
  adjustContrast(r, 1.5);
  close(r.data, golden['jitter_s0.4_h-0.1_b1.2_c1.5'], 3e-6, 'jitter');
});

test('Gaussian blur as torchvision gaussian_blur with kernel 2*ceil(3 sigma)+1', () => {
  close(gaussianBlur(floats(), 0.8).data, golden['blur_0.8'], 1e-6, 'sigma 0.8');
  close(gaussianBlur(floats(), 0.3).data, golden['blur_0.3'], 1e-6, 'sigma 0.3');
});

test('normalize: (x/255 - mean) / std, CHW, as torchvision normalize', () => {
  const out = compose([{ op: 'normalize' }])(source(), Rng.from(0));
  assert.deepEqual(out.image.shape, [3, H, W]);
  close(out.image.data as Float32Array, golden.normalize_imagenet, 1e-6, 'normalize');
  const [mean, std] = [[0.485, 0.456, 0.406], [0.229, 0.224, 0.225]];
  const b = bytes();
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < H * W; i++) {
      assert.ok(Math.abs(out.image.data[c * H * W + i] as number - (b[i * 3 + c] / 255 - mean[c]) / std[c]) < 1e-6);
    }
  }
});

test('no transforms: the whole image as CHW floats in [0, 1], labels unchanged', () => {
  const out = compose()(source(), Rng.from(0));
  assert.deepEqual(out.image.data, floats().data);
  assert.deepEqual(out.labels[0].shape, [H, W]);
  assert.deepEqual(out.labels[0].data, labelIds());
});

test('random scale + crop + flip: output size fixed, labels only take source values or 255', () => {
  const t = compose([{ op: 'randomScale', range: [0.3, 2.5] }, { op: 'randomCrop', size: [5, 5] }, { op: 'hflip' },
    { op: 'colorJitter', brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1 }, { op: 'gaussianBlur', sigma: [0.1, 1], p: 0.5 },
    { op: 'normalize' }]);
  const allowed = new Set([...labelIds(), 255]);
  const seen = new Set<number>();
  for (let seed = 0; seed < 60; seed++) {
    const out = t(source(), Rng.from(seed));
    assert.deepEqual(out.image.shape, [3, 5, 5]);
    assert.deepEqual(out.labels[0].shape, [5, 5]);
    for (const v of out.labels[0].data as Uint8Array) {
      assert.ok(allowed.has(v), `label value ${v} is not in the source`);
      seen.add(v);
    }
    assert.ok((out.image.data as Float32Array).every(Number.isFinite));
  }
  assert.ok(seen.has(255), 'some crops of downscaled images are padded');
  // The same stream gives the same sample, another stream another one.
  const a = t(source(), Rng.from(3)).image.data;
  assert.deepEqual(t(source(), Rng.from(3)).image.data, a);
  assert.notDeepEqual(t(source(), Rng.from(4)).image.data, a);
});

test('bad transform config is an Error naming the step', () => {
  assert.throws(() => compose([{ op: 'normalize' }, { op: 'hflip' }]), /\[0\]: normalize must be the last step/);
  assert.throws(() => compose([{ op: 'randomCrop', size: [0, 5] }] as never), /\[0\]\[size\]\[0\]/);
  assert.throws(() => compose([{ op: 'rotate' }] as never), /Invalid transforms config at \[0\]\[op\]/);
  assert.throws(() => compose([{ op: 'colorJitter', hue: 0.7 }] as never), /\[0\]\[hue\]/);
});
