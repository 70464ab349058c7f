// The student, its mean teacher and the optimizer, built from the config.
import { SegNet } from '../../nn/segnet.js';
import { loadBackboneWeights } from '../../nn/backbone.js';
import { optim } from '../../torch/index.js';
import { classCount, type SegConfig } from './config.js';

/** The segmentation network the config describes, with its backbone weights loaded when a file is given. */
export function buildSegNet(c: SegConfig): SegNet {
  const net = new SegNet({ backbone: c.model.backbone, head: c.model.head, outputStride: c.model.outputStride, numClasses: classCount(c) });
  if (c.model.backboneWeights !== '') loadBackboneWeights(net.backbone, c.model.backboneWeights);
  return net;
}

/** A copy of the student that autograd never tracks: the mean teacher starts as the student. */
export function buildTeacher(c: SegConfig, student: SegNet): SegNet {
  const teacher = new SegNet(student.options);
  teacher.loadStateDict(student.stateDict());
  for (const p of teacher.parameters()) p.requiresGrad_(false);
  return teacher;
}

export interface SegOptimizer {
  optimizer: optim.Optimizer<optim.BaseOptions>;
  scheduler: optim.lrScheduler.PolyLR;
}

/** SGD (AdaptSegNet: momentum 0.9, weight decay 5e-4) or AdamW, head at headLrMultiplier x lr, poly decay. */
export function buildOptimizer(c: SegConfig, student: SegNet): SegOptimizer {
  const o = c.optimizer;
  const { backbone, head } = student.parameterGroups();
  const groups = [{ params: backbone, lr: o.lr }, { params: head, lr: o.lr * o.headLrMultiplier }];
  const optimizer: optim.Optimizer<optim.BaseOptions> = o.kind === 'sgd'
    ? new optim.SGD(groups, { lr: o.lr, momentum: o.momentum, weightDecay: o.weightDecay })
    : new optim.AdamW(groups, { lr: o.lr, betas: o.betas, weightDecay: o.weightDecay });
  return { optimizer, scheduler: new optim.lrScheduler.PolyLR(optimizer, { totalIters: c.steps, power: o.power }) };
}
