// The Tensor class and `aten`, the bridge from TypeScript to any ATen operator.
import { native, type Handle } from './native.js';
import { dtypeCode, dtypeName, typedArrayFor, type DType, type TypedArray } from './dtype.js';
import { adopt, forget, type Scope } from './scope.js';
import { formatTensor } from './format.js';

export type Scalar = number | boolean;
export type TensorOrScalar = Tensor | Scalar;
export type Shape = readonly number[];

function fromResult(r: unknown): unknown {
  if (typeof r === 'number') return new Tensor(r);
  if (Array.isArray(r)) return r.map(fromResult);
  return r;
}

/**
 * A function calling the ATen operator `name.overload` (e.g. 'aten::add.Tensor') with positional arguments in
 * the schema's order; omitted trailing arguments take the schema's defaults. Tensor results (and lists of
 * them) come back as Tensors; an in-place operator returns undefined. Only for operators that return tensors.
 */
export function aten<R = Tensor>(qualified: string): (...args: unknown[]) => R {
  const dot = qualified.indexOf('.');
  const name = dot < 0 ? qualified : qualified.slice(0, dot);
  const overload = dot < 0 ? '' : qualified.slice(dot + 1);
  let id = -1;
  return (...args: unknown[]): R => {
    if (id < 0) id = native.opHandle(name, overload);
    // Tensors go to the addon as objects (it reads their handle) so that a Tensor given where the schema
    // wants an integer is an error, not its handle number taken as a size.
    return fromResult(native.call(id, ...args)) as R;
  };
}

const code = (names: string[], n: string) => names.indexOf(n);
const fastBinary = { add: code(native.binaryNames, 'add'), sub: code(native.binaryNames, 'sub'),
  mul: code(native.binaryNames, 'mul'), div: code(native.binaryNames, 'div') };
const fastUnary = Object.fromEntries(native.unaryNames.map((n, i) => [n, i])) as Record<string, number>;

const op = {
  addT: aten('aten::add.Tensor'), addS: aten('aten::add.Scalar'), addT_: aten('aten::add_.Tensor'), addS_: aten('aten::add_.Scalar'),
  subT: aten('aten::sub.Tensor'), subS: aten('aten::sub.Scalar'), subT_: aten('aten::sub_.Tensor'), subS_: aten('aten::sub_.Scalar'),
  mulT: aten('aten::mul.Tensor'), mulS: aten('aten::mul.Scalar'), mulT_: aten('aten::mul_.Tensor'), mulS_: aten('aten::mul_.Scalar'),
  divT: aten('aten::div.Tensor_mode'), divS: aten('aten::div.Scalar_mode'), divT_: aten('aten::div_.Tensor'), divS_: aten('aten::div_.Scalar'),
  powT: aten('aten::pow.Tensor_Tensor'), powS: aten('aten::pow.Tensor_Scalar'), powT_: aten('aten::pow_.Tensor'), powS_: aten('aten::pow_.Scalar'),
  rsub: aten('aten::rsub.Scalar'), remainderT: aten('aten::remainder.Tensor'), remainderS: aten('aten::remainder.Scalar'),
  maximum: aten('aten::maximum'), minimum: aten('aten::minimum'), atan2: aten('aten::atan2'),
  eqT: aten('aten::eq.Tensor'), eqS: aten('aten::eq.Scalar'), neT: aten('aten::ne.Tensor'), neS: aten('aten::ne.Scalar'),
  ltT: aten('aten::lt.Tensor'), ltS: aten('aten::lt.Scalar'), leT: aten('aten::le.Tensor'), leS: aten('aten::le.Scalar'),
  gtT: aten('aten::gt.Tensor'), gtS: aten('aten::gt.Scalar'), geT: aten('aten::ge.Tensor'), geS: aten('aten::ge.Scalar'),
  logicalAnd: aten('aten::logical_and'), logicalOr: aten('aten::logical_or'), logicalNot: aten('aten::logical_not'),
  clamp: aten('aten::clamp'), clamp_: aten('aten::clamp_'), lerpS: aten('aten::lerp.Scalar'), lerpS_: aten('aten::lerp_.Scalar'),
  addcmul: aten('aten::addcmul'), addcmul_: aten('aten::addcmul_'), addcdiv: aten('aten::addcdiv'), addcdiv_: aten('aten::addcdiv_'),
  sum: aten('aten::sum'), sumDim: aten('aten::sum.dim_IntList'), mean: aten('aten::mean'), meanDim: aten('aten::mean.dim'),
  prod: aten('aten::prod'), prodDim: aten('aten::prod.dim_int'),
  max: aten('aten::max'), maxDim: aten<[Tensor, Tensor]>('aten::max.dim'), min: aten('aten::min'),
  minDim: aten<[Tensor, Tensor]>('aten::min.dim'), amax: aten('aten::amax'), amin: aten('aten::amin'),
  argmax: aten('aten::argmax'), argmin: aten('aten::argmin'), varC: aten('aten::var.correction'), stdC: aten('aten::std.correction'),
  norm: aten('aten::linalg_vector_norm'), logsumexp: aten('aten::logsumexp'), cumsum: aten('aten::cumsum'),
  cumprod: aten('aten::cumprod'), topk: aten<[Tensor, Tensor]>('aten::topk'), sort: aten<[Tensor, Tensor]>('aten::sort.stable'),
  all: aten('aten::all'), any: aten('aten::any'),
  matmul: aten('aten::matmul'), bmm: aten('aten::bmm'), mm: aten('aten::mm'),
  reshape: aten('aten::reshape'), view: aten('aten::view'), permute: aten('aten::permute'), transpose: aten('aten::transpose.int'),
  squeeze: aten('aten::squeeze'), squeezeDim: aten('aten::squeeze.dim'), unsqueeze: aten('aten::unsqueeze'),
  expand: aten('aten::expand'), flatten: aten('aten::flatten.using_ints'), contiguous: aten('aten::contiguous'),
  split: aten<Tensor[]>('aten::split.Tensor'), splitWithSizes: aten<Tensor[]>('aten::split_with_sizes'),
  chunk: aten<Tensor[]>('aten::chunk'), narrow: aten('aten::narrow'), select: aten('aten::select.int'),
  slice: aten('aten::slice.Tensor'), indexSelect: aten('aten::index_select'), gather: aten('aten::gather'),
  scatter: aten('aten::scatter.src'), scatterValue: aten('aten::scatter.value'), scatterAdd: aten('aten::scatter_add'),
  scatterReduce: aten('aten::scatter_reduce.two'), index: aten('aten::index.Tensor'), indexPut: aten('aten::index_put'),
  indexPut_: aten('aten::index_put_'), maskedFill: aten('aten::masked_fill.Scalar'), maskedFill_: aten('aten::masked_fill_.Scalar'),
  maskedFillT: aten('aten::masked_fill.Tensor'), maskedSelect: aten('aten::masked_select'), nonzero: aten('aten::nonzero'),
  flip: aten('aten::flip'), roll: aten('aten::roll'), repeat: aten('aten::repeat'), tril: aten('aten::tril'), triu: aten('aten::triu'),
  to: aten('aten::to.dtype_layout'), clone: aten('aten::clone'), detach: aten('aten::detach'), detach_: aten('aten::detach_'),
  copy_: aten('aten::copy_'), fill_: aten('aten::fill_.Scalar'), zero_: aten('aten::zero_'), requiresGrad_: aten('aten::requires_grad_'),
  retainGrad: aten<void>('aten::retain_grad'), uniform_: aten('aten::uniform_'), normal_: aten('aten::normal_'),
};

const unary = Object.fromEntries(['abs', 'neg', 'exp', 'log', 'log2', 'log10', 'log1p', 'expm1', 'sqrt', 'rsqrt', 'sin', 'cos',
  'tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'tanh', 'sigmoid', 'relu', 'floor', 'ceil', 'round', 'trunc', 'frac', 'sign',
  'reciprocal', 'square', 'erf', 'isnan', 'isinf', 'isfinite', 'angle', 'real', 'imag', 'conj'].flatMap((n) => [
  [n, aten(`aten::${n}`)], [`${n}_`, aten(`aten::${n}_`)]])) as Record<string, (t: Tensor) => Tensor>;

export interface ToOptions { dtype?: DType; device?: string; copy?: boolean; nonBlocking?: boolean }

/** A multi-dimensional array in libtorch memory, with autograd. PyTorch's torch.Tensor, camelCased. */
export class Tensor {
  /** The addon's handle; 0 is never a live handle. */
  handle: Handle;
  /** Internal: the scope that owns this tensor (see scope.ts). */
  owner: Scope | null = null;

  constructor(handle: Handle) {
    this.handle = handle;
    adopt(this);
  }

  // ---- lifetime ----
  dispose(): void {
    if (this.handle !== 0) {
      native.dispose(this.handle);
      forget(this);
      this.handle = 0;
    }
  }
  [Symbol.dispose](): void { this.dispose(); }
  get isDisposed(): boolean { return this.handle === 0 || !native.isLive(this.handle); }

  // ---- metadata ----
  get shape(): number[] { return native.shape(this.handle); }
  size(dim?: number): number | number[] {
    const s = native.shape(this.handle);
    if (dim === undefined) return s;
    const d = dim < 0 ? dim + s.length : dim;
    if (d < 0 || d >= s.length) throw new RangeError(`size: dim ${dim} out of range for a ${s.length}-d tensor`);
    return s[d];
  }
  stride(): number[] { return native.strides(this.handle); }
  get dtype(): DType { return dtypeName(native.scalarType(this.handle)); }
  get device(): string { return native.device(this.handle); }
  get ndim(): number { return native.dim(this.handle); }
  dim(): number { return native.dim(this.handle); }
  numel(): number { return native.numel(this.handle); }
  isContiguous(): boolean { return native.isContiguous(this.handle); }
  get isCuda(): boolean { return native.device(this.handle).startsWith('cuda'); }

  // ---- autograd ----
  get requiresGrad(): boolean { return native.requiresGrad(this.handle); }
  set requiresGrad(v: boolean) { op.requiresGrad_(this, v); }
  requiresGrad_(v = true): this { op.requiresGrad_(this, v); return this; }
  get isLeaf(): boolean { return native.autogradInfo(this.handle).isLeaf; }
  get gradFn(): string | null { return native.autogradInfo(this.handle).gradFn; }
  get grad(): Tensor | null {
    const g = native.getGrad(this.handle);
    return g === null ? null : new Tensor(g);
  }
  set grad(g: Tensor | null) { native.setGrad(this.handle, g === null ? null : g.handle); }
  retainGrad(): this { op.retainGrad(this); return this; }
  backward(gradient?: Tensor, opts: { retainGraph?: boolean; createGraph?: boolean; inputs?: Tensor[] } = {}): void {
    native.backward([this.handle], gradient ? [gradient.handle] : null, opts.retainGraph, opts.createGraph ?? false,
      opts.inputs?.map((t) => t.handle));
  }
  detach(): Tensor { return op.detach(this); }
  detach_(): this { op.detach_(this); return this; }

  // ---- data ----
  item(): number {
    const v = native.item(this.handle);
    return typeof v === 'boolean' ? Number(v) : v;
  }
  /** The tensor's elements as a TypedArray sharing its memory when it is contiguous on the CPU (as .numpy()). */
  toTypedArray(): TypedArray { return typedArrayFor(this.dtype, native.toBuffer(this.handle)); }
  /** A copy of the elements as nested JavaScript arrays (as .tolist()). */
  tolist(): unknown {
    const flat = Array.from(this.toTypedArray() as ArrayLike<number | bigint>, (v) => Number(v));
    const shape = this.shape;
    const build = (d: number, off: number): unknown => {
      if (d === shape.length) return flat[off];
      const step = shape.slice(d + 1).reduce((a, b) => a * b, 1);
      return Array.from({ length: shape[d] }, (_, i) => build(d + 1, off + i * step));
    };
    return build(0, 0);
  }
  toString(): string { return formatTensor(this); }
  [Symbol.for('nodejs.util.inspect.custom')](): string { return this.toString(); }

  // ---- conversion ----
  to(target: DType | string | ToOptions | Tensor): Tensor {
    const o: ToOptions = typeof target === 'string'
      ? (isDeviceString(target) ? { device: target } : { dtype: target as DType })
      : target instanceof Tensor ? { dtype: target.dtype, device: target.device } : target;
    return op.to(this, o.dtype === undefined ? null : dtypeCode(o.dtype), null, o.device ?? null, null, o.nonBlocking ?? false,
      o.copy ?? false, null);
  }
  float(): Tensor { return this.to('float32'); }
  double(): Tensor { return this.to('float64'); }
  half(): Tensor { return this.to('float16'); }
  long(): Tensor { return this.to('int64'); }
  int(): Tensor { return this.to('int32'); }
  bool(): Tensor { return this.to('bool'); }
  cpu(): Tensor { return this.to({ device: 'cpu' }); }
  cuda(index = 0): Tensor { return this.to({ device: `cuda:${index}` }); }
  clone(): Tensor { return op.clone(this); }
  contiguous(): Tensor { return op.contiguous(this); }

  // ---- elementwise arithmetic (broadcasting); a trailing _ is in place ----
  add(other: TensorOrScalar, alpha: number = 1): Tensor {
    if (other instanceof Tensor) {
      return alpha === 1 ? new Tensor(native.binary(fastBinary.add, this.handle, other.handle)) : op.addT(this, other, alpha);
    }
    return op.addS(this, other, alpha);
  }
  add_(other: TensorOrScalar, alpha: number = 1): this { (other instanceof Tensor ? op.addT_ : op.addS_)(this, other, alpha); return this; }
  sub(other: TensorOrScalar, alpha: number = 1): Tensor {
    if (other instanceof Tensor) {
      return alpha === 1 ? new Tensor(native.binary(fastBinary.sub, this.handle, other.handle)) : op.subT(this, other, alpha);
    }
    return op.subS(this, other, alpha);
  }
  sub_(other: TensorOrScalar, alpha: number = 1): this { (other instanceof Tensor ? op.subT_ : op.subS_)(this, other, alpha); return this; }
  mul(other: TensorOrScalar): Tensor {
    return other instanceof Tensor ? new Tensor(native.binary(fastBinary.mul, this.handle, other.handle)) : op.mulS(this, other);
  }
  mul_(other: TensorOrScalar): this { (other instanceof Tensor ? op.mulT_ : op.mulS_)(this, other); return this; }
  div(other: TensorOrScalar, roundingMode?: 'trunc' | 'floor'): Tensor {
    if (other instanceof Tensor) {
      return roundingMode === undefined ? new Tensor(native.binary(fastBinary.div, this.handle, other.handle))
        : op.divT(this, other, roundingMode);
    }
    return op.divS(this, other, roundingMode ?? null);
  }
  div_(other: TensorOrScalar): this { (other instanceof Tensor ? op.divT_ : op.divS_)(this, other); return this; }
  pow(exponent: TensorOrScalar): Tensor { return (exponent instanceof Tensor ? op.powT : op.powS)(this, exponent); }
  pow_(exponent: TensorOrScalar): this { (exponent instanceof Tensor ? op.powT_ : op.powS_)(this, exponent); return this; }
  rsub(other: Scalar): Tensor { return op.rsub(this, other); }
  remainder(other: TensorOrScalar): Tensor { return (other instanceof Tensor ? op.remainderT : op.remainderS)(this, other); }
  maximum(other: Tensor): Tensor { return op.maximum(this, other); }
  minimum(other: Tensor): Tensor { return op.minimum(this, other); }
  atan2(other: Tensor): Tensor { return op.atan2(this, other); }
  clamp(min?: number | null, max?: number | null): Tensor { return op.clamp(this, min ?? null, max ?? null); }
  clamp_(min?: number | null, max?: number | null): this { op.clamp_(this, min ?? null, max ?? null); return this; }
  lerp(end: Tensor, weight: number): Tensor { return op.lerpS(this, end, weight); }
  lerp_(end: Tensor, weight: number): this { op.lerpS_(this, end, weight); return this; }
  addcmul(t1: Tensor, t2: Tensor, value = 1): Tensor { return op.addcmul(this, t1, t2, value); }
  addcmul_(t1: Tensor, t2: Tensor, value = 1): this { op.addcmul_(this, t1, t2, value); return this; }
  addcdiv(t1: Tensor, t2: Tensor, value = 1): Tensor { return op.addcdiv(this, t1, t2, value); }
  addcdiv_(t1: Tensor, t2: Tensor, value = 1): this { op.addcdiv_(this, t1, t2, value); return this; }

  // ---- elementwise functions ----
  abs(): Tensor { return new Tensor(native.unary(fastUnary.abs, this.handle)); }
  neg(): Tensor { return new Tensor(native.unary(fastUnary.neg, this.handle)); }
  exp(): Tensor { return new Tensor(native.unary(fastUnary.exp, this.handle)); }
  log(): Tensor { return new Tensor(native.unary(fastUnary.log, this.handle)); }
  sqrt(): Tensor { return new Tensor(native.unary(fastUnary.sqrt, this.handle)); }
  relu(): Tensor { return new Tensor(native.unary(fastUnary.relu, this.handle)); }
  sigmoid(): Tensor { return new Tensor(native.unary(fastUnary.sigmoid, this.handle)); }
  tanh(): Tensor { return new Tensor(native.unary(fastUnary.tanh, this.handle)); }
  log2(): Tensor { return unary.log2(this); }
  log10(): Tensor { return unary.log10(this); }
  log1p(): Tensor { return unary.log1p(this); }
  expm1(): Tensor { return unary.expm1(this); }
  rsqrt(): Tensor { return unary.rsqrt(this); }
  sin(): Tensor { return unary.sin(this); }
  cos(): Tensor { return unary.cos(this); }
  tan(): Tensor { return unary.tan(this); }
  asin(): Tensor { return unary.asin(this); }
  acos(): Tensor { return unary.acos(this); }
  atan(): Tensor { return unary.atan(this); }
  sinh(): Tensor { return unary.sinh(this); }
  cosh(): Tensor { return unary.cosh(this); }
  floor(): Tensor { return unary.floor(this); }
  ceil(): Tensor { return unary.ceil(this); }
  round(): Tensor { return unary.round(this); }
  trunc(): Tensor { return unary.trunc(this); }
  frac(): Tensor { return unary.frac(this); }
  sign(): Tensor { return unary.sign(this); }
  reciprocal(): Tensor { return unary.reciprocal(this); }
  square(): Tensor { return unary.square(this); }
  erf(): Tensor { return unary.erf(this); }
  isnan(): Tensor { return unary.isnan(this); }
  isinf(): Tensor { return unary.isinf(this); }
  isfinite(): Tensor { return unary.isfinite(this); }
  angle(): Tensor { return unary.angle(this); }
  real(): Tensor { return unary.real(this); }
  imag(): Tensor { return unary.imag(this); }
  abs_(): this { unary.abs_(this); return this; }
  neg_(): this { unary.neg_(this); return this; }
  exp_(): this { unary.exp_(this); return this; }
  log_(): this { unary.log_(this); return this; }
  sqrt_(): this { unary.sqrt_(this); return this; }
  relu_(): this { unary.relu_(this); return this; }
  sigmoid_(): this { unary.sigmoid_(this); return this; }
  tanh_(): this { unary.tanh_(this); return this; }
  floor_(): this { unary.floor_(this); return this; }
  round_(): this { unary.round_(this); return this; }
  reciprocal_(): this { unary.reciprocal_(this); return this; }

  // ---- comparisons and logic ----
  eq(o: TensorOrScalar): Tensor { return (o instanceof Tensor ? op.eqT : op.eqS)(this, o); }
  ne(o: TensorOrScalar): Tensor { return (o instanceof Tensor ? op.neT : op.neS)(this, o); }
  lt(o: TensorOrScalar): Tensor { return (o instanceof Tensor ? op.ltT : op.ltS)(this, o); }
  le(o: TensorOrScalar): Tensor { return (o instanceof Tensor ? op.leT : op.leS)(this, o); }
  gt(o: TensorOrScalar): Tensor { return (o instanceof Tensor ? op.gtT : op.gtS)(this, o); }
  ge(o: TensorOrScalar): Tensor { return (o instanceof Tensor ? op.geT : op.geS)(this, o); }
  logicalAnd(o: Tensor): Tensor { return op.logicalAnd(this, o); }
  logicalOr(o: Tensor): Tensor { return op.logicalOr(this, o); }
  logicalNot(): Tensor { return op.logicalNot(this); }
  all(): Tensor { return op.all(this); }
  any(): Tensor { return op.any(this); }

  // ---- reductions: dim may be a number or a list; keepdim as in PyTorch ----
  sum(dim?: number | number[], keepdim = false, dtype?: DType): Tensor {
    const dt = dtype === undefined ? null : dtypeCode(dtype);
    return dim === undefined ? op.sum(this, dt) : op.sumDim(this, dims(dim), keepdim, dt);
  }
  mean(dim?: number | number[], keepdim = false): Tensor {
    return dim === undefined ? op.mean(this) : op.meanDim(this, dims(dim), keepdim);
  }
  prod(dim?: number, keepdim = false): Tensor { return dim === undefined ? op.prod(this) : op.prodDim(this, dim, keepdim); }
  max(): Tensor;
  max(dim: number, keepdim?: boolean): [Tensor, Tensor];
  max(dim?: number, keepdim = false): Tensor | [Tensor, Tensor] { return dim === undefined ? op.max(this) : op.maxDim(this, dim, keepdim); }
  min(): Tensor;
  min(dim: number, keepdim?: boolean): [Tensor, Tensor];
  min(dim?: number, keepdim = false): Tensor | [Tensor, Tensor] { return dim === undefined ? op.min(this) : op.minDim(this, dim, keepdim); }
  amax(dim: number | number[] = [], keepdim = false): Tensor { return op.amax(this, dims(dim), keepdim); }
  amin(dim: number | number[] = [], keepdim = false): Tensor { return op.amin(this, dims(dim), keepdim); }
  argmax(dim?: number, keepdim = false): Tensor { return op.argmax(this, dim ?? null, keepdim); }
  argmin(dim?: number, keepdim = false): Tensor { return op.argmin(this, dim ?? null, keepdim); }
  /** Variance with Bessel's correction by default (unbiased=true), as torch.var. */
  var(dim?: number | number[], opts: { unbiased?: boolean; keepdim?: boolean } = {}): Tensor {
    return op.varC(this, dim === undefined ? null : dims(dim), (opts.unbiased ?? true) ? 1 : 0, opts.keepdim ?? false);
  }
  std(dim?: number | number[], opts: { unbiased?: boolean; keepdim?: boolean } = {}): Tensor {
    return op.stdC(this, dim === undefined ? null : dims(dim), (opts.unbiased ?? true) ? 1 : 0, opts.keepdim ?? false);
  }
  norm(p: number = 2, dim?: number | number[], keepdim = false): Tensor {
    return op.norm(this, p, dim === undefined ? null : dims(dim), keepdim, null);
  }
  logsumexp(dim: number | number[], keepdim = false): Tensor { return op.logsumexp(this, dims(dim), keepdim); }
  cumsum(dim: number): Tensor { return op.cumsum(this, dim, null); }
  cumprod(dim: number): Tensor { return op.cumprod(this, dim, null); }
  topk(k: number, dim = -1, largest = true, sorted = true): [Tensor, Tensor] { return op.topk(this, k, dim, largest, sorted); }
  sort(dim = -1, descending = false, stable = false): [Tensor, Tensor] { return op.sort(this, stable, dim, descending); }

  // ---- linear algebra ----
  matmul(o: Tensor): Tensor { return op.matmul(this, o); }
  mm(o: Tensor): Tensor { return op.mm(this, o); }
  bmm(o: Tensor): Tensor { return op.bmm(this, o); }

  // ---- shape ----
  reshape(...shape: number[] | [number[]]): Tensor { return op.reshape(this, shapeArg(shape)); }
  view(...shape: number[] | [number[]]): Tensor { return op.view(this, shapeArg(shape)); }
  permute(...order: number[] | [number[]]): Tensor { return op.permute(this, shapeArg(order)); }
  transpose(d0: number, d1: number): Tensor { return op.transpose(this, d0, d1); }
  get T(): Tensor { return op.permute(this, this.shape.map((_, i, a) => a.length - 1 - i)); }
  t(): Tensor { return op.transpose(this, 0, 1); }
  squeeze(dim?: number): Tensor { return dim === undefined ? op.squeeze(this) : op.squeezeDim(this, dim); }
  unsqueeze(dim: number): Tensor { return op.unsqueeze(this, dim); }
  expand(...shape: number[] | [number[]]): Tensor { return op.expand(this, shapeArg(shape), false); }
  expandAs(other: Tensor): Tensor { return op.expand(this, other.shape, false); }
  flatten(startDim = 0, endDim = -1): Tensor { return op.flatten(this, startDim, endDim); }
  split(sizeOrSections: number | number[], dim = 0): Tensor[] {
    return typeof sizeOrSections === 'number' ? op.split(this, sizeOrSections, dim) : op.splitWithSizes(this, sizeOrSections, dim);
  }
  chunk(chunks: number, dim = 0): Tensor[] { return op.chunk(this, chunks, dim); }
  narrow(dim: number, start: number, length: number): Tensor { return op.narrow(this, dim, start, length); }
  select(dim: number, index: number): Tensor { return op.select(this, dim, index); }
  /** t[start:end:step] along dim (end may be omitted or negative, as in Python). */
  slice(dim: number, start?: number | null, end?: number | null, step = 1): Tensor {
    return op.slice(this, dim, start ?? null, end ?? null, step);
  }
  flip(...dimsList: number[] | [number[]]): Tensor { return op.flip(this, shapeArg(dimsList)); }
  roll(shifts: number | number[], dim?: number | number[]): Tensor {
    return op.roll(this, dims(shifts), dim === undefined ? [] : dims(dim));
  }
  repeat(...sizes: number[] | [number[]]): Tensor { return op.repeat(this, shapeArg(sizes)); }
  tril(diagonal = 0): Tensor { return op.tril(this, diagonal); }
  triu(diagonal = 0): Tensor { return op.triu(this, diagonal); }

  // ---- indexing ----
  indexSelect(dim: number, index: Tensor): Tensor { return op.indexSelect(this, dim, index); }
  gather(dim: number, index: Tensor): Tensor { return op.gather(this, dim, index, false); }
  scatter(dim: number, index: Tensor, src: TensorOrScalar): Tensor {
    return (src instanceof Tensor ? op.scatter : op.scatterValue)(this, dim, index, src);
  }
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor { return op.scatterAdd(this, dim, index, src); }
  scatterReduce(dim: number, index: Tensor, src: Tensor, reduce: 'sum' | 'prod' | 'mean' | 'amax' | 'amin', includeSelf = true): Tensor {
    return op.scatterReduce(this, dim, index, src, reduce, includeSelf);
  }
  /** Advanced indexing t[i0, i1, ...] with index tensors (null skips a dimension). */
  index(indices: (Tensor | null)[]): Tensor { return op.index(this, indices); }
  indexPut(indices: (Tensor | null)[], values: Tensor, accumulate = false): Tensor { return op.indexPut(this, indices, values, accumulate); }
  indexPut_(indices: (Tensor | null)[], values: Tensor, accumulate = false): this { op.indexPut_(this, indices, values, accumulate); return this; }
  maskedFill(mask: Tensor, value: TensorOrScalar): Tensor { return (value instanceof Tensor ? op.maskedFillT : op.maskedFill)(this, mask, value); }
  maskedFill_(mask: Tensor, value: Scalar): this { op.maskedFill_(this, mask, value); return this; }
  maskedSelect(mask: Tensor): Tensor { return op.maskedSelect(this, mask); }
  nonzero(): Tensor { return op.nonzero(this); }

  // ---- in-place fills ----
  copy_(src: Tensor): this { op.copy_(this, src, false); return this; }
  fill_(value: Scalar): this { op.fill_(this, value); return this; }
  zero_(): this { op.zero_(this); return this; }
  uniform_(from = 0, to = 1): this { op.uniform_(this, from, to, null); return this; }
  normal_(mean = 0, std = 1): this { op.normal_(this, mean, std, null); return this; }
}

function isDeviceString(s: string): boolean {
  return s === 'cpu' || s === 'cuda' || s.startsWith('cuda:') || s === 'meta';
}

function dims(d: number | number[]): number[] {
  return typeof d === 'number' ? [d] : d;
}

function shapeArg(args: number[] | [number[]]): number[] {
  return Array.isArray(args[0]) ? args[0] : (args as number[]);
}
