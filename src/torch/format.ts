// Tensor printing exactly as PyTorch 1.13's default repr (torch/_tensor_str.py): `tensor([[1.0000, 2.0000], ...],
// dtype=..., requires_grad=True)`, 4 decimals, scientific notation when magnitudes span too widely, rows wrapped
// at 80 columns, summarised past 1000 elements.
import type { Tensor } from './tensor.js';
import { scope } from './scope.js';
import { isFloatingPoint, type DType } from './dtype.js';

const PRECISION = 4;
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;
const LINE_WIDTH = 80;

interface Formatter { width: number; format(v: number | bigint): string }

// Python's str.format rounds the exact binary value half to even; toFixed/toExponential round ties away
// from zero (0.03125 -> '0.0312' in Python, '0.0313' in JavaScript). Exact digits show whether v is a tie.
function fixed(v: number, digits: number): string {
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  const a = Math.abs(v);
  const exact = a.toFixed(100);
  const point = exact.indexOf('.');
  const keep = digits > 0 ? point + 1 + digits : point;
  const tie = /^\.?50*$/.test(exact.slice(keep));
  const lastKept = Number(exact[digits > 0 ? keep - 1 : point - 1]);
  return sign + (tie && lastKept % 2 === 0 ? exact.slice(0, keep) : a.toFixed(digits));
}

function scientific(v: number): string {
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  const a = Math.abs(v);
  const [mantissa, exponent] = a.toExponential(100).split('e');
  const digits = mantissa.replace('.', '');
  const tie = /^50*$/.test(digits.slice(PRECISION + 1));
  const s = tie && Number(digits[PRECISION]) % 2 === 0
    ? `${digits[0]}.${digits.slice(1, PRECISION + 1)}e${exponent}` : a.toExponential(PRECISION);
  return sign + s.replace(/e([+-])(\d)$/, 'e$10$2');
}

function floatFormatter(values: number[]): Formatter {
  const nonzeroFinite = values.filter((v) => Number.isFinite(v) && v !== 0);
  let intMode = true;
  let sci = false;
  let width = 1;
  if (nonzeroFinite.length > 0) {
    const abs = nonzeroFinite.map(Math.abs);
    const max = Math.max(...abs);
    const min = Math.min(...abs);
    intMode = nonzeroFinite.every((v) => v === Math.ceil(v));
    sci = max / min > 1000 || max > 1e8 || (!intMode && min < 1e-4);
    const str = sci ? scientific : intMode ? (v: number) => `${fixed(v, 0)}.` : (v: number) => fixed(v, PRECISION);
    width = Math.max(...nonzeroFinite.map((v) => str(v).length));
  }
  return {
    width,
    format(value) {
      const v = Number(value);
      let s: string;
      if (Number.isNaN(v)) s = 'nan';
      else if (!Number.isFinite(v)) s = v > 0 ? 'inf' : '-inf';
      else if (sci) s = scientific(v);
      else if (intMode) s = `${fixed(v, 0)}.`;
      else s = fixed(v, PRECISION);
      return s.padStart(width);
    },
  };
}

function plainFormatter(values: (number | bigint)[], str: (v: number | bigint) => string): Formatter {
  const width = Math.max(1, ...values.map((v) => str(v).length));
  return { width, format: (v) => str(v).padStart(width) };
}

/** The tensor's elements as flat arrays (real and imaginary parts for complex), read from a CPU copy. */
function readData(t: Tensor, dtype: DType): { re: (number | bigint)[]; im: number[] | null } {
  return scope(() => {
    const src = dtype === 'float16' || dtype === 'bfloat16' ? t.to({ dtype: 'float32', device: 'cpu' }) : t.cpu();
    const flat = Array.from(src.toTypedArray() as ArrayLike<number | bigint>);
    if (dtype !== 'complex64' && dtype !== 'complex128') return { re: flat, im: null };
    return { re: flat.filter((_, i) => i % 2 === 0), im: flat.filter((_, i) => i % 2 === 1) as number[] };
  });
}

function indices(n: number, summarise: boolean): number[] {
  if (!summarise || n <= 2 * EDGE_ITEMS) return Array.from({ length: n }, (_, i) => i);
  return [...Array.from({ length: EDGE_ITEMS }, (_, i) => i), -1, ...Array.from({ length: EDGE_ITEMS }, (_, i) => n - EDGE_ITEMS + i)];
}

function tensorBody(shape: number[], dtype: DType, re: (number | bigint)[], im: number[] | null, indent: number): string {
  const summarise = re.length > THRESHOLD;
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  // Formatters see only the elements that are printed, as PyTorch's get_summarized_data.
  const shown: number[] = [];
  const visit = (d: number, off: number): void => {
    if (d === shape.length) { shown.push(off); return; }
    for (const i of indices(shape[d], summarise)) if (i >= 0) visit(d + 1, off + i * strides[d]);
  };
  visit(0, 0);
  const make = (vals: (number | bigint)[]): Formatter => {
    const v = shown.map((o) => vals[o]);
    if (dtype === 'bool') return plainFormatter(v, (x) => (x ? 'True' : 'False'));
    if (!isFloatingPoint(dtype) && im === null) return plainFormatter(v, String);
    return floatFormatter(v.map(Number));
  };
  const f1 = make(re);
  const f2 = im === null ? null : make(im);
  const element = (off: number): string => {
    const r = f1.format(re[off]);
    if (f2 === null || im === null) return r;
    const i = `${f2.format(im[off])}j`.trimStart();
    return i[0] === '+' || i[0] === '-' ? r + i : `${r}+${i}`;
  };
  const elementLength = f1.width + 2 + (f2 === null ? 0 : f2.width + 1);
  const render = (d: number, off: number, ind: number): string => {
    const idx = indices(shape[d], summarise);
    if (d === shape.length - 1) {
      const items = idx.map((i) => (i < 0 ? ' ...' : element(off + i)));
      const perLine = Math.max(1, Math.floor((LINE_WIDTH - ind) / elementLength));
      const lines: string[] = [];
      for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
      return `[${lines.join(`,\n${' '.repeat(ind + 1)}`)}]`;
    }
    const parts = idx.map((i) => (i < 0 ? '...' : render(d + 1, off + i * strides[d], ind + 1)));
    return `[${parts.join(`,${'\n'.repeat(shape.length - 1 - d)}${' '.repeat(ind + 1)}`)}]`;
  };
  return shape.length === 0 ? element(0) : render(0, 0, indent);
}

// Suffixes go on the last line while it stays within 80 columns, else on a new line (PyTorch's _add_suffixes).
function addSuffixes(body: string, suffixes: string[], indent: number): string {
  let out = body;
  let lastLineLength = body.length - body.lastIndexOf('\n') + 1;
  for (const s of suffixes) {
    if (lastLineLength + s.length + 2 > LINE_WIDTH) {
      out += `,\n${' '.repeat(indent)}${s}`;
      lastLineLength = indent + s.length;
    } else {
      out += `, ${s}`;
      lastLineLength += s.length + 2;
    }
  }
  return `${out})`;
}

export function formatTensor(t: Tensor): string {
  if (t.isDisposed) return 'tensor(<disposed>)';
  const prefix = 'tensor(';
  const shape = t.shape;
  const dtype = t.dtype;
  const numel = shape.reduce((a, b) => a * b, 1);
  const suffixes: string[] = [];
  if (t.device !== 'cpu') suffixes.push(`device='${t.device}'`);
  let body: string;
  if (numel === 0) {
    body = '[]';
    if (shape.length !== 1) suffixes.push(`size=(${shape.join(', ')})`);
    if (dtype !== 'float32') suffixes.push(`dtype=torch.${dtype}`);
  } else {
    if (!['float32', 'int64', 'bool', 'complex64'].includes(dtype)) suffixes.push(`dtype=torch.${dtype}`);
    const { re, im } = readData(t, dtype);
    body = tensorBody(shape, dtype, re, im, prefix.length);
  }
  const gradFn = t.gradFn;
  if (gradFn) suffixes.push(`grad_fn=<${gradFn}>`);
  else if (t.requiresGrad) suffixes.push('requires_grad=True');
  return addSuffixes(prefix + body, suffixes, prefix.length);
}
