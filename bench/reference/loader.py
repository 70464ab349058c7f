"""PyTorch side of `npm run bench:loader`: the same files and augmentation as bench/loader.ts, the way
torchvision's segmentation reference scripts do it (PIL decode and resize, pad if smaller, random crop,
horizontal flip, to tensor, normalise), through torch.utils.data.DataLoader.

Usage: /usr/bin/python3 bench/reference/loader.py --root R --crop C --workers N [--batch B] [--epochs E]
Prints one JSON object: images/s over E epochs after a warm-up epoch.
"""
import argparse
import glob
import json
import os
import random
import time

import numpy as np
import torch
import torchvision.transforms.functional as TF
from PIL import Image

# cityscapesScripts labelId -> trainId
LUT = np.full(256, 255, np.uint8)
for label_id, train_id in {7: 0, 8: 1, 11: 2, 12: 3, 13: 4, 17: 5, 19: 6, 20: 7, 21: 8, 22: 9, 23: 10, 24: 11, 25: 12,
                           26: 13, 27: 14, 28: 15, 31: 16, 32: 17, 33: 18}.items():
    LUT[label_id] = train_id
MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


class Cityscapes(torch.utils.data.Dataset):
    def __init__(self, root, crop):
        self.images = sorted(glob.glob(os.path.join(root, 'leftImg8bit', 'train', '*', '*_leftImg8bit.png')))
        self.crop = crop

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        path = self.images[i]
        label_path = path.replace('leftImg8bit', 'gtFine', 1).replace('_leftImg8bit.png', '_gtFine_labelIds.png')
        image = Image.open(path).convert('RGB')
        label = Image.fromarray(LUT[np.asarray(Image.open(label_path))])
        s = random.uniform(0.5, 2.0)
        size = [round(image.height * s), round(image.width * s)]
        image = TF.resize(image, size, interpolation=TF.InterpolationMode.BILINEAR)
        label = TF.resize(label, size, interpolation=TF.InterpolationMode.NEAREST)
        pad_h, pad_w = max(self.crop - image.height, 0), max(self.crop - image.width, 0)
        if pad_h or pad_w:
            image = TF.pad(image, [0, 0, pad_w, pad_h], fill=0)
            label = TF.pad(label, [0, 0, pad_w, pad_h], fill=255)
        top = random.randint(0, image.height - self.crop)
        left = random.randint(0, image.width - self.crop)
        image = TF.crop(image, top, left, self.crop, self.crop)
        label = TF.crop(label, top, left, self.crop, self.crop)
        if random.random() < 0.5:
            image, label = TF.hflip(image), TF.hflip(label)
        image = TF.normalize(TF.to_tensor(image), MEAN, STD)
        return image, torch.from_numpy(np.array(label, copy=True))


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--root', required=True)
    p.add_argument('--crop', type=int, required=True)
    p.add_argument('--workers', type=int, required=True)
    p.add_argument('--batch', type=int, default=8)
    p.add_argument('--epochs', type=int, default=2)
    args = p.parse_args()
    torch.set_num_threads(1)  # as ShiftKit's main thread; workers run with 1 thread by default
    ds = Cityscapes(args.root, args.crop)
    parallel = {'persistent_workers': True, 'prefetch_factor': 2} if args.workers > 0 else {}
    loader = torch.utils.data.DataLoader(ds, batch_size=args.batch, shuffle=True, num_workers=args.workers,
                                         drop_last=True, **parallel)
    for _ in loader:  # warm-up epoch: worker start-up
        pass
    t0 = time.perf_counter()
    n = 0
    for _ in range(args.epochs):
        for image, _label in loader:
            n += image.shape[0]
    rate = n / (time.perf_counter() - t0)
    print(json.dumps({'torch': torch.__version__, 'imagesPerSecond': rate}))


if __name__ == '__main__':
    main()
