// One training iteration of the confidence-weighted mean teacher (claims 1-5), one code path for every run:
//   source-only = adaptation off; adapted = adaptation on; target oracle = targetLabels on (adaptation and
//   sourceLabels off).
// BatchNorm, as the published mean-teacher code (CuriousAI/mean-teacher, UA-MT): both networks run in train
// mode, so the teacher normalises the target batch with its own batch statistics and keeps its own running
// statistics (gathered on target batches, which is what target evaluation needs); the EMA averages parameters
// only. Source and target batches go through the student separately, so each is normalised with its own
// domain's statistics (French et al.'s self-ensembling). When adaptation is off the teacher never runs, so
// its buffers are copied from the student instead.
import * as torch from '../../torch/index.js';
import { optim, type Tensor } from '../../torch/index.js';
import type { SegNet } from '../../nn/segnet.js';
import { classCount, type SegConfig } from './config.js';
import { confidenceMask, consistencyWeight, meanSoftmax, pseudoLabelCe, rampedThreshold, segLoss, softmaxMse } from './losses.js';
import { buildOptimizer, buildSegNet, buildTeacher } from './networks.js';
import { perturb } from './noise.js';
import { stylize } from './style.js';

/** Images [N, 3, H, W] RGB in [0, 1]; labels [N, H, W] train ids, 255 ignored. */
export interface SegBatch { image: Tensor; label?: Tensor }
export interface SegStepBatch { source: SegBatch; target: SegBatch }

export interface SegTraining {
  config: SegConfig;
  numClasses: number;
  student: SegNet;
  teacher: SegNet;
  ema: optim.ExponentialMovingAverage;
  optimizer: optim.Optimizer<optim.BaseOptions>;
  scheduler: optim.lrScheduler.PolyLR;
}

/** What one step reports (NaN for terms the config switches off). */
export interface SegStepScalars {
  loss: number;
  segSource: number;
  segTarget: number;
  consistency: number;
  lambda: number;
  threshold: number;
  /** Share of target pixels the teacher is confident on. */
  confident: number;
  lr: number;
  emaDecay: number;
}

/** Student, teacher, EMA and optimizer for a run; seeds torch's generator with config.seed first, so the initial
 * weights and every later draw (noise, dropout) follow from the config. */
export function createTraining(config: SegConfig): SegTraining {
  torch.manualSeed(config.seed);
  const student = buildSegNet(config);
  const teacher = buildTeacher(config, student);
  const ema = new optim.ExponentialMovingAverage({ parameters: teacher.namedParameters(),
    buffers: config.adaptation ? [] : teacher.namedBuffers() }, { copy: false });
  return { config, numClasses: classCount(config), student, teacher, ema, ...buildOptimizer(config, student) };
}

function labels(b: SegBatch, domain: string): Tensor {
  if (!b.label) throw new Error(`seg step: the ${domain} batch has no labels, but ${domain}Labels is on`);
  return b.label;
}

/** The teacher's mean softmax over K passes, each on a fresh noisy copy of the target (pass 1: the second copy). */
function teacherProbs(tr: SegTraining, target: Tensor): Tensor {
  const { passes } = tr.config.confidence;
  return torch.noGrad(() => torch.scope(() => {
    const copies = Array.from({ length: passes }, () => perturb(target, tr.config.noise.teacher));
    return meanSoftmax(tr.teacher.forward(passes === 1 ? copies[0] : torch.cat(copies)), passes);
  }));
}

/** One step at iteration `step` (0-based): losses, backward, optimizer and scheduler step, teacher EMA. */
export function trainStep(tr: SegTraining, batch: SegStepBatch, step: number): SegStepScalars {
  const c = tr.config;
  const out: SegStepScalars = { loss: NaN, segSource: NaN, segTarget: NaN, consistency: NaN, lambda: NaN, threshold: NaN,
    confident: NaN, lr: tr.optimizer.paramGroups[0].lr, emaDecay: optim.meanTeacherDecay(step, c.ema.decay) };
  torch.scope(() => {
    tr.student.train();
    tr.teacher.train();
    tr.optimizer.zeroGrad();
    const terms: Tensor[] = [];
    if (c.sourceLabels) {
      const styled = stylize(c.style, batch.source.image, batch.target.image);
      const loss = segLoss(tr.student.forward(styled), labels(batch.source, 'source'));
      out.segSource = loss.item();
      terms.push(loss);
    }
    if (c.adaptation || c.targetLabels) {
      const map1 = tr.student.forward(perturb(batch.target.image, c.noise.student));
      if (c.targetLabels) {
        const loss = segLoss(map1, labels(batch.target, 'target'));
        out.segTarget = loss.item();
        terms.push(loss);
      }
      if (c.adaptation) terms.push(consistencyTerm(tr, map1, teacherProbs(tr, batch.target.image), step, out));
    }
    const total = terms.reduce((a, b) => a.add(b));
    out.loss = total.item();
    total.backward();
    tr.optimizer.step();
  });
  tr.scheduler.step();
  tr.ema.update({ parameters: tr.student.namedParameters(), buffers: c.adaptation ? [] : tr.student.namedBuffers() }, out.emaDecay);
  return out;
}

// lambda(t) * consistency(map 1, map 2, confidence of map 2); records its scalars in `out`.
function consistencyTerm(tr: SegTraining, map1: Tensor, probs2: Tensor, step: number, out: SegStepScalars): Tensor {
  const c = tr.config;
  const conf = c.confidence;
  const confidenceRamp = conf.rampupSteps ?? c.steps;
  out.threshold = conf.mode === 'entropy'
    ? rampedThreshold(step, conf.entropy.start, conf.entropy.end, confidenceRamp) * Math.log(tr.numClasses)
    : conf.mode === 'maxprob' ? rampedThreshold(step, conf.maxprob.start, conf.maxprob.end, confidenceRamp) : NaN;
  const mask = confidenceMask(probs2, conf.mode, out.threshold);
  out.confident = mask.mean().item();
  const loss = c.consistency.loss === 'mse' ? softmaxMse(map1, probs2, mask) : pseudoLabelCe(map1, probs2, mask);
  out.consistency = loss.item();
  out.lambda = consistencyWeight(step, c.consistency.lambdaMax, c.consistency.rampupSteps ?? c.steps);
  return loss.mul(out.lambda);
}
