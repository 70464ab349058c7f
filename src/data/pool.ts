// Worker threads for the DataLoader. Workers are unref'd so they never keep the process alive; they are
// ref'd only while the loader is waiting on one of them (else a script awaiting a batch could exit early).
import { Worker } from 'node:worker_threads';
import type { Stacked } from './collate.js';
import type { DatasetSpec } from './dataset.js';
import type { WorkerInit, WorkerTask } from './worker.js';

interface Pending { resolve: (b: Stacked) => void; reject: (e: Error) => void }
type Reply = { id: number; batch: Stacked } | { id: number; error: string };

export class WorkerPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private waiting = 0;
  private failure: Error | null = null;

  constructor(spec: DatasetSpec, seed: number, count: number) {
    const init: WorkerInit = { spec, seed };
    // Workers inherit node's options, but --input-type (valid only with -e) makes a worker fail to start.
    const execArgv = process.execArgv.filter((a) => !a.startsWith('--input-type'));
    this.workers = Array.from({ length: count }, (_, k) => {
      const w = new Worker(new URL('./worker.js', import.meta.url), { workerData: init, execArgv });
      w.on('message', (m: Reply) => this.settle(m));
      w.on('error', (e) => this.fail(`DataLoader worker ${k} failed: ${e.message}`));
      w.on('exit', (code) => this.fail(`DataLoader worker ${k} exited (code ${code})`));
      w.unref(); // after the listeners: adding a 'message' listener refs the worker again
      return w;
    });
  }

  /** Batch `indices` of `epoch` on a worker: task ids go round-robin, like PyTorch's DataLoader. */
  run(epoch: number, indices: number[]): Promise<Stacked> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const p = new Promise<Stacked>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.workers[id % this.workers.length].postMessage({ id, epoch, indices } satisfies WorkerTask);
    return p;
  }

  /** Keeps the workers ref'd (the process alive) until `p` settles. */
  async wait<T>(p: Promise<T>): Promise<T> {
    if (this.waiting++ === 0) this.workers.forEach((w) => w.ref());
    try {
      return await p;
    } finally {
      if (--this.waiting === 0) this.workers.forEach((w) => w.unref());
    }
  }

  async close(): Promise<void> {
    this.failure ??= new Error('DataLoader is closed');
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private settle(m: Reply): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if ('error' in m) p.reject(new Error(m.error));
    else p.resolve(m.batch);
  }

  /** A dead worker fails every task: its share of the round-robin is gone, so no later batch could come. */
  private fail(message: string): void {
    this.failure ??= new Error(message);
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(this.failure);
    }
  }
}
