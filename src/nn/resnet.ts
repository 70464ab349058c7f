// ResNet-18/34/50/101 exactly as torchvision builds them (same module tree, parameter names and init), so
// torchvision checkpoints load with loadStateDict; features() exposes layer1..layer4 for dense heads.
import type { Tensor } from '../torch/tensor.js';
import {
  AdaptiveAvgPool2d, BatchNorm2d, Conv2d, init, Linear, MaxPool2d, Module, ReLU, Sequential, type Layer,
} from '../torch/nn/index.js';

const conv3x3 = (inPlanes: number, outPlanes: number, stride = 1, dilation = 1): Conv2d =>
  new Conv2d(inPlanes, outPlanes, 3, { stride, padding: dilation, dilation, bias: false });
const conv1x1 = (inPlanes: number, outPlanes: number, stride = 1): Conv2d =>
  new Conv2d(inPlanes, outPlanes, 1, { stride, bias: false });

/** A residual block; `expansion` is output channels over `planes`. */
interface Block extends Layer {
  /** The last BatchNorm of the residual branch (zeroed by zeroInitResidual). */
  readonly lastBn: BatchNorm2d;
}
interface BlockType {
  readonly expansion: number;
  new (inPlanes: number, planes: number, stride: number, downsample: Sequential | null, dilation: number): Block;
}

// relu(branch(x) + shortcut(x)), the shortcut being downsample(x) when shapes change.
function residual(branch: Tensor, x: Tensor, downsample: Sequential | null): Tensor {
  return branch.add(downsample === null ? x : downsample.forward(x)).relu();
}

/** Two 3x3 convolutions (ResNet-18/34). */
export class BasicBlock extends Module implements Block {
  static readonly expansion = 1;
  readonly conv1: Conv2d;
  readonly bn1: BatchNorm2d;
  readonly relu: ReLU;
  readonly conv2: Conv2d;
  readonly bn2: BatchNorm2d;
  readonly downsample: Sequential | null;

  constructor(inPlanes: number, planes: number, stride = 1, downsample: Sequential | null = null, dilation = 1) {
    super();
    if (dilation > 1) throw new Error('Dilation > 1 not supported in BasicBlock');
    this.conv1 = this.registerModule('conv1', conv3x3(inPlanes, planes, stride));
    this.bn1 = this.registerModule('bn1', new BatchNorm2d(planes));
    this.relu = this.registerModule('relu', new ReLU());
    this.conv2 = this.registerModule('conv2', conv3x3(planes, planes));
    this.bn2 = this.registerModule('bn2', new BatchNorm2d(planes));
    this.downsample = downsample && this.registerModule('downsample', downsample);
  }

  get lastBn(): BatchNorm2d { return this.bn2; }

  forward(x: Tensor): Tensor {
    const out = this.bn2.forward(this.conv2.forward(this.relu.forward(this.bn1.forward(this.conv1.forward(x)))));
    return residual(out, x, this.downsample);
  }
}

/** 1x1 reduce, 3x3 (strided, dilated), 1x1 expand by 4 (ResNet-50/101; stride on the 3x3 as torchvision's V1.5). */
export class Bottleneck extends Module implements Block {
  static readonly expansion = 4;
  readonly conv1: Conv2d;
  readonly bn1: BatchNorm2d;
  readonly conv2: Conv2d;
  readonly bn2: BatchNorm2d;
  readonly conv3: Conv2d;
  readonly bn3: BatchNorm2d;
  readonly relu: ReLU;
  readonly downsample: Sequential | null;

  constructor(inPlanes: number, planes: number, stride = 1, downsample: Sequential | null = null, dilation = 1) {
    super();
    this.conv1 = this.registerModule('conv1', conv1x1(inPlanes, planes));
    this.bn1 = this.registerModule('bn1', new BatchNorm2d(planes));
    this.conv2 = this.registerModule('conv2', conv3x3(planes, planes, stride, dilation));
    this.bn2 = this.registerModule('bn2', new BatchNorm2d(planes));
    this.conv3 = this.registerModule('conv3', conv1x1(planes, planes * Bottleneck.expansion));
    this.bn3 = this.registerModule('bn3', new BatchNorm2d(planes * Bottleneck.expansion));
    this.relu = this.registerModule('relu', new ReLU());
    this.downsample = downsample && this.registerModule('downsample', downsample);
  }

  get lastBn(): BatchNorm2d { return this.bn3; }

  forward(x: Tensor): Tensor {
    let out = this.relu.forward(this.bn1.forward(this.conv1.forward(x)));
    out = this.relu.forward(this.bn2.forward(this.conv2.forward(out)));
    return residual(this.bn3.forward(this.conv3.forward(out)), x, this.downsample);
  }
}

export interface ResNetOptions {
  numClasses?: number;
  /** Per layer2..layer4: dilate instead of striding (torchvision's replace_stride_with_dilation):
   * [false, false, true] gives output stride 16, [false, true, true] output stride 8. Bottleneck nets only. */
  replaceStrideWithDilation?: [boolean, boolean, boolean];
  /** Zero the last BatchNorm of every block so each starts as the identity. */
  zeroInitResidual?: boolean;
}

/** Feature maps after each stage (strides 4, 8, 16, 32 without dilation). */
export interface ResNetFeatures { layer1: Tensor; layer2: Tensor; layer3: Tensor; layer4: Tensor }

export class ResNet extends Module {
  readonly conv1: Conv2d;
  readonly bn1: BatchNorm2d;
  readonly relu: ReLU;
  readonly maxpool: MaxPool2d;
  readonly layer1: Sequential;
  readonly layer2: Sequential;
  readonly layer3: Sequential;
  readonly layer4: Sequential;
  readonly avgpool: AdaptiveAvgPool2d;
  readonly fc: Linear;
  /** Channels of layer4's output (512 * expansion): what a head on features() takes. */
  readonly numFeatures: number;
  private inPlanes = 64;
  private dilation = 1;

  constructor(block: BlockType, layers: [number, number, number, number], o: ResNetOptions = {}) {
    super();
    const dilate = o.replaceStrideWithDilation ?? [false, false, false];
    if (dilate.length !== 3) throw new Error(`replaceStrideWithDilation should be undefined or a 3-element array, got ${dilate.length}`);
    this.conv1 = this.registerModule('conv1', new Conv2d(3, 64, 7, { stride: 2, padding: 3, bias: false }));
    this.bn1 = this.registerModule('bn1', new BatchNorm2d(64));
    this.relu = this.registerModule('relu', new ReLU());
    this.maxpool = this.registerModule('maxpool', new MaxPool2d(3, { stride: 2, padding: 1 }));
    this.layer1 = this.registerModule('layer1', this.makeLayer(block, 64, layers[0], 1, false));
    this.layer2 = this.registerModule('layer2', this.makeLayer(block, 128, layers[1], 2, dilate[0]));
    this.layer3 = this.registerModule('layer3', this.makeLayer(block, 256, layers[2], 2, dilate[1]));
    this.layer4 = this.registerModule('layer4', this.makeLayer(block, 512, layers[3], 2, dilate[2]));
    this.avgpool = this.registerModule('avgpool', new AdaptiveAvgPool2d(1));
    this.numFeatures = 512 * block.expansion;
    this.fc = this.registerModule('fc', new Linear(this.numFeatures, o.numClasses ?? 1000));
    // torchvision re-initialises after construction, in modules() order (so seeded runs match it).
    for (const m of this.modules()) {
      if (m instanceof Conv2d) init.kaimingNormal_(m.weight, { mode: 'fan_out', nonlinearity: 'relu' });
      else if (m instanceof BatchNorm2d) {
        init.constant_(m.weight!, 1);
        init.constant_(m.bias!, 0);
      }
    }
    if (o.zeroInitResidual) {
      for (const m of this.modules()) if (m instanceof BasicBlock || m instanceof Bottleneck) init.zeros_(m.lastBn.weight!);
    }
  }

  private makeLayer(block: BlockType, planes: number, blocks: number, stride: number, dilate: boolean): Sequential {
    const previousDilation = this.dilation;
    if (dilate) {
      this.dilation *= stride;
      stride = 1;
    }
    const outPlanes = planes * block.expansion;
    const downsample = stride !== 1 || this.inPlanes !== outPlanes
      ? new Sequential(conv1x1(this.inPlanes, outPlanes, stride), new BatchNorm2d(outPlanes)) : null;
    const layers: Layer[] = [new block(this.inPlanes, planes, stride, downsample, previousDilation)];
    this.inPlanes = outPlanes;
    for (let i = 1; i < blocks; i++) layers.push(new block(this.inPlanes, planes, 1, null, this.dilation));
    return new Sequential(...layers);
  }

  /** The stem and the four stages on [N, 3, H, W]. */
  features(x: Tensor): ResNetFeatures {
    const stem = this.maxpool.forward(this.relu.forward(this.bn1.forward(this.conv1.forward(x))));
    const layer1 = this.layer1.forward(stem);
    const layer2 = this.layer2.forward(layer1);
    const layer3 = this.layer3.forward(layer2);
    return { layer1, layer2, layer3, layer4: this.layer4.forward(layer3) };
  }

  /** Class logits [N, numClasses]. */
  forward(x: Tensor): Tensor {
    return this.fc.forward(this.avgpool.forward(this.features(x).layer4).flatten(1));
  }
}

export const resnet18 = (o: ResNetOptions = {}): ResNet => new ResNet(BasicBlock, [2, 2, 2, 2], o);
export const resnet34 = (o: ResNetOptions = {}): ResNet => new ResNet(BasicBlock, [3, 4, 6, 3], o);
export const resnet50 = (o: ResNetOptions = {}): ResNet => new ResNet(Bottleneck, [3, 4, 6, 3], o);
export const resnet101 = (o: ResNetOptions = {}): ResNet => new ResNet(Bottleneck, [3, 4, 23, 3], o);
