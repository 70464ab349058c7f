// Tensor creation: torch.tensor, zeros, ones, full, arange, linspace, eye, rand*, *Like.
import { native } from './native.js';
import { dtypeCode, dtypeOfTypedArray, type DType } from './dtype.js';
import { aten, Tensor, type Scalar } from './tensor.js';

export interface TensorOptions {
  dtype?: DType;
  device?: string;
  requiresGrad?: boolean;
}

type Nested = number | boolean | Nested[];

const op = {
  empty: aten('aten::empty.memory_format'), zeros: aten('aten::zeros'), ones: aten('aten::ones'), full: aten('aten::full'),
  arange: aten('aten::arange.start_step'), linspace: aten('aten::linspace'), eye: aten('aten::eye.m'),
  rand: aten('aten::rand'), randn: aten('aten::randn'), randint: aten('aten::randint.low'), randperm: aten('aten::randperm'),
  zerosLike: aten('aten::zeros_like'), onesLike: aten('aten::ones_like'), fullLike: aten('aten::full_like'),
  emptyLike: aten('aten::empty_like'), randLike: aten('aten::rand_like'), randnLike: aten('aten::randn_like'),
};

// Trailing keyword arguments of the factory schemas: dtype, layout, device, pin_memory.
function factory(o: TensorOptions, defaultDtype: DType | null = 'float32'): unknown[] {
  const dt = o.dtype ?? defaultDtype;
  return [dt === null ? null : dtypeCode(dt), null, o.device ?? null, null];
}

function finish(t: Tensor, o: TensorOptions): Tensor {
  if (o.requiresGrad) t.requiresGrad_(true);
  return t;
}

function sizeArg(size: number | readonly number[]): number[] {
  return typeof size === 'number' ? [size] : [...size];
}

function flatten(data: Nested, shape: number[], out: (number | boolean)[], depth: number): void {
  if (!Array.isArray(data)) {
    if (depth !== shape.length) throw new Error('tensor: ragged nested array');
    if (typeof data !== 'number' && typeof data !== 'boolean') throw new TypeError(`tensor: not a number: ${String(data)}`);
    out.push(data);
    return;
  }
  if (depth === shape.length) shape.push(data.length);
  else if (shape[depth] !== data.length) throw new Error('tensor: ragged nested array');
  for (const d of data) flatten(d, shape, out, depth + 1);
}

// Frees a staging tensor now, so torch.tensor(...) leaves one live tensor (what `using` or dispose() frees).
function replace(staging: Tensor, result: Tensor): Tensor {
  staging.dispose();
  return result;
}

/**
 * torch.tensor: from a number, nested arrays or a TypedArray (with an optional shape). JavaScript has one
 * number type, so numbers make float32 unless `dtype` says otherwise; booleans make bool; a TypedArray
 * keeps its own type (Float64Array -> float64, BigInt64Array -> int64, ...).
 */
export function tensor(data: Nested | ArrayBufferView, opts: TensorOptions & { shape?: number[] } = {}): Tensor {
  let t: Tensor;
  if (ArrayBuffer.isView(data)) {
    const shape = opts.shape ?? [(data as unknown as ArrayLike<number>).length];
    t = new Tensor(native.fromBuffer(data, shape, dtypeCode(dtypeOfTypedArray(data))));
    if (opts.dtype && opts.dtype !== t.dtype) t = replace(t, t.to(opts.dtype));
  } else {
    const shape: number[] = [];
    const flat: (number | boolean)[] = [];
    flatten(data, shape, flat, 0);
    const allBool = flat.length > 0 && flat.every((v) => typeof v === 'boolean');
    const dtype = opts.dtype ?? (allBool ? 'bool' : 'float32');
    const f64 = Float64Array.from(flat, Number);
    t = new Tensor(native.fromBuffer(f64, opts.shape ?? shape, dtypeCode('float64')));
    if (dtype !== 'float64') t = replace(t, t.to(dtype));
  }
  if (opts.device && opts.device !== 'cpu') t = replace(t, t.to({ device: opts.device }));
  return finish(t, opts);
}

export function empty(size: number | readonly number[], o: TensorOptions = {}): Tensor { return finish(op.empty(sizeArg(size), ...factory(o)), o); }
export function zeros(size: number | readonly number[], o: TensorOptions = {}): Tensor { return finish(op.zeros(sizeArg(size), ...factory(o)), o); }
export function ones(size: number | readonly number[], o: TensorOptions = {}): Tensor { return finish(op.ones(sizeArg(size), ...factory(o)), o); }
/** torch.full; float32 unless `dtype` is given (an integral JS number cannot say it is an int). */
export function full(size: number | readonly number[], value: Scalar, o: TensorOptions = {}): Tensor {
  return finish(op.full(sizeArg(size), value, ...factory(o, typeof value === 'boolean' ? 'bool' : 'float32')), o);
}
/** torch.arange(end) or arange(start, end, step): int64 when all are integers, else float32 (as PyTorch). */
export function arange(start: number, end?: number, step = 1, o: TensorOptions = {}): Tensor {
  const [s, e] = end === undefined ? [0, start] : [start, end];
  const integral = [s, e, step].every(Number.isInteger);
  return finish(op.arange(s, e, step, ...factory(o, integral ? 'int64' : 'float32')), o);
}
export function linspace(start: number, end: number, steps: number, o: TensorOptions = {}): Tensor {
  return finish(op.linspace(start, end, steps, ...factory(o)), o);
}
export function eye(n: number, m = n, o: TensorOptions = {}): Tensor { return finish(op.eye(n, m, ...factory(o)), o); }
export function rand(size: number | readonly number[], o: TensorOptions = {}): Tensor { return finish(op.rand(sizeArg(size), ...factory(o)), o); }
export function randn(size: number | readonly number[], o: TensorOptions = {}): Tensor { return finish(op.randn(sizeArg(size), ...factory(o)), o); }
export function randint(low: number, high: number, size: number | readonly number[], o: TensorOptions = {}): Tensor {
  return finish(op.randint(low, high, sizeArg(size), ...factory(o, 'int64')), o);
}
export function randperm(n: number, o: TensorOptions = {}): Tensor { return finish(op.randperm(n, ...factory(o, 'int64')), o); }

const like = (f: (...a: unknown[]) => Tensor) => (t: Tensor, o: TensorOptions = {}): Tensor =>
  finish(f(t, ...factory(o, null), null), o);
export const zerosLike = like(op.zerosLike);
export const onesLike = like(op.onesLike);
export const emptyLike = like(op.emptyLike);
export const randLike = like(op.randLike);
export const randnLike = like(op.randnLike);
export function fullLike(t: Tensor, value: Scalar, o: TensorOptions = {}): Tensor {
  return finish(op.fullLike(t, value, ...factory(o, null), null), o);
}
