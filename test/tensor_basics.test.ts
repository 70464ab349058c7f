// Tensor fundamentals: dtypes through TypedArrays, zero-copy views, printing against PyTorch's repr
// (test/fixtures/ops/repr.json, byte for byte), seeding, scopes and `using`, and errors.
import test from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import * as torch from '../src/torch/index.js';
import type { Tensor } from '../src/torch/index.js';
import { fixturePath, makeInput, type InputSpec } from './helpers/fixtures.js';
import { readFileSync } from 'node:fs';

const live = () => torch.memoryStats().liveTensors;
const values = (t: Tensor) => Array.from(t.toTypedArray() as ArrayLike<number>);

// ---- dtypes ----
test('TypedArrays round trip with their dtype', () => torch.scope(() => {
  const cases: [ArrayBufferView & ArrayLike<number | bigint>, torch.DType][] = [
    [new Float32Array([1.5, -2.25, 3e-8]), 'float32'], [new Float64Array([1 / 3, -1e300]), 'float64'],
    [new Int32Array([-7, 2 ** 31 - 1]), 'int32'], [new Uint8Array([0, 255, 7]), 'uint8'],
    [new BigInt64Array([-(2n ** 62n), 5n]), 'int64'],
  ];
  for (const [array, dtype] of cases) {
    const t = torch.tensor(array);
    assert.equal(t.dtype, dtype);
    const back = t.toTypedArray();
    assert.equal(back.constructor, array.constructor, dtype);
    assert.deepEqual(Array.from(back as ArrayLike<number | bigint>), Array.from(array), dtype);
  }
  const shaped = torch.tensor(new Int32Array([1, 2, 3, 4, 5, 6]), { shape: [2, 3] });
  assert.deepEqual(shaped.shape, [2, 3]);
  assert.deepEqual(shaped.tolist(), [[1, 2, 3], [4, 5, 6]]);
}));

test('bool tensors read as Uint8Array 0/1 and item() as 0/1', () => torch.scope(() => {
  const b = torch.tensor([true, false, true]);
  assert.equal(b.dtype, 'bool');
  assert.deepEqual(values(b), [1, 0, 1]);
  assert.equal(b.select(0, 1).item(), 0);
  assert.equal(torch.tensor(new Uint8Array([0, 3]), { dtype: 'bool' }).tolist()?.toString(), '0,1');
}));

test('float16 stores IEEE half bits and converts back exactly', () => torch.scope(() => {
  const h = torch.tensor(new Float32Array([1, -2, 0.5, 65504])).to('float16');
  assert.equal(h.dtype, 'float16');
  assert.deepEqual(values(h), [0x3c00, 0xc000, 0x3800, 0x7bff]);
  assert.deepEqual(values(h.float()), [1, -2, 0.5, 65504]);
}));

test('conversions between dtypes follow PyTorch (truncation toward zero, wrap-around for uint8)', () => torch.scope(() => {
  const x = torch.tensor([-1.7, 2.9, 300]);
  assert.deepEqual(x.to('int32').tolist(), [-1, 2, 300]);
  assert.deepEqual(x.long().tolist(), [-1, 2, 300]);
  assert.deepEqual(x.to('uint8').tolist(), [255, 2, 44]);
  assert.deepEqual(x.bool().tolist(), [1, 1, 1]);
  assert.equal(x.double().dtype, 'float64');
  assert.equal(torch.tensor(new BigInt64Array([2n ** 53n + 1n])).select(0, 0).item(), 2 ** 53);
}));

// ---- zero-copy ----
test('toTypedArray shares a contiguous tensor\'s memory both ways', () => torch.scope(() => {
  const t = torch.zeros([2, 3]);
  const view = t.toTypedArray() as Float32Array;
  t.add_(1.5);
  assert.deepEqual(Array.from(view), [1.5, 1.5, 1.5, 1.5, 1.5, 1.5]);
  view[4] = -3;
  assert.equal(t.select(0, 1).select(0, 1).item(), -3);
}));

test('toTypedArray of a non-contiguous tensor is a copy in logical order; torch.tensor copies its input', () => torch.scope(() => {
  const t = torch.arange(6, undefined, 1, { dtype: 'float32' }).reshape(2, 3).t();
  const copy = t.toTypedArray() as Float32Array;
  assert.deepEqual(Array.from(copy), [0, 3, 1, 4, 2, 5]);
  copy[0] = 99;
  assert.equal(t.select(0, 0).select(0, 0).item(), 0);
  const src = new Float32Array([1, 2]);
  const u = torch.tensor(src);
  src[0] = 7;
  assert.equal(u.select(0, 0).item(), 1);
}));

// ---- printing ----
interface ReprCase { inputs: InputSpec[]; repr: string }
const reprs = JSON.parse(readFileSync(fixturePath('ops', 'repr.json'), 'utf8')) as Record<string, ReprCase>;
const reprFns: Record<string, (...a: Tensor[]) => Tensor> = {
  float: (a) => a,
  float_3d: (a) => a,
  float_int_values: () => torch.tensor([[1, -2], [30, 0]]),
  float_int_values_sci: () => torch.tensor([1, 2000]),
  float_small_sci: (a) => a,
  scalar: () => torch.tensor(3.5),
  scalar_int: () => torch.tensor(-7, { dtype: 'int64' }),
  nan_inf: () => torch.tensor([NaN, Infinity, -Infinity, 1.5]),
  nan_int_mode: () => torch.tensor([NaN, 1]),
  ties_fixed: () => torch.tensor([0.03125, 0.5, -0.09375, 0.15625]),
  ties_sci: () => torch.tensor([1.03125, -3000, 0]),
  negative_zero: () => torch.tensor([-0, 1]),
  int64: (a) => a,
  int32: (a) => a,
  uint8: (a) => a,
  bool: (a) => a.gt(0),
  float64: (a) => a,
  float16: (a) => a,
  complex: (a, b) => torch.complex(a, b),
  requires_grad: (a) => a.requiresGrad_(),
  grad_fn: (a) => a.requiresGrad_().exp(),
  float64_requires_grad_wraps: (a) => a.requiresGrad_(),
  wrapped_row: (a) => a,
  summarised_1d: () => torch.arange(2000, undefined, 1, { dtype: 'float32' }),
  summarised_int: () => torch.arange(1500),
  summarised_2d: (a) => a,
  summarised_3d: (a) => a,
  empty: () => torch.zeros(0),
  empty_2d: () => torch.zeros([2, 0]),
  empty_int64: () => torch.zeros(0, { dtype: 'int64' }),
};

test('toString matches PyTorch\'s repr exactly', async (t) => {
  assert.deepEqual(Object.keys(reprFns).sort(), Object.keys(reprs).sort());
  for (const [name, c] of Object.entries(reprs)) {
    await t.test(name, () => torch.scope(() => assert.equal(String(reprFns[name](...c.inputs.map(makeInput))), c.repr)));
  }
});

// ---- seeds ----
test('manualSeed makes random ops reproducible; getRngState/setRngState replay a stream', () => torch.scope(() => {
  const draw = () => [torch.rand([4]), torch.randn([3]), torch.randint(0, 100, [3]), torch.randperm(6)].map((x) => x.tolist());
  torch.manualSeed(123);
  const first = draw();
  torch.manualSeed(123);
  assert.deepEqual(draw(), first);
  const state = torch.getRngState();
  const next = draw();
  assert.notDeepEqual(next, first);
  torch.setRngState(state);
  assert.deepEqual(draw(), next);
}));

// ---- lifetime ----
test('scope frees every tensor made inside and keeps the returned ones', () => {
  const base = live();
  const kept = torch.scope(() => {
    const a = torch.ones([3]);
    const b = a.mul(2).add(1);
    b.sum();
    return { out: [b], note: 'plain values pass through' };
  });
  assert.equal(live(), base + 1);
  assert.deepEqual(kept.out[0].tolist(), [3, 3, 3]);
  kept.out[0].dispose();
  assert.equal(live(), base);
});

test('nested scopes hand returned tensors to the enclosing scope, which frees them unless it returns them too', () => {
  const base = live();
  const outer = torch.scope(() => {
    const inner = torch.scope(() => torch.ones([2]).mul(3));
    assert.equal(live(), base + 1);
    const unused = torch.scope(() => torch.zeros([2]));
    assert.ok(!unused.isDisposed);
    return inner.add(1);
  });
  assert.equal(live(), base + 1);
  assert.deepEqual(outer.tolist(), [4, 4]);
  outer.dispose();
  assert.equal(live(), base);
});

test('an async scope owns tensors made after awaits, also with another scope interleaved', async () => {
  const base = live();
  const work = (v: number) => torch.scope(async () => {
    const a = torch.full([2], v);
    await sleep(1);
    const b = a.mul(a);
    await sleep(1);
    return b.add(a);
  });
  const [x, y] = await Promise.all([work(2), work(3)]);
  assert.deepEqual([x.tolist(), y.tolist()], [[6, 6], [12, 12]]);
  assert.equal(live(), base + 2);
  x.dispose();
  y.dispose();
  assert.equal(live(), base);
});

test('a scope that throws still frees its tensors; keepTensor takes one out of the scope', () => {
  const base = live();
  assert.throws(() => torch.scope(() => { torch.ones([4]); throw new Error('boom'); }), /boom/);
  assert.equal(live(), base);
  let param: Tensor | undefined;
  torch.scope(() => { param = torch.keepTensor(torch.ones([2])); torch.zeros([2]); });
  assert.equal(live(), base + 1);
  assert.ok(param && !param.isDisposed);
  param.dispose();
  assert.equal(live(), base);
});

test('`using` disposes a tensor at the end of its block', () => {
  const base = live();
  let escaped: Tensor;
  {
    using t = torch.ones([3]);
    escaped = t;
    assert.equal(live(), base + 1);
  }
  assert.ok(escaped.isDisposed);
  assert.equal(live(), base);
  escaped.dispose();  // a second dispose is harmless
  {
    using fromArray = torch.tensor([[1, 2], [3, 4]], { dtype: 'int32' });  // staged through float64
    assert.equal(fromArray.dtype, 'int32');
  }
  assert.equal(live(), base);
});

// ---- errors ----
test('bad shapes and dtypes throw JavaScript Errors naming the op and carrying libtorch\'s message', () => torch.scope(() => {
  const expectError = (fn: () => unknown, pattern: RegExp) => assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof Error);
    assert.match(e.message, pattern);
    return true;
  });
  expectError(() => torch.ones([2, 3]).matmul(torch.ones([4, 5])),
    /^aten::matmul: mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x5\)/);
  expectError(() => torch.ones([6]).reshape(4, 2), /^aten::reshape: shape '\[4, 2\]' is invalid for input of size 6/);
  expectError(() => torch.ones([3]).indexSelect(0, torch.ones([2])), /^aten::index_select: .*Expected dtype int32 or int64 for index/);
  expectError(() => torch.F.conv2d(torch.ones([1, 3, 5, 5]), torch.ones([2, 4, 3, 3])),
    /^aten::conv2d: .*expected input\[1, 3, 5, 5\] to have 4 channels, but got 3 channels/);
  expectError(() => torch.ones([3], { dtype: 'int64' }).add_(torch.ones([3])),
    /^aten::add_\.Tensor: result type Float can't be cast to the desired output type Long/);
  expectError(() => torch.cat([torch.ones([2, 3]), torch.ones([2, 4])]), /^aten::cat: Sizes of tensors must match/);
  expectError(() => torch.ones([3]).requiresGrad_().mul(2).backward(), /grad can be implicitly created only for scalar outputs/);
  expectError(() => torch.ones([3]).reshape([1.5]), /^aten::reshape: argument 'shape' must be an integer/);
  const gone = torch.ones([1]);
  gone.dispose();
  expectError(() => gone.add(1), /^aten::add\.Scalar: expected a live tensor/);
}));
