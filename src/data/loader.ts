// DataLoader: batches of a Dataset as tensors, endless (next) or one epoch at a time (epoch), with a resumable
// position. Batch content depends only on (seed, epoch, sample index): workers change speed, never data.
import * as torch from '../torch/index.js';
import type { Stacked } from './collate.js';
import { loadDataset, type Dataset, type DatasetSpec } from './dataset.js';
import { fetchBatch } from './fetch.js';
import { WorkerPool } from './pool.js';
import { BatchSampler } from './sampler.js';

export type Batch = Record<string, torch.Tensor | string[] | number[]>;

export interface DataLoaderOptions {
  batchSize: number;
  shuffle?: boolean;
  /** Seed of the shuffle and of every sample's augmentation stream (default 0). */
  seed?: number;
  dropLast?: boolean;
  /** Worker threads; 0 loads in the calling thread (default). */
  numWorkers?: number;
  /** Batches requested ahead per worker (default 2, as PyTorch's prefetch_factor). */
  prefetch?: number;
}

export interface LoaderState { epoch: number; batch: number }

export class DataLoader {
  private dataset: Dataset | null = null;
  private sampler: BatchSampler | null = null;
  private readonly opened: Promise<void>;
  private readonly pool: WorkerPool | null;
  private readonly depth: number;
  private readonly seed: number;
  private pos: LoaderState = { epoch: 0, batch: 0 };
  /** Requested batches by position key; a position is requested at most once. */
  private readonly inflight = new Map<string, Promise<Stacked>>();
  private closed = false;
  private queue: Promise<unknown> = Promise.resolve();

  /** From a Dataset (ready at once), or from its spec (then await ready() before reading `length`). */
  constructor(dataset: Dataset | DatasetSpec, private readonly opts: DataLoaderOptions) {
    this.seed = opts.seed ?? 0;
    const workers = opts.numWorkers ?? 0;
    const prefetch = opts.prefetch ?? 2;
    if (!Number.isInteger(opts.batchSize) || opts.batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${opts.batchSize}`);
    if (!Number.isSafeInteger(this.seed) || this.seed < 0) throw new RangeError(`seed must be a non-negative integer, got ${this.seed}`);
    if (!Number.isInteger(workers) || workers < 0) throw new RangeError(`numWorkers must be a non-negative integer, got ${workers}`);
    if (!Number.isInteger(prefetch) || prefetch < 1) throw new RangeError(`prefetch must be a positive integer, got ${prefetch}`);
    const isDataset = 'get' in dataset && typeof dataset.get === 'function';
    const spec = isDataset ? dataset.spec() : (dataset as DatasetSpec);
    this.pool = workers > 0 ? new WorkerPool(spec, this.seed, workers) : null;
    this.depth = workers * prefetch;
    if (isDataset) {
      this.attach(dataset);
      this.opened = Promise.resolve();
    } else {
      this.opened = loadDataset(spec).then((d) => this.attach(d));
      this.opened.catch(() => {}); // reported by ready()/next()
    }
  }

  private attach(d: Dataset): void {
    this.dataset = d;
    this.sampler = new BatchSampler({ size: d.length, batchSize: this.opts.batchSize, shuffle: this.opts.shuffle ?? false,
      seed: this.seed, dropLast: this.opts.dropLast ?? false });
  }

  ready(): Promise<void> {
    return this.opened;
  }

  /** Batches per epoch. */
  get length(): number {
    if (!this.sampler) throw new Error('DataLoader built from a DatasetSpec: await loader.ready() before reading length');
    return this.sampler.length;
  }

  /** The next batch, rolling over into the next epoch at the end of one (training). */
  async next(): Promise<Batch> {
    return (await this.serial(() => this.take(null)))!;
  }

  /** The rest of the current epoch, usually all of it (evaluation); nothing is prefetched past its end. */
  epoch(): AsyncIterable<Batch> {
    // An iterator object, not an async generator, so each batch's tensors land in the consumer's scope.
    const pass: { epoch?: number } = {}; // fixed when the first batch is taken
    return {
      [Symbol.asyncIterator]: () => ({
        next: async (): Promise<IteratorResult<Batch>> => {
          const b = await this.serial(() => this.take(pass));
          return b ? { done: false, value: b } : { done: true, value: undefined };
        },
      }),
    };
  }

  /** Position: the epoch, and the batches of it already returned. */
  stateDict(): LoaderState {
    return { ...this.pos };
  }

  loadStateDict(s: LoaderState): void {
    if (!Number.isSafeInteger(s?.epoch) || s.epoch < 0 || !Number.isSafeInteger(s.batch) || s.batch < 0) {
      throw new RangeError(`DataLoader state needs non-negative integers epoch and batch, got ${JSON.stringify(s)}`);
    }
    if (this.sampler && s.batch > this.length) {
      throw new RangeError(`DataLoader state batch ${s.batch} exceeds the ${this.length} batches of an epoch`);
    }
    this.pos = { epoch: s.epoch, batch: s.batch };
    this.inflight.clear(); // replies still on their way are dropped
  }

  async close(): Promise<void> {
    this.closed = true;
    this.inflight.clear();
    await this.pool?.close();
  }

  /** Calls one at a time, so two un-awaited next() calls get consecutive batches, not the same one. */
  private serial<T>(f: () => Promise<T>): Promise<T> {
    const r = this.queue.then(f);
    this.queue = r.catch(() => {});
    return r;
  }

  /** The batch at the current position; with `pass`, null once the pass's epoch is over. */
  private async take(pass: { epoch?: number } | null): Promise<Batch | null> {
    if (this.closed) throw new Error('DataLoader is closed');
    await this.opened;
    const n = this.length;
    if (n === 0) throw new Error(`DataLoader: no batches (dataset of ${this.dataset!.length} samples, batchSize ${this.opts.batchSize}, dropLast)`);
    if (this.pos.batch >= n) this.pos = { epoch: this.pos.epoch + 1, batch: 0 }; // a state saved at an epoch's end
    if (pass) {
      pass.epoch ??= this.pos.epoch;
      if (this.pos.epoch !== pass.epoch) return null;
    }
    const here = { ...this.pos };
    const batch = this.request(here);
    this.prefetch(here, pass === null);
    let stacked: Stacked;
    try {
      stacked = this.pool ? await this.pool.wait(batch) : await batch;
    } finally {
      this.inflight.delete(key(here));
    }
    if (this.pos.epoch === here.epoch && this.pos.batch === here.batch) this.pos = after(here, n);
    return toTensors(stacked);
  }

  private request(p: LoaderState): Promise<Stacked> {
    let b = this.inflight.get(key(p));
    if (!b) {
      const indices = this.sampler!.indices(p.epoch, p.batch);
      b = this.pool ? this.pool.run(p.epoch, indices) : fetchBatch(this.dataset!, this.seed, p.epoch, indices);
      b.catch(() => {}); // a prefetched batch's error is reported when that batch is taken
      this.inflight.set(key(p), b);
    }
    return b;
  }

  /** Keeps `depth` batches requested after `from`, across epoch ends only when `endless`. */
  private prefetch(from: LoaderState, endless: boolean): void {
    const n = this.length;
    let p = from;
    for (let k = 0; k < this.depth; k++) {
      p = after(p, n);
      if (!endless && p.epoch !== from.epoch) return;
      this.request(p);
    }
  }
}

const key = (p: LoaderState) => `${p.epoch}:${p.batch}`;
const after = (p: LoaderState, n: number): LoaderState => (p.batch + 1 < n ? { epoch: p.epoch, batch: p.batch + 1 } : { epoch: p.epoch + 1, batch: 0 });

/** One copy per field, into tensors owned by the caller's torch.scope. */
function toTensors(b: Stacked): Batch {
  const out: Batch = {};
  for (const [k, f] of Object.entries(b)) out[k] = Array.isArray(f) ? f : torch.tensor(f.data, { shape: f.shape });
  return out;
}
