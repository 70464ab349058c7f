// ResNets against torchvision (scripts/fixtures/resnet.py): state-dict layout, eval logits with closed-form
// weights (test/helpers/closed_form.ts rebuilds them), and seeded default initialisation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as torch from '../src/torch/index.js';
import { resnet18, resnet50, type ResNet, type ResNetOptions } from '../src/nn/resnet.js';
import { closedForm, closedFormStateDict } from './helpers/closed_form.js';

interface Case {
  constructor: 'resnet18' | 'resnet50';
  options: { replace_stride_with_dilation?: [boolean, boolean, boolean] };
  state_dict: [string, number[], string][];
  layer4_shape: number[];
  logits: number[];
}
const fx = JSON.parse(readFileSync(new URL('../../test/fixtures/resnet/resnet.json', import.meta.url), 'utf8')) as {
  input_shape: number[];
  cases: Record<string, Case>;
  seeded_resnet18: { seed: number; tensors: Record<string, { first: number[]; sum: number }> };
};
const constructors = { resnet18, resnet50 };

// float32 through 50 layers: torchvision's own float32-vs-float64 gap is ~1e-5 on these logits.
const logitTolerance = 1e-4;

const build = (c: Case): ResNet => {
  const o: ResNetOptions = c.options.replace_stride_with_dilation ? { replaceStrideWithDilation: c.options.replace_stride_with_dilation } : {};
  return constructors[c.constructor](o);
};
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

for (const [name, c] of Object.entries(fx.cases)) {
  test(`${name}: state dict keys, shapes and dtypes equal torchvision's`, () => torch.scope(() => {
    const sd = build(c).stateDict();
    assert.deepEqual(Object.entries(sd).map(([k, t]) => [k, t.shape, t.dtype]), c.state_dict);
  }));

  test(`${name}: eval logits match torchvision (max abs diff < ${logitTolerance})`, () => torch.scope(() => {
    const model = build(c).eval();
    model.loadStateDict(closedFormStateDict(model.stateDict()));
    const x = closedForm('input', fx.input_shape);
    const logits = torch.noGrad(() => model.forward(x));
    assert.deepEqual(logits.shape, [1, c.logits.length]);
    const diff = maxAbsDiff(logits.toTypedArray() as Float32Array, c.logits);
    assert.ok(diff < logitTolerance, `max abs diff ${diff}`);
    assert.deepEqual(torch.noGrad(() => model.features(x).layer4.shape), c.layer4_shape);
  }));
}

test('resnet18 seeded default init equals torchvision\'s (same generator, same draw order)', () => torch.scope(() => {
  torch.manualSeed(fx.seeded_resnet18.seed);
  const sd = resnet18().stateDict();
  for (const [k, g] of Object.entries(fx.seeded_resnet18.tensors)) {
    const t = sd[k];
    const first = Array.from(t.flatten().slice(0, 0, 5).toTypedArray() as Float32Array);
    assert.ok(maxAbsDiff(first, g.first) < 1e-7, `${k}: ${first} vs ${g.first}`);
    assert.ok(Math.abs(t.double().sum().item() - g.sum) < 1e-4, `${k}: sum ${t.double().sum().item()} vs ${g.sum}`);
  }
}));

test('BasicBlock nets reject dilation as torchvision does', () => {
  assert.throws(() => resnet18({ replaceStrideWithDilation: [false, false, true] }), /Dilation > 1 not supported in BasicBlock/);
});
