// 2-D boxes of the object instances visible in an instance map.
import type { Tensor } from '../torch/index.js';

/** Pixel-edge coordinates: the box covers columns x1 .. x2-1 and rows y1 .. y2-1. */
export interface Box { x1: number; y1: number; x2: number; y2: number; classId: number; instanceId: number; pixels: number }

/** Per image, one box per instance id > 0, sorted by id; its class is the most frequent class under its pixels. */
export function boxesFromInstances(instance: Tensor, semantic: Tensor): Box[][] {
  const [B, H, W] = instance.shape;
  const ids = instance.to('int32').contiguous().toTypedArray() as Int32Array;
  const cls = semantic.to('int32').contiguous().toTypedArray() as Int32Array;
  const out: Box[][] = [];
  for (let b = 0; b < B; b++) {
    const boxes = new Map<number, Box & { votes: Map<number, number> }>();
    for (let y = 0, i = b * H * W; y < H; y++) {
      for (let x = 0; x < W; x++, i++) {
        const id = ids[i];
        if (id <= 0) continue;
        let box = boxes.get(id);
        if (!box) {
          box = { x1: x, y1: y, x2: x + 1, y2: y + 1, classId: -1, instanceId: id, pixels: 0, votes: new Map() };
          boxes.set(id, box);
        }
        box.x1 = Math.min(box.x1, x); box.x2 = Math.max(box.x2, x + 1);
        box.y2 = y + 1;
        box.pixels++;
        box.votes.set(cls[i], (box.votes.get(cls[i]) ?? 0) + 1);
      }
    }
    out.push([...boxes.values()].sort((a, c) => a.instanceId - c.instanceId).map(({ votes, ...box }) => {
      let best = -1;
      for (const [c, n] of votes) if (best < 0 || n > votes.get(best)! || (n === votes.get(best)! && c < best)) best = c;
      return { ...box, classId: best };
    }));
  }
  return out;
}
