// Fixed image features for the real-vs-rendered distance (nothing here is trained, so distances measured at
// different times of a run, or in different runs, compare):
//   colour: per-channel mean and standard deviation of the image, and the channel means of a 2 x 4 grid of cells
//           (30 values: overall colour, contrast, and where it is, e.g. sky above road);
//   net:    per-channel mean and standard deviation of the last layer of a random conv net with seeded weights
//           (3 stride-2 3x3 convs 3 -> 16 -> 32 -> 32, LeakyReLU 0.2; 64 values: texture and edge statistics).
import * as torch from '../../torch/index.js';
import { F, nn, type Tensor } from '../../torch/index.js';

/** [B, 3, H, W] in [0, 1] -> [B, 30] float64. */
export function colorFeatures(images: Tensor): Tensor {
  return torch.noGrad(() => {
    const x = images.to('float64');
    const cells = F.adaptiveAvgPool2d(x, [2, 4]).flatten(1);
    return torch.cat([x.mean([2, 3]), x.flatten(2).std(2, { unbiased: false }), cells], 1);
  });
}

export class RandomFeatureNet {
  private readonly net: nn.Sequential;

  /** Weights drawn from torch's generator seeded with `seed`; the global generator is left as it was. */
  constructor(seed = 0x5eed) {
    const saved = torch.getRngState();
    try {
      torch.manualSeed(seed);
      const conv = (i: number, o: number) => new nn.Conv2d(i, o, 3, { stride: 2, padding: 1 });
      this.net = new nn.Sequential(conv(3, 16), new nn.LeakyReLU(0.2), conv(16, 32), new nn.LeakyReLU(0.2), conv(32, 32), new nn.LeakyReLU(0.2));
      this.net.to('float64').eval();
    } finally {
      torch.setRngState(saved);
      saved.dispose();
    }
  }

  /** [B, 3, H, W] in [0, 1] -> [B, 64] float64. */
  features(images: Tensor): Tensor {
    return torch.noGrad(() => torch.scope(() => {
      const f = this.net.forward(images.to('float64').mul(2).sub(1)).flatten(2);
      return torch.cat([f.mean(2), f.std(2, { unbiased: false })], 1);
    }));
  }
}
