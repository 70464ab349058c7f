// A small real training task for the trainer tests: a conv net with batch norm and dropout (so the torch
// RNG and buffers matter), SGD with momentum and a step schedule, on 48 fixed 8x8 images served in a
// seeded shuffled order with an {epoch, batch} position, as the DataLoader serves them.
import * as torch from '../../src/torch/index.js';
import type { Tensor } from '../../src/torch/index.js';
import type { DataPosition, DataSource, Scalars } from '../../src/run/trainer.js';

const N = 48;
const BATCH = 8;
const SIZE = 8;
const CLASSES = 4;

// mulberry32: a tiny seeded generator for the shuffle (the data order is the data source's, not torch's).
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

// Image i: a bright bar whose orientation/position is its class, on a fixed low-amplitude pattern.
function image(i: number): Float32Array {
  const label = i % CLASSES;
  const x = new Float32Array(SIZE * SIZE);
  for (let r = 0; r < SIZE; r++) {
    for (let c = 0; c < SIZE; c++) {
      const bar = label === 0 ? r === 2 : label === 1 ? r === 5 : label === 2 ? c === 2 : c === 5;
      x[r * SIZE + c] = (bar ? 1 : 0) + 0.2 * Math.sin(i * 1.7 + r * 0.9 + c * 0.4);
    }
  }
  return x;
}

export interface Batch { x: Tensor; y: Tensor; indices: number[] }

export class ShuffledSource implements DataSource<Batch> {
  private pos: DataPosition = { epoch: 0, batch: 0 };
  constructor(private readonly seed: number) {}

  private order(epoch: number): number[] {
    const rand = mulberry32(this.seed * 1000 + epoch);
    const o = Array.from({ length: N }, (_, i) => i);
    for (let i = N - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [o[i], o[j]] = [o[j], o[i]];
    }
    return o;
  }

  async next(): Promise<Batch> {
    const indices = this.order(this.pos.epoch).slice(this.pos.batch * BATCH, (this.pos.batch + 1) * BATCH);
    this.pos = this.pos.batch + 1 === N / BATCH ? { epoch: this.pos.epoch + 1, batch: 0 } : { epoch: this.pos.epoch, batch: this.pos.batch + 1 };
    const x = new Float32Array(indices.length * SIZE * SIZE);
    indices.forEach((i, k) => x.set(image(i), k * SIZE * SIZE));
    return {
      x: torch.tensor(x, { shape: [indices.length, 1, SIZE, SIZE] }),
      y: torch.tensor(BigInt64Array.from(indices, (i) => BigInt(i % CLASSES))),
      indices,
    };
  }

  stateDict(): DataPosition { return { ...this.pos }; }
  loadStateDict(s: DataPosition): void { this.pos = { ...s }; }
}

export function makeTask(seed: number, opts: { nanAt?: number } = {}) {
  torch.manualSeed(seed);
  const { nn } = torch;
  const model = new nn.Sequential(new nn.Conv2d(1, 4, 3, { padding: 1 }), new nn.BatchNorm2d(4), new nn.ReLU(), new nn.Dropout(0.3),
    new nn.Flatten(), new nn.Linear(4 * SIZE * SIZE, CLASSES));
  const optimizer = new torch.optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9, weightDecay: 1e-4 });
  const scheduler = new torch.optim.lrScheduler.StepLR(optimizer, { stepSize: 7, gamma: 0.5 });
  const data = new ShuffledSource(seed);
  const evalBatch = new ShuffledSource(seed + 1);

  const step = (batch: Batch, s: number): Scalars => {
    model.train();
    const x = s === opts.nanAt ? batch.x.mul(Number.NaN) : batch.x;
    const logits = model.forward(x);
    const loss = torch.F.crossEntropy(logits, batch.y);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    const acc = logits.argmax(1).eq(batch.y).float().mean().item();
    // The first index pins the data order: a resumed run must see the same batches.
    return { loss: loss.item(), acc, first: batch.indices[0] };
  };

  const evaluate = async (): Promise<Scalars> => {
    model.eval();
    const b = await evalBatch.next();
    evalBatch.loadStateDict({ epoch: 0, batch: 0 });
    return torch.noGrad(() => ({ loss: torch.F.crossEntropy(model.forward(b.x), b.y).item() }));
  };

  return { model, optimizer, scheduler, data, step, evaluate };
}
