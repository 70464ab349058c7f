// The confusion matrix and its scores against cityscapesScripts' formulas written in NumPy
// (scripts/fixtures/seg.py) and against hand-counted cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as torch from '../src/torch/index.js';
import { ConfusionMatrix } from '../src/metrics/segmentation.js';
import { fixturePath } from './helpers/fixtures.js';

const fx = JSON.parse(readFileSync(fixturePath('seg', 'metrics.json'), 'utf8')) as {
  shape: number[]; numClasses: number; label: number[]; pred: number[]; matrix: number[][];
  iou: (number | null)[]; mIoU: number; pixelAccuracy: number;
};
const ints = (v: number[], shape: number[]) => torch.tensor(Int32Array.from(v), { shape }).long();

test('matches cityscapesScripts: a class predicted but absent from the ground truth scores 0, an unseen class is NaN and left out', () => torch.scope(() => {
  const cm = new ConfusionMatrix(fx.numClasses);
  cm.update(ints(fx.pred, fx.shape), ints(fx.label, fx.shape));
  assert.deepEqual(cm.toJSON().matrix, fx.matrix);
  const s = cm.scores();
  assert.equal(s.iou[3], 0);
  assert.ok(Number.isNaN(s.iou[4]));
  s.iou.forEach((v, c) => (fx.iou[c] === null ? assert.ok(Number.isNaN(v)) : assert.ok(Math.abs(v - fx.iou[c]!) < 1e-12, `class ${c}`)));
  assert.ok(Math.abs(s.mIoU - fx.mIoU) < 1e-12);
  assert.ok(Math.abs(s.pixelAccuracy - fx.pixelAccuracy) < 1e-12);
  assert.equal(s.pixels, fx.label.filter((v) => v !== 255).length);
}));

test('hand-counted 3-class case, accumulated over two batches', () => torch.scope(() => {
  const cm = new ConfusionMatrix(3);
  // Batch 1: gt [0 0 1 | 2 255 1], pred [0 1 1 | 2 0 0]; batch 2: gt [2 2], pred [2 1].
  cm.update(ints([0, 1, 1, 2, 0, 0], [1, 2, 3]), ints([0, 0, 1, 2, 255, 1], [1, 2, 3]));
  cm.update(ints([2, 1], [1, 1, 2]), ints([2, 2], [1, 1, 2]));
  // Rows gt, columns pred: gt0 -> {0: 1, 1: 1}; gt1 -> {1: 1, 0: 1}; gt2 -> {2: 2, 1: 1}.
  assert.deepEqual(cm.toJSON().matrix, [[1, 1, 0], [1, 1, 0], [0, 1, 2]]);
  const s = cm.scores();
  // IoU0 = 1 / (1 + 1 + 1), IoU1 = 1 / (1 + 2 + 1), IoU2 = 2 / (2 + 0 + 1)
  assert.deepEqual(s.iou, [1 / 3, 1 / 4, 2 / 3]);
  assert.equal(s.mIoU, (1 / 3 + 1 / 4 + 2 / 3) / 3);
  assert.equal(s.pixelAccuracy, 4 / 7);

  const other = new ConfusionMatrix(3);
  other.update(ints([1], [1, 1, 1]), ints([0], [1, 1, 1]));
  cm.merge(other);
  assert.equal(cm.at(0, 1), 2);
}));

test('nothing evaluated gives NaN scores; bad labels, predictions and shapes are errors', () => torch.scope(() => {
  const cm = new ConfusionMatrix(4);
  cm.update(ints([1, 2], [2]), ints([255, 255], [2]));
  assert.ok(Number.isNaN(cm.scores().mIoU) && Number.isNaN(cm.scores().pixelAccuracy));
  assert.throws(() => cm.update(ints([0, 1], [2]), ints([0, 7], [2])), /label value 7 is outside 0\.\.3 and is not the ignore index 255/);
  assert.throws(() => cm.update(ints([0, 4], [2]), ints([0, 1], [2])), /prediction value 4 is outside 0\.\.3/);
  assert.throws(() => cm.update(ints([0, 1], [2]), ints([0, 1, 2], [3])), /prediction shape \[2\] differs from label shape \[3\]/);
  assert.throws(() => cm.merge(new ConfusionMatrix(5)), /cannot merge 5 classes into 4/);
}));
