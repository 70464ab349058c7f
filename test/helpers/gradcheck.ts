// gradcheck: autograd's gradients against central finite differences in float64, as torch.autograd.gradcheck.
import assert from 'node:assert/strict';
import * as torch from '../../src/torch/index.js';
import type { Tensor } from '../../src/torch/index.js';

export interface GradcheckOptions {
  /** Indices of the inputs to differentiate; default every float64 input. */
  wrt?: number[];
  eps?: number;
  atol?: number;
  rtol?: number;
}

type Fn = (...inputs: Tensor[]) => Tensor | Tensor[];

// A fixed, uneven weighting of each output element, so the scalar checked, sum(w * f(x)), sees every element
// of the Jacobian with a different factor (a plain sum would hide errors that cancel out).
function projection(shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const w = Float64Array.from({ length: n }, (_, i) => ((i * 7 + 3) % 11) / 11 - 0.4);
  return torch.tensor(w, { shape });
}

function floatOutputs(res: Tensor | Tensor[]): Tensor[] {
  const outs = (Array.isArray(res) ? res : [res]).filter((t) => t.dtype === 'float64');
  assert.ok(outs.length > 0, 'gradcheck: the function has no float64 output');
  return outs;
}

/**
 * Throws an AssertionError unless, for every input in `wrt`, the autograd gradient of sum(w * fn(inputs)) matches
 * (f(x + eps e_j) - f(x - eps e_j)) / 2 eps within atol + rtol |numeric| at every element.
 */
export function gradcheck(fn: Fn, inputs: Tensor[], o: GradcheckOptions = {}): void {
  const eps = o.eps ?? 1e-6;
  const atol = o.atol ?? 1e-5;
  const rtol = o.rtol ?? 1e-4;
  torch.scope(() => {
    const wrt = o.wrt ?? inputs.flatMap((t, i) => (t.dtype === 'float64' ? [i] : []));
    for (const i of wrt) assert.equal(inputs[i].dtype, 'float64', `gradcheck: input ${i} must be float64`);
    const weights = floatOutputs(torch.noGrad(() => fn(...inputs))).map((t) => projection(t.shape));
    const objective = (xs: Tensor[]) => floatOutputs(fn(...xs))
      .map((t, k) => t.mul(weights[k]).sum())
      .reduce((a, b) => a.add(b));

    const leaves = inputs.map((t, i) => (wrt.includes(i) ? t.detach().requiresGrad_() : t));
    const analytic = torch.autograd.grad(objective(leaves), wrt.map((i) => leaves[i]), { allowUnused: true });

    wrt.forEach((i, w) => {
      const base = Float64Array.from(inputs[i].toTypedArray() as Float64Array);
      const shape = inputs[i].shape;
      const at = (j: number, delta: number) => torch.scope(() => {
        const x = base.slice();
        x[j] += delta;
        const xs = inputs.map((t, k) => (k === i ? torch.tensor(x, { shape }) : t));
        return torch.noGrad(() => objective(xs).item());
      });
      const g = analytic[w];
      const got = g === null ? new Float64Array(base.length) : (g.toTypedArray() as Float64Array);
      for (let j = 0; j < base.length; j++) {
        const numeric = (at(j, eps) - at(j, -eps)) / (2 * eps);
        if (!(Math.abs(got[j] - numeric) <= atol + rtol * Math.abs(numeric))) {
          assert.fail(`gradcheck: input ${i}, element ${j}: autograd ${got[j]}, finite differences ${numeric}`);
        }
      }
    });
  });
}
