// Sequential, ModuleList and ModuleDict (torch.nn.*): children named '0', '1', ... or by key, as in PyTorch.
import type { Tensor } from '../tensor.js';
import { Module, type Layer } from './module.js';

// Python-style index (negative counts from the end) checked against length.
function normIndex(i: number, length: number, what: string): number {
  const j = i < 0 ? i + length : i;
  if (!Number.isInteger(j) || j < 0 || j >= length) throw new RangeError(`${what}: index ${i} is out of range (length ${length})`);
  return j;
}

/** An indexed list of child modules; the base of Sequential. */
export class ModuleList<M extends Module = Module> extends Module {
  readonly #items: M[] = [];

  constructor(modules: Iterable<M> = []) {
    super();
    for (const m of modules) this.append(m);
  }

  append(module: M): this {
    this.registerModule(String(this.#items.length), module);
    this.#items.push(module);
    return this;
  }
  at(index: number): M { return this.#items[normIndex(index, this.#items.length, this.constructor.name)]; }
  get length(): number { return this.#items.length; }
  [Symbol.iterator](): Iterator<M> { return this.#items[Symbol.iterator](); }
}

/** Chains layers: forward(x) = last(...second(first(x))). */
export class Sequential extends ModuleList<Layer> {
  constructor(...layers: Layer[]) { super(layers); }

  forward(input: Tensor): Tensor {
    let x = input;
    for (const layer of this) x = layer.forward(x);
    return x;
  }
}

/** Child modules by name, in insertion order. */
export class ModuleDict<M extends Module = Module> extends Module {
  readonly #items = new Map<string, M>();

  constructor(modules: Record<string, M> = {}) {
    super();
    for (const [k, m] of Object.entries(modules)) this.set(k, m);
  }

  set(key: string, module: M): this {
    this.registerModule(key, module);
    this.#items.set(key, module);
    return this;
  }
  get(key: string): M {
    const m = this.#items.get(key);
    if (m === undefined) throw new Error(`ModuleDict has no key '${key}' (keys: ${[...this.#items.keys()].join(', ')})`);
    return m;
  }
  has(key: string): boolean { return this.#items.has(key); }
  keys(): string[] { return [...this.#items.keys()]; }
  values(): M[] { return [...this.#items.values()]; }
  entries(): [string, M][] { return [...this.#items]; }
  get size(): number { return this.#items.size; }
}
