// Golden-value fixtures made by scripts/fixtures/ops.py: rebuilds each case's inputs from their closed-form
// spec (bit for bit the same as the script) and compares our outputs with PyTorch's.
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import assert from 'node:assert/strict';
import test from 'node:test';
import * as torch from '../../src/torch/index.js';
import type { DType } from '../../src/torch/index.js';

export interface InputSpec { shape: number[]; k: number; lo: number; hi: number; dtype: DType }
export interface Golden { shape: number[]; dtype: DType; data: (number | string)[] }
export interface Case { inputs: InputSpec[]; outputs: Golden[] }
export type CaseFn = (...inputs: torch.Tensor[]) => torch.Tensor | torch.Tensor[];

const here = path.dirname(fileURLToPath(import.meta.url));

/** Fixture files live in the source tree; this module runs from test/helpers or dist/test/helpers. */
export function fixturePath(...parts: string[]): string {
  const roots = [path.resolve(here, '../..'), path.resolve(here, '../../..')];
  const root = roots.find((r) => existsSync(path.join(r, 'test', 'fixtures'))) ?? roots[0];
  return path.join(root, 'test', 'fixtures', ...parts);
}

export function loadGroup(group: string): Record<string, Case> {
  return JSON.parse(readFileSync(fixturePath('ops', `${group}.json`), 'utf8')) as Record<string, Case>;
}

const isFloat = (d: DType) => d === 'float32' || d === 'float64' || d === 'float16';

/** The input a spec describes: the same integer arithmetic and double rounding as make() in ops.py. */
export function makeInput(s: InputSpec): torch.Tensor {
  const n = s.shape.reduce((a, b) => a * b, 1);
  const vals = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const m = (i * 389 + s.k * 97) % 1009;
    vals[i] = isFloat(s.dtype) ? s.lo + (s.hi - s.lo) * (m / 1008) : s.lo + ((i * 389 + s.k * 97) % (s.hi - s.lo));
  }
  return torch.scope(() => torch.tensor(vals, { shape: s.shape }).to(s.dtype));
}

const special: Record<string, number> = { nan: NaN, inf: Infinity, '-inf': -Infinity };

/** Values, shape and dtype of `actual` against a golden: exact for integers and bools, else |a-e| <= atol + rtol|e|. */
export function assertMatches(actual: torch.Tensor, golden: Golden, label: string, rtol = 1e-5, atol = 1e-6): void {
  assert.deepEqual(actual.shape, golden.shape, `${label}: shape`);
  assert.equal(actual.dtype, golden.dtype, `${label}: dtype`);
  const got = Array.from(actual.toTypedArray() as ArrayLike<number | bigint>, Number);
  const want = golden.data.map((v) => (typeof v === 'string' ? special[v] : v));
  assert.equal(got.length, want.length, `${label}: element count`);
  const exact = !isFloat(golden.dtype) && !golden.dtype.startsWith('complex');
  for (let i = 0; i < want.length; i++) {
    const [a, e] = [got[i], want[i]];
    const ok = exact || !Number.isFinite(e) ? Object.is(a, e) || a === e : Math.abs(a - e) <= atol + rtol * Math.abs(e);
    if (!ok) assert.fail(`${label}: element ${i} is ${a}, PyTorch gives ${e}`);
  }
}

/**
 * One test per group, one subtest per case. Every fixture case needs a function of the same name and
 * vice versa, so neither side can silently drop a case.
 */
export function testGroup(group: string, fns: Record<string, CaseFn>): void {
  test(group, async (t) => {
    const cases = loadGroup(group);
    assert.deepEqual(Object.keys(fns).sort(), Object.keys(cases).sort(), `${group}: TypeScript cases and fixtures differ`);
    for (const [name, c] of Object.entries(cases)) {
      await t.test(name, () => torch.scope(() => {
        const res = fns[name](...c.inputs.map(makeInput));
        const outs = Array.isArray(res) ? res : [res];
        assert.equal(outs.length, c.outputs.length, `${name}: number of outputs`);
        outs.forEach((o, i) => assertMatches(o, c.outputs[i], `${name}[${i}]`));
      }));
    }
  });
}
