// `npm run bench:loader`: ShiftKit's DataLoader against PyTorch's (torchvision/PIL dataset) on the same PNG files
// in the Cityscapes layout, the same augmentation (random scale 0.5-2, random crop of half the width with
// padding, horizontal flip, normalise) and the same worker counts. Images/s decoded + augmented + batched into
// tensors, medians of BENCH_REPS runs. Prints a table, then one JSON line.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Cityscapes } from '../src/data/datasets/cityscapes.js';
import { DataLoader } from '../src/data/loader.js';
import { writeImage } from '../src/io/image.js';
import * as torch from '../src/torch/index.js';

const REPS = Number(process.env.BENCH_REPS ?? 3);
const IMAGES = Number(process.env.BENCH_IMAGES ?? 64);
const BATCH = 8;
const EPOCHS = 2; // timed, after one warm-up epoch
const SIZES: [number, number][] = [[512, 1024], [256, 512]];
// 0 (the calling thread) shows the cost per image without any parallelism.
const WORKERS = (process.env.BENCH_WORKERS ?? '0,1,2').split(',').map(Number);
const SIZE_FILTER = process.env.BENCH_SIZES; // e.g. '512x256'

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * IMAGES photo-like RGB PNGs (smooth gradients plus noise, so they compress like photographs, not like flat
 * colour) and labelId PNGs of blocky regions, as leftImg8bit/train/bench/ and gtFine/train/bench/.
 */
async function writeDataset(root: string, h: number, w: number): Promise<void> {
  let seed = 1;
  const noise = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24) % 24;
  for (let k = 0; k < IMAGES; k++) {
    const img = new Uint8Array(h * w * 3);
    const lab = new Uint8Array(h * w);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const p = y * w + x;
        img[3 * p] = (128 + 100 * Math.sin((x + 13 * k) / 37) + noise()) & 255;
        img[3 * p + 1] = (128 + 100 * Math.cos((y + 7 * k) / 23) + noise()) & 255;
        img[3 * p + 2] = ((x + y + 5 * k) / 8 + noise()) & 255;
        lab[p] = 7 + ((Math.floor(x / 64) + Math.floor(y / 48) + k) % 27);
      }
    }
    const stem = `bench_${String(k).padStart(6, '0')}_000019`;
    await writeImage(path.join(root, 'leftImg8bit/train/bench', `${stem}_leftImg8bit.png`), { data: img, width: w, height: h, channels: 3 });
    await writeImage(path.join(root, 'gtFine/train/bench', `${stem}_gtFine_labelIds.png`), { data: lab, width: w, height: h, channels: 1 });
  }
}

async function ours(root: string, crop: number, workers: number): Promise<number> {
  const dataset = new Cityscapes({ root, split: 'train', transforms: [{ op: 'randomScale', range: [0.5, 2] },
    { op: 'randomCrop', size: [crop, crop] }, { op: 'hflip' }, { op: 'normalize' }] });
  const loader = new DataLoader(dataset, { batchSize: BATCH, shuffle: true, seed: 0, numWorkers: workers, dropLast: true });
  try {
    const epoch = async () => {
      for await (const b of loader.epoch()) for (const v of Object.values(b)) if (v instanceof torch.Tensor) v.dispose();
    };
    await epoch();
    const t0 = performance.now();
    for (let e = 0; e < EPOCHS; e++) await epoch();
    return (EPOCHS * loader.length * BATCH) / ((performance.now() - t0) / 1000);
  } finally {
    await loader.close();
  }
}

function pytorch(root: string, crop: number, workers: number): { torch: string; imagesPerSecond: number } {
  const out = execFileSync('/usr/bin/python3', ['bench/reference/loader.py', '--root', root, '--crop', String(crop),
    '--workers', String(workers), '--batch', String(BATCH), '--epochs', String(EPOCHS)], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!);
}

torch.setNumThreads(1); // the main thread only copies batches into tensors; PyTorch's side runs with 1 as well
const rows: { name: string; shiftkit: number; pytorch: number }[] = [];
let torchVersion = '';
for (const [h, w] of SIZES) {
  if (SIZE_FILTER && !SIZE_FILTER.split(',').includes(`${w}x${h}`)) continue;
  const root = mkdtempSync(path.join(os.tmpdir(), 'shiftkit-bench-loader-'));
  try {
    await writeDataset(root, h, w);
    const crop = w / 2;
    for (const workers of WORKERS) {
      const a: number[] = [];
      const b: number[] = [];
      for (let r = 0; r < REPS; r++) {
        a.push(await ours(root, crop, workers));
        const p = pytorch(root, crop, workers);
        torchVersion = p.torch;
        b.push(p.imagesPerSecond);
      }
      rows.push({ name: `${w}x${h} PNG + label, crop ${crop}, batch ${BATCH}, ${workers} worker(s)`, shiftkit: median(a), pytorch: median(b) });
    }
  } finally {
    rmSync(root, { recursive: true });
  }
}

console.log(`${IMAGES} images per size; ${os.availableParallelism()} cores; ${REPS} runs of ${EPOCHS} epochs after a warm-up epoch, medians; torch ${torchVersion}`);
for (const r of rows) {
  console.log(`${r.name.padEnd(58)} ShiftKit ${r.shiftkit.toFixed(1).padStart(7)} img/s  PyTorch ${r.pytorch.toFixed(1).padStart(7)} img/s` +
    `  ratio ${(r.shiftkit / r.pytorch).toFixed(2)}`);
}
console.log(JSON.stringify({ bench: 'loader', torch: torchVersion, cores: os.availableParallelism(), images: IMAGES,
  rows: rows.map((r) => ({ ...r, unit: 'images/s', ratio: r.shiftkit / r.pytorch })) }));
