// A DataLoader worker thread: rebuilds the dataset from its spec and answers batch requests with stacked
// typed arrays, transferred (not copied) to the loader. Never imports torch: the addon stays in the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { transferables } from './collate.js';
import { loadDataset, type DatasetSpec } from './dataset.js';
import { fetchBatch } from './fetch.js';

export interface WorkerInit { spec: DatasetSpec; seed: number }
export interface WorkerTask { id: number; epoch: number; indices: number[] }

const { spec, seed } = workerData as WorkerInit;
const port = parentPort!;
const dataset = loadDataset(spec);
dataset.catch(() => {}); // reported with each task below, not as an unhandled rejection

// One task at a time, in arrival order.
let queue: Promise<void> = Promise.resolve();
port.on('message', (task: WorkerTask) => {
  queue = queue.then(async () => {
    try {
      const batch = await fetchBatch(await dataset, seed, task.epoch, task.indices);
      port.postMessage({ id: task.id, batch }, transferables(batch));
    } catch (e) {
      port.postMessage({ id: task.id, error: (e as Error).message ?? String(e) });
    }
  });
});
