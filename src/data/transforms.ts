// Augmentation pipelines from plain config (a list of steps, e.g. from YAML), applied to an image and its
// label maps alike. Sizes are [height, width]. Every random choice comes from the sample's Rng, in step order.
// The result is a normalised float32 CHW image and byte label maps (255 = ignore); in between, the image is
// float32 CHW planes in [0, 1] (see image_ops/geometry.ts).
import { z } from 'zod';
import type { ArrayField } from './dataset.js';
import { gaussianBlur } from './image_ops/blur.js';
import { colorJitter } from './image_ops/color.js';
import { View, type FloatPixels, type Labelled } from './image_ops/geometry.js';
import type { Rng } from './random.js';

export const IMAGENET_MEAN: [number, number, number] = [0.485, 0.456, 0.406];
export const IMAGENET_STD: [number, number, number] = [0.229, 0.224, 0.225];

const size = z.tuple([z.number().int().positive(), z.number().int().positive()]);
const prob = z.number().min(0).max(1);
const positivePair = z.tuple([z.number().positive(), z.number().positive()]).refine(([a, b]) => a <= b, 'needs lo <= hi');
const factor = z.union([z.number().nonnegative(), z.tuple([z.number().nonnegative(), z.number().nonnegative()])]);
const hue = z.union([z.number().min(0).max(0.5), z.tuple([z.number().min(-0.5).max(0.5), z.number().min(-0.5).max(0.5)])]);
const triple = z.tuple([z.number(), z.number(), z.number()]);

const step = z.discriminatedUnion('op', [
  /** Resize to a fixed size (bilinear image, nearest labels). */
  z.object({ op: z.literal('resize'), size }).strict(),
  /** Resize by a factor drawn uniformly from range (sizes rounded). */
  z.object({ op: z.literal('randomScale'), range: positivePair }).strict(),
  /** A window at a uniformly drawn position; an image smaller than it is padded at the bottom/right first. */
  z.object({ op: z.literal('randomCrop'), size }).strict(),
  z.object({ op: z.literal('hflip'), p: prob.default(0.5) }).strict(),
  /** torchvision ColorJitter, applied with probability p. */
  z.object({ op: z.literal('colorJitter'), brightness: factor.optional(), contrast: factor.optional(),
    saturation: factor.optional(), hue: hue.optional(), p: prob.default(1) }).strict(),
  /** Gaussian blur with sigma drawn uniformly from sigma, kernel 2*ceil(3 sigma)+1, with probability p. */
  z.object({ op: z.literal('gaussianBlur'), sigma: positivePair, p: prob.default(1) }).strict(),
  /** (x - mean) / std per channel; must be the last step. Without it the output stays in [0, 1]. */
  z.object({ op: z.literal('normalize'), mean: triple.default(IMAGENET_MEAN), std: triple.default(IMAGENET_STD) }).strict(),
]);

export const transformConfig = z.array(step).superRefine((steps, ctx) => {
  const k = steps.findIndex((s) => s.op === 'normalize');
  if (k >= 0 && k !== steps.length - 1) ctx.addIssue({ code: 'custom', path: [k], message: 'normalize must be the last step' });
});
export type TransformConfig = z.input<typeof transformConfig>;
type Step = z.output<typeof step>;

export interface Transformed { image: ArrayField; labels: ArrayField[] }
export type Transform = (input: Labelled, rng: Rng) => Transformed;

/** A pipeline from its config; bad config is an Error naming the step and field. */
export function compose(config: TransformConfig = []): Transform {
  const parsed = transformConfig.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid transforms config at [${issue.path.join('][')}]: ${issue.message}`);
  }
  const steps = parsed.data;
  const last = steps.at(-1);
  const norm = last?.op === 'normalize' ? last : null;
  return (input, rng) => {
    const work = new Work(input);
    for (const s of steps) apply(s, rng, work);
    const { image, labels } = work.pixels();
    return {
      image: normalize(image, norm),
      labels: labels.map((data) => ({ data, shape: [image.height, image.width] })),
    };
  };
}

/**
 * The sample being transformed. Geometry stays a lazy view until a colour step needs pixels, so resize +
 * crop + flip compute each output pixel once; colour steps then work on the (cropped) pixels in place.
 */
class Work {
  private view: View | null;
  private px: { image: FloatPixels; labels: Uint8Array[] } | null = null;

  constructor(input: Labelled) {
    this.view = new View(input);
  }

  geometry(): View {
    if (!this.view) [this.view, this.px] = [new View(this.px!), null];
    return this.view;
  }

  pixels(): { image: FloatPixels; labels: Uint8Array[] } {
    if (this.view) [this.px, this.view] = [this.view.materialize(), null];
    return this.px!;
  }
}

function apply(s: Step, rng: Rng, work: Work): void {
  switch (s.op) {
    case 'resize':
      work.geometry().resize(s.size[0], s.size[1]);
      break;
    case 'randomScale': {
      const v = work.geometry();
      const f = rng.uniform(s.range[0], s.range[1]);
      v.resize(Math.max(1, Math.round(v.height * f)), Math.max(1, Math.round(v.width * f)));
      break;
    }
    case 'randomCrop': {
      const v = work.geometry();
      const [h, w] = s.size;
      const top = rng.int(0, Math.max(v.height - h, 0) + 1);
      const left = rng.int(0, Math.max(v.width - w, 0) + 1);
      v.crop(top, left, h, w);
      break;
    }
    case 'hflip':
      if (rng.bool(s.p)) work.geometry().hflip();
      break;
    case 'colorJitter':
      if (rng.bool(s.p)) colorJitter(work.pixels().image, s, rng);
      break;
    case 'gaussianBlur':
      if (rng.bool(s.p)) {
        const px = work.pixels();
        px.image = gaussianBlur(px.image, rng.uniform(s.sigma[0], s.sigma[1]));
      }
      break;
    case 'normalize':
      break; // applied to the final pixels
  }
}

/** (x - mean) / std per plane, in place. */
function normalize(img: FloatPixels, norm: { mean: number[]; std: number[] } | null): ArrayField {
  const { width: w, height: h, channels: c, data } = img;
  if (norm) {
    if (c !== norm.mean.length) throw new Error(`normalize has ${norm.mean.length} channel statistics, the image has ${c} channels`);
    const n = w * h;
    for (let ch = 0; ch < c; ch++) {
      const [m, s] = [norm.mean[ch], norm.std[ch]];
      for (let p = ch * n; p < (ch + 1) * n; p++) data[p] = (data[p] - m) / s;
    }
  }
  return { data, shape: [c, h, w] };
}
