// Inputs for the fuzzer (test/fuzz_child.ts): a seeded generator, a pool of tensors of every awkward kind,
// hostile values (NaN, huge and non-integer numbers, bigints, strings, objects, Symbols, wrong-length arrays),
// and arguments shaped after an ATen schema so that raw operator calls also reach the kernels.
import * as torch from '../../src/torch/index.js';
import type { DType, Tensor } from '../../src/torch/index.js';

/** mulberry32: small, fast and seedable, so a crash report names a reproducible seed. */
export class Rng {
  private s: number;
  constructor(seed: number) { this.s = seed >>> 0; }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number { return Math.floor(this.next() * n); }
  chance(p: number): boolean { return this.next() < p; }
  pick<T>(a: readonly T[]): T { return a[this.int(a.length)]; }
}

// Huge values stop at 2^31..2^62: the child runs under an address-space cap, so an allocation they ask for
// fails inside libtorch instead of exhausting the machine.
const numbers = [0, 1, -1, 2, 3, -2, 0.5, -0.5, 1.5, NaN, Infinity, -Infinity, -0, 2 ** 31, 2 ** 32, 2 ** 40, 2 ** 53 - 1,
  2 ** 53, 2 ** 62, 2 ** 63, 1e308, -1e308, Number.MIN_VALUE];
const bigints = [0n, 1n, -1n, 3n, 2n ** 31n, 2n ** 32n, 2n ** 62n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 63n, 2n ** 64n, 2n ** 100n];
const strings = ['', 'cpu', 'cuda', 'cuda:0', 'cuda:99', 'meta', 'nonsense', 'float32', 'int64', 'bool', 'float16', 'complex64',
  'mean', 'sum', 'none', 'batchmean', 'bilinear', 'nearest', 'bicubic', 'reflect', 'replicate', 'circular', 'zeros', 'border',
  'tanh', 'ij', 'xy', 'ii->i', 'ij,jk->ik', '...', 'aten::add', 'forward', 'ortho', '\u0000', 'x'.repeat(300)];
const dtypes: DType[] = ['float32', 'float32', 'float32', 'float64', 'float16', 'bfloat16', 'int64', 'int64', 'int32', 'uint8',
  'int8', 'bool', 'complex64'];
const shapes = [[], [0], [1], [3], [2, 3], [3, 3], [0, 3], [2, 1, 3], [1, 1, 4, 4], [2, 3, 5, 5], [2, 4], [4], [1, 3, 6, 6]];
const optionKeys = ['dtype', 'device', 'requiresGrad', 'stride', 'padding', 'dilation', 'groups', 'ceilMode', 'mode', 'alignCorners',
  'size', 'scaleFactor', 'reduction', 'weight', 'bias', 'training', 'momentum', 'eps', 'ignoreIndex', 'labelSmoothing', 'posWeight',
  'retainGraph', 'createGraph', 'allowUnused', 'gradOutputs', 'inputs', 'unbiased', 'keepdim', 'outputPadding', 'countIncludePad',
  'divisorOverride', 'paddingMode', 'shape', 'copy', 'runningMean', 'runningVar', 'useInputStats', 'nonBlocking'];

// Valid ScalarType codes (c10/core/ScalarType.h), quantized and complex-half included.
const dtypeCodes = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17];

/** Tensors kept across calls: every dtype, empty, 0-d, views, requiring grad, on the meta device, disposed. */
export class Pool {
  tensors: Tensor[] = [];
  constructor(private rng: Rng) { this.refill(); }

  refill(): void {
    for (const t of this.tensors) t.dispose();
    this.tensors = [];
    for (let i = 0; i < 40; i++) this.tensors.push(torch.keepTensor(torch.scope(() => this.make())));
  }

  private make(): Tensor {
    const r = this.rng;
    const dtype = r.pick(dtypes);
    const shape = r.pick(shapes);
    // Small non-negative integers make valid indices, targets and class labels often enough.
    let t = torch.isFloatingPoint(dtype) || dtype === 'complex64' ? torch.randn(shape).to(dtype)
      : torch.randint(0, 3, shape, { dtype: 'int64' }).to(dtype);
    if (r.chance(0.1) && t.ndim >= 2) t = t.transpose(0, 1);
    if (r.chance(0.05)) t = torch.zeros([1]).expand(shape.length ? shape : [1]);
    if (r.chance(0.05)) t = torch.zeros(shape, { device: 'meta' });
    if (r.chance(0.15) && torch.isFloatingPoint(dtype) && t.isLeaf) t.requiresGrad_(true);
    if (r.chance(0.05)) t.dispose();
    return t;
  }

  /** A live float tensor most of the time: ops accept those most often. */
  any(): Tensor { return this.rng.pick(this.tensors); }

  /** Views or in-place ops may have grown a pool tensor; keep every one small so no call takes long. */
  trim(maxNumel: number): void {
    for (let i = 0; i < this.tensors.length; i++) {
      const t = this.tensors[i];
      if (!t.isDisposed && t.numel() > maxNumel) {
        t.dispose();
        this.tensors[i] = torch.keepTensor(torch.zeros([2]));
      }
    }
  }
}

export class Inputs {
  constructor(readonly rng: Rng, readonly pool: Pool) {}

  smallInt(): number { return this.rng.int(7) - 2; }

  /** Anything at all that JavaScript can pass. */
  junk(): unknown {
    const r = this.rng;
    switch (r.int(16)) {
      case 0: case 1: return r.pick(numbers);
      case 2: return r.pick(bigints);
      case 3: return r.pick(strings);
      case 4: return r.pick([null, undefined, true, false]);
      case 5: return Symbol('fuzz');
      case 6: return r.pick([{}, [], Object.create(null), new Date(0), /re/, () => 1, new Proxy({}, {}), { valueOf: () => 3 }]);
      case 7: return r.pick([new Float32Array(3), new BigInt64Array(2), new ArrayBuffer(8), new Uint8Array(0), new Float64Array(7)]);
      case 8: return Array.from({ length: r.int(5) }, () => r.pick(numbers));
      case 9: return r.pick([[undefined], [null], ['a'], [[1], [2, 3]], [Symbol('in-array')], new Array(100000)]);
      case 10: return [this.pool.any(), r.pick(strings)];
      case 11: return this.options();
      case 12: return new torch.Tensor(r.pick([0, 1, 2, 3, -1, NaN, 4194304, 4194305, 2 ** 53, 1.5]));
      case 13: return r.pick(bigints.map(BigInt.asIntN.bind(null, 64)));
      default: return this.plausible();
    }
  }

  /** Values an API call is likely to accept, with some junk mixed in. */
  plausible(): unknown {
    const r = this.rng;
    const k = r.next();
    if (k < 0.38) return this.pool.any();
    if (k < 0.6) return this.smallInt();
    if (k < 0.66) return r.pick([0.5, -1.5, 1e-3, 2.5]);
    if (k < 0.76) return Array.from({ length: 1 + r.int(4) }, () => r.int(5) - (r.chance(0.1) ? 1 : 0));
    if (k < 0.8) return r.chance(0.5);
    if (k < 0.85) return Array.from({ length: 1 + r.int(3) }, () => this.pool.any());
    if (k < 0.9) return this.options();
    if (k < 0.93) return r.pick(strings.slice(0, 34));
    return this.junk();
  }

  /** An options bag: real option names with plausible or hostile values. */
  options(): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    for (let i = this.rng.int(3); i >= 0; i--) o[this.rng.pick(optionKeys)] = this.rng.chance(0.6) ? this.plausible() : this.junk();
    return o;
  }

  args(maxCount: number): unknown[] {
    return Array.from({ length: this.rng.int(maxCount + 1) }, () => (this.rng.chance(0.85) ? this.plausible() : this.junk()));
  }

  /** Arguments for an ATen schema string, each replaced by junk now and then, sometimes too few or too many. */
  schemaArgs(types: string[]): unknown[] {
    const r = this.rng;
    const out = types.map((t) => (r.chance(0.12) ? this.junk() : this.forType(t)));
    if (r.chance(0.1)) out.length = r.int(out.length + 1);
    if (r.chance(0.05)) out.push(this.junk());
    return out;
  }

  private forType(type: string): unknown {
    const r = this.rng;
    if (type.endsWith('?') && r.chance(0.25)) return null;
    const base = type.replace(/\?$/, '');
    if (/\[\d*\]$/.test(base)) {
      const elem = base.replace(/\[\d*\]$/, '');
      const n = Number(/\[(\d+)\]$/.exec(base)?.[1] ?? 1 + r.int(3));
      return Array.from({ length: r.chance(0.9) ? n : r.int(5) }, () => this.forType(elem));
    }
    switch (base) {
      case 'Tensor': return this.pool.any();
      case 'int': case 'SymInt': return this.smallInt();
      case 'float': return r.pick([0.5, 1, 1e-5, -1, 2]);
      case 'bool': return r.chance(0.5);
      case 'Scalar': return r.pick([0, 1, -1, 0.5, 2, true]);
      case 'ScalarType': return r.pick(dtypeCodes);
      case 'Layout': return r.int(8);
      case 'MemoryFormat': return r.int(4);
      case 'Device': return r.pick(['cpu', 'cpu', 'meta', 'cuda']);
      case 'str': return r.pick(strings);
      default: return this.junk();
    }
  }
}

/** The argument types of a schema string such as 'aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor'. */
export function schemaTypes(schema: string): string[] {
  const body = schema.slice(schema.indexOf('(') + 1, schema.lastIndexOf(') ->'));
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of body) {
    if (c === '[' || c === '(') depth++;
    if (c === ']' || c === ')') depth--;
    if (c === ',' && depth === 0) { parts.push(cur.trim()); cur = ''; } else cur += c;
  }
  if (cur.trim()) parts.push(cur.trim());
  return parts.filter((p) => p !== '*').map((p) => p.split(' ')[0].replace(/\([a-z!|*]+\)/g, ''));
}
