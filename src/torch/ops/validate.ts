// Argument checks shared by the detection ops: each throws an Error naming the op and the argument.
import { Tensor } from '../tensor.js';

export type Pair = number | readonly [number, number];

/** A tensor of the given rank whose listed dimensions match (null: any size). */
export function checkShape(op: string, name: string, t: Tensor, expected: readonly (number | null)[]): void {
  if (!(t instanceof Tensor)) throw new TypeError(`${op}: ${name} must be a Tensor`);
  const shape = t.shape;
  const ok = shape.length === expected.length && expected.every((e, i) => e === null || e === shape[i]);
  if (!ok) {
    const want = expected.map((e) => (e === null ? '*' : String(e))).join(', ');
    throw new Error(`${op}: ${name} must have shape [${want}], got [${shape.join(', ')}]`);
  }
}

/** float32 or float64, the dtypes the kernels support; `like` also fixes the dtype to another argument's. */
export function checkFloat(op: string, name: string, t: Tensor, like?: Tensor): void {
  if (t.dtype !== 'float32' && t.dtype !== 'float64') throw new Error(`${op}: ${name} must be float32 or float64, got ${t.dtype}`);
  if (like && like.dtype !== t.dtype) throw new Error(`${op}: ${name} must have the same dtype as the input (${like.dtype}), got ${t.dtype}`);
  if (t.device !== 'cpu') throw new Error(`${op}: ${name} must be on the CPU (the kernels are CPU-only), got ${t.device}`);
}

/** An int or (h, w) pair as [h, w], each an integer >= min. */
export function pair(op: string, name: string, v: Pair, min: number): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (!p.every((x) => Number.isInteger(x) && x >= min)) {
    throw new Error(`${op}: ${name} must be an integer >= ${min} or a pair of them, got ${JSON.stringify(v)}`);
  }
  return p;
}
