// A semantic segmentation network: ResNet backbone, a head on layer4, bilinear upsampling of the class scores
// to the input's size. Input: RGB in [0, 1], [N, 3, H, W]; it is normalised with ImageNet's statistics inside,
// as torchvision's ImageNet weights expect.
import * as torch from '../torch/index.js';
import { F, type Tensor } from '../torch/index.js';
import { Module } from '../torch/nn/index.js';
import { buildBackbone, type BackboneName, type OutputStride } from './backbone.js';
import { DeepLabV2Head } from './heads/deeplabv2.js';
import { LiteAsppHead } from './heads/lite_aspp.js';
import type { ResNet } from './resnet.js';

export const headNames = ['deeplabv2', 'lite'] as const;
export type HeadName = (typeof headNames)[number];

export interface SegNetOptions {
  backbone: BackboneName;
  head: HeadName;
  outputStride: OutputStride;
  numClasses: number;
}

const imagenetMean = [0.485, 0.456, 0.406];
const imagenetStd = [0.229, 0.224, 0.225];

export class SegNet extends Module {
  readonly backbone: ResNet;
  readonly head: DeepLabV2Head | LiteAsppHead;

  constructor(readonly options: SegNetOptions) {
    super();
    const { numClasses, outputStride } = options;
    if (!Number.isInteger(numClasses) || numClasses < 2) throw new Error(`SegNet: numClasses must be an integer >= 2, got ${numClasses}`);
    this.backbone = this.registerModule('backbone', buildBackbone(options.backbone, outputStride));
    const inC = this.backbone.numFeatures;
    if (options.head === 'deeplabv2') this.head = new DeepLabV2Head(inC, numClasses);
    else if (options.head === 'lite') this.head = new LiteAsppHead(inC, numClasses, { rate: (12 * 8) / outputStride });
    else throw new Error(`SegNet: unknown head '${String(options.head)}' (known: ${headNames.join(', ')})`);
    this.registerModule('head', this.head);
  }

  /** Class scores [N, C, H, W] at the input's resolution. */
  forward(image: Tensor): Tensor {
    if (!torch.isFloatingPoint(image.dtype)) throw new Error(`SegNet: expects float RGB in [0, 1], got a ${image.dtype} tensor`);
    return torch.scope(() => {
      const [h, w] = image.shape.slice(2);
      const stat = (v: number[]) => torch.tensor(v, { shape: [1, 3, 1, 1] }).to(image);
      const x = image.sub(stat(imagenetMean)).div(stat(imagenetStd));
      const logits = this.head.forward(this.backbone.features(x).layer4);
      return F.interpolate(logits, { size: [h, w], mode: 'bilinear', alignCorners: false });
    });
  }

  /** Parameters of the backbone and of the head, for per-group learning rates. */
  parameterGroups(): { backbone: Tensor[]; head: Tensor[] } {
    return { backbone: this.backbone.parameters(), head: this.head.parameters() };
  }
}
