// `shiftkit seg train|eval|predict` end to end on tiny files in the real Cityscapes and GTA5 layouts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shiftkit } from './helpers/cli.js';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodePngSamples } from '../src/io/index.js';

const fixtures = fileURLToPath(new URL('../../test/fixtures/data/', import.meta.url));
const cityscapes = path.join(fixtures, 'cityscapes');
const data = [
  'data.source.kind=gta5', `data.source.root=${path.join(fixtures, 'gta5')}`, `data.target.root=${cityscapes}`,
  `data.val.root=${cityscapes}`, 'model.backbone=resnet18', 'model.head=lite', 'model.outputStride=16', 'data.workers=0',
].flatMap((s) => ['--set', s]);


// cityscapesScripts labels.py, written out independently of src/data: labelId -> trainId.
const TRAIN_ID: Record<number, number> = { 7: 0, 8: 1, 11: 2, 12: 3, 13: 4, 17: 5, 19: 6, 20: 7, 21: 8, 22: 9, 23: 10,
  24: 11, 25: 12, 26: 13, 27: 14, 28: 15, 31: 16, 32: 17, 33: 18 };

/** mIoU over classes present in the ground truth or the prediction, ignoring unlabelled pixels. */
function meanIoU(pred: ArrayLike<number>, labelIds: ArrayLike<number>): number {
  const tp = new Array(19).fill(0), fp = new Array(19).fill(0), fn = new Array(19).fill(0);
  for (let i = 0; i < pred.length; i++) {
    const gt = TRAIN_ID[labelIds[i]];
    if (gt === undefined) continue;
    if (pred[i] === gt) tp[gt]++;
    else { fp[pred[i]]++; fn[gt]++; }
  }
  const ious = tp.map((t, c) => (t + fp[c] + fn[c] === 0 ? NaN : t / (t + fp[c] + fn[c]))).filter((v) => !Number.isNaN(v));
  return ious.reduce((a, b) => a + b, 0) / ious.length;
}

test('train writes a run; eval scores it as an independent count over predict\'s label PNG; resume continues', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shiftkit-seg-'));
  const run = path.join(dir, 'run');
  const train = shiftkit('seg', 'train', '--run', run, ...data, '--set', 'steps=2', '--set', 'eval.every=2',
    '--set', 'checkpoint.every=1', '--set', 'data.crop=[16, 32]');
  assert.equal(train.code, 0, train.stderr);
  assert.match(train.stdout, /backbone: resnet18/); // the resolved config is printed
  for (const f of ['config.yaml', 'metrics.jsonl', 'report.html', 'checkpoints/step-000002/weights.safetensors']) {
    assert.ok(fs.existsSync(path.join(run, f)), `${f} missing`);
  }

  const evalRun = shiftkit('seg', 'eval', '--checkpoint', run, ...data, '--json');
  assert.equal(evalRun.code, 0, evalRun.stderr);
  const metrics = JSON.parse(evalRun.stdout.trim().split('\n').at(-1)!) as Record<string, number>;

  const image = path.join(cityscapes, 'leftImg8bit/val/frankfurt/frankfurt_000000_000294_leftImg8bit.png');
  const out = path.join(dir, 'pred');
  const predict = shiftkit('seg', 'predict', '--checkpoint', run, ...data, image, '--out', out);
  assert.equal(predict.code, 0, predict.stderr);
  const png = (f: string) => decodePngSamples(fs.readFileSync(f), f).data;
  const pred = png(path.join(out, 'frankfurt_000000_000294_leftImg8bit_trainIds.png'));
  const gt = png(path.join(cityscapes, 'gtFine/val/frankfurt/frankfurt_000000_000294_gtFine_labelIds.png'));
  assert.ok(Math.abs(metrics.mIoU - meanIoU(pred, gt)) < 1e-12, `eval mIoU ${metrics.mIoU} vs ${meanIoU(pred, gt)}`);

  const resumed = shiftkit('seg', 'train', '--run', run, '--resume', '--set', 'steps=3');
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.ok(fs.existsSync(path.join(run, 'checkpoints/step-000003')));
});

test('a bad config value exits 2 naming the field and the allowed values', () => {
  const r = shiftkit('seg', 'train', '--set', 'model.backbone=resnet7');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /model\.backbone: 'resnet7' is not allowed \(allowed: resnet18, resnet34, resnet50, resnet101\)/);
});
