// The seg config schema: published defaults, strict fields, cross-field rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classCount, segConfigSchema } from '../src/methods/seg/config.js';

test('defaults are the published settings', () => {
  const c = segConfigSchema.parse({});
  assert.deepEqual([c.model.backbone, c.model.head, c.model.outputStride], ['resnet101', 'deeplabv2', 8]);
  assert.deepEqual(c.noise.teacher.gaussian, { sigma: 0.1, clamp: 0.2 });
  assert.deepEqual(c.confidence.entropy, { start: 0.75, end: 1 });
  assert.equal(c.consistency.lambdaMax, 10);
  assert.equal(c.ema.decay, 0.99);
  assert.deepEqual([c.optimizer.kind, c.optimizer.lr, c.optimizer.momentum, c.optimizer.weightDecay, c.optimizer.power],
    ['sgd', 2.5e-4, 0.9, 5e-4, 0.9]);
  assert.equal(classCount(c), 19);
  assert.equal(classCount(segConfigSchema.parse({ data: { source: { kind: 'synthia' } } })), 16);
});

test('misspelt fields and inconsistent settings are errors naming the field', () => {
  const issues = (v: unknown) => segConfigSchema.safeParse(v).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
  assert.match(issues({ consistency: { lamdaMax: 2 } }).join('\n'), /consistency: Unrecognized key\(s\) in object: 'lamdaMax'/);
  assert.match(issues({ style: { kind: 'folder' } }).join('\n'), /style\.folder: required when style\.kind is 'folder'/);
  assert.match(issues({ adaptation: false, sourceLabels: false }).join('\n'), /adaptation: nothing to train/);
  assert.match(issues({ noise: { student: { blur: { sigma: [2, 1] } } } }).join('\n'), /noise\.student\.blur\.sigma: must be \[min, max\]/);
  assert.match(issues({ model: { outputStride: 4 } }).join('\n'), /model\.outputStride/);
});
