// safetensors against files written by scripts/fixtures/safetensors.py (the format by hand, torch tensors).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as torch from '../src/torch/index.js';
import { deserialize, loadFile, saveFile, serialize } from '../src/torch/safetensors.js';

const dir = new URL('../../test/fixtures/safetensors/', import.meta.url);
const referenceFile = new URL('all_dtypes.safetensors', dir).pathname;
const reference = fs.readFileSync(referenceFile);
interface Expected { dtype: torch.DType; shape: number[]; values: (number | string | boolean)[] }
const expected = JSON.parse(fs.readFileSync(new URL('all_dtypes.json', dir), 'utf8')) as {
  metadata: Record<string, string>; tensors: Record<string, Expected>;
};

// The fixture writes non-finite floats as Python's str() and 64-bit integers as decimal strings.
const number = (v: number | string | boolean): number => ({ inf: Infinity, '-inf': -Infinity, nan: NaN } as Record<string, number>)[String(v)] ?? Number(v);

/** The fixture's tensors built from its JSON values (independently of the reader under test). */
function build(e: Expected): torch.Tensor {
  if (e.dtype === 'int64') return torch.tensor(BigInt64Array.from(e.values, (v) => BigInt(v)), { shape: e.shape });
  if (e.dtype === 'bool') return torch.tensor(e.values as boolean[], { shape: e.shape });
  return torch.tensor(Float64Array.from(e.values, number), { shape: e.shape }).to(e.dtype);
}

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'shiftkit-safetensors-'));
}

test('reads every dtype of a reference file with the exact values, shapes and metadata', () => torch.scope(() => {
  const { tensors, metadata } = loadFile(referenceFile);
  assert.deepEqual(metadata, expected.metadata);
  assert.deepEqual(Object.keys(tensors).sort(), Object.keys(expected.tensors).sort());
  for (const [name, e] of Object.entries(expected.tensors)) {
    const t = tensors[name];
    assert.equal(t.dtype, e.dtype, name);
    assert.deepEqual(t.shape, e.shape, name);
    if (e.dtype === 'int64') {
      assert.deepEqual(Array.from(t.toTypedArray() as BigInt64Array), e.values.map((v) => BigInt(v)), name);
    } else {
      const got = Array.from(t.to('float64').toTypedArray() as Float64Array);
      // Object.is tells -0 from 0 and matches NaN.
      got.forEach((v, i) => assert.ok(Object.is(v, number(e.values[i])), `${name}[${i}]: ${v} vs ${e.values[i]}`));
    }
  }
}));

test('serialize and saveFile write the bytes the reference writer wrote, and nothing else', () => torch.scope(() => {
  const tensors = Object.fromEntries(Object.entries(expected.tensors).map(([n, e]) => [n, build(e)]));
  assert.ok(serialize(tensors, expected.metadata).equals(reference));
  const d = tmpDir();
  try {
    const file = path.join(d, 'model.safetensors');
    fs.writeFileSync(file, 'old contents');
    saveFile(file, tensors, expected.metadata);
    assert.ok(fs.readFileSync(file).equals(reference));
    assert.deepEqual(fs.readdirSync(d), ['model.safetensors'], 'no temporary file left behind');
  } finally {
    fs.rmSync(d, { recursive: true });
  }
}));

test('a non-contiguous tensor is written as its contiguous copy', () => torch.scope(() => {
  const t = torch.arange(6, undefined, 1, { dtype: 'float32' }).reshape(2, 3).t();
  assert.equal(t.isContiguous(), false);
  assert.ok(serialize({ t }).equals(fs.readFileSync(new URL('transposed.safetensors', dir))));
}));

test('round trip keeps values of a tensor that requires grad, and no metadata reads as {}', () => torch.scope(() => {
  const w = torch.tensor([[1, 2], [3, 4]], { requiresGrad: true });
  const { tensors, metadata } = deserialize(serialize({ w }));
  assert.deepEqual(tensors.w.tolist(), [[1, 2], [3, 4]]);
  assert.equal(tensors.w.requiresGrad, false);
  assert.deepEqual(metadata, {});
}));

test('corrupt files fail with errors naming the file and the problem', () => {
  const header = Number(reference.readBigUInt64LE(0));
  const withLength = (n: bigint) => { const b = Buffer.from(reference); b.writeBigUInt64LE(n, 0); return b; };
  const replaced = (from: string, to: string) => Buffer.from(reference.toString('latin1').replace(from, to), 'latin1');
  const cases: [string, Buffer, RegExp][] = [
    ['short', reference.subarray(0, 5), /too short for a header length/],
    ['huge header', withLength(1n << 40n), /bad header length 1099511627776/],
    ['header past the end', withLength(BigInt(reference.length)), /bad header length/],
    ['not JSON', Buffer.concat([reference.subarray(0, 8), Buffer.from('x'), reference.subarray(9)]), /header is not UTF-8 JSON/],
    ['unknown dtype', replaced('"dtype":"F16"', '"dtype":"F17"'), /tensor 'half' has unknown dtype "F17"/],
    ['truncated data', reference.subarray(0, reference.length - 2), /tensor 'mask' has data_offsets \[\d+, \d+\]/],
    ['trailing bytes', Buffer.concat([reference, Buffer.alloc(8)]), /8 bytes after the last tensor/],
    ['bad offsets', replaced('"data_offsets":[0,24]', '"data_offsets":[0,99]'), /tensor 'steps' has data_offsets \[0, 99\]; expected \[0, 24\]/],
  ];
  assert.ok(header > 0);
  const d = tmpDir();
  try {
    for (const [what, bytes, message] of cases) {
      const file = path.join(d, `${what.replace(/ /g, '_')}.safetensors`);
      fs.writeFileSync(file, bytes);
      assert.throws(() => loadFile(file), (e: Error) => e.message.includes(file) && message.test(e.message), what);
    }
  } finally {
    fs.rmSync(d, { recursive: true });
  }
});

test('writing refuses dtypes the format lacks and the reserved name', () => torch.scope(() => {
  assert.throws(() => serialize({ z: torch.zeros([2], { dtype: 'complex64' }) }), /'z' has dtype complex64/);
  assert.throws(() => serialize({ __metadata__: torch.zeros([1]) }), /__metadata__/);
  assert.throws(() => saveFile(path.join(os.tmpdir(), 'no-such-dir-shiftkit', 'x.safetensors'), { a: torch.zeros([1]) }), /ENOENT/);
}));
