// ResNet backbones for dense prediction: torchvision's networks and parameter names (so ImageNet weights
// exported from PyTorch load as they are), at output stride 8, 16 or 32.
import * as fs from 'node:fs';
import * as torch from '../torch/index.js';
import type { Conv2d } from '../torch/nn/index.js';
import { resnet101, resnet18, resnet34, resnet50, type BasicBlock, type ResNet } from './resnet.js';

export const backboneNames = ['resnet18', 'resnet34', 'resnet50', 'resnet101'] as const;
export type BackboneName = (typeof backboneNames)[number];
export type OutputStride = 8 | 16 | 32;

const constructors = { resnet18, resnet34, resnet50, resnet101 };

/**
 * A ResNet whose layer4 has stride `outputStride`: layers whose stride is replaced by dilation as torchvision's
 * replace_stride_with_dilation does (layer4 for 16, layer3 and layer4 for 8).
 */
export function buildBackbone(name: BackboneName, outputStride: OutputStride): ResNet {
  if (!(name in constructors)) throw new Error(`backbone: unknown network '${name}' (known: ${backboneNames.join(', ')})`);
  if (![8, 16, 32].includes(outputStride)) throw new Error(`backbone: outputStride must be 8, 16 or 32, got ${outputStride}`);
  const dilate: [boolean, boolean, boolean] = [false, outputStride === 8, outputStride <= 16];
  if (name === 'resnet50' || name === 'resnet101') return constructors[name]({ replaceStrideWithDilation: dilate });
  const net = constructors[name]();
  dilateBasicStages(net, dilate);
  return net;
}

// torchvision refuses dilation in BasicBlock nets (ResNet-18/34), so they are converted after construction
// with torchvision's rule for Bottleneck: the stage's first 3x3 convolution loses its stride and keeps the
// previous dilation, every later 3x3 convolution takes the doubled one, the shortcut loses its stride.
// Only strides, dilations and paddings change: parameter names and shapes stay torchvision's.
function dilateBasicStages(net: ResNet, dilate: [boolean, boolean, boolean]): void {
  let dilation = 1;
  [net.layer2, net.layer3, net.layer4].forEach((stage, s) => {
    if (!dilate[s]) return;
    const previous = dilation;
    dilation *= 2;
    [...stage].forEach((layer, i) => {
      const block = layer as BasicBlock;
      setConv(block.conv1, 1, i === 0 ? previous : dilation);
      setConv(block.conv2, 1, dilation);
      if (block.downsample) setConv(block.downsample.at(0) as Conv2d, 1, 1);
    });
  });
}

// Conv2d's hyper-parameters are plain fields that forward() reads (readonly only to TypeScript).
function setConv(conv: Conv2d, stride: number, dilation: number): void {
  const pad = conv.kernelSize[0] === 3 ? dilation : 0;
  Object.assign(conv, { stride: [stride, stride], dilation: [dilation, dilation], padding: [pad, pad] });
}

/**
 * Loads a safetensors file of torchvision parameter names (scripts/export_torchvision.py writes one) into a
 * backbone. Every key must match: a clear error lists the missing and unexpected ones.
 */
export function loadBackboneWeights(backbone: ResNet, file: string): void {
  if (!fs.existsSync(file)) throw new Error(`Backbone weights file not found: ${file}`);
  torch.scope(() => {
    const { tensors } = torch.safetensors.loadFile(file);
    try {
      backbone.loadStateDict(tensors);
    } catch (e) {
      throw new Error(`Backbone weights ${file} do not fit the backbone (torchvision ResNet names expected): ${(e as Error).message}`);
    }
  });
}
