// What a dataset is to the loader. Datasets and their samples are plain data and typed arrays, never tensors,
// so a worker thread can rebuild a dataset from its spec and run it without loading libtorch.
import type { Rng } from './random.js';

/** The typed arrays torch.tensor() accepts, so every array field can become a tensor without conversion. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Int16Array | Int8Array | Uint8Array | BigInt64Array;

export interface ArrayField { data: TypedArray; shape: number[] }
export type Field = ArrayField | string | number;
export type Sample = Record<string, Field>;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** How to rebuild a dataset in another thread: `new (await import(module))[name](options)`. */
export interface DatasetSpec { module: string; name: string; options: Json }

export interface Dataset {
  readonly length: number;
  /** Sample `index`; every random choice (augmentation) comes from `rng`. */
  get(index: number, rng: Rng): Promise<Sample>;
  spec(): DatasetSpec;
}

export function isArrayField(f: Field): f is ArrayField {
  return typeof f === 'object' && f !== null && ArrayBuffer.isView(f.data);
}

export async function loadDataset(spec: DatasetSpec): Promise<Dataset> {
  const mod = (await import(spec.module)) as Record<string, unknown>;
  const ctor = mod[spec.name];
  if (typeof ctor !== 'function') throw new Error(`Dataset module ${spec.module} has no exported class ${spec.name}`);
  return new (ctor as new (options: Json) => Dataset)(spec.options);
}
