// torch.optim.Optimizer: parameter groups, per-parameter state, zeroGrad, and PyTorch-layout state dicts.
import { Tensor } from '../tensor.js';
import { isFloatingPoint } from '../dtype.js';
import { noGrad } from '../autograd.js';
import { keep, scope } from '../scope.js';

/** Options every optimizer has; schedulers change `lr` (and record `initialLr`) on each group. */
export interface BaseOptions {
  lr: number;
  initialLr?: number;
}

/** A parameter group: its parameters and its own copy of every option. */
export type ParamGroup<O extends BaseOptions> = O & { params: Tensor[] };

/** Parameters, or groups of them with options overriding the optimizer's defaults. */
export type ParamsArg<O extends BaseOptions> = Tensor[] | (Partial<O> & { params: Tensor[] })[];

/** One parameter's state, with PyTorch's key names (momentum_buffer, exp_avg, step, ...). */
export type ParamState = Record<string, Tensor | number>;

/** PyTorch's optimizer.state_dict() layout: parameters are numbered in group order, keys are snake_case. */
export interface OptimizerStateDict {
  state: Record<number, ParamState>;
  param_groups: (Record<string, unknown> & { params: number[] })[];
}

const toSnake = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const toCamel = (k: string): string => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

export abstract class Optimizer<O extends BaseOptions> {
  readonly defaults: O;
  readonly paramGroups: ParamGroup<O>[] = [];
  /** State per parameter; its tensors are kept out of scopes and owned by the optimizer. */
  readonly state = new Map<Tensor, ParamState>();

  constructor(params: ParamsArg<O>, defaults: O) {
    this.defaults = defaults;
    if (params.length === 0) throw new Error(`${this.constructor.name}: got an empty parameter list`);
    const groups = params[0] instanceof Tensor ? [{ params: params as Tensor[] } as Partial<O> & { params: Tensor[] }]
      : (params as (Partial<O> & { params: Tensor[] })[]);
    for (const g of groups) this.addParamGroup(g);
  }

  /** Adds a group; options it leaves out take the optimizer's defaults. */
  addParamGroup(group: Partial<O> & { params: Tensor[] }): void {
    const seen = new Set(this.paramGroups.flatMap((g) => g.params));
    for (const p of group.params) {
      if (!(p instanceof Tensor)) throw new TypeError(`${this.constructor.name}: parameters must be Tensors`);
      if (!p.isLeaf) throw new Error(`${this.constructor.name}: can't optimize a non-leaf Tensor`);
      if (seen.has(p)) throw new Error(`${this.constructor.name}: a parameter appears in more than one group`);
      seen.add(p);
    }
    const merged = { ...this.defaults, ...group, params: [...group.params] } as ParamGroup<O>;
    this.validate(merged);
    this.paramGroups.push(merged);
  }

  /** Clears the gradients: drops them (setToNone, the default as in PyTorch 2) or zeroes them in place. */
  zeroGrad(setToNone = true): void {
    scope(() => {
      for (const g of this.paramGroups) {
        for (const p of g.params) {
          if (setToNone) {
            p.grad = null;
            continue;
          }
          const grad = p.grad;
          if (grad === null) continue;
          if (grad.gradFn !== null) grad.detach_();
          else grad.requiresGrad_(false);
          grad.zero_();
        }
      }
    });
  }

  /** One update of every parameter that has a gradient; parameters without one are skipped. */
  step(): void {
    noGrad(() => scope(() => {
      for (const group of this.paramGroups) {
        for (const p of group.params) {
          const grad = p.grad;
          if (grad === null) continue;
          let st = this.state.get(p);
          if (st === undefined) {
            st = {};
            this.state.set(p, st);
          }
          this.update(p, grad, group, st);
          for (const v of Object.values(st)) if (v instanceof Tensor) keep(v);
        }
      }
    }));
  }

  /** Updates p in place from grad (no autograd, inside a scope: new state tensors are kept by step()). */
  protected abstract update(p: Tensor, grad: Tensor, group: ParamGroup<O>, state: ParamState): void;

  /** Checks a group's options (throws a clear Error). */
  protected validate(group: ParamGroup<O>): void {
    if (!(group.lr >= 0)) throw new RangeError(`${this.constructor.name}: invalid learning rate ${group.lr}`);
  }

  /** The optimizer's state in PyTorch's layout. State tensors are the live buffers, not copies (as in PyTorch). */
  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((g) => {
      const packed: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(g)) if (k !== 'params') packed[toSnake(k)] = Array.isArray(v) ? [...v] : v;
      return { ...packed, params: g.params.map((p) => { index.set(p, index.size); return index.size - 1; }) };
    });
    const state: Record<number, ParamState> = {};
    for (const [p, st] of this.state) state[index.get(p)!] = { ...st };
    return { state, param_groups: paramGroups };
  }

  /**
   * Restores a state dict from stateDict() (or PyTorch's, converted): group options, and copies of the state
   * tensors cast to each parameter's dtype and device (`step` may be a number or a one-element tensor).
   */
  loadStateDict(sd: OptimizerStateDict): void {
    const name = this.constructor.name;
    if (sd.param_groups.length !== this.paramGroups.length) {
      throw new Error(`${name}.loadStateDict: ${sd.param_groups.length} parameter groups saved, optimizer has ${this.paramGroups.length}`);
    }
    const byIndex = new Map<number, Tensor>();
    sd.param_groups.forEach((saved, i) => {
      const params = this.paramGroups[i].params;
      if (saved.params.length !== params.length) {
        throw new Error(`${name}.loadStateDict: group ${i} has ${saved.params.length} parameters saved, ${params.length} here`);
      }
      saved.params.forEach((idx, j) => byIndex.set(idx, params[j]));
    });
    const state = new Map<Tensor, ParamState>();
    for (const [key, saved] of Object.entries(sd.state)) {
      const p = byIndex.get(Number(key));
      if (p === undefined) throw new Error(`${name}.loadStateDict: state for parameter ${key}, which no group lists`);
      state.set(p, castState(p, saved));
    }
    sd.param_groups.forEach((saved, i) => {
      const group = this.paramGroups[i] as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(saved)) if (k !== 'params') group[toCamel(k)] = Array.isArray(v) ? [...v] : v;
    });
    this.disposeState();
    for (const [p, st] of state) this.state.set(p, st);
  }

  private disposeState(): void {
    for (const st of this.state.values()) for (const v of Object.values(st)) if (v instanceof Tensor) v.dispose();
    this.state.clear();
  }
}

// As PyTorch: floating-point state follows the parameter's dtype, everything moves to its device.
function castState(p: Tensor, saved: ParamState): ParamState {
  return noGrad(() => scope(() => {
    const out: ParamState = {};
    for (const [k, v] of Object.entries(saved)) {
      if (!(v instanceof Tensor)) out[k] = v;
      else if (k === 'step') out[k] = v.item();
      else out[k] = keep(v.to({ dtype: isFloatingPoint(v.dtype) ? p.dtype : v.dtype, device: p.device, copy: true }));
    }
    return out;
  }));
}
