// src/torch/ops against torchvision 0.14 goldens (scripts/fixtures/vision_ops.py) and float64 finite differences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as torch from '../src/torch/index.js';
import { Tensor } from '../src/torch/tensor.js';
import { batchedNms, boxIou, deformConv2d, nms, roiAlign, roiPool } from '../src/torch/ops/index.js';

interface Encoded { shape: number[]; data: number[] }
type Fixture = Record<string, unknown>;

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtureDir = path.resolve(here, here.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..', 'test/fixtures/vision_ops');
const load = (name: string): Fixture => JSON.parse(readFileSync(path.join(fixtureDir, name), 'utf8')) as Fixture;

function decode(e: unknown, dtype: 'float32' | 'float64' = 'float32'): Tensor {
  const { shape, data } = e as Encoded;
  return torch.tensor(Float64Array.from(data), { shape }).to(dtype);
}

// float32 goldens hold 8 significant digits; the kernels sum in torchvision's order, so a few ulps suffice.
const ATOL = 2e-6;
const RTOL = 2e-6;

function assertClose(actual: Tensor, expected: unknown, what: string, atol = ATOL, rtol = RTOL): void {
  const e = expected as Encoded;
  assert.deepEqual(actual.shape, e.shape, `${what}: shape`);
  const a = Array.from(actual.toTypedArray() as Float32Array);
  a.forEach((v, i) => {
    const want = e.data[i];
    assert.ok(Math.abs(v - want) <= atol + rtol * Math.abs(want), `${what}[${i}]: got ${v}, want ${want}`);
  });
}

function gradsOf(out: Tensor, g: Tensor, inputs: Tensor[]): Tensor[] {
  return torch.autograd.grad(out.mul(g).sum(), inputs).map((t) => t as Tensor);
}

const indices = (t: Tensor): number[] => {
  assert.equal(t.dtype, 'int64');
  return (t.tolist() as number[]).map(Number);
};

test('boxIou matches torchvision values and gradients', () => torch.scope(() => {
  const f = load('boxes.json').iou as Fixture;
  const a = decode(f.a).requiresGrad_();
  const b = decode(f.b).requiresGrad_();
  const iou = boxIou(a, b);
  assertClose(iou, f.iou, 'iou');
  const [ga, gb] = gradsOf(iou, decode(f.g), [a, b]);
  assertClose(ga, f.gradA, 'gradA');
  assertClose(gb, f.gradB, 'gradB');
}));

test('nms and batchedNms keep torchvision\'s indices, ties in index order', () => torch.scope(() => {
  const f = load('boxes.json').nms as Fixture;
  const boxes = decode(f.boxes);
  const scores = decode(f.scores);
  assert.deepEqual(indices(nms(boxes, scores, 0.5)), f.keep05);
  assert.deepEqual(indices(nms(boxes, scores, 0.2)), f.keep02);
  assert.deepEqual(indices(nms(boxes.double(), scores.double(), 0.2)), f.keep02);
  const idxs = torch.tensor(f.idxs as number[], { dtype: 'int64' });
  assert.deepEqual(indices(batchedNms(boxes, scores, idxs, 0.5)), f.batched05);
  assert.deepEqual(indices(nms(decode(f.tieBoxes), decode(f.tieScores), 0.3)), f.tieKeep);
}));

test('nms of no boxes is an empty int64 tensor', () => torch.scope(() => {
  const none = torch.zeros([0, 4]);
  const noScores = torch.zeros([0]);
  assert.deepEqual(indices(nms(none, noScores, 0.5)), []);
  assert.deepEqual(indices(batchedNms(none, noScores, torch.zeros([0], { dtype: 'int64' }), 0.5)), []);
}));

for (const [file, fn] of [['roi_align.json', roiAlign], ['roi_pool.json', roiPool]] as const) {
  test(`${file.replace('.json', '')} matches torchvision outputs and input gradients`, () => torch.scope(() => {
    const f = load(file);
    const rois = decode(f.rois);
    for (const c of f.cases as Fixture[]) {
      const cfg = c.config as { output_size: [number, number]; spatial_scale: number; sampling_ratio?: number; aligned?: boolean };
      const input = decode(f.input).requiresGrad_();
      const out = fn === roiAlign
        ? roiAlign(input, rois, cfg.output_size, cfg.spatial_scale, cfg.sampling_ratio, cfg.aligned)
        : roiPool(input, rois, cfg.output_size, cfg.spatial_scale);
      const what = `${file} ${JSON.stringify(cfg)}`;
      assertClose(out, c.out, what);
      assertClose(gradsOf(out, decode(c.g), [input])[0], c.gradInput, `${what} grad`);
    }
  }));
}

test('roiAlign takes per-image box lists and float64 input', () => torch.scope(() => {
  const f = load('roi_align.json');
  const c = (f.cases as Fixture[])[0];
  const rois = decode(f.rois);
  // The fixture's rows are sorted by image: 3 boxes on image 0, then 3 on image 1.
  const perImage = [rois.slice(0, 0, 3).slice(1, 1), rois.slice(0, 3, 6).slice(1, 1)];
  assertClose(roiAlign(decode(f.input), perImage, 3), c.out, 'list boxes');
  assertClose(roiAlign(decode(f.input, 'float64'), perImage, [3, 3]).float(), c.out, 'float64 input', 1e-5);
}));

test('an empty box list gives [0, C, h, w] and a zero gradient', () => torch.scope(() => {
  const input = torch.rand([2, 3, 5, 5]).requiresGrad_();
  for (const out of [roiAlign(input, [], [2, 4], 1, 2, true), roiPool(input, torch.zeros([0, 5]), 2)]) {
    assert.deepEqual(out.shape.slice(1), [3, out.shape[2], out.shape[3]]);
    assert.equal(out.shape[0], 0);
    const [g] = torch.autograd.grad(out.sum().add(input.sum()), [input]);
    assert.equal((g as Tensor).sub(1).abs().max().item(), 0);
  }
}));

for (const name of ['v2', 'v1']) {
  test(`deformConv2d ${name} matches torchvision outputs and gradients`, () => torch.scope(() => {
    const c = (load('deform_conv2d.json') as Record<string, Fixture>)[name];
    const names = ['input', 'offset', 'weight', 'mask', 'bias'].filter((k) => k in c);
    const t = Object.fromEntries(names.map((k) => [k, decode(c[k]).requiresGrad_()]));
    const pairOf = (k: string) => c[k] as [number, number];
    const out = deformConv2d(t.input, t.offset, t.weight, t.bias ?? null, pairOf('stride'), pairOf('padding'),
      pairOf('dilation'), t.mask ?? null);
    assertClose(out, c.out, `${name} out`);
    const grads = gradsOf(out, decode(c.g), names.map((k) => t[k]));
    names.forEach((k, i) => assertClose(grads[i], c[`grad${k[0].toUpperCase()}${k.slice(1)}`], `${name} grad ${k}`));
  }));
}

// ---- float64 finite differences: d(sum(f(x) * g))/dx by central differences, every element ----

interface Arg { data: Float64Array; shape: number[] }

function randomArg(shape: number[], lo: number, hi: number): Arg {
  const t = torch.rand(shape, { dtype: 'float64' });
  const data = Float64Array.from(t.toTypedArray() as Float64Array, (v) => lo + (hi - lo) * v);
  t.dispose();
  return { data, shape };
}

function checkFiniteDifferences(f: (xs: Tensor[]) => Tensor, args: Arg[], wrt: number[], what: string): void {
  const eps = 1e-6;
  torch.scope(() => {
    const xs = args.map((a) => torch.tensor(a.data, { shape: a.shape }));
    const out = f(xs.map((x, i) => (wrt.includes(i) ? x.requiresGrad_() : x)));
    const g = torch.rand(out.shape, { dtype: 'float64' });
    const analytic = gradsOf(out, g, wrt.map((i) => xs[i]));
    const loss = (): number => torch.scope(() => f(args.map((a) => torch.tensor(a.data, { shape: a.shape }))).mul(g).sum().item() as number);
    wrt.forEach((argIndex, n) => {
      const data = args[argIndex].data;
      const grad = analytic[n].toTypedArray() as Float64Array;
      for (let k = 0; k < data.length; k++) {
        const saved = data[k];
        data[k] = saved + eps;
        const up = loss();
        data[k] = saved - eps;
        const down = loss();
        data[k] = saved;
        const numeric = (up - down) / (2 * eps);
        assert.ok(Math.abs(numeric - grad[k]) <= 1e-6 + 1e-5 * Math.abs(numeric),
          `${what}: arg ${argIndex}[${k}] analytic ${grad[k]} vs finite difference ${numeric}`);
      }
    });
  });
}

test('roiAlign input gradient equals float64 finite differences', () => {
  torch.manualSeed(3);
  // Boxes partly outside the 6x7 map, both alignments, fixed and adaptive sampling.
  const rois = { data: Float64Array.from([0, -1.3, 0.4, 4.1, 7.9, 1, 2.2, 1.7, 9.6, 5.2, 1, 0.3, 0.3, 0.9, 1.1]), shape: [3, 5] };
  for (const [aligned, sampling] of [[true, -1], [false, 2]] as const) {
    checkFiniteDifferences(([x, r]) => roiAlign(x, r, [2, 3], 0.8, sampling, aligned), [randomArg([2, 2, 6, 7], -1, 1), rois],
      [0], `roiAlign aligned=${aligned} sampling=${sampling}`);
  }
});

test('deformConv2d gradients equal float64 finite differences', () => {
  torch.manualSeed(4);
  const input = randomArg([1, 4, 5, 5], -1, 1);
  // Two offset groups, conv groups 2, offsets up to 2.5 pixels so taps leave the image.
  const v2 = [input, randomArg([1, 36, 3, 3], -2.5, 2.5), randomArg([6, 2, 3, 3], -1, 1), randomArg([1, 18, 3, 3], 0, 1),
    randomArg([6], -1, 1)];
  checkFiniteDifferences(([x, o, w, m, b]) => deformConv2d(x, o, w, b, 2, 1, 1, m), v2, [0, 1, 2, 3, 4], 'deformConv2d v2');
  const v1 = [input, randomArg([1, 8, 3, 3], -2.5, 2.5), randomArg([3, 4, 2, 2], -1, 1)];
  checkFiniteDifferences(([x, o, w]) => deformConv2d(x, o, w, null, [1, 2], [0, 1], [2, 1]), v1, [0, 1, 2], 'deformConv2d v1');
});

test('taps sampling far outside the image or at NaN contribute nothing', () => torch.scope(() => {
  const x = torch.rand([1, 2, 4, 4], { dtype: 'float64' }).requiresGrad_();
  const w = torch.rand([3, 2, 3, 3], { dtype: 'float64' }).requiresGrad_();
  const bias = torch.tensor([1, 2, 3], { dtype: 'float64' });
  for (const far of [1e30, -1e30, NaN]) {
    const offset = torch.full([1, 18, 2, 2], far, { dtype: 'float64' }).requiresGrad_();
    const out = deformConv2d(x, offset, w, bias);
    assert.deepEqual(out.tolist(), [[1, 2, 3].map((b) => [[b, b], [b, b]])]);
    const grads = torch.autograd.grad(out.sum(), [x, offset, w]) as Tensor[];
    for (const g of grads) assert.equal(g.abs().sum().item(), 0);
  }
  assert.throws(() => roiAlign(x, torch.tensor([[NaN, 0, 0, 1, 1]], { dtype: 'float64' }), 2), /batch index nan is outside/);
  const pooled = roiPool(x, torch.tensor([[0, -1e30, NaN, 1e30, 1e30]], { dtype: 'float64' }), 2);
  assert.ok(pooled.isfinite().all().item());
}));

test('bad arguments throw clear errors', () => torch.scope(() => {
  const x = torch.rand([1, 4, 5, 5]);
  const w = torch.rand([2, 4, 3, 3]);
  assert.throws(() => deformConv2d(x, torch.zeros([1, 17, 3, 3]), w), /offset.shape\[1\] must be 2\*g\*3\*3/);
  assert.throws(() => deformConv2d(x, torch.zeros([1, 18, 4, 3]), w), /offset must have shape \[1, 18, 3, 3\]/);
  assert.throws(() => deformConv2d(x, torch.zeros([1, 18, 3, 3]), w, null, 1, 0, 1, torch.zeros([1, 18, 3, 3])), /mask must have shape/);
  assert.throws(() => deformConv2d(x, torch.zeros([1, 18, 3, 3]), w.double()), /weight must have the same dtype/);
  assert.throws(() => roiAlign(x, torch.zeros([2, 4]), 2), /boxes must have shape \[\*, 5\]/);
  assert.throws(() => roiAlign(x, torch.tensor([[3, 0, 0, 1, 1]]), 2), /batch index 3 is outside the input batch of 1/);
  assert.throws(() => roiPool(x, torch.zeros([1, 5]), 0), /outputSize must be an integer >= 1/);
  assert.throws(() => nms(torch.zeros([3, 4]), torch.zeros([2]), 0.5), /scores must have shape \[3\]/);
  assert.throws(() => batchedNms(torch.zeros([2, 4]), torch.zeros([2]), torch.zeros([2]), 0.5), /idxs must be an integer tensor/);
}));

test('a second derivative through roiAlign and deformConv2d is refused, not silently zero', () => {
  torch.scope(() => {
    const input = torch.rand([1, 1, 6, 6], { dtype: 'float64', requiresGrad: true });
    const rois = torch.tensor([[0, 1, 1, 4, 4]], { dtype: 'float64' });
    const out = roiAlign(input, rois, 2).pow(2).sum();
    assert.throws(() => torch.autograd.grad(out, input, { createGraph: true }), /roi_align: double backward/);
    const weight = torch.rand([1, 1, 3, 3], { dtype: 'float64' });
    const offset = torch.zeros([1, 18, 4, 4], { dtype: 'float64' });
    const y = deformConv2d(input, offset, weight).pow(2).sum();
    assert.throws(() => torch.autograd.grad(y, input, { createGraph: true }), /deform_conv2d: double backward/);
    // Without createGraph the first derivative still works.
    assert.equal(torch.autograd.grad(y, input)[0]!.shape.join(), '1,1,6,6');
  });
});
