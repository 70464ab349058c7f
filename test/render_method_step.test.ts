// One iteration of claim 2, in float64: the classifier's gradient step lowers its loss on the iteration's batch,
// and θ moves by exactly -lr x (the gradient of the θ loss under the updated classifier) on the tuned entries
// (claim 4's plain gradient descent), recomputed here from scratch; untuned entries stay put.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/torch/index.js';
import { render } from '../src/render/render.js';
import { RenderParams } from '../src/render/params.js';
import { streetScene } from '../src/render/scenes/street.js';
import { renderConfigSchema } from '../src/methods/render/config.js';
import { classifierLoss, thetaLoss } from '../src/methods/render/losses.js';
import { createTraining, drawSeeds, trainStep } from '../src/methods/render/step.js';
import { tunedNames } from '../src/methods/render/theta.js';

const values = (t: torch.Tensor) => Array.from(t.double().contiguous().toTypedArray() as Float64Array);

test('one step: classifier loss goes down on the batch; θ <- θ - lr * dLoss/dθ exactly, frozen entries unchanged', () => torch.scope(() => {
  const config = renderConfigSchema.parse({
    size: [8, 16], m: 2, n: 3, classifier: { width: 4, layers: 2, optimizer: 'sgd', lr: 0.05 },
    theta: { tune: ['ambient.*', 'light0.color', 'material.road.albedo', 'fog.density'], lr: 0.7 },
  });
  torch.manualSeed(0);
  const params = RenderParams.defaults('street').to('float64');
  const tr = createTraining(config, params);
  tr.classifier.to('float64');
  const real = torch.rand([3, 3, 8, 16], { dtype: 'float64' });
  const seeds = [11, 12];
  const before = params.parameters().map((t) => t.detach().clone());

  const s = trainStep(tr, real, seeds);

  // Renders with the θ before the step, through the classifier after its step.
  const old = params.withRaw(before.map((t) => t.clone().requiresGrad_(true)));
  const rgb = render(seeds.map((seed) => streetScene(seed, { width: 16, height: 8 })), old).rgb;
  const logits = tr.classifier.forward(torch.cat([rgb, real]));
  const after = classifierLoss(logits.narrow(0, 0, 2), logits.narrow(0, 2, 3), 'mean').item();
  assert.ok(after < s.loss, `classifier loss ${s.loss} -> ${after}`);

  const tuned = tunedNames(params, config.theta.tune);
  assert.deepEqual(tuned, ['ambient.color', 'ambient.intensity', 'light0.color', 'material.road.albedo', 'fog.density']);
  const names = old.names();
  const leaves = tuned.map((n) => old.parameters()[names.indexOf(n)]);
  const grads = torch.autograd.grad(thetaLoss(logits.narrow(0, 0, 2), 3, 'mean', 'nonsaturating'), leaves);
  let norm = 0;
  names.forEach((name, i) => {
    const now = values(params.parameters()[i]), was = values(before[i]);
    const k = tuned.indexOf(name);
    if (k < 0) return assert.deepEqual(now, was, `${name} is not tuned`);
    const g = values(grads[k]!);
    g.forEach((gj, j) => {
      norm += gj * gj;
      const want = was[j] - 0.7 * gj;
      assert.ok(Math.abs(now[j] - want) <= 1e-12 * Math.max(1, Math.abs(want)), `${name}[${j}]: ${now[j]} vs ${want}`);
    });
  });
  assert.ok(norm > 0, 'θ had a gradient');
  assert.ok(Math.abs(s.thetaGradNorm - Math.sqrt(norm)) <= 1e-9 * Math.sqrt(norm), `reported |g| ${s.thetaGradNorm} vs ${Math.sqrt(norm)}`);
  assert.ok(s.accuracy >= 0 && s.accuracy <= 1);
}));

test('scene seeds come from torch\'s generator: reseeding repeats them', () => {
  torch.manualSeed(42);
  const a = drawSeeds(4);
  torch.manualSeed(42);
  assert.deepEqual(drawSeeds(4), a);
  assert.equal(new Set(a).size, 4);
  assert.ok(a.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 31));
});
