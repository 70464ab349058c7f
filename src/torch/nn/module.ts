// torch.nn.Module: registered parameters, buffers and child modules under PyTorch's names, so that dotted
// parameter names and state-dict keys are exactly PyTorch's and checkpoints move between the two.
import { noGrad } from '../autograd.js';
import { isFloatingPoint, type DType } from '../dtype.js';
import { keep } from '../scope.js';
import { aten, Tensor } from '../tensor.js';

// Tensor.set_data (what `param.data = x` does): the same Tensor object then holds x's storage, dtype and device.
const setData = aten<void>('aten::set_data');

export interface ModuleToOptions { dtype?: DType; device?: string }
export interface LoadStateDictResult { missingKeys: string[]; unexpectedKeys: string[] }

/** A module whose forward maps one tensor to one tensor: what Sequential chains. */
export type Layer = Module & { forward(input: Tensor): Tensor };

export abstract class Module {
  /** Whether the module is in training mode (dropout active, batch statistics); set with train() / eval(). */
  training = true;
  // Registration order is PyTorch's order of named_parameters() and state-dict keys.
  readonly #parameters = new Map<string, Tensor | null>();
  readonly #buffers = new Map<string, Tensor | null>();
  readonly #modules = new Map<string, Module>();

  // ---- registration ----
  /** Registers a learnable tensor: it leaves the active scope and requires grad. null reserves the name (bias=False). */
  registerParameter<T extends Tensor | null>(name: string, value: T): T {
    this.checkName(name, this.#parameters);
    if (value !== null) {
      keep(value);
      if (!value.requiresGrad) value.requiresGrad_(true);
    }
    this.#parameters.set(name, value);
    return value;
  }

  /** Registers state that is saved in the state dict but not learned (BatchNorm's running statistics). */
  registerBuffer<T extends Tensor | null>(name: string, value: T): T {
    this.checkName(name, this.#buffers);
    if (value !== null) keep(value);
    this.#buffers.set(name, value);
    return value;
  }

  /** Registers a child module; registering a name again replaces the child in place. */
  registerModule<M extends Module>(name: string, module: M): M {
    this.checkName(name, this.#modules);
    this.#modules.set(name, module);
    return module;
  }

  private checkName(name: string, own: Map<string, unknown>): void {
    if (name === '' || name.includes('.')) throw new Error(`module name can't be empty or contain ".", got '${name}'`);
    for (const m of [this.#parameters, this.#buffers, this.#modules]) {
      if (m !== own && m.has(name)) throw new Error(`attribute '${name}' already exists in ${this.constructor.name}`);
    }
  }

  /** This module's own parameter (not a child's); null when registered as null. */
  protected ownParameter(name: string): Tensor | null {
    const p = this.#parameters.get(name);
    if (p === undefined) throw new Error(`${this.constructor.name} has no parameter '${name}'`);
    return p;
  }

  protected ownBuffer(name: string): Tensor | null {
    const b = this.#buffers.get(name);
    if (b === undefined) throw new Error(`${this.constructor.name} has no buffer '${name}'`);
    return b;
  }

  /** The module at a dotted path such as 'layer1.0.conv1' ('' is this module). */
  getSubmodule(target: string): Module {
    let m: Module = this;
    for (const part of target === '' ? [] : target.split('.')) {
      const child = m.#modules.get(part);
      if (child === undefined) throw new Error(`${m.constructor.name} has no submodule '${part}' (looking up '${target}')`);
      m = child;
    }
    return m;
  }

  // ---- traversal ----
  /** Direct children in registration order, as [name, module]. */
  namedChildren(): [string, Module][] { return [...this.#modules]; }
  children(): Module[] { return [...this.#modules.values()]; }

  /** This module and every descendant once each (pre-order), with dotted names; this module is ''. */
  namedModules(prefix = ''): [string, Module][] {
    const seen = new Set<Module>();
    return this.walk(prefix).filter(([, m]) => {
      if (seen.has(m)) return false;
      seen.add(m);
      return true;
    });
  }
  modules(): Module[] { return this.namedModules().map(([, m]) => m); }

  // Pre-order over the module tree without removing shared modules, as state_dict visits it.
  private walk(prefix: string): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, child] of this.#modules) out.push(...child.walk(prefix === '' ? name : `${prefix}.${name}`));
    return out;
  }

  private namedTensors(kind: 'parameters' | 'buffers', recurse: boolean): [string, Tensor][] {
    const seen = new Set<Tensor>();
    const out: [string, Tensor][] = [];
    for (const [prefix, m] of recurse ? this.namedModules() : [['', this] as [string, Module]]) {
      for (const [name, t] of kind === 'parameters' ? m.#parameters : m.#buffers) {
        if (t === null || seen.has(t)) continue;
        seen.add(t);
        out.push([prefix === '' ? name : `${prefix}.${name}`, t]);
      }
    }
    return out;
  }

  /** Parameters with PyTorch's dotted names ('layer1.0.bn1.weight'), each shared tensor once. */
  namedParameters(recurse = true): [string, Tensor][] { return this.namedTensors('parameters', recurse); }
  parameters(recurse = true): Tensor[] { return this.namedParameters(recurse).map(([, t]) => t); }
  namedBuffers(recurse = true): [string, Tensor][] { return this.namedTensors('buffers', recurse); }
  buffers(recurse = true): Tensor[] { return this.namedBuffers(recurse).map(([, t]) => t); }

  // ---- modes ----
  /** Sets training mode on this module and all descendants. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }
  eval(): this { return this.train(false); }

  /** Clears gradients: to null (PyTorch 2's default) or, with setToNone=false, to zeros. */
  zeroGrad(setToNone = true): void {
    for (const p of this.parameters()) {
      if (setToNone) {
        p.grad = null;
        continue;
      }
      const g = p.grad;
      if (g === null) continue;
      noGrad(() => g.detach_().zero_());
      g.dispose();
    }
  }

  /**
   * Moves parameters, buffers and their gradients to a device and/or floating dtype, in place: the Tensor
   * objects stay the same, so references held elsewhere (an optimizer's) still see them. Integer buffers
   * (num_batches_tracked) keep their dtype, as in PyTorch.
   */
  to(target: DType | string | ModuleToOptions): this {
    const o: ModuleToOptions = typeof target !== 'string' ? target
      : isFloatingPoint(target as DType) ? { dtype: target as DType } : { device: target };
    if (o.dtype !== undefined && !isFloatingPoint(o.dtype)) {
      throw new Error(`Module.to only accepts floating point dtypes, got '${o.dtype}'`);
    }
    const convert = (t: Tensor): void => {
      const dtype = o.dtype !== undefined && isFloatingPoint(t.dtype) ? o.dtype : t.dtype;
      if (dtype === t.dtype && (o.device === undefined || o.device === t.device)) return;
      const moved = t.to({ dtype, device: o.device });
      setData(t, moved);
      moved.dispose();
    };
    noGrad(() => {
      for (const m of this.modules()) {
        for (const p of m.#parameters.values()) {
          if (p === null) continue;
          convert(p);
          const g = p.grad;
          if (g !== null) {
            convert(g);
            g.dispose();
          }
        }
        for (const b of m.#buffers.values()) if (b !== null) convert(b);
      }
    });
    return this;
  }

  // ---- state dict ----
  // Every saved tensor under its state-dict key; shared tensors appear under each name, as in PyTorch.
  private stateEntries(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [prefix, m] of this.walk('')) {
      for (const table of [m.#parameters, m.#buffers]) {
        for (const [name, t] of table) if (t !== null) out.push([prefix === '' ? name : `${prefix}.${name}`, t]);
      }
    }
    return out;
  }

  /** torch's state_dict(): detached tensors sharing memory with the module, keyed exactly as PyTorch keys them. */
  stateDict(): Record<string, Tensor> {
    return Object.fromEntries(this.stateEntries().map(([k, t]) => [k, t.detach()]));
  }

  /**
   * Copies a state dict into the module's own tensors (in place, converting dtype and device). With strict,
   * missing or unexpected keys are errors; a shape mismatch always is. Nothing is copied when it throws.
   */
  loadStateDict(stateDict: Record<string, Tensor>, strict = true): LoadStateDictResult {
    const own = this.stateEntries();
    const ownKeys = new Set(own.map(([k]) => k));
    const missingKeys = own.map(([k]) => k).filter((k) => !Object.hasOwn(stateDict, k));
    const unexpectedKeys = Object.keys(stateDict).filter((k) => !ownKeys.has(k));
    const errors: string[] = [];
    if (strict && missingKeys.length > 0) errors.push(`Missing key(s) in state_dict: ${quoteList(missingKeys)}.`);
    if (strict && unexpectedKeys.length > 0) errors.push(`Unexpected key(s) in state_dict: ${quoteList(unexpectedKeys)}.`);
    for (const [k, t] of own) {
      const src = stateDict[k];
      if (src === undefined) continue;
      if (!(src instanceof Tensor)) {
        errors.push(`While copying the parameter named "${k}", expected a Tensor from the checkpoint but got ${typeof src}.`);
      } else if (!sameShape(src.shape, t.shape)) {
        errors.push(`size mismatch for ${k}: copying a param with shape [${src.shape}] from checkpoint, `
          + `the shape in current model is [${t.shape}].`);
      }
    }
    if (errors.length > 0) throw new Error(`Error(s) in loading state_dict for ${this.constructor.name}:\n\t${errors.join('\n\t')}`);
    noGrad(() => {
      for (const [k, t] of own) if (Object.hasOwn(stateDict, k)) t.copy_(stateDict[k]);
    });
    return { missingKeys, unexpectedKeys };
  }
}

const quoteList = (keys: string[]): string => keys.map((k) => `"${k}"`).join(', ');
const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);
