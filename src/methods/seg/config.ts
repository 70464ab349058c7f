// The seg method's configuration: every field has a default (the published settings where there are some:
// DeepLab-v2 on ResNet-101 at output stride 8 and SGD as AdaptSegNet, uncertainty-aware mean teacher as
// UA-MT, FDA's beta), objects are strict so a misspelt field is an error rather than a silent default.
import { z } from 'zod';
import { backboneNames } from '../../nn/backbone.js';
import { headNames } from '../../nn/segnet.js';

const nonNegative = z.number().min(0);
const positiveInt = z.number().int().positive();
const fraction = z.number().min(0).max(1);
/** [height, width] in pixels. */
const size = (h: number, w: number) => z.tuple([positiveInt, positiveInt]).default([h, w]);
/** Steps of a ramp; null means the whole run (`steps`). */
const rampSteps = z.number().int().min(0).nullable().default(null);

export const datasetKinds = ['cityscapes', 'gta5', 'synthia', 'synth', 'folder'] as const;

const domain = (kind: (typeof datasetKinds)[number], root: string, split: string) => z.object({
  kind: z.enum(datasetKinds).default(kind),
  root: z.string().default(root),
  split: z.string().default(split),
}).strict().default({});

/** The perturbation of one copy of the target image; each copy draws its own random values. */
const noise = z.object({
  /** clamp(sigma * randn, -clamp, clamp) added to the [0, 1] image (UA-MT's 0.1 and 0.2). */
  gaussian: z.object({ sigma: nonNegative.default(0.1), clamp: nonNegative.default(0.2) }).strict().default({}),
  /** Factors drawn per image from [1 - x, 1 + x], applied in this order; 0 turns one off. */
  jitter: z.object({
    brightness: fraction.default(0.2), contrast: fraction.default(0.2), saturation: fraction.default(0.2),
  }).strict().default({}),
  /** Gaussian blur of an image with probability p, its sigma (pixels) drawn uniformly from the range. */
  blur: z.object({ p: fraction.default(0.5), sigma: z.tuple([nonNegative, nonNegative]).default([0.1, 1.5]) }).strict().default({}),
}).strict().default({});

export const segConfigSchema = z.object({
  model: z.object({
    backbone: z.enum(backboneNames).default('resnet101'),
    head: z.enum(headNames).default('deeplabv2'),
    outputStride: z.union([z.literal(8), z.literal(16), z.literal(32)]).default(8),
    /** A safetensors file of torchvision ResNet weights (e.g. ImageNet, from scripts/export_torchvision.py); '' for none. */
    backboneWeights: z.string().default(''),
    /** null: 16 when the source is SYNTHIA, else 19 (the Cityscapes train ids). */
    numClasses: z.number().int().min(2).nullable().default(null),
  }).strict().default({}),
  data: z.object({
    source: domain('gta5', 'data/gta5', 'train'),
    target: domain('cityscapes', 'data/cityscapes', 'train'),
    val: domain('cityscapes', 'data/cityscapes', 'val'),
    /** Random crop of training images. */
    crop: size(512, 1024),
    /** Random rescale range before cropping. */
    scale: z.tuple([z.number().positive(), z.number().positive()]).default([0.5, 1.0]),
    flip: z.boolean().default(true),
    batchSize: positiveInt.default(2),
    workers: z.number().int().min(0).default(2),
  }).strict().default({}),
  noise: z.object({ student: noise, teacher: noise }).strict().default({}),
  confidence: z.object({
    /** entropy of the teacher's mean softmax (UA-MT), its maximum probability, or none (every pixel counts). */
    mode: z.enum(['entropy', 'maxprob', 'none']).default('entropy'),
    /** K stochastic teacher passes (fresh noise, dropout) averaged; UA-MT uses 8. */
    passes: positiveInt.default(1),
    /** Entropy threshold as fractions of ln C: confident below start -> end over the ramp (UA-MT: 0.75 -> 1). */
    entropy: z.object({ start: nonNegative.default(0.75), end: nonNegative.default(1) }).strict().default({}),
    /** Maximum-probability threshold: confident at or above start -> end over the ramp. */
    maxprob: z.object({ start: fraction.default(0.9), end: fraction.default(0.9) }).strict().default({}),
    rampupSteps: rampSteps,
  }).strict().default({}),
  consistency: z.object({
    /** softmax MSE between student and teacher, or cross-entropy against the teacher's argmax. */
    loss: z.enum(['mse', 'ce']).default('mse'),
    /** lambda(t) = lambdaMax * exp(-5 (1 - t / rampupSteps)^2); rampupSteps 0 gives a fixed lambdaMax. The MSE is
     * a mean over classes (about 1e-4..1e-2 per pixel), so it takes weights like mean teacher's (10 on ImageNet,
     * 100 on CIFAR-10); around 1 suits 'ce'. */
    lambdaMax: nonNegative.default(10),
    rampupSteps: rampSteps,
  }).strict().default({}),
  style: z.object({
    /** fda: Fourier low-frequency amplitude swap; colour: Lab mean/std transfer; folder: pre-translated
     * source images read from `folder`; none: the source images as they are. */
    kind: z.enum(['fda', 'colour', 'folder', 'none']).default('fda'),
    /** FDA's window: frequencies below floor(beta * min(H, W)) on both axes take the target's amplitude. */
    beta: fraction.default(0.01),
    folder: z.string().default(''),
  }).strict().default({}),
  ema: z.object({ decay: fraction.default(0.99) }).strict().default({}),
  optimizer: z.object({
    kind: z.enum(['sgd', 'adamw']).default('sgd'),
    lr: z.number().positive().default(2.5e-4),
    momentum: fraction.default(0.9),
    betas: z.tuple([fraction, fraction]).default([0.9, 0.999]),
    weightDecay: nonNegative.default(5e-4),
    /** Poly decay power: lr * (1 - t / steps)^power. */
    power: nonNegative.default(0.9),
    /** The head learns this many times faster than the backbone (AdaptSegNet: 10). */
    headLrMultiplier: z.number().positive().default(10),
  }).strict().default({}),
  steps: positiveInt.default(20000),
  /** The target-domain branch (student/teacher consistency); off gives the source-only baseline. */
  adaptation: z.boolean().default(true),
  /** Supervised loss on source labels. */
  sourceLabels: z.boolean().default(true),
  /** Supervised loss on target labels (the target oracle: with adaptation and sourceLabels off). */
  targetLabels: z.boolean().default(false),
  eval: z.object({
    every: positiveInt.default(1000),
    mode: z.enum(['whole', 'sliding']).default('whole'),
    window: size(512, 1024),
    stride: size(341, 683),
    /** The network evaluated and saved for inference. */
    model: z.enum(['teacher', 'student']).default('teacher'),
  }).strict().default({}),
  checkpoint: z.object({ every: positiveInt.default(1000) }).strict().default({}),
  seed: z.number().int().min(0).default(0),
}).strict().superRefine((c, ctx) => {
  if (c.style.kind === 'folder' && c.style.folder === '') {
    ctx.addIssue({ code: 'custom', path: ['style', 'folder'], message: "required when style.kind is 'folder'" });
  }
  if (!c.sourceLabels && !c.targetLabels && !c.adaptation) {
    ctx.addIssue({ code: 'custom', path: ['adaptation'], message: 'nothing to train: sourceLabels, targetLabels and adaptation are all off' });
  }
  for (const copy of ['student', 'teacher'] as const) {
    const [lo, hi] = c.noise[copy].blur.sigma;
    if (lo > hi) ctx.addIssue({ code: 'custom', path: ['noise', copy, 'blur', 'sigma'], message: 'must be [min, max]' });
  }
  if (c.data.scale[0] > c.data.scale[1]) ctx.addIssue({ code: 'custom', path: ['data', 'scale'], message: 'must be [min, max]' });
});

export type SegConfig = z.infer<typeof segConfigSchema>;
export type NoiseConfig = SegConfig['noise']['student'];

/** The number of classes: the configured one, else 16 for a SYNTHIA source and 19 otherwise. */
export function classCount(c: SegConfig): number {
  return c.model.numClasses ?? (c.data.source.kind === 'synthia' ? 16 : 19);
}
