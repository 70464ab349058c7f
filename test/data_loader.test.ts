// DataLoader on a folder of real PNGs: the same bytes for any number of workers, shuffling, dropLast,
// resuming, errors naming the file, and worker threads that never hold the process.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { ImageFolder } from '../src/data/datasets/image_folder.js';
import { DataLoader, type Batch } from '../src/data/loader.js';
import type { TransformConfig } from '../src/data/transforms.js';
import { writeImage } from '../src/io/image.js';
import * as torch from '../src/torch/index.js';

const N = 10;
let dir: string;

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'shiftkit-loader-'));
  for (let k = 0; k < N; k++) {
    const data = Uint8Array.from({ length: 12 * 16 * 3 }, (_, i) => (i * 7 + k * 31) % 256);
    await writeImage(path.join(dir, `img${String(k).padStart(2, '0')}.png`), { data, width: 16, height: 12, channels: 3 });
  }
});
after(() => rmSync(dir, { recursive: true }));

const AUGMENT: TransformConfig = [{ op: 'randomScale', range: [0.5, 1.5] }, { op: 'randomCrop', size: [8, 8] }, { op: 'hflip' },
  { op: 'colorJitter', brightness: 0.3, contrast: 0.3, saturation: 0.3, hue: 0.1 }, { op: 'normalize' }];

const folder = (root = dir) => new ImageFolder({ root, transforms: AUGMENT });

/** A batch as plain values: tensor bytes, names, indices. */
function plain(b: Batch): Record<string, unknown> {
  return Object.fromEntries(Object.entries(b).map(([k, v]) => [k, v instanceof torch.Tensor ? { shape: v.shape, bytes: Buffer.from(v.toTypedArray().buffer) } : v]));
}

async function batches(numWorkers: number, count: number, opts: Partial<ConstructorParameters<typeof DataLoader>[1]> = {}) {
  const loader = new DataLoader(folder(), { batchSize: 3, shuffle: true, seed: 5, numWorkers, ...opts });
  try {
    const out = [];
    for (let i = 0; i < count; i++) out.push(torch.scope(async () => plain(await loader.next())));
    return await Promise.all(out);
  } finally {
    await loader.close();
  }
}

test('batches are byte-identical for 0, 1 and 2 workers, across epochs', async () => {
  const ref = await batches(0, 9); // 4 batches per epoch: 3 + 3 + 3 + 1
  assert.deepEqual((ref[0].image as { shape: number[] }).shape, [3, 3, 8, 8]);
  assert.deepEqual((ref[3].image as { shape: number[] }).shape, [1, 3, 8, 8]);
  assert.deepEqual(await batches(1, 9), ref);
  assert.deepEqual(await batches(2, 9, { prefetch: 3 }), ref);
  // The augmentation is random per epoch: sample i in epoch 1 differs from sample i in epoch 0.
  assert.notDeepEqual(ref.slice(4, 8).map((b) => b.index), ref.slice(0, 4).map((b) => b.index));
});

test('shuffle: each epoch is a permutation of the dataset, a different one per epoch and per seed', async () => {
  const indices = (bs: Record<string, unknown>[]) => bs.flatMap((b) => b.index as number[]);
  const run = await batches(0, 8);
  const [e0, e1] = [indices(run.slice(0, 4)), indices(run.slice(4, 8))];
  const all = Array.from({ length: N }, (_, i) => i);
  assert.deepEqual([...e0].sort((a, b) => a - b), all);
  assert.deepEqual([...e1].sort((a, b) => a - b), all);
  assert.notDeepEqual(e0, e1);
  assert.notDeepEqual(indices(await batches(0, 4, { seed: 6 })), e0);
  assert.deepEqual(indices(await batches(0, 4, { shuffle: false })), all);
});

test('dropLast and epoch(): batch counts, one pass, then the next epoch', async () => {
  const loader = new DataLoader(folder(), { batchSize: 3, dropLast: true });
  assert.equal(loader.length, 3);
  assert.equal(new DataLoader(folder(), { batchSize: 3 }).length, 4);
  assert.throws(() => new DataLoader(folder(), { batchSize: 0 }), /batchSize must be a positive integer, got 0/);
  assert.throws(() => new DataLoader(folder(), { batchSize: 2, numWorkers: 1.5 }), /numWorkers must be a non-negative integer/);
  const sizes: number[] = [];
  for await (const b of loader.epoch()) sizes.push((b.index as number[]).length);
  assert.deepEqual(sizes, [3, 3, 3]);
  assert.deepEqual(loader.stateDict(), { epoch: 1, batch: 0 });
  let again = 0;
  for await (const _ of loader.epoch()) again++;
  assert.equal(again, 3);
  assert.deepEqual(loader.stateDict(), { epoch: 2, batch: 0 });
  await loader.close();
});

test('a loader built from a DatasetSpec loads the dataset itself', async () => {
  const loader = new DataLoader(folder().spec(), { batchSize: 4 });
  assert.throws(() => loader.length, /await loader.ready\(\)/);
  await loader.ready();
  assert.equal(loader.length, 3);
  assert.deepEqual((await loader.next()).index, [0, 1, 2, 3]);
  const missing = new DataLoader({ ...folder().spec(), options: { root: path.join(dir, 'nowhere') } }, { batchSize: 4 });
  await assert.rejects(missing.next(), /ImageFolder: folder not found: .*nowhere/);
});

test('stateDict/loadStateDict resumes at the same batch with the same content', async () => {
  for (const numWorkers of [0, 2]) {
    const a = new DataLoader(folder(), { batchSize: 3, shuffle: true, seed: 1, numWorkers });
    for (let i = 0; i < 5; i++) await a.next();
    const state = a.stateDict();
    assert.deepEqual(state, { epoch: 1, batch: 1 });
    const rest = [];
    for (let i = 0; i < 4; i++) rest.push(plain(await a.next()));
    await a.close();
    const b = new DataLoader(folder(), { batchSize: 3, shuffle: true, seed: 1, numWorkers });
    b.loadStateDict(JSON.parse(JSON.stringify(state)));
    const resumed = [];
    for (let i = 0; i < 4; i++) resumed.push(plain(await b.next()));
    await b.close();
    assert.deepEqual(resumed, rest, `numWorkers ${numWorkers}`);
  }
  const c = new DataLoader(folder(), { batchSize: 3 });
  assert.throws(() => c.loadStateDict({ epoch: 0, batch: 5 }), /batch 5 exceeds the 4 batches/);
  assert.throws(() => c.loadStateDict({ epoch: -1, batch: 0 }), /non-negative integers/);
});

test('a corrupt image rejects next() with an Error naming the file, with and without workers', async () => {
  const bad = mkdtempSync(path.join(os.tmpdir(), 'shiftkit-bad-'));
  try {
    await writeImage(path.join(bad, 'a.png'), { data: new Uint8Array(4 * 4 * 3), width: 4, height: 4, channels: 3 });
    const corrupt = path.join(bad, 'b.png');
    writeFileSync(corrupt, Buffer.from('\x89PNG\r\n\x1a\nnot really a png', 'latin1'));
    for (const numWorkers of [0, 1]) {
      const loader = new DataLoader(new ImageFolder({ root: bad }), { batchSize: 1, numWorkers });
      await loader.next();
      await assert.rejects(loader.next(), (e: Error) => e.message.includes(corrupt), `numWorkers ${numWorkers}`);
      assert.deepEqual(loader.stateDict(), { epoch: 0, batch: 1 }, 'a failed batch is not consumed');
      await loader.close();
      await assert.rejects(loader.next(), /DataLoader is closed/);
    }
  } finally {
    rmSync(bad, { recursive: true });
  }
});

test('batch tensors belong to the caller\'s torch.scope', async () => {
  const loader = new DataLoader(folder(), { batchSize: 2, numWorkers: 1 });
  let kept: torch.Tensor | null = null;
  await torch.scope(async () => {
    kept = (await loader.next()).image as torch.Tensor;
    assert.equal(kept.isDisposed, false);
  });
  assert.equal(kept!.isDisposed, true);
  await loader.close();
});

test('worker threads never keep the process alive, but a pending batch does', async () => {
  const loaderUrl = new URL('../src/data/loader.js', import.meta.url).href;
  const folderUrl = new URL('../src/data/datasets/image_folder.js', import.meta.url).href;
  const run = async (body: string) => {
    const script = `import { DataLoader } from '${loaderUrl}'; import { ImageFolder } from '${folderUrl}';
      const loader = new DataLoader(new ImageFolder({ root: ${JSON.stringify(dir)} }), { batchSize: 2, numWorkers: 2 }); ${body}`;
    return (await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { timeout: 20_000 })).stdout.trim();
  };
  // Awaiting a batch from the workers at top level, then no close(): prints, then exits on its own.
  assert.equal(await run(`const b = await loader.next(); console.log('got', b.index.length);`), 'got 2');
  // Workers started, nothing awaited: exits at once.
  assert.equal(await run(`console.log('idle');`), 'idle');
  // close() with batches prefetched and in flight.
  assert.equal(await run(`await loader.next(); void loader.next().catch(() => {}); await loader.close(); console.log('closed');`), 'closed');
});
