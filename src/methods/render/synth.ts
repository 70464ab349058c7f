// `shiftkit data synth`: the built-in domain-shift benchmark every method is shown on. Both domains are street
// scenes in the Cityscapes layout (generate.ts), with train and val splits:
//   source  rendered with the built-in default θ;
//   target  rendered with a hidden θ* (other light colour, intensity and direction, ambient light, albedos, fog)
//           and then through what the renderer does not model: radial lens distortion (labels resampled with
//           nearest neighbour, so they stay aligned), a defocus blur and JPEG compression.
// θ* is saved as target/theta.json for the parameter-recovery experiment; benchmark.json describes the whole.
import fs from 'node:fs';
import path from 'node:path';
import { defocusBlur, distort, jpegRoundTrip, type Distortion } from '../../data/synth/effects.js';
import { boxesFromInstances } from '../../render/boxes.js';
import { RenderParams, type ParamValue } from '../../render/params.js';
import { deriveSeed } from '../../render/random.js';
import { writeFileAtomic } from '../../util/atomic.js';
import { generate, type RenderedBatch } from './generate.js';

/** θ* of the target domain: the entries that differ from the street defaults (late-afternoon sun, hazier). */
export const HIDDEN_THETA: Record<string, ParamValue> = {
  'light0.color': [1, 0.8, 0.6],
  'light0.intensity': 1.2,
  'light0.azimuth': -60,
  'light0.elevation': 25,
  'ambient.color': [0.8, 0.75, 0.7],
  'ambient.intensity': 0.8,
  'material.road.albedo': [0.28, 0.27, 0.26],
  'material.sidewalk.albedo': [0.55, 0.5, 0.42],
  'material.building.albedo': [0.42, 0.42, 0.45],
  'material.foliage.albedo': [0.1, 0.24, 0.12],
  'material.terrain.albedo': [0.4, 0.36, 0.18],
  'fog.density': 0.012,
};

export interface TargetEffects {
  distortion: Distortion;
  /** Disc radius in pixels at 256 pixels of image width (scaled with the width). */
  defocusRadius: number;
  jpegQuality: number;
}

export const TARGET_EFFECTS: TargetEffects = { distortion: { k1: -0.12, k2: -0.02 }, defocusRadius: 1.5, jpegQuality: 60 };

/** The scene seed of a domain's splits: the tuned source of the demo re-renders the source's scenes with it. */
export const domainSeed = (seed: number, domain: 'source' | 'target'): number => deriveSeed(seed, domain);

export function hiddenTheta(): RenderParams {
  const p = RenderParams.defaults('street');
  for (const [name, v] of Object.entries(HIDDEN_THETA)) p.set(name, v);
  return p;
}

/** Distortion and defocus on a rendered batch: images bilinear, every map nearest, boxes from the distorted maps. */
export function applyTargetEffects(b: RenderedBatch, e: TargetEffects): RenderedBatch {
  const d = e.distortion;
  const map = (t: typeof b.depth) => distort(t.unsqueeze(1), d, 'nearest').squeeze(1);
  const semantic = map(b.semantic), instance = map(b.instance);
  const radius = (e.defocusRadius * b.rgb.shape[3]) / 256;
  return { ...b, rgb: defocusBlur(distort(b.rgb, d, 'bilinear'), radius), semantic, instance, depth: map(b.depth), boxes: boxesFromInstances(instance, semantic) };
}

export interface SynthOptions {
  out: string;
  /** [height, width]. */
  size: [number, number];
  train: number;
  val: number;
  seed?: number;
  batch?: number;
  onProgress?: (what: string, done: number, total: number) => void;
}

export async function buildSynthBenchmark(o: SynthOptions): Promise<void> {
  const seed = o.seed ?? 0;
  const domains = [
    { name: 'source', params: RenderParams.defaults('street'), effects: undefined },
    { name: 'target', params: hiddenTheta(), effects: TARGET_EFFECTS },
  ] as const;
  for (const dom of domains) {
    const dir = path.join(o.out, dom.name);
    fs.mkdirSync(dir, { recursive: true });
    await dom.params.save(path.join(dir, 'theta.json'));
    for (const [split, count] of [['train', o.train], ['val', o.val]] as const) {
      if (count === 0) continue;
      const e = dom.effects;
      await generate({
        params: dom.params, scene: 'street', count, out: dir, size: o.size, seed: domainSeed(seed, dom.name), split, city: dom.name,
        batch: o.batch,
        effects: e && ((b) => applyTargetEffects(b, e)),
        pixels: e && ((rgb) => jpegRoundTrip(rgb, e.jpegQuality)),
        cameraInfo: e && { distortion: { model: 'radial, r normalised by the half diagonal', ...e.distortion } },
        onProgress: (done, total) => o.onProgress?.(`${dom.name}/${split}`, done, total),
      });
    }
    dom.params.dispose();
  }
  const description = {
    format: 'shiftkit-synth', version: 1, size: o.size, seed, splits: { train: o.train, val: o.val },
    layout: 'Cityscapes (leftImg8bit, gtFine labelIds/instanceIds) + depth (KITTI 16-bit) + camera JSON + COCO boxes',
    source: { theta: 'source/theta.json' },
    target: { theta: 'target/theta.json', effects: TARGET_EFFECTS },
  };
  writeFileAtomic(path.join(o.out, 'benchmark.json'), `${JSON.stringify(description, null, 2)}\n`);
}
