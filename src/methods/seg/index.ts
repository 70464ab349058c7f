// The seg method as the command line sees it: config schema, train, eval, predict.
import { loadModuleWeights } from '../../run/index.js';
import type { Method } from '../method.js';
import { segConfigSchema, type SegConfig } from './config.js';
import { buildSegNet } from './networks.js';
import { predictFiles } from './predict.js';
import { classPalette, protocolOf } from '../../data/datasets/labels.js';
import { valLoader } from './data.js';
import { scoreOnVal, trainSeg } from './train.js';

export const segMethod: Method<typeof segConfigSchema> = {
  id: 'seg',
  summary: 'semantic segmentation adapted to an unlabelled target domain (confidence-weighted mean teacher)',
  config: segConfigSchema,
  examples: [
    'npx shiftkit seg train --config seg.yaml --run runs/seg-gta5',
    'npx shiftkit seg train --set data.source.root=data/synth/source --set data.target.root=data/synth/target --set model.backbone=resnet18 --set model.head=lite',
    'npx shiftkit seg train --run runs/seg-gta5 --resume',
    'npx shiftkit seg train --set adaptation=false            # source-only baseline',
    'npx shiftkit seg eval --checkpoint runs/seg-gta5 --data data/cityscapes',
    'npx shiftkit seg predict --checkpoint runs/seg-gta5 street1.png street2.png --out predictions/',
  ],
  train: trainSeg,
  async evaluate(c: SegConfig, o) {
    const net = buildSegNet(c);
    loadModuleWeights(o.checkpoint, { [c.eval.model]: net });
    const val = valLoader(c, o.data);
    try {
      return await scoreOnVal(c, net, val);
    } finally {
      await val.close();
    }
  },
  async predict(c: SegConfig, o) {
    const net = buildSegNet(c);
    loadModuleWeights(o.checkpoint, { [c.eval.model]: net });
    const done = await predictFiles(net, o.inputs, { outDir: o.out, mode: c.eval.mode, window: c.eval.window, stride: c.eval.stride,
      palette: classPalette(protocolOf(net.options.numClasses)) });
    for (const p of done) console.log(`${p.input} -> ${p.overlay}`);
  },
};
