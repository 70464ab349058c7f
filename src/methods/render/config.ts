// The render method's configuration (claims of CN108876764A): every field has a default; objects are strict so a
// misspelt field is an error rather than a silent default.
import { z } from 'zod';

const positiveInt = z.number().int().positive();
const fraction = z.number().min(0).max(1);

export const sceneKinds = ['street', 'face'] as const;
export type SceneKind = (typeof sceneKinds)[number];

export const renderConfigSchema = z.object({
  scene: z.enum(sceneKinds).default('street'),
  /** [height, width] of rendered and real images (real images are resized to it); small, as every iteration
   * renders m images with gradients on the CPU. */
  size: z.tuple([positiveInt, positiveInt]).default([64, 128]),
  /** Claim 2: m rendered images (m scene random numbers) and n real images per iteration. */
  m: positiveInt.default(8),
  n: positiveInt.default(8),
  real: z.object({
    /** Folder of real images (any layout, .png/.jpg/.webp); `--real` sets it. */
    folder: z.string().default(''),
    workers: z.number().int().min(0).default(0),
  }).strict().default({}),
  classifier: z.object({
    /** cnn: one logit per image (global average pool); patchgan: a logit per patch, averaged per image. */
    kind: z.enum(['cnn', 'patchgan']).default('cnn'),
    /** Channels of the first conv layer; each further layer doubles them. */
    width: positiveInt.default(32),
    /** Stride-2 conv layers. */
    layers: z.number().int().min(1).max(6).default(3),
    /** Normalisation after every conv but the first. Instance norm hides global colour and brightness, which are
     * what the lighting parameters change, so it is not the default. */
    norm: z.enum(['none', 'batch', 'instance']).default('none'),
    optimizer: z.enum(['sgd', 'adam']).default('adam'),
    lr: z.number().positive().default(2e-4),
    /** Adam's betas (GAN practice: 0.5, 0.999); SGD's momentum. */
    betas: z.tuple([fraction, fraction]).default([0.5, 0.999]),
    momentum: fraction.default(0),
  }).strict().default({}),
  /** Claim 3: the classifier loss is the sum or the mean of the m + n per-image sub-losses. */
  reduction: z.enum(['sum', 'mean']).default('mean'),
  theta: z.object({
    /** A render-params JSON file with the empirical initial θ (claim 4); '' = the scene's built-in defaults. */
    init: z.string().default(''),
    /** Entries tuned, as name patterns ('*' matches anything, e.g. 'material.*.albedo'); the others stay fixed. */
    tune: z.array(z.string().min(1)).min(1).default(['*']),
    /** sgd: plain gradient descent θ <- θ - lr * gradient (claim 4), on θ's unconstrained coordinates; adam: an option. */
    optimizer: z.enum(['sgd', 'adam']).default('sgd'),
    lr: z.number().positive().default(0.5),
    /** The θ step's loss: rendered images labelled real (non-saturating, -log D), or minus the classifier loss. */
    loss: z.enum(['nonsaturating', 'minimax']).default('nonsaturating'),
  }).strict().default({}),
  steps: positiveInt.default(2000),
  stop: z.object({
    /** Stop once the classifier's accuracy, averaged over the last `window` iterations, is within `tolerance` of
     * 0.5 (chance), checked at every evaluation from `minSteps` on. */
    window: positiveInt.default(100),
    tolerance: fraction.default(0.05),
    minSteps: z.number().int().min(0).default(200),
  }).strict().default({}),
  eval: z.object({
    every: positiveInt.default(100),
    /** Renders and real images compared by the kernel MMD. */
    images: z.number().int().min(2).default(64),
  }).strict().default({}),
  seed: z.number().int().min(0).default(0),
}).strict();

export type RenderConfig = z.infer<typeof renderConfigSchema>;
