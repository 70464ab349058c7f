// `shiftkit demo`. The methods (render, seg, depth, gaze, det) are not built yet, so the demo shows what is:
// the engine, training a small CNN to tell two synthetic texture classes apart.
import * as torch from '../torch/index.js';
import { F, Tensor } from '../torch/index.js';

function batch(n: number): [Tensor, Tensor] {
  // Class 0: smooth horizontal gradients; class 1: the same plus a fine vertical stripe pattern.
  const labels = torch.randint(0, 2, [n]);
  const ramp = torch.linspace(0, 1, 32).reshape(1, 1, 1, 32).expand(n, 3, 32, 32);
  const stripes = torch.arange(32).remainder(4).lt(2).float().reshape(1, 1, 32, 1).mul(1.0);
  const x = ramp.add(stripes.mul(labels.float().reshape(n, 1, 1, 1))).add(torch.randn([n, 3, 32, 32]).mul(0.2));
  return [x, labels];
}

export async function runDemo(opts: { quick: boolean }): Promise<void> {
  const info = torch.buildInfo();
  console.log(`ShiftKit engine: libtorch ${info.torchVersion}, ${torch.getNumThreads()} threads, ` +
    `oneDNN ${info.hasMkldnn ? 'on' : 'off'}, CUDA ${torch.cuda.isAvailable() ? `${torch.cuda.deviceCount()} GPU(s)` : 'not available'}`);
  console.log('Methods render, seg, depth, gaze and det are not built yet; this demo trains a small CNN on built-in data.');
  torch.manualSeed(0);
  const params = [torch.randn([16, 3, 3, 3]).mul(0.2), torch.zeros([16]), torch.randn([2, 16]).mul(0.2), torch.zeros([2])]
    .map((p) => torch.keepTensor(p.requiresGrad_(true)));
  const [w1, b1, w2, b2] = params;
  const steps = opts.quick ? 40 : 150;
  const start = Date.now();
  for (let step = 1; step <= steps; step++) {
    const loss = torch.scope(() => {
      const [x, y] = batch(32);
      const h = F.relu(F.conv2d(x, w1, b1, { padding: 1 }));
      const logits = F.linear(F.adaptiveAvgPool2d(h, 1).flatten(1), w2, b2);
      const l = F.crossEntropy(logits, y);
      for (const p of params) p.grad = null;
      l.backward();
      torch.noGrad(() => { for (const p of params) p.sub_(p.grad!.mul(0.3)); });
      const acc = logits.argmax(1).eq(y).float().mean().item();
      return { loss: l.item(), acc };
    });
    if (step === 1 || step % 10 === 0) {
      console.log(`step ${String(step).padStart(3)}  loss ${loss.loss.toFixed(4)}  batch accuracy ${(loss.acc * 100).toFixed(0)}%`);
    }
  }
  console.log(`trained ${steps} steps in ${((Date.now() - start) / 1000).toFixed(1)} s`);
}
