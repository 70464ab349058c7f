// The classifier that tells real images from rendered ones (claim 1): stride-2 conv + LeakyReLU layers, then one
// logit per image (global average pool + linear) or one per patch (PatchGAN, a 3x3 conv to one channel).
import * as torch from '../../torch/index.js';
import { nn, type Tensor } from '../../torch/index.js';
import type { RenderConfig } from './config.js';

export type ClassifierOptions = RenderConfig['classifier'];

function norm(kind: ClassifierOptions['norm'], channels: number): nn.Layer[] {
  if (kind === 'batch') return [new nn.BatchNorm2d(channels)];
  // Instance norm with a per-channel affine: a group norm with one channel per group.
  if (kind === 'instance') return [new nn.GroupNorm(channels, channels)];
  return [];
}

export class Classifier extends nn.Module {
  readonly body: nn.Sequential;
  readonly head: nn.Linear | nn.Conv2d;

  constructor(readonly options: Pick<ClassifierOptions, 'kind' | 'width' | 'layers' | 'norm'>) {
    super();
    const layers: nn.Layer[] = [];
    let channels = 3;
    for (let i = 0; i < options.layers; i++) {
      const out = options.width * 2 ** i;
      // DCGAN/PatchGAN practice: no normalisation on the first layer.
      layers.push(new nn.Conv2d(channels, out, 4, { stride: 2, padding: 1 }), ...(i > 0 ? norm(options.norm, out) : []),
        new nn.LeakyReLU(0.2));
      channels = out;
    }
    this.body = this.registerModule('body', new nn.Sequential(...layers));
    this.head = this.registerModule('head', options.kind === 'cnn' ? new nn.Linear(channels, 1) : new nn.Conv2d(channels, 1, 3, { padding: 1 }));
  }

  /** Images [B, 3, H, W] in [0, 1] -> logits [B, P] ("real" > 0): P = 1 for cnn, the number of patches for patchgan. */
  forward(images: Tensor): Tensor {
    const features = this.body.forward(images.mul(2).sub(1));
    if (this.options.kind === 'cnn') return (this.head as nn.Linear).forward(features.mean([2, 3]));
    return (this.head as nn.Conv2d).forward(features).flatten(1);
  }
}

/**
 * The classifier's logits of the rendered images, scored in one batch with the real ones (so that batch
 * normalisation, when configured, sees the same batch in both steps).
 */
export function scoreRendered(classifier: Classifier, rendered: Tensor, real: Tensor): Tensor {
  return classifier.forward(torch.cat([rendered, real.detach()])).narrow(0, 0, rendered.shape[0]);
}
