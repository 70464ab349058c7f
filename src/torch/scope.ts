// Deterministic freeing of native memory.
//
// Every tensor created while a scope is active belongs to it; when the scope's function returns (or its
// promise settles), every tensor it owns is disposed except those in the return value, which move to the
// enclosing scope. The active scope follows async functions across `await` (AsyncLocalStorage), so a
// training step that awaits its data loader is still one scope. Tensors made outside every scope are
// freed by dispose(), `using`, or, as a backstop only, the garbage collector.
import { AsyncLocalStorage } from 'node:async_hooks';
import { native, type Handle } from './native.js';

export interface Owned {
  readonly handle: Handle;
  /** The scope that will dispose it, or null when only dispose() or the garbage collector will. */
  owner: Scope | null;
  dispose(): void;
}

export class Scope {
  readonly owned = new Set<Owned>();
}

const active = new AsyncLocalStorage<Scope>();
// A stale handle is harmless to native.dispose (its generation no longer matches).
const collector = new FinalizationRegistry<Handle>((h) => native.dispose(h));

/** Gives `obj` to the active scope, or to the garbage collector when there is none. */
export function adopt(obj: Owned): void {
  const s = active.getStore();
  if (s) give(obj, s);
  else unscope(obj);
}

function give(obj: Owned, s: Scope): void {
  s.owned.add(obj);
  obj.owner = s;
}

function unscope(obj: Owned): void {
  obj.owner = null;
  collector.register(obj, obj.handle, obj);
}

/** Called by dispose(): neither its scope nor the collector needs to free it any more. */
export function forget(obj: Owned): void {
  if (obj.owner) obj.owner.owned.delete(obj);
  else collector.unregister(obj);
}

function release(s: Scope, result: unknown): void {
  const escaping = new Set<Owned>();
  collectOwned(result, s, escaping, 0);
  const parent = active.getStore();
  for (const obj of s.owned) {
    if (escaping.has(obj)) {
      if (parent) give(obj, parent);
      else unscope(obj);
    } else {
      obj.dispose();
    }
  }
  s.owned.clear();
}

// Finds what a scope's result holds: owned objects, arrays, Maps and plain objects, a few levels deep.
function collectOwned(v: unknown, s: Scope, out: Set<Owned>, depth: number): void {
  if (v === null || typeof v !== 'object' || depth > 8) return;
  if (s.owned.has(v as Owned)) {
    out.add(v as Owned);
    return;
  }
  if (Array.isArray(v)) {
    for (const e of v) collectOwned(e, s, out, depth + 1);
  } else if (v instanceof Map) {
    for (const e of v.values()) collectOwned(e, s, out, depth + 1);
  } else if (Object.getPrototypeOf(v) === Object.prototype) {
    for (const e of Object.values(v)) collectOwned(e, s, out, depth + 1);
  }
}

/**
 * Runs fn in a new scope. Tensors created inside are disposed when it returns, except the ones returned
 * (a tensor, or arrays / plain objects / Maps holding tensors). Works for async functions too.
 */
export function scope<T>(fn: () => T): T {
  const s = new Scope();
  let result: T;
  try {
    result = active.run(s, fn);
  } catch (e) {
    release(s, undefined);
    throw e;
  }
  if (result instanceof Promise) {
    return result.then(
      (r) => { release(s, r); return r; },
      (e) => { release(s, undefined); throw e; },
    ) as T;
  }
  release(s, result);
  return result;
}

/** Takes obj out of its scope: it lives until disposed (module parameters, optimizer state). */
export function keep<T extends Owned>(obj: T): T {
  if (obj.owner) {
    obj.owner.owned.delete(obj);
    unscope(obj);
  }
  return obj;
}
