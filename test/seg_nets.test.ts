// Segmentation networks against PyTorch (scripts/fixtures/seg.py): the DeepLab-v2 and light heads alone, whole
// SegNets (backbone, head, upsampling) with closed-form weights; dilated BasicBlock strides; loading
// torchvision-named backbone weights from safetensors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as torch from '../src/torch/index.js';
import type { Module } from '../src/torch/nn/index.js';
import { DeepLabV2Head } from '../src/nn/heads/deeplabv2.js';
import { LiteAsppHead } from '../src/nn/heads/lite_aspp.js';
import { SegNet, type SegNetOptions } from '../src/nn/segnet.js';
import { buildBackbone, loadBackboneWeights } from '../src/nn/backbone.js';
import { resnet18 } from '../src/nn/resnet.js';
import { closedForm, closedFormStateDict } from './helpers/closed_form.js';
import { fixturePath } from './helpers/fixtures.js';

interface Golden { input_shape: number[]; output_shape: number[]; sample_every: number; samples: number[]; sum: number }
interface HeadGolden extends Golden { state_dict: [string, number[]][] }
interface NetGolden extends Golden {
  backbone: SegNetOptions['backbone']; head: SegNetOptions['head']; outputStride: SegNetOptions['outputStride'];
  numClasses: number; backbone_keys: number; head_state_dict: [string, number[]][];
}
const fx = JSON.parse(readFileSync(fixturePath('seg', 'segnet.json'), 'utf8')) as { heads: Record<string, HeadGolden> } & Record<string, NetGolden>;

function assertOutput(y: torch.Tensor, g: Golden, label: string): void {
  assert.deepEqual(y.shape, g.output_shape, `${label}: shape`);
  const flat = y.flatten();
  const got = Array.from(flat.slice(0, 0, null, g.sample_every).toTypedArray() as Float32Array);
  assert.equal(got.length, g.samples.length);
  got.forEach((v, i) => assert.ok(Math.abs(v - g.samples[i]) <= 1e-4 + 1e-4 * Math.abs(g.samples[i]),
    `${label}: element ${i * g.sample_every} is ${v}, PyTorch ${g.samples[i]}`));
  const sum = flat.double().sum().item();
  assert.ok(Math.abs(sum - g.sum) <= 1e-5 * y.numel() + 1e-5 * Math.abs(g.sum), `${label}: sum ${sum}, PyTorch ${g.sum}`);
}

const withClosedForm = <M extends Module>(m: M): M => {
  m.loadStateDict(closedFormStateDict(m.stateDict()));
  return m.eval();
};

const heads: Record<string, () => Module & { forward(x: torch.Tensor): torch.Tensor }> = {
  deeplabv2: () => new DeepLabV2Head(16, 3),
  lite_rate6: () => new LiteAsppHead(16, 3, { rate: 6, channels: 8 }),
  lite_rate12: () => new LiteAsppHead(16, 3, { rate: 12, channels: 8 }),
};

for (const [name, g] of Object.entries(fx.heads)) {
  test(`head ${name}: parameter names and eval output match PyTorch`, () => torch.scope(() => {
    const head = heads[name]();
    assert.deepEqual(Object.entries(head.stateDict()).map(([k, t]) => [k, t.shape]), g.state_dict);
    withClosedForm(head);
    assertOutput(torch.noGrad(() => head.forward(closedForm('features', g.input_shape))), g, name);
  }));
}

for (const [name, g] of Object.entries(fx).filter(([k]) => k !== 'heads') as [string, NetGolden][]) {
  test(`SegNet ${name}: eval output at input resolution matches PyTorch`, () => torch.scope(() => {
    const net = new SegNet({ backbone: g.backbone, head: g.head, outputStride: g.outputStride, numClasses: g.numClasses });
    const keys = Object.entries(net.stateDict()).map(([k, t]) => [k, t.shape] as [string, number[]]);
    assert.equal(keys.filter(([k]) => k.startsWith('backbone.')).length, g.backbone_keys);
    assert.deepEqual(keys.filter(([k]) => k.startsWith('head.')), g.head_state_dict);
    withClosedForm(net);
    const image = closedForm('image', g.input_shape).mul(0.5).add(0.5);
    assertOutput(torch.noGrad(() => net.forward(image)), g, name);
  }));
}

test('output stride 8, 16 and 32 for BasicBlock and Bottleneck backbones', () => torch.scope(() => {
  const x = torch.rand([1, 3, 64, 64]);
  for (const name of ['resnet18', 'resnet50'] as const) {
    for (const os of [8, 16, 32] as const) {
      const net = buildBackbone(name, os).eval();
      const side = 64 / os;
      assert.deepEqual(torch.noGrad(() => net.features(x).layer4.shape.slice(2)), [side, side], `${name} at output stride ${os}`);
    }
  }
  assert.throws(() => buildBackbone('resnet18', 4 as 8), /outputStride must be 8, 16 or 32/);
  const net = new SegNet({ backbone: 'resnet18', head: 'lite', outputStride: 32, numClasses: 2 });
  assert.throws(() => net.forward(torch.zeros([1, 3, 8, 8], { dtype: 'uint8' })), /SegNet: expects float RGB in \[0, 1\], got a uint8 tensor/);
}));

test('backbone weights: a torchvision-named safetensors file loads; wrong names are listed', () => torch.scope(() => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'seg-weights-'));
  try {
    const weights = closedFormStateDict(resnet18().stateDict());
    const file = path.join(dir, 'resnet18.safetensors');
    torch.safetensors.saveFile(file, weights);
    const net = new SegNet({ backbone: 'resnet18', head: 'lite', outputStride: 16, numClasses: 4 });
    loadBackboneWeights(net.backbone, file);
    const loaded = net.backbone.stateDict();
    for (const [k, t] of Object.entries(weights)) assert.ok(torch.equal(loaded[k], t), `${k} loaded`);

    const { 'layer1.0.conv1.weight': dropped, ...rest } = weights;
    const bad = path.join(dir, 'bad.safetensors');
    torch.safetensors.saveFile(bad, { ...rest, 'backbone.conv1.weight': dropped });
    assert.throws(() => loadBackboneWeights(net.backbone, bad), (e: Error) =>
      e.message.includes(bad) && /Missing key\(s\) in state_dict: "layer1\.0\.conv1\.weight"/.test(e.message)
      && /Unexpected key\(s\) in state_dict: "backbone\.conv1\.weight"/.test(e.message));
    assert.throws(() => loadBackboneWeights(net.backbone, path.join(dir, 'none.safetensors')), /Backbone weights file not found: .*none\.safetensors/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}));
