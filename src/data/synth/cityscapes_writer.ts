// Writes labelled images as a dataset in the Cityscapes layout, so the Cityscapes reader loads it unchanged, plus
// the labels other tasks need:
//   leftImg8bit/<split>/<city>/<name>_leftImg8bit.png      8-bit RGB
//   gtFine/<split>/<city>/<name>_gtFine_labelIds.png       8-bit Cityscapes labelIds (trainIds mapped back; 0 = unlabeled)
//   gtFine/<split>/<city>/<name>_gtFine_instanceIds.png    16-bit: labelId * 1000 + instance for objects, else labelId
//   depth/<split>/<city>/<name>_depth.png                  16-bit, KITTI convention: metres * 256, 0 = no depth
//   camera/<split>/<city>/<name>_camera.json               intrinsics (Cityscapes' fx, fy, u0, v0, and K) and the
//                                                          world -> camera pose (OpenCV axes: x right, y down, z forward)
//   annotations/instances_<split>.json                     COCO boxes; categories are the Cityscapes object classes
//   gaze/<split>.json and gaze/<split>.csv                 gaze pitch/yaw (radians) and 3-D unit vector
// Maps whose classes are not Cityscapes' (face parts) go to parts/<split>/<city>/<name>_parts.png as they are,
// without instance maps or boxes.
// Every file is written atomically; the COCO and gaze files when finish() is called.
import fs from 'node:fs';
import path from 'node:path';
import { writeImage, type RawImage } from '../../io/image.js';
import { writeFileAtomic } from '../../util/atomic.js';
import { cityscapesLut } from '../datasets/labels.js';

/** The Cityscapes object classes that have instances, with COCO category ids 1..8 (Detectron2/MMDetection order). */
export const COCO_CATEGORIES = [
  { id: 1, name: 'person', trainId: 11 }, { id: 2, name: 'rider', trainId: 12 }, { id: 3, name: 'car', trainId: 13 },
  { id: 4, name: 'truck', trainId: 14 }, { id: 5, name: 'bus', trainId: 15 }, { id: 6, name: 'train', trainId: 16 },
  { id: 7, name: 'motorcycle', trainId: 17 }, { id: 8, name: 'bicycle', trainId: 18 },
] as const;

/** trainId (0..18, 255 ignore) -> Cityscapes labelId (ignore -> 0, unlabeled): the reader's table inverted. */
export const TRAIN_TO_LABEL_ID: Uint8Array = (() => {
  const lut = cityscapesLut(19);
  const inverse = new Uint8Array(256);
  for (let labelId = 0; labelId < 256; labelId++) if (lut[labelId] !== 255) inverse[lut[labelId]] = labelId;
  return inverse;
})();

/** A pixel-edge box: columns x1..x2-1, rows y1..y2-1. */
export interface PixelBox { x1: number; y1: number; x2: number; y2: number; classId: number; instanceId: number; pixels: number }

/** Radians, and the unit gaze vector; any further fields (eye centres, head pose) go to the JSON table only. */
export interface Gaze { pitch: number; yaw: number; vector: [number, number, number]; [more: string]: unknown }

export interface LabelledImage {
  /** Cityscapes-style name, e.g. synth_000000_000042 (no suffix). */
  name: string;
  rgb: RawImage;
  /** Per pixel, row-major: Cityscapes trainIds (255 = ignore), instance ids (0 = none), depth in metres (0 = none). */
  semantic?: Uint8Array;
  /** Per pixel class ids of another label set (face parts), written unchanged. */
  parts?: Uint8Array;
  instance?: Int32Array;
  depth?: Float32Array;
  boxes?: PixelBox[];
  /** K (3x3) and the world -> camera pose [R t; 0 0 0 1] (4x4), as rows. */
  camera?: { K: number[][]; pose: number[][]; [more: string]: unknown };
  gaze?: Gaze;
}

export interface CocoImage { id: number; file_name: string; width: number; height: number }
export interface CocoAnnotation { id: number; image_id: number; category_id: number; bbox: [number, number, number, number]; area: number; iscrowd: 0; instance_id: number }

export function depthToKitti(depth: Float32Array): Uint16Array {
  const out = new Uint16Array(depth.length);
  for (let i = 0; i < depth.length; i++) {
    const v = Math.round(depth[i] * 256);
    out[i] = depth[i] > 0 && v <= 65535 ? v : 0; // beyond 256 m: no depth, as KITTI leaves far points out
  }
  return out;
}

export class CityscapesWriter {
  private readonly images: CocoImage[] = [];
  private readonly annotations: CocoAnnotation[] = [];
  private readonly gaze: ({ name: string } & Gaze)[] = [];

  constructor(readonly root: string, readonly split: string, readonly city: string) {}

  private file(kind: string, name: string, suffix: string): string {
    return path.join(this.root, kind, this.split, this.city, `${name}${suffix}`);
  }

  async write(s: LabelledImage): Promise<void> {
    const { width, height } = s.rgb;
    const plane = (data: Uint8Array | Uint16Array): RawImage => ({ data, width, height, channels: 1 });
    await writeImage(this.file('leftImg8bit', s.name, '_leftImg8bit.png'), s.rgb);
    if (s.semantic) {
      const labelIds = s.semantic.map((t) => TRAIN_TO_LABEL_ID[t]);
      await writeImage(this.file('gtFine', s.name, '_gtFine_labelIds.png'), plane(labelIds));
      if (s.instance) {
        const ids = new Uint16Array(labelIds.length);
        for (let i = 0; i < ids.length; i++) {
          const inst = s.instance[i];
          if (inst >= 1000) throw new Error(`${s.name}: instance id ${inst} does not fit Cityscapes' labelId * 1000 + id`);
          ids[i] = inst > 0 ? labelIds[i] * 1000 + inst : labelIds[i];
        }
        await writeImage(this.file('gtFine', s.name, '_gtFine_instanceIds.png'), plane(ids));
      }
    }
    if (s.parts) await writeImage(this.file('parts', s.name, '_parts.png'), plane(s.parts));
    if (s.depth) await writeImage(this.file('depth', s.name, '_depth.png'), plane(depthToKitti(s.depth)));
    if (s.camera) {
      const [[fx, , u0], [, fy, v0]] = s.camera.K;
      const json = { intrinsic: { fx, fy, u0, v0 }, width, height, ...s.camera };
      const file = this.file('camera', s.name, '_camera.json');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      writeFileAtomic(file, `${JSON.stringify(json, null, 1)}\n`);
    }
    const imageId = this.images.length + 1;
    this.images.push({ id: imageId, file_name: `${this.city}/${s.name}_leftImg8bit.png`, width, height });
    for (const b of s.boxes ?? []) {
      const cat = COCO_CATEGORIES.find((c) => c.trainId === b.classId);
      if (!cat) continue;
      this.annotations.push({
        id: this.annotations.length + 1, image_id: imageId, category_id: cat.id, bbox: [b.x1, b.y1, b.x2 - b.x1, b.y2 - b.y1],
        area: b.pixels, iscrowd: 0, instance_id: b.instanceId,
      });
    }
    if (s.gaze) this.gaze.push({ name: s.name, ...s.gaze });
  }

  /** Writes the split's COCO file (images with boxes or not) and, when any image had gaze, its gaze tables. */
  finish(): void {
    const write = (rel: string, text: string) => {
      const file = path.join(this.root, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      writeFileAtomic(file, text);
    };
    const categories = COCO_CATEGORIES.map(({ id, name }) => ({ id, name, supercategory: name === 'person' || name === 'rider' ? 'human' : 'vehicle' }));
    write(`annotations/instances_${this.split}.json`, JSON.stringify({
      info: { description: `ShiftKit renders, ${this.split}`, version: '1.0' }, images: this.images, annotations: this.annotations, categories,
    }));
    if (this.gaze.length > 0) {
      write(`gaze/${this.split}.json`, `${JSON.stringify(this.gaze, null, 1)}\n`);
      const rows = this.gaze.map((g) => [g.name, g.pitch, g.yaw, ...g.vector].join(','));
      write(`gaze/${this.split}.csv`, `name,pitch,yaw,x,y,z\n${rows.join('\n')}\n`);
    }
  }
}
