// `shiftkit render generate` (claim 6: render the task's training images with the tuned θ): a labelled dataset in
// the Cityscapes layout with depth, boxes, cameras and gaze (data/synth/cityscapes_writer.ts), rendered in batches.
// Street scenes give Cityscapes labels, instances and boxes; face scenes give face-part maps and gaze labels.
import * as torch from '../../torch/index.js';
import { rawFromTensor, type RawImage } from '../../io/image.js';
import { CityscapesWriter, type Gaze, type LabelledImage } from '../../data/synth/cityscapes_writer.js';
import { kMatrix, poseMatrix } from '../../render/camera.js';
import { render, type RenderOutput } from '../../render/render.js';
import type { RenderParams } from '../../render/params.js';
import type { Scene } from '../../render/primitives.js';
import { deriveSeed } from '../../render/random.js';
import type { FaceScene } from '../../render/scenes/face.js';
import type { SceneKind } from './config.js';
import { makeScene } from './scenes.js';

/** A rendered batch as written: what render() returns, for the scenes it rendered. */
export type RenderedBatch = Pick<RenderOutput, 'rgb' | 'semantic' | 'instance' | 'depth' | 'boxes'> & { scenes: Scene[] };

export interface GenerateOptions {
  params: RenderParams;
  scene: SceneKind;
  count: number;
  out: string;
  /** [height, width]. */
  size: [number, number];
  /** Scene i of a split is drawn from deriveSeed(seed, '<split>/<i>'). */
  seed?: number;
  split?: string;
  city?: string;
  /** Scenes rendered together. */
  batch?: number;
  /** Changes each rendered batch before it is written (the benchmark's target domain: lens distortion, blur). */
  effects?: (b: RenderedBatch) => RenderedBatch;
  /** Changes each image's pixels before they are written (JPEG compression). */
  pixels?: (rgb: RawImage) => Promise<RawImage>;
  /** Added to every camera JSON (e.g. the distortion applied). */
  cameraInfo?: Record<string, unknown>;
  onProgress?: (done: number, total: number) => void;
}

const rows = (flat: number[], n: number): number[][] => Array.from({ length: flat.length / n }, (_, r) => flat.slice(r * n, (r + 1) * n));

/** A face's gaze labels: MPIIGaze pitch/yaw and vector in the camera frame, eye and face centres, head rotation. */
function gazeOf(s: FaceScene): Gaze {
  const m = s.meta;
  return {
    pitch: m.pitchYaw[0], yaw: m.pitchYaw[1], vector: m.gaze, eyeCenters2d: m.eyeCenters2d, faceCenter2d: m.faceCenter2d,
    eyeCenters: m.eyeCenters, faceCenter: m.faceCenter, headRotation: m.headRotation,
  };
}

export function imageName(city: string, i: number): string {
  return `${city}_000000_${String(i).padStart(6, '0')}`;
}

/** Renders `count` scenes with θ = params and writes them under `out`; returns the number of images written. */
export async function generate(o: GenerateOptions): Promise<number> {
  const split = o.split ?? 'train', city = o.city ?? 'synth', seed = o.seed ?? 0, per = o.batch ?? 8;
  if (!(Number.isInteger(o.count) && o.count >= 1)) throw new Error(`render generate: count must be a positive integer, got ${o.count}`);
  const writer = new CityscapesWriter(o.out, split, city);
  for (let start = 0; start < o.count; start += per) {
    const ids = Array.from({ length: Math.min(per, o.count - start) }, (_, k) => start + k);
    const images: LabelledImage[] = torch.scope(() => torch.noGrad(() => {
      const scenes = ids.map((i) => makeScene(o.scene, deriveSeed(seed, `${split}/${i}`), o.size));
      const rendered: RenderedBatch = { ...render(scenes, o.params), scenes };
      const b = o.effects ? o.effects(rendered) : rendered;
      const semantic = b.semantic.to('uint8').contiguous(), instance = b.instance.to('int32').contiguous();
      const depth = b.depth.to('float32').contiguous();
      return ids.map((i, k): LabelledImage => {
        const classes = new Uint8Array(semantic.select(0, k).toTypedArray() as Uint8Array);
        const common = {
          name: imageName(city, i), rgb: rawFromTensor(b.rgb.select(0, k)),
          depth: new Float32Array(depth.select(0, k).toTypedArray() as Float32Array),
          camera: { K: rows(kMatrix(b.scenes[k].camera.K), 3), pose: rows(poseMatrix(b.scenes[k].camera), 4), seed: b.scenes[k].seed, ...o.cameraInfo },
        };
        if (o.scene === 'face') return { ...common, parts: classes, gaze: gazeOf(b.scenes[k] as FaceScene) };
        return { ...common, semantic: classes, instance: new Int32Array(instance.select(0, k).toTypedArray() as Int32Array), boxes: b.boxes[k] };
      });
    }));
    for (const im of images) await writer.write(o.pixels ? { ...im, rgb: await o.pixels(im.rgb) } : im);
    o.onProgress?.(start + ids.length, o.count);
  }
  writer.finish();
  return o.count;
}
