// DeepLab-v2's ASPP classifier (Chen et al. 2017; AdaptSegNet's Classifier_Module, with its parameter names):
// parallel 3x3 convolutions at dilation rates 6, 12, 18, 24 straight to class scores, summed.
import type { Tensor } from '../../torch/tensor.js';
import { Conv2d, init, Module, ModuleList } from '../../torch/nn/index.js';

export const deeplabV2Rates = [6, 12, 18, 24];

export class DeepLabV2Head extends Module {
  readonly conv2d_list: ModuleList<Conv2d>;

  constructor(inChannels: number, numClasses: number, rates: readonly number[] = deeplabV2Rates) {
    super();
    this.conv2d_list = this.registerModule('conv2d_list', new ModuleList(rates.map((r) =>
      new Conv2d(inChannels, numClasses, 3, { padding: r, dilation: r }))));
    for (const conv of this.conv2d_list) init.normal_(conv.weight, 0, 0.01);
  }

  // All branches are summed, as the paper; AdaptSegNet's code returns inside its loop and sums only two.
  forward(x: Tensor): Tensor {
    let out = this.conv2d_list.at(0).forward(x);
    for (let i = 1; i < this.conv2d_list.length; i++) out = out.add(this.conv2d_list.at(i).forward(x));
    return out;
  }
}
