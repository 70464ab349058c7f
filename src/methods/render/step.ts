// One iteration of claim 2: m scene random numbers -> m renders with the current θ; the classifier scores the m
// renders and n real images and takes one gradient step on its loss; then θ takes one step on the gradient of the
// θ loss, which autograd forms through the renderer as the chain-rule product of claim 2's partials (jacobian.ts
// computes them explicitly, and its test shows the two agree).
import * as torch from '../../torch/index.js';
import { optim, type Tensor } from '../../torch/index.js';
import { render } from '../../render/render.js';
import type { RenderParams } from '../../render/params.js';
import type { RenderConfig } from './config.js';
import { accuracy, classifierLoss, thetaLoss } from './losses.js';
import { Classifier, scoreRendered } from './networks.js';
import { makeScene } from './scenes.js';
import { centreColours, thetaOptimizer, tunedLeaves, tunedNames } from './theta.js';

export interface RenderTraining {
  config: RenderConfig;
  params: RenderParams;
  /** Names of the tuned θ entries and their leaves. */
  tuned: string[];
  leaves: Tensor[];
  classifier: Classifier;
  classifierOptimizer: optim.Optimizer<optim.BaseOptions>;
  thetaOptimizer: optim.Optimizer<optim.BaseOptions>;
}

export interface RenderStepScalars {
  /** The classifier loss (before its step). */
  loss: number;
  thetaLoss: number;
  /** Classifier accuracy on the m + n images, and on each kind, before its step. */
  accuracy: number;
  accuracyReal: number;
  accuracyRendered: number;
  thetaGradNorm: number;
}

/** The classifier and both optimizers for tuning `params` (which the training updates in place; tuned light
 * colours are first centred, centreColours). */
export function createTraining(config: RenderConfig, params: RenderParams): RenderTraining {
  const c = config.classifier;
  const classifier = new Classifier(c);
  const classifierOptimizer = c.optimizer === 'adam'
    ? new optim.Adam(classifier.parameters(), { lr: c.lr, betas: c.betas })
    : new optim.SGD(classifier.parameters(), { lr: c.lr, momentum: c.momentum });
  const tuned = tunedNames(params, config.theta.tune);
  centreColours(params, tuned);
  const leaves = tunedLeaves(params, tuned);
  return { config, params, tuned, leaves, classifier, classifierOptimizer, thetaOptimizer: thetaOptimizer(leaves, config.theta) };
}

/** Claim 2's m random numbers, from torch's generator (which checkpoints save and restore). */
export function drawSeeds(m: number): number[] {
  return torch.scope(() => Array.from(torch.randint(0, 2 ** 31 - 1, [m], { dtype: 'int64' }).toTypedArray() as BigInt64Array, Number));
}

/** One iteration on a batch of n real images [n, 3, H, W] in [0, 1]; `seeds` default to m fresh random numbers. */
export function trainStep(tr: RenderTraining, real: Tensor, seeds = drawSeeds(tr.config.m)): RenderStepScalars {
  const c = tr.config;
  return torch.scope(() => {
    const rgb = render(seeds.map((s) => makeScene(c.scene, s, c.size)), tr.params).rgb;
    const m = rgb.shape[0], n = real.shape[0];
    tr.classifier.train();

    tr.classifierOptimizer.zeroGrad();
    const logits = tr.classifier.forward(torch.cat([rgb.detach(), real]));
    const renderedLogits = logits.narrow(0, 0, m), realLogits = logits.narrow(0, m, n);
    const dLoss = classifierLoss(renderedLogits, realLogits, c.reduction);
    dLoss.backward();
    tr.classifierOptimizer.step();
    const accReal = accuracy(realLogits, 1), accRendered = accuracy(renderedLogits, 0);

    // The θ step scores the same renders with the updated classifier; only θ's gradient is taken.
    const gLoss = thetaLoss(scoreRendered(tr.classifier, rgb, real), n, c.reduction, c.theta.loss);
    const grads = torch.autograd.grad(gLoss, tr.leaves, { allowUnused: true });
    let sq = 0;
    tr.leaves.forEach((leaf, i) => {
      const g = grads[i] ?? torch.zerosLike(leaf);
      sq += g.square().sum().item();
      leaf.grad = g;
    });
    tr.thetaOptimizer.step();
    tr.thetaOptimizer.zeroGrad();
    return {
      loss: dLoss.item(), thetaLoss: gLoss.item(), accuracy: (accReal * n + accRendered * m) / (m + n),
      accuracyReal: accReal, accuracyRendered: accRendered, thetaGradNorm: Math.sqrt(sq),
    };
  });
}
