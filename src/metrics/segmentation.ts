// Semantic segmentation scores from a confusion matrix, as cityscapesScripts' evalPixelLevelSemanticLabeling:
// pixels whose ground truth is the ignore index are left out; IoU_c = TP / (TP + FP + FN); a class with
// TP + FP + FN = 0 (absent from the ground truth and never predicted on evaluated pixels) has IoU NaN and is
// left out of the mean; a class absent from the ground truth but predicted somewhere has IoU 0 and counts.
import * as torch from '../torch/index.js';
import type { Tensor } from '../torch/index.js';

export interface SegmentationScores {
  mIoU: number;
  pixelAccuracy: number;
  /** Per class, NaN where the class is neither in the ground truth nor predicted. */
  iou: number[];
  /** Evaluated pixels (ground truth not ignored). */
  pixels: number;
}

export class ConfusionMatrix {
  /** counts[gt * numClasses + pred]: pixels of ground-truth class gt predicted as pred (rows: ground truth). */
  readonly counts: Float64Array;

  constructor(readonly numClasses: number, readonly ignoreIndex = 255) {
    if (!Number.isInteger(numClasses) || numClasses < 1) throw new Error(`ConfusionMatrix: numClasses must be a positive integer, got ${numClasses}`);
    this.counts = new Float64Array(numClasses * numClasses);
  }

  /** Adds the pixels of integer maps `pred` and `target` of the same shape (e.g. [N, H, W]). */
  update(pred: Tensor, target: Tensor): void {
    if (pred.shape.join() !== target.shape.join()) {
      throw new Error(`ConfusionMatrix: prediction shape [${pred.shape}] differs from label shape [${target.shape}]`);
    }
    const C = this.numClasses;
    const counts = torch.scope(() => {
      const gt = target.long().flatten();
      const valid = gt.ne(this.ignoreIndex);
      const g = gt.maskedSelect(valid);
      const p = pred.long().flatten().maskedSelect(valid);
      checkRange(g, C, 'label', `and is not the ignore index ${this.ignoreIndex}`);
      checkRange(p, C, 'prediction', 'on a pixel with a label');
      return torch.bincount(g.mul(C).add(p), C * C).toTypedArray() as BigInt64Array;
    });
    for (let i = 0; i < counts.length; i++) this.counts[i] += Number(counts[i]);
  }

  /** Adds another matrix's counts (e.g. from another worker). */
  merge(other: ConfusionMatrix): void {
    if (other.numClasses !== this.numClasses) throw new Error(`ConfusionMatrix: cannot merge ${other.numClasses} classes into ${this.numClasses}`);
    for (let i = 0; i < this.counts.length; i++) this.counts[i] += other.counts[i];
  }

  at(gt: number, pred: number): number { return this.counts[gt * this.numClasses + pred]; }

  iou(): number[] {
    const C = this.numClasses;
    return Array.from({ length: C }, (_, c) => {
      let row = 0;
      let col = 0;
      for (let k = 0; k < C; k++) {
        row += this.at(c, k);
        col += this.at(k, c);
      }
      const tp = this.at(c, c);
      const denom = row + col - tp;
      return denom === 0 ? NaN : tp / denom;
    });
  }

  scores(): SegmentationScores {
    const iou = this.iou();
    const present = iou.filter((v) => !Number.isNaN(v));
    let pixels = 0;
    let correct = 0;
    for (let c = 0; c < this.numClasses; c++) correct += this.at(c, c);
    for (const v of this.counts) pixels += v;
    return {
      mIoU: present.length === 0 ? NaN : present.reduce((a, b) => a + b, 0) / present.length,
      pixelAccuracy: pixels === 0 ? NaN : correct / pixels,
      iou,
      pixels,
    };
  }

  /** Rows of ground truth, columns of predictions. */
  toJSON(): { numClasses: number; ignoreIndex: number; matrix: number[][] } {
    const C = this.numClasses;
    return { numClasses: C, ignoreIndex: this.ignoreIndex,
      matrix: Array.from({ length: C }, (_, r) => Array.from(this.counts.subarray(r * C, (r + 1) * C))) };
  }
}

function checkRange(values: Tensor, numClasses: number, what: string, note: string): void {
  const bad = values.lt(0).logicalOr(values.ge(numClasses));
  if (bad.any().item()) {
    const v = values.maskedSelect(bad).slice(0, 0, 1).item();
    throw new Error(`ConfusionMatrix: ${what} value ${v} is outside 0..${numClasses - 1} ${note}`);
  }
}
