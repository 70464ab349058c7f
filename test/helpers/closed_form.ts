// Deterministic tensors from a closed form keyed by name: the TypeScript twin of scripts/fixtures/closed_form.py
// (see there for the formula), so tests rebuild the inputs and weights a golden was computed from.
import * as torch from '../../src/torch/index.js';

function fnv1a32(name: string): number {
  let h = 0x811c9dc5;
  for (const c of Buffer.from(name, 'utf8')) h = Math.imul(h ^ c, 0x01000193) >>> 0;
  return h;
}

// [scale, offset] for a state-dict key of the given shape.
function role(key: string, shape: readonly number[]): [number, number] {
  const leaf = key.slice(key.lastIndexOf('.') + 1);
  if (leaf === 'running_var') return [0.5, 1];
  if (leaf === 'running_mean' || leaf === 'bias') return [0.1, 0];
  if (leaf === 'weight' && shape.length >= 2) return [Math.sqrt(3 / shape.slice(1).reduce((a, b) => a * b, 1)), 0];
  if (leaf === 'weight') return [0.2, 1];
  return [1, 0];
}

/** The tensor closed_form(key, shape, dtype) of the Python helper (integer tensors are zeros). */
export function closedForm(key: string, shape: readonly number[], dtype: torch.DType = 'float32'): torch.Tensor {
  if (!torch.isFloatingPoint(dtype)) return torch.zeros(shape, { dtype });
  const [scale, offset] = role(key, shape);
  const u = fnv1a32(key) / 2 ** 32;
  const f = 0.3 + 0.4 * u;
  const phase = 2 * Math.PI * u;
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = scale * Math.sin(i * f + phase) + offset;
  return torch.tensor(values, { shape: [...shape] }).to(dtype);
}

/** closedForm for every entry of a module's state dict (shapes and dtypes taken from it). */
export function closedFormStateDict(stateDict: Record<string, torch.Tensor>): Record<string, torch.Tensor> {
  return Object.fromEntries(Object.entries(stateDict).map(([k, t]) => [k, closedForm(k, t.shape, t.dtype)]));
}
