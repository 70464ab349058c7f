// Batching without torch: stack() joins samples into one typed array per field, so a worker does it and
// transfers the result, and the calling thread makes each array a tensor with a single copy.
import { isArrayField, type ArrayField, type Sample, type TypedArray } from './dataset.js';

export type Stacked = Record<string, ArrayField | string[] | number[]>;

type ArrayCtor = { new (n: number): TypedArray; name: string };

export function stack(samples: readonly Sample[]): Stacked {
  if (samples.length === 0) throw new Error('Cannot collate an empty batch');
  const keys = Object.keys(samples[0]);
  const out: Stacked = {};
  for (const [i, s] of samples.entries()) {
    const k = Object.keys(s);
    if (k.length !== keys.length || k.some((x) => !(x in samples[0]))) {
      throw new Error(`Cannot collate: sample ${i} has fields [${k}], sample 0 has [${keys}]`);
    }
  }
  for (const key of keys) {
    const first = samples[0][key];
    if (typeof first === 'string' || typeof first === 'number') {
      out[key] = samples.map((s, i) => {
        if (typeof s[key] !== typeof first) throw new Error(`Cannot collate field '${key}': sample ${i} is not a ${typeof first}`);
        return s[key];
      }) as string[] | number[];
      continue;
    }
    const ctor = first.data.constructor as ArrayCtor;
    const n = first.data.length;
    const data = new ctor(n * samples.length);
    for (const [i, s] of samples.entries()) {
      const f = s[key];
      if (!isArrayField(f) || f.data.constructor !== ctor || !sameShape(f.shape, first.shape)) {
        const got = isArrayField(f) ? `${f.data.constructor.name} [${f.shape}]` : typeof f;
        throw new Error(`Cannot collate field '${key}': sample ${i} is ${got}, sample 0 is ${ctor.name} [${first.shape}]`);
      }
      (data as Uint8Array).set(f.data as Uint8Array, i * n);
    }
    out[key] = { data, shape: [samples.length, ...first.shape] };
  }
  return out;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The buffers of a stacked batch: stack() allocated each one, so they can be transferred, not copied. */
export function transferables(b: Stacked): ArrayBuffer[] {
  return Object.values(b).flatMap((f) => (Array.isArray(f) ? [] : [f.data.buffer as ArrayBuffer]));
}
