// `shiftkit seg train`: the step of step.ts in the run loop (checkpoints, resume, evaluation, samples, report).
import * as torch from '../../torch/index.js';
import { classNames, classPalette, protocolOf } from '../../data/datasets/labels.js';
import type { Batch, DataLoader } from '../../data/loader.js';
import { ZipLoader } from '../../data/zip.js';
import { colorizeLabels, makeGrid, overlayLabels, rawFromTensor, type RawImage } from '../../io/index.js';
import { RunDir, train, type Scalars } from '../../run/index.js';
import type { Layer } from '../../torch/nn/index.js';
import type { TrainOptions } from '../method.js';
import { classCount, type SegConfig } from './config.js';
import { segBatch, trainLoaders, valLoader } from './data.js';
import { evaluate, inEvalMode, inferProbs } from './evaluate.js';
import { createTraining, trainStep } from './step.js';

/** One pass over the validation split from its start: a training run reuses one loader for every evaluation. */
function fromStart(loader: DataLoader): AsyncIterable<Batch> {
  loader.loadStateDict({ epoch: 0, batch: 0 });
  return loader.epoch();
}

/** mIoU, pixel accuracy and per-class IoU (as `iou/<class>`) of the evaluated network on the validation loader's split. */
export async function scoreOnVal(c: SegConfig, model: Layer, val: DataLoader): Promise<Scalars> {
  const batches = fromStart(val);
  const segBatches = { [Symbol.asyncIterator]: () => iterate(batches[Symbol.asyncIterator]()) };
  const matrix = await evaluate(model, segBatches, classCount(c), { mode: c.eval.mode, window: c.eval.window, stride: c.eval.stride });
  const s = matrix.scores();
  const names = classNames(protocolOf(classCount(c)));
  return { mIoU: s.mIoU, pixelAccuracy: s.pixelAccuracy, ...Object.fromEntries(s.iou.map((v, i) => [`iou/${names[i]}`, v])) };
}

function iterate(it: AsyncIterator<Batch>): AsyncIterator<ReturnType<typeof segBatch>> {
  return { next: async () => { const r = await it.next(); return r.done ? r : { done: false, value: segBatch(r.value) }; } };
}

/** Image | ground truth | one prediction overlay per model, one row per validation image (the first `count`). */
export async function sampleGrid(c: SegConfig, models: Layer[], count: number, val: DataLoader): Promise<RawImage> {
  const cells: RawImage[] = [];
  const palette = classPalette(protocolOf(classCount(c)));
  const infer = { mode: c.eval.mode, window: c.eval.window, stride: c.eval.stride };
  for await (const b of fromStart(val)) {
    const row = torch.scope(() => {
      const { image, label } = segBatch(b);
      const first = image.select(0, 0);
      return [rawFromTensor(first), colorizeLabels(label!.select(0, 0), palette)];
    });
    for (const model of models) {
      await inEvalMode(model, async () => torch.scope(() => {
        const { image } = segBatch(b);
        row.push(overlayLabels(image.select(0, 0), inferProbs(model, image, infer).argmax(1).select(0, 0), { palette }));
      }));
    }
    cells.push(...row);
    if (cells.length >= (2 + models.length) * count) break;
  }
  return makeGrid(cells, { cols: 2 + models.length });
}

export async function trainSeg(c: SegConfig, o: TrainOptions): Promise<void> {
  const run = o.resume ? RunDir.open(o.runDir) : RunDir.create(o.runDir, c);
  const tr = createTraining(c);
  const evaluated = c.eval.model === 'teacher' ? tr.teacher : tr.student;
  const { source, target } = trainLoaders(c);
  const data = new ZipLoader({ source, target });
  const val = valLoader(c);
  try {
    await train({
      run,
      steps: c.steps,
      modules: { student: tr.student, teacher: tr.teacher },
      optimizers: { student: tr.optimizer },
      // trainStep steps the poly schedule itself; the checkpoint still saves it.
      extra: tr.scheduler,
      data,
      step: (b, step) => {
        const s = trainStep(tr, { source: segBatch(b.source), target: segBatch(b.target) }, step - 1);
        return Object.fromEntries(Object.entries(s).filter(([, v]) => !Number.isNaN(v)));
      },
      evaluate: () => scoreOnVal(c, evaluated, val),
      samples: async () => ({ val: await sampleGrid(c, [evaluated], 2, val) }),
      logEvery: Math.max(1, Math.min(10, Math.floor(c.eval.every / 2))),
      evalEvery: c.eval.every,
      checkpointEvery: c.checkpoint.every,
      resume: o.resume,
      itemsPerStep: c.data.batchSize,
    });
  } finally {
    await Promise.all([data.close(), val.close()]);
    run.close();
  }
}
