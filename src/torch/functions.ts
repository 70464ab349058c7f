// torch.* functions of several tensors: joining, selection, einsum, linear algebra, FFT.
import { aten, Tensor, type Scalar, type TensorOrScalar } from './tensor.js';

const op = {
  cat: aten('aten::cat'), stack: aten('aten::stack'), whereT: aten('aten::where.self'), whereS: aten('aten::where.ScalarOther'),
  whereSS: aten('aten::where.Scalar'), whereST: aten('aten::where.ScalarSelf'),
  einsum: aten('aten::einsum'), inv: aten('aten::linalg_inv'), solve: aten('aten::linalg_solve'), det: aten('aten::linalg_det'),
  fft2: aten('aten::fft_fft2'), ifft2: aten('aten::fft_ifft2'), rfft2: aten('aten::fft_rfft2'), irfft2: aten('aten::fft_irfft2'),
  fftshift: aten('aten::fft_fftshift'), ifftshift: aten('aten::fft_ifftshift'), polar: aten('aten::polar'),
  complex: aten('aten::complex'), meshgrid: aten<Tensor[]>('aten::meshgrid.indexing'), cdist: aten('aten::cdist'),
  bucketize: aten('aten::bucketize.Tensor'), searchsorted: aten('aten::searchsorted.Tensor'),
  unique: aten<[Tensor, Tensor, Tensor]>('aten::_unique2'), bincount: aten('aten::bincount'),
  allclose: aten<boolean>('aten::allclose'), equal: aten<boolean>('aten::equal'),
};

export function cat(tensors: Tensor[], dim = 0): Tensor { return op.cat(tensors, dim); }
export function stack(tensors: Tensor[], dim = 0): Tensor { return op.stack(tensors, dim); }
/** torch.where(condition, x, y): x where condition holds, else y (either may be a number). */
export function where(condition: Tensor, x: TensorOrScalar, y: TensorOrScalar): Tensor {
  if (x instanceof Tensor) return y instanceof Tensor ? op.whereT(condition, x, y) : op.whereS(condition, x, y);
  return y instanceof Tensor ? op.whereST(condition, x, y) : op.whereSS(condition, x, y);
}
export function einsum(equation: string, ...operands: Tensor[]): Tensor { return op.einsum(equation, operands, null); }
export function meshgrid(tensors: Tensor[], indexing: 'ij' | 'xy' = 'ij'): Tensor[] { return op.meshgrid(tensors, indexing); }
export function cdist(x1: Tensor, x2: Tensor, p = 2): Tensor { return op.cdist(x1, x2, p, null); }
export function bucketize(input: Tensor, boundaries: Tensor, right = false): Tensor { return op.bucketize(input, boundaries, false, right); }
export function searchsorted(sorted: Tensor, values: Tensor, right = false): Tensor {
  return op.searchsorted(sorted, values, false, right, null, null);
}
/** torch.unique(sorted=True, return_inverse, return_counts): [values, inverse, counts]. */
export function unique(t: Tensor): [Tensor, Tensor, Tensor] { return op.unique(t, true, true, true); }
export function bincount(t: Tensor, minlength = 0, weights?: Tensor): Tensor { return op.bincount(t, weights ?? null, minlength); }
export function allclose(a: Tensor, b: Tensor, rtol = 1e-5, atol = 1e-8): boolean { return op.allclose(a, b, rtol, atol, false); }
export function equal(a: Tensor, b: Tensor): boolean { return op.equal(a, b); }
export function complex(real: Tensor, imag: Tensor): Tensor { return op.complex(real, imag); }
export function polar(abs: Tensor, angle: Tensor): Tensor { return op.polar(abs, angle); }

export const linalg = {
  inv: (a: Tensor): Tensor => op.inv(a),
  solve: (a: Tensor, b: Tensor): Tensor => op.solve(a, b, true),
  det: (a: Tensor): Tensor => op.det(a),
};

type FftNorm = 'backward' | 'forward' | 'ortho';
const dims2 = [-2, -1];
export const fft = {
  fft2: (t: Tensor, s?: number[], dim = dims2, norm: FftNorm = 'backward'): Tensor => op.fft2(t, s ?? null, dim, norm),
  ifft2: (t: Tensor, s?: number[], dim = dims2, norm: FftNorm = 'backward'): Tensor => op.ifft2(t, s ?? null, dim, norm),
  rfft2: (t: Tensor, s?: number[], dim = dims2, norm: FftNorm = 'backward'): Tensor => op.rfft2(t, s ?? null, dim, norm),
  irfft2: (t: Tensor, s?: number[], dim = dims2, norm: FftNorm = 'backward'): Tensor => op.irfft2(t, s ?? null, dim, norm),
  fftshift: (t: Tensor, dim?: number[]): Tensor => op.fftshift(t, dim ?? null),
  ifftshift: (t: Tensor, dim?: number[]): Tensor => op.ifftshift(t, dim ?? null),
};

export type { Scalar };
