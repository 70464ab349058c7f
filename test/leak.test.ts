// Memory stays flat over long training: 2,000 SGD steps of a small conv net, each in torch.scope, must end
// with exactly the live tensors and bytes of the warmed-up loop, and resident memory may grow by less than
// RSS_BOUND between step 200 and the last step (allocator caches and V8's heap settle by then; a leak of
// one 8x3x32x32 input per step alone would add 190 MB). The async variant awaits a data loader each step
// inside an async scope, as a real input pipeline does.
import assert from 'node:assert/strict';
import test from 'node:test';
import * as torch from '../src/torch/index.js';
import type { Tensor } from '../src/torch/index.js';

const { F } = torch;
const STEPS = 2000;
const RSS_FROM = 200;
const RSS_BOUND = 30 * 2 ** 20;
const LR = 0.05;

interface Net { w1: Tensor; b1: Tensor; w2: Tensor; b2: Tensor; w3: Tensor; b3: Tensor }

// Parameters outlive every step's scope: keepTensor takes them out of it.
function makeNet(): Net {
  const p = (shape: number[], fanIn: number) => torch.keepTensor(torch.scope(() => torch.randn(shape).mul(1 / Math.sqrt(fanIn)).requiresGrad_()));
  return { w1: p([8, 3, 3, 3], 27), b1: p([8], 27), w2: p([16, 8, 3, 3], 72), b2: p([16], 72), w3: p([10, 1024], 1024), b3: p([10], 1024) };
}

function loss(net: Net, x: Tensor, y: Tensor): Tensor {
  let h = F.maxPool2d(F.relu(F.conv2d(x, net.w1, net.b1, { padding: 1 })), 2);
  h = F.maxPool2d(F.relu(F.conv2d(h, net.w2, net.b2, { padding: 1 })), 2);
  return F.crossEntropy(F.linear(h.flatten(1), net.w3, net.b3), y);
}

// Plain SGD in place, then drop the grads (zero_grad(set_to_none=True)).
function sgd(net: Net): void {
  torch.noGrad(() => {
    for (const p of Object.values(net)) {
      p.sub_(p.grad as Tensor, LR);
      p.grad = null;
    }
  });
}

interface Tracker { check(step: number, lossValue: number): void; finish(): void }

// Samples live tensors/bytes after warm-up and checks they never move; RSS from step RSS_FROM to the end.
function tracker(label: string): Tracker {
  let base: { liveTensors: number; liveBytes: number } | undefined;
  let rssFrom = 0;
  let firstLoss = NaN;
  let lastLoss = NaN;
  return {
    check(step, lossValue) {
      if (step === 0) firstLoss = lossValue;
      lastLoss = lossValue;
      if (step === 10) base = torch.memoryStats();
      if (step === RSS_FROM) rssFrom = process.memoryUsage().rss;
      if (base && step % 100 === 0) assert.deepEqual(torch.memoryStats(), base, `${label}: live tensors changed by step ${step}`);
    },
    finish() {
      assert.deepEqual(torch.memoryStats(), base, `${label}: live tensors changed by the end`);
      const growth = process.memoryUsage().rss - rssFrom;
      console.log(`${label}: RSS grew ${(growth / 2 ** 20).toFixed(1)} MB over steps ${RSS_FROM}..${STEPS}; loss ${firstLoss.toFixed(3)} -> ${lastLoss.toFixed(3)}`);
      assert.ok(growth < RSS_BOUND, `${label}: RSS grew ${growth} bytes`);
      // The steps really trained (same batch every step): guards against a loop that does nothing.
      assert.ok(lastLoss < firstLoss * 0.5, `${label}: loss ${firstLoss} -> ${lastLoss}`);
    },
  };
}

function data(): { x: Tensor; y: Tensor } {
  return { x: torch.keepTensor(torch.randn([8, 3, 32, 32])), y: torch.keepTensor(torch.randint(0, 10, [8])) };
}

// One SGD step; returns the loss before the update.
function trainStep(net: Net, x: Tensor, y: Tensor): number {
  const out = loss(net, x, y);
  out.backward();
  sgd(net);
  return out.item();
}

test('sync training loop: live tensors and bytes return exactly to their warm-up values; RSS stays flat', () => {
  torch.manualSeed(0);
  const net = makeNet();
  const { x, y } = data();
  const track = tracker('sync');
  for (let step = 0; step < STEPS; step++) {
    const l = torch.scope(() => trainStep(net, x, y));
    track.check(step, l);
  }
  track.finish();
  for (const t of [...Object.values(net), x, y]) t.dispose();
});

test('async training loop: each step awaits its batch inside an async scope; memory stays flat', async () => {
  torch.manualSeed(1);
  const net = makeNet();
  const { x, y } = data();
  // A stand-in data loader: the batch arrives after a turn of the event loop and is a new tensor
  // (created in the step's scope after the await, so the scope must still be tracking it).
  const nextBatch = () => new Promise<void>((resolve) => setImmediate(resolve)).then(() => x.clone());
  const track = tracker('async');
  for (let step = 0; step < STEPS; step++) {
    const l = await torch.scope(async () => trainStep(net, await nextBatch(), y));
    track.check(step, l);
  }
  track.finish();
  for (const t of [...Object.values(net), x, y]) t.dispose();
});
