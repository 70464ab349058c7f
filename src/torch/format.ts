// Tensor printing in PyTorch's default style: `tensor([[1.0000, 2.0000], ...], dtype=..., requires_grad=True)`,
// 4 decimals, scientific notation when magnitudes span too widely, summarised past 1000 elements.
import type { Tensor } from './tensor.js';
import { isFloatingPoint, type DType } from './dtype.js';

const PRECISION = 4;
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;

function elementFormatter(values: number[], dtype: DType): (v: number) => string {
  if (dtype === 'bool') return (v) => (v ? 'True' : 'False');
  if (!isFloatingPoint(dtype)) {
    const width = Math.max(...values.map((v) => String(v).length), 1);
    return (v) => String(v).padStart(width);
  }
  const finite = values.filter((v) => Number.isFinite(v));
  const special = (v: number) => (Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf');
  const abs = finite.map(Math.abs).filter((v) => v !== 0);
  const allInts = finite.every((v) => Number.isInteger(v));
  const maxA = abs.length ? Math.max(...abs) : 0;
  const minA = abs.length ? Math.min(...abs) : 0;
  let fmt: (v: number) => string;
  if (allInts && maxA < 1e8) {
    fmt = (v) => `${v.toFixed(0)}.`;
  } else if (maxA / minA > 1000 || maxA > 1e8 || minA < 1e-4) {
    fmt = (v) => v.toExponential(PRECISION).replace(/e([+-])(\d)$/, 'e$10$2');
  } else {
    fmt = (v) => v.toFixed(PRECISION);
  }
  const strs = values.map((v) => (Number.isFinite(v) ? fmt(v) : special(v)));
  const width = Math.max(...strs.map((s) => s.length), 1);
  return (v) => (Number.isFinite(v) ? fmt(v) : special(v)).padStart(width);
}

export function formatTensor(t: Tensor): string {
  if (t.isDisposed) return 'tensor(<disposed>)';
  const shape = t.shape;
  const dtype = t.dtype;
  const data = Array.from(t.cpu().toTypedArray() as ArrayLike<number | bigint>, Number);
  const summarise = data.length > THRESHOLD;
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const shown: number[] = [];
  const visit = (d: number, off: number) => {
    if (d === shape.length) { shown.push(data[off]); return; }
    for (const i of indices(shape[d], summarise)) if (i >= 0) visit(d + 1, off + i * strides[d]);
  };
  visit(0, 0);
  const f = elementFormatter(shown, dtype);
  const render = (d: number, off: number, indent: number): string => {
    if (d === shape.length) return f(data[off]);
    const parts = indices(shape[d], summarise).map((i) => (i < 0 ? '...' : render(d + 1, off + i * strides[d], indent + 1)));
    const sep = d === shape.length - 1 ? ', ' : ',' + '\n'.repeat(shape.length - 1 - d) + ' '.repeat(indent + 1);
    return `[${parts.join(sep)}]`;
  };
  const body = shape.length === 0 ? f(data[0]) : render(0, 0, 7);
  const extras: string[] = [];
  if (t.device !== 'cpu') extras.push(`device='${t.device}'`);
  if (dtype !== 'float32' && dtype !== 'int64' && dtype !== 'bool') extras.push(`dtype=torch.${dtype}`);
  if (data.length === 0 && dtype !== 'float32') extras.push(`size=(${shape.join(', ')})`);
  if (t.requiresGrad) extras.push(t.gradFn ? `grad_fn=<${t.gradFn}>` : 'requires_grad=True');
  return `tensor(${body}${extras.map((e) => `, ${e}`).join('')})`;
}

function indices(n: number, summarise: boolean): number[] {
  if (!summarise || n <= 2 * EDGE_ITEMS) return Array.from({ length: n }, (_, i) => i);
  return [...Array.from({ length: EDGE_ITEMS }, (_, i) => i), -1, ...Array.from({ length: EDGE_ITEMS }, (_, i) => n - EDGE_ITEMS + i)];
}
