// torch.autograd: grad, backward, and grad-mode control.
import { native } from './native.js';
import { Tensor } from './tensor.js';

export interface GradOptions {
  gradOutputs?: (Tensor | null)[];
  retainGraph?: boolean;
  createGraph?: boolean;
  allowUnused?: boolean;
}

/** torch.autograd.grad: gradients of outputs with respect to inputs (null for unused inputs if allowed). */
export function grad(outputs: Tensor | Tensor[], inputs: Tensor | Tensor[], opts: GradOptions = {}): (Tensor | null)[] {
  const outs = Array.isArray(outputs) ? outputs : [outputs];
  const ins = Array.isArray(inputs) ? inputs : [inputs];
  const res = native.grad(outs.map((t) => t.handle), ins.map((t) => t.handle),
    opts.gradOutputs ? opts.gradOutputs.map((g) => (g ? g.handle : null)) : null, opts.retainGraph,
    opts.createGraph ?? false, opts.allowUnused ?? false);
  return res.map((h) => (h === null ? null : new Tensor(h)));
}

/** torch.autograd.backward over several tensors at once. */
export function backward(tensors: Tensor[], gradTensors?: (Tensor | null)[], opts: { retainGraph?: boolean; createGraph?: boolean } = {}): void {
  native.backward(tensors.map((t) => t.handle), gradTensors ? gradTensors.map((g) => (g ? g.handle : null)) : null,
    opts.retainGraph, opts.createGraph ?? false, undefined);
}

function withGradMode<T>(enabled: boolean, fn: () => T): T {
  const previous = native.setGradEnabled(enabled);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    native.setGradEnabled(previous);
    throw e;
  }
  // Grad mode is per thread, not per async context: an async fn keeps the mode until it settles, so
  // unrelated work interleaved at its awaits sees it too. Prefer synchronous bodies.
  if (result instanceof Promise) {
    return result.finally(() => native.setGradEnabled(previous)) as T;
  }
  native.setGradEnabled(previous);
  return result;
}

/** torch.no_grad(): runs fn without recording operations for autograd. */
export function noGrad<T>(fn: () => T): T { return withGradMode(false, fn); }
/** torch.enable_grad() */
export function enableGrad<T>(fn: () => T): T { return withGradMode(true, fn); }
export function isGradEnabled(): boolean { return native.isGradEnabled(); }
export function setGradEnabled(enabled: boolean): void { native.setGradEnabled(enabled); }
