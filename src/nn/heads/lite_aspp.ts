// A light ASPP head for CPU training (DeepLab-v3's ASPP cut down): a 1x1 branch, one 3x3 dilated branch and
// image pooling, 128 channels each, fused by a 1x1 convolution, then dropout and a 1x1 classifier.
import * as F from '../../torch/functional.js';
import { cat } from '../../torch/functions.js';
import type { Tensor } from '../../torch/tensor.js';
import { BatchNorm2d, Conv2d, Dropout2d, Module, ReLU, Sequential } from '../../torch/nn/index.js';

const convBnRelu = (inC: number, outC: number, kernel: number, dilation = 1): Sequential =>
  new Sequential(new Conv2d(inC, outC, kernel, { padding: kernel === 3 ? dilation : 0, dilation, bias: false }),
    new BatchNorm2d(outC), new ReLU());

export interface LiteAsppOptions {
  /** Channels of every branch and of the fused features. */
  channels?: number;
  /** Dilation of the 3x3 branch: 12 at output stride 8, 6 at 16 (the same field of view in pixels). */
  rate?: number;
  /** Dropout2d before the classifier; it also makes K > 1 teacher passes differ. */
  dropout?: number;
}

export class LiteAsppHead extends Module {
  readonly conv1x1: Sequential;
  readonly atrous: Sequential;
  readonly pool: Sequential;
  readonly project: Sequential;
  readonly dropout: Dropout2d;
  readonly classifier: Conv2d;

  constructor(inChannels: number, numClasses: number, o: LiteAsppOptions = {}) {
    super();
    const c = o.channels ?? 128;
    this.conv1x1 = this.registerModule('conv1x1', convBnRelu(inChannels, c, 1));
    this.atrous = this.registerModule('atrous', convBnRelu(inChannels, c, 3, o.rate ?? 12));
    // No BatchNorm after global pooling: it would need more than one image per batch in training.
    this.pool = this.registerModule('pool', new Sequential(new Conv2d(inChannels, c, 1), new ReLU()));
    this.project = this.registerModule('project', convBnRelu(3 * c, c, 1));
    this.dropout = this.registerModule('dropout', new Dropout2d(o.dropout ?? 0.1));
    this.classifier = this.registerModule('classifier', new Conv2d(c, numClasses, 1));
  }

  forward(x: Tensor): Tensor {
    const [h, w] = x.shape.slice(2);
    const pooled = this.pool.forward(F.adaptiveAvgPool2d(x, 1)).expand(-1, -1, h, w);
    const fused = this.project.forward(cat([this.conv1x1.forward(x), this.atrous.forward(x), pooled], 1));
    return this.classifier.forward(this.dropout.forward(fused));
  }
}
