// Learning-rate schedulers against torch.optim.lr_scheduler goldens (scripts/fixtures/optim.py) and closed forms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as torch from '../src/torch/index.js';
import { SGD } from '../src/torch/optim/index.js';
import { CosineAnnealingLR, LinearWarmup, PolyLR, StepLR, type LRScheduler } from '../src/torch/optim/lr_scheduler.js';

interface Golden { options: Record<string, number> & { after?: Record<string, number> }; lrs: number[][] }
const fx = JSON.parse(readFileSync(new URL('../../test/fixtures/optim/lr_scheduler.json', import.meta.url), 'utf8')) as {
  baseLrs: number[]; schedulers: Record<string, Golden>;
};

// PyTorch steps LinearLR and the cosine inside SequentialLR by their chainable forms: rounding differs slightly.
const tol = 1e-12;

/** An SGD optimizer with one parameter group per base rate. */
function optimizer(baseLrs = fx.baseLrs): SGD {
  return new SGD(baseLrs.map((lr) => ({ params: [torch.keepTensor(torch.zeros([1], { requiresGrad: true }))], lr })), { lr: 1 });
}

const makers: Record<string, (opt: SGD, o: Golden['options']) => LRScheduler> = {
  step: (opt, o) => new StepLR(opt, { stepSize: o.stepSize, gamma: o.gamma }),
  poly: (opt, o) => new PolyLR(opt, { totalIters: o.totalIters, power: o.power }),
  cosine: (opt, o) => new CosineAnnealingLR(opt, { tMax: o.tMax, etaMin: o.etaMin }),
  warmup: (opt, o) => new LinearWarmup(opt, { warmupIters: o.warmupIters, startFactor: o.startFactor }),
  warmup_cosine: (opt, o) => new LinearWarmup(opt, {
    warmupIters: o.warmupIters, startFactor: o.startFactor, after: new CosineAnnealingLR(opt, { tMax: o.after!.tMax, etaMin: o.after!.etaMin }),
  }),
};

function assertLrs(actual: number[], expected: number[], what: string): void {
  actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) <= tol * Math.max(1e-3, Math.abs(expected[i])), `${what} group ${i}: ${v} vs torch ${expected[i]}`));
}

for (const [name, golden] of Object.entries(fx.schedulers)) {
  test(`${name}: learning rates match torch for ${golden.lrs.length - 1} steps`, () => {
    const opt = optimizer();
    const sched = makers[name](opt, golden.options);
    golden.lrs.forEach((want, t) => {
      if (t > 0) sched.step();
      assertLrs(opt.paramGroups.map((g) => g.lr), want, `${name} step ${t}`);
      assertLrs(sched.getLastLr(), want, `${name} getLastLr ${t}`);
    });
  });

  test(`${name}: a scheduler loading the state dict halfway continues as the uninterrupted run`, () => {
    const first = makers[name](optimizer(), golden.options);
    for (let t = 0; t < 6; t++) first.step();
    // Different base rates here: the state dict must restore them.
    const opt = optimizer([5, 6]);
    const second = makers[name](opt, golden.options);
    second.loadStateDict(JSON.parse(JSON.stringify(first.stateDict())));
    for (let t = 7; t < golden.lrs.length; t++) {
      second.step();
      assertLrs(opt.paramGroups.map((g) => g.lr), golden.lrs[t], `${name} resumed step ${t}`);
    }
  });
}

test("LinearWarmup mode 'scale' multiplies the running schedule (mmseg's warmup): closed form", () => {
  const opt = optimizer();
  const sched = new LinearWarmup(opt, { warmupIters: 4, startFactor: 0.1, mode: 'scale', after: new PolyLR(opt, { totalIters: 10, power: 0.9 }) });
  for (let t = 0; t <= 12; t++) {
    if (t > 0) sched.step();
    const factor = t >= 4 ? 1 : 0.1 + 0.9 * t / 4;
    const want = fx.baseLrs.map((b) => factor * b * (1 - Math.min(t, 10) / 10) ** 0.9);
    assertLrs(sched.getLastLr(), want, `scale step ${t}`);
  }
});

test('the first scheduler records initialLr, the base rate later schedulers start from', () => {
  const opt = optimizer();
  new StepLR(opt, { stepSize: 1, gamma: 0.5 }).step();
  assert.deepEqual(opt.paramGroups.map((g) => g.initialLr), fx.baseLrs);
  assert.deepEqual(new PolyLR(opt, { totalIters: 5 }).baseLrs, fx.baseLrs);
});

test('schedulers reject bad lengths and foreign optimizers', () => {
  const opt = optimizer();
  assert.throws(() => new StepLR(opt, { stepSize: 0 }), /stepSize must be a positive integer/);
  assert.throws(() => new LinearWarmup(opt, { warmupIters: 3, after: new PolyLR(optimizer(), { totalIters: 5 }) }), /same optimizer/);
  assert.throws(() => new StepLR(opt, { stepSize: 2 }).loadStateDict({ last_epoch: 0, base_lrs: [1], _last_lr: [1] }), /1 base rates saved/);
});
