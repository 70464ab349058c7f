// Inference and evaluation: sliding windows stitched exactly (checked with a per-pixel network, whose output
// cannot depend on the window), confusion matrices counted by hand, and prediction files read back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as torch from '../src/torch/index.js';
import { Conv2d, Module, init } from '../src/torch/nn/index.js';
import { CITYSCAPES_PALETTE, decodeImage, writeImage } from '../src/io/index.js';
import { evaluate, inferProbs } from '../src/methods/seg/evaluate.js';
import { predictFiles } from '../src/methods/seg/predict.js';
import type { SegBatch } from '../src/methods/seg/step.js';

/** A 1x1 convolution: each pixel's scores depend on that pixel only. */
class PixelNet extends Module {
  readonly conv: Conv2d;
  constructor(classes: number, identity = false) {
    super();
    this.conv = this.registerModule('conv', new Conv2d(3, classes, 1));
    if (identity) {
      torch.noGrad(() => this.conv.weight.copy_(torch.eye(classes, 3).view(classes, 3, 1, 1)));
      init.zeros_(this.conv.bias!);
    }
  }
  forward(x: torch.Tensor): torch.Tensor { return this.conv.forward(x); }
}

test('sliding-window probabilities equal whole-image ones, with uneven strides and windows larger than the image', () => torch.scope(() => {
  const net = new PixelNet(4);
  const x = torch.rand([2, 3, 13, 17]);
  const whole = inferProbs(net, x, { mode: 'whole' });
  for (const [window, stride] of [[[8, 8], [5, 6]], [[13, 17], [13, 17]], [[16, 20], [4, 4]], [[5, 30], [2, 9]]] as [[number, number], [number, number]][]) {
    const sliding = inferProbs(net, x, { mode: 'sliding', window, stride });
    assert.deepEqual(sliding.shape, [2, 4, 13, 17]);
    assert.ok(torch.allclose(sliding, whole, 1e-6, 1e-7), `window ${window}, stride ${stride}`);
  }
  assert.throws(() => inferProbs(net, x, { mode: 'sliding' }), /mode must be 'whole' or 'sliding' with window and stride/);
}));

// A one-hot image [1, 3, h, w] of the given classes: the identity network predicts them.
const oneHotImage = (classes: number[], h: number, w: number): torch.Tensor => torch.scope(() =>
  torch.F.oneHot(torch.tensor(Int32Array.from(classes), { shape: [1, h, w] }).long(), 3).permute(0, 3, 1, 2).float());
const labelMap = (v: number[], h: number, w: number) => torch.tensor(Uint8Array.from(v), { shape: [1, h, w] });

test('evaluate: confusion matrix over batches, labels at a higher resolution, eval mode restored, batches freed', async () => {
  const net = new PixelNet(3, true).train();
  // Batch 1 (2x3): predictions from the image, labels with one 255; batch 2: a constant class-2 image
  // scored against labels at twice its resolution.
  const b1: SegBatch = { image: oneHotImage([0, 1, 2, 2, 1, 0], 2, 3), label: labelMap([0, 1, 1, 2, 255, 2], 2, 3) };
  const b2: SegBatch = { image: oneHotImage([2, 2, 2, 2], 2, 2), label: labelMap([2, 2, 2, 2, 2, 2, 1, 1, 0, 0, 255, 255, 2, 2, 2, 2], 4, 4) };
  async function* batches() { yield b1; yield b2; }
  const cm = await evaluate(net, batches(), 3, { mode: 'whole' });
  // Batch 1: (gt, pred) = (0,0) (1,1) (1,2) (2,2) (2,0); batch 2: gt 2 x 10, 1 x 2, 0 x 2, all predicted 2.
  assert.deepEqual(cm.toJSON().matrix, [[1, 0, 2], [0, 1, 3], [1, 0, 11]]);
  assert.equal(net.training, true);
  assert.ok([b1.image, b1.label!, b2.image, b2.label!].every((t) => t.isDisposed));
  async function* unlabelled() { yield { image: torch.rand([1, 3, 2, 2]) }; }
  await assert.rejects(evaluate(net, unlabelled(), 3, { mode: 'whole' }), /evaluate: a batch has no labels/);
  assert.equal(net.training, true);
});

test('predictFiles writes trainId, colour and overlay PNGs that read back as the predicted classes', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'seg-predict-'));
  try {
    const classes = [0, 1, 2, 1, 0, 2, 2, 2, 1, 0, 0, 1, 1, 2, 0];
    const input = path.join(dir, 'street.png');
    await torch.scope(() => writeImage(input, oneHotImage(classes, 3, 5).squeeze(0)));
    const [p] = await predictFiles(new PixelNet(3, true), [input], { mode: 'whole', outDir: path.join(dir, 'out') });
    assert.equal(p.trainIds, path.join(dir, 'out', 'street_trainIds.png'));
    const ids = await decodeImage(p.trainIds);
    assert.deepEqual([ids.width, ids.height, ids.channels], [5, 3, 1]);
    assert.deepEqual(Array.from(ids.data), classes);
    const colour = await decodeImage(p.color, { channels: 3 });
    classes.forEach((c, i) => assert.deepEqual(Array.from(colour.data.subarray(3 * i, 3 * i + 3)), [...CITYSCAPES_PALETTE[c]]));
    const overlay = await decodeImage(p.overlay, { channels: 3 });
    // Pixel 0: the image is pure red (class 0's channel), blended half and half with road's colour.
    assert.deepEqual(Array.from(overlay.data.subarray(0, 3)), [255, 0, 0].map((v, c) => Math.round(0.5 * v + 0.5 * CITYSCAPES_PALETTE[0][c])));
    await assert.rejects(predictFiles(new PixelNet(3), [input, path.join(dir, 'x', 'street.jpg')], { mode: 'whole', outDir: dir }),
      /several inputs are named street/);
    await assert.rejects(predictFiles(new PixelNet(3), [path.join(dir, 'missing.png')], { mode: 'whole', outDir: dir }),
      /Image file not found: .*missing\.png/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
