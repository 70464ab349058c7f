// Inference on image files: for each input, <name>_trainIds.png (the class of every pixel, one byte),
// <name>_color.png (classes in the palette's colours) and <name>_overlay.png (colours over the image).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as torch from '../../torch/index.js';
import type { Layer } from '../../torch/nn/index.js';
import { colorizeLabels, CITYSCAPES_PALETTE, overlayLabels, readImage, writeImage, type RawImage, type Rgb } from '../../io/index.js';
import { inEvalMode, inferProbs, type InferenceOptions } from './evaluate.js';

export interface PredictOptions extends InferenceOptions {
  outDir: string;
  /** Colour of each class (default: Cityscapes' 19 train ids). */
  palette?: readonly Rgb[];
  /** Weight of the class colours in the overlay. */
  alpha?: number;
}

export interface Prediction { input: string; trainIds: string; color: string; overlay: string }

export async function predictFiles(model: Layer, files: readonly string[], o: PredictOptions): Promise<Prediction[]> {
  const names = files.map((f) => path.basename(f, path.extname(f)));
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  if (twice.length > 0) throw new Error(`predict: several inputs are named ${[...new Set(twice)].join(', ')}; their outputs would overwrite each other`);
  fs.mkdirSync(o.outDir, { recursive: true });
  return inEvalMode(model, async () => {
    const out: Prediction[] = [];
    for (const [i, file] of files.entries()) {
      const image = await readImage(file, { dtype: 'float32', channels: 3 });
      const classes = torch.scope(() => {
        const pred = inferProbs(model, image.unsqueeze(0), o).argmax(1).squeeze(0);
        const [height, width] = pred.shape;
        return { data: Uint8Array.from(pred.to('uint8').toTypedArray() as Uint8Array), width, height, channels: 1 } as RawImage;
      });
      const base = path.join(o.outDir, names[i]);
      const p: Prediction = { input: file, trainIds: `${base}_trainIds.png`, color: `${base}_color.png`, overlay: `${base}_overlay.png` };
      const palette = o.palette ?? CITYSCAPES_PALETTE;
      await writeImage(p.trainIds, classes);
      await writeImage(p.color, colorizeLabels(classes, palette));
      await writeImage(p.overlay, overlayLabels(image, classes, { alpha: o.alpha, palette }));
      image.dispose();
      out.push(p);
    }
    return out;
  });
}
