// Inference and evaluation: class probabilities from the whole image at once, or from overlapping windows
// averaged (for images larger than the network was trained on), then the confusion matrix against labels.
import * as torch from '../../torch/index.js';
import { F, type Tensor } from '../../torch/index.js';
import type { Layer } from '../../torch/nn/index.js';
import { ConfusionMatrix } from '../../metrics/segmentation.js';
import { ignoreIndex } from './losses.js';
import type { SegBatch } from './step.js';

export interface InferenceOptions {
  mode: 'whole' | 'sliding';
  /** Sliding window [height, width] and the step between windows. */
  window?: [number, number];
  stride?: [number, number];
}

/** Softmax probabilities [N, C, H, W] for images [N, 3, H, W], without autograd (the caller sets eval mode). */
export function inferProbs(model: Layer, image: Tensor, o: InferenceOptions): Tensor {
  return torch.noGrad(() => torch.scope(() => {
    if (o.mode === 'whole') return F.softmax(model.forward(image), 1);
    if (o.mode !== 'sliding' || !o.window || !o.stride) throw new Error(`inference: mode must be 'whole' or 'sliding' with window and stride`);
    return slidingProbs(model, image, o.window, o.stride);
  }));
}

// Window origins along an axis of length n: every stride, plus one flush with the far edge.
function origins(n: number, win: number, stride: number): number[] {
  const out: number[] = [];
  for (let p = 0; p + win < n; p += stride) out.push(p);
  out.push(n - win);
  return out;
}

// Images smaller than the window are zero-padded at the bottom and right, and the padding cut off again.
function slidingProbs(model: Layer, image: Tensor, [wh, ww]: [number, number], [sh, sw]: [number, number]): Tensor {
  if (!(sh > 0 && sw > 0)) throw new Error(`inference: sliding stride must be positive, got [${sh}, ${sw}]`);
  const [n, , h, w] = image.shape;
  const padded = h < wh || w < ww ? F.pad(image, [0, Math.max(ww - w, 0), 0, Math.max(wh - h, 0)]) : image;
  const [ph, pw] = padded.shape.slice(2);
  let sum: Tensor | null = null;
  const count = torch.zeros([1, 1, ph, pw]).to(image);
  for (const y of origins(ph, wh, sh)) {
    for (const x of origins(pw, ww, sw)) {
      torch.scope(() => {
        const probs = F.softmax(model.forward(padded.narrow(2, y, wh).narrow(3, x, ww)), 1);
        sum ??= torch.keepTensor(torch.zeros([n, probs.shape[1], ph, pw]).to(probs));
        sum.narrow(2, y, wh).narrow(3, x, ww).add_(probs);
        count.narrow(2, y, wh).narrow(3, x, ww).add_(1);
      });
    }
  }
  const total = sum!;
  const probs = total.div(count).narrow(2, 0, h).narrow(3, 0, w);
  total.dispose();
  return probs;
}

/**
 * Scores `model` on labelled batches: probabilities (resized bilinearly to the labels' size when the images
 * were resized), argmax, confusion matrix. The model is put in eval mode and restored. Each batch's tensors
 * are disposed once scored.
 */
export async function evaluate(model: Layer, batches: AsyncIterable<SegBatch>, numClasses: number,
  o: InferenceOptions): Promise<ConfusionMatrix> {
  const matrix = new ConfusionMatrix(numClasses, ignoreIndex);
  await inEvalMode(model, async () => {
    for await (const batch of batches) {
      const label = batch.label;
      if (!label) throw new Error('evaluate: a batch has no labels');
      torch.scope(() => {
        let probs = inferProbs(model, batch.image, o);
        const [lh, lw] = label.shape.slice(-2);
        if (probs.shape[2] !== lh || probs.shape[3] !== lw) {
          probs = F.interpolate(probs, { size: [lh, lw], mode: 'bilinear', alignCorners: false });
        }
        matrix.update(probs.argmax(1), label.view(-1, lh, lw));
      });
      batch.image.dispose();
      label.dispose();
    }
  });
  return matrix;
}

/** Runs fn with the model in eval mode, then restores its mode. */
export async function inEvalMode<T>(model: Layer, fn: () => Promise<T>): Promise<T> {
  const wasTraining = model.training;
  model.eval();
  try {
    return await fn();
  } finally {
    model.train(wasTraining);
  }
}
