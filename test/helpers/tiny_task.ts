// A small real training task for the trainer tests: a conv net with batch norm and dropout (so the torch
// RNG and buffers matter), SGD with momentum and a step schedule, on TinyBars served by the DataLoader
// (seeded shuffle and augmentation, resumable position).
import * as torch from '../../src/torch/index.js';
import type { Tensor } from '../../src/torch/index.js';
import { DataLoader, type Batch } from '../../src/data/loader.js';
import type { Scalars } from '../../src/run/trainer.js';
import { CLASSES, SIZE, TinyBars } from './tiny_dataset.js';

export type { Batch };

export function makeTask(seed: number, opts: { nanAt?: number; numWorkers?: number } = {}) {
  torch.manualSeed(seed);
  const { nn } = torch;
  const model = new nn.Sequential(new nn.Conv2d(1, 4, 3, { padding: 1 }), new nn.BatchNorm2d(4), new nn.ReLU(), new nn.Dropout(0.3),
    new nn.Flatten(), new nn.Linear(4 * SIZE * SIZE, CLASSES));
  const optimizer = new torch.optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9, weightDecay: 1e-4 });
  const scheduler = new torch.optim.lrScheduler.StepLR(optimizer, { stepSize: 7, gamma: 0.5 });
  const data = new DataLoader(new TinyBars(), { batchSize: 8, shuffle: true, seed, numWorkers: opts.numWorkers ?? 0 });
  const evalData = new DataLoader(new TinyBars(), { batchSize: 16, seed: seed + 1 });

  const step = (batch: Batch, s: number): Scalars => {
    model.train();
    const [x, y] = [batch.x as Tensor, batch.y as Tensor];
    const logits = model.forward(s === opts.nanAt ? x.mul(Number.NaN) : x);
    const loss = torch.F.crossEntropy(logits, y);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    const acc = logits.argmax(1).eq(y).float().mean().item();
    // The first sample's index pins the data order: a resumed run must see the same batches.
    return { loss: loss.item(), acc, first: (batch.index as number[])[0] };
  };

  // The same pass every time (the eval loader rewound), whatever the training position.
  const evaluate = async (): Promise<Scalars> => {
    model.eval();
    evalData.loadStateDict({ epoch: 0, batch: 0 });
    let total = 0;
    let count = 0;
    for await (const b of evalData.epoch()) {
      torch.noGrad(() => { total += torch.F.crossEntropy(model.forward(b.x as Tensor), b.y as Tensor, { reduction: 'sum' }).item(); });
      count += (b.index as number[]).length;
    }
    return { loss: total / count };
  };

  const close = async (): Promise<void> => { await data.close(); await evalData.close(); };
  return { model, optimizer, scheduler, data, step, evaluate, close };
}
