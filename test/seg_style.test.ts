// Style transfer against NumPy (scripts/fixtures/seg.py writes FDA with fftshift-centred windows and the
// CIELAB conversions and Reinhard transfer independently) and against their defining properties.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as torch from '../src/torch/index.js';
import { colourTransfer, fda, labToRgb, rgbToLab, stylize } from '../src/methods/seg/style.js';
import { closedForm } from './helpers/closed_form.js';
import { fixturePath } from './helpers/fixtures.js';

const fx = JSON.parse(readFileSync(fixturePath('seg', 'style.json'), 'utf8')) as {
  fda: { shape: number[]; cases: Record<string, number[]> };
  colour: { shape: number[]; output: number[] };
  lab: { rgb: number[][]; lab: number[][] };
};
// The images the fixture script made: closed-form values mapped to [0, 1] in float32.
const image = (key: string, shape: number[]) => closedForm(key, shape).mul(0.5).add(0.5);
const flat = (t: torch.Tensor) => Array.from(t.contiguous().toTypedArray() as Float32Array);

function assertClose(got: number[], want: number[], tol: number, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= tol, `${what}[${i}]: ${v} vs ${want[i]}`));
}

test('FDA matches NumPy for partial windows and the full band', () => torch.scope(() => {
  const src = image('fda_source', fx.fda.shape);
  const trg = image('fda_target', fx.fda.shape);
  for (const [beta, want] of Object.entries(fx.fda.cases)) assertClose(flat(fda(src, trg, Number(beta))), want, 2e-5, `beta ${beta}`);
}));

test('FDA with beta = 0 leaves the source as it is; batches must have one shape', () => torch.scope(() => {
  const src = image('fda_source', fx.fda.shape);
  assertClose(flat(fda(src, image('fda_target', fx.fda.shape), 0)), flat(src), 1e-6, 'beta 0');
  assert.throws(() => fda(src, torch.rand([1, 3, 8, 10]), 0.1), /fda: source \[1,3,8,12\] and target \[1,3,8,10\] batches differ in shape/);
}));

test('sRGB -> CIELAB for known colours, and back', () => torch.scope(() => {
  const rgb = torch.tensor(fx.lab.rgb).t().reshape(1, 3, 1, fx.lab.rgb.length);
  const lab = rgbToLab(rgb);
  assertClose(flat(lab.reshape(3, -1).t()), fx.lab.lab.flat(), 2e-3, 'Lab');
  const x = torch.rand([2, 3, 5, 4]);
  assertClose(flat(labToRgb(rgbToLab(x))), flat(x), 1e-4, 'round trip');
}));

test('colour transfer matches NumPy and gives each image its target\'s Lab mean and std', () => torch.scope(() => {
  const shape = fx.colour.shape;
  const src = image('colour_source', shape).mul(0.5).add(0.1);
  const trg = image('colour_target', shape).mul(0.4).add(0.3);
  const out = colourTransfer(src, trg);
  assertClose(flat(out), fx.colour.output, 1e-4, 'output');
  const moments = (x: torch.Tensor) => {
    const lab = rgbToLab(x);
    return [...flat(lab.mean([2, 3])), ...flat(lab.std([2, 3], { unbiased: false }))];
  };
  assertClose(moments(out), moments(trg), 2e-3, 'Lab moments');
}));

test("stylize: 'none' and 'folder' pass the source through", () => torch.scope(() => {
  const src = torch.rand([1, 3, 4, 4]);
  const trg = torch.rand([1, 3, 4, 4]);
  assert.equal(stylize({ kind: 'none', beta: 0.01, folder: '' }, src, trg), src);
  assert.equal(stylize({ kind: 'folder', beta: 0.01, folder: 'translated' }, src, trg), src);
  assert.notEqual(stylize({ kind: 'fda', beta: 0.5, folder: '' }, src, trg), src);
}));
