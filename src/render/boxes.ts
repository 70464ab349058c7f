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
    // Per id: x1, y1, x2, y2, pixels, indexed by id (ids are small); class votes in a map per id.
    const stats: number[][] = [];
    const votes: Map<number, number>[] = [];
    for (let y = 0, i = b * H * W; y < H; y++) {
      for (let x = 0; x < W; x++, i++) {
        const id = ids[i];
        if (id <= 0) continue;
        let s = stats[id];
        if (!s) {
          s = stats[id] = [x, y, x + 1, y + 1, 0];
          votes[id] = new Map();
        }
        if (x < s[0]) s[0] = x;
        if (x + 1 > s[2]) s[2] = x + 1;
        s[3] = y + 1;
        s[4]++;
        votes[id].set(cls[i], (votes[id].get(cls[i]) ?? 0) + 1);
      }
    }
    const boxes: Box[] = [];
    stats.forEach((s, id) => {
      let best = -1, most = 0;
      for (const [c, n] of votes[id]) if (n > most || (n === most && c < best)) { best = c; most = n; }
      boxes.push({ x1: s[0], y1: s[1], x2: s[2], y2: s[3], classId: best, instanceId: id, pixels: s[4] });
    });
    out.push(boxes);
  }
  return out;
}
