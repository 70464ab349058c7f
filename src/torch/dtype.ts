// Data types: PyTorch's names, libtorch's ScalarType codes, and the TypedArray each maps to.

export type DType = 'uint8' | 'int8' | 'int16' | 'int32' | 'int64' | 'float16' | 'float32' | 'float64' | 'bool'
  | 'bfloat16' | 'complex64' | 'complex128';

// c10::ScalarType enum values (c10/core/ScalarType.h).
const codes: Record<DType, number> = {
  uint8: 0, int8: 1, int16: 2, int32: 3, int64: 4, float16: 5, float32: 6, float64: 7,
  complex64: 9, complex128: 10, bool: 11, bfloat16: 15,
};
const names = new Map<number, DType>(Object.entries(codes).map(([k, v]) => [v, k as DType]));

export const float32: DType = 'float32';
export const float64: DType = 'float64';
export const float16: DType = 'float16';
export const int64: DType = 'int64';
export const int32: DType = 'int32';
export const uint8: DType = 'uint8';
export const bool: DType = 'bool';

export function dtypeCode(d: DType): number {
  const c = codes[d];
  if (c === undefined) throw new TypeError(`unknown dtype '${String(d)}' (expected one of ${Object.keys(codes).join(', ')})`);
  return c;
}

export function dtypeName(code: number): DType {
  const n = names.get(code);
  if (!n) throw new Error(`unsupported libtorch ScalarType ${code}`);
  return n;
}

export type TypedArray = Float32Array | Float64Array | Int32Array | Int16Array | Int8Array | Uint8Array
  | BigInt64Array | Uint16Array;

/** The TypedArray that views a tensor's memory. float16/bfloat16 are raw bits (no Float16Array in Node 20). */
export function typedArrayFor(d: DType, buf: ArrayBuffer): TypedArray {
  switch (d) {
    case 'float32': return new Float32Array(buf);
    case 'float64': return new Float64Array(buf);
    case 'int64': return new BigInt64Array(buf);
    case 'int32': return new Int32Array(buf);
    case 'int16': return new Int16Array(buf);
    case 'int8': return new Int8Array(buf);
    case 'uint8': case 'bool': return new Uint8Array(buf);
    case 'float16': case 'bfloat16': return new Uint16Array(buf);
    case 'complex64': return new Float32Array(buf);
    case 'complex128': return new Float64Array(buf);
  }
}

/** The dtype PyTorch infers for a TypedArray given to torch.tensor / from_numpy. */
export function dtypeOfTypedArray(a: ArrayBufferView): DType {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof BigInt64Array) return 'int64';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Int16Array) return 'int16';
  if (a instanceof Int8Array) return 'int8';
  if (a instanceof Uint8Array || a instanceof Uint8ClampedArray) return 'uint8';
  throw new TypeError(`unsupported TypedArray ${a.constructor.name}`);
}

export function isFloatingPoint(d: DType): boolean {
  return d === 'float32' || d === 'float64' || d === 'float16' || d === 'bfloat16';
}
