"""PyTorch side of bench/seg_step.ts: the seg method's training step as src/methods/seg/step.ts computes it, for
the settings the benchmark uses (FDA, entropy confidence, softmax-MSE consistency, SGD + poly lr, EMA teacher),
timed the same way. The networks are those of scripts/fixtures/seg.py (the test goldens' PyTorch twins).

Usage: /usr/bin/python3 bench/reference/seg_step.py --threads N --reps R --warmup W --shape B,H,W --config JSON
Prints one JSON object.
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..', 'scripts', 'fixtures'))
from seg import SegNet  # noqa: E402


def rampup(t, length):
    if length == 0:
        return 1.0
    phase = 1 - min(max(t, 0), length) / length
    return math.exp(-5 * phase * phase)


def grayscale(x):
    return (x * torch.tensor([0.299, 0.587, 0.114]).view(1, 3, 1, 1)).sum(1, keepdim=True)


def factors(x, s):
    return torch.rand(x.shape[0], 1, 1, 1) * (2 * s) + (1 - s)


def blend(img, other, f):
    return ((img - other) * f + other).clamp(0, 1)


def perturb(images, spec):
    x = images
    j = spec['jitter']
    if j['brightness'] > 0:
        x = (x * factors(x, j['brightness'])).clamp(0, 1)
    if j['contrast'] > 0:
        x = blend(x, grayscale(x).mean((1, 2, 3), keepdim=True), factors(x, j['contrast']))
    if j['saturation'] > 0:
        x = blend(x, grayscale(x), factors(x, j['saturation']))
    if spec['blur']['p'] > 0:
        lo, hi = spec['blur']['sigma']
        n, c, h, w = x.shape
        r = max(1, math.ceil(3 * hi))
        sigma = (torch.rand(n, 1) * (hi - lo) + lo).clamp(min=1e-3)
        on = torch.rand(n, 1) < spec['blur']['p']
        offsets = torch.arange(-r, r + 1).float().view(1, -1)
        gauss = (offsets ** 2 / (sigma ** 2 * -2)).exp()
        k = torch.where(on, gauss / gauss.sum(1, keepdim=True), (offsets == 0).float().expand(n, -1))
        k = k.unsqueeze(1).expand(n, c, -1).reshape(n * c, 2 * r + 1)
        padded = F.pad(x.reshape(1, n * c, h, w), [r, r, r, r], mode='reflect')
        x = F.conv2d(F.conv2d(padded, k.view(n * c, 1, -1, 1), groups=n * c), k.view(n * c, 1, 1, -1), groups=n * c).view(n, c, h, w)
    g = spec['gaussian']
    return x + (torch.randn_like(x) * g['sigma']).clamp(-g['clamp'], g['clamp']) if g['sigma'] > 0 else x.clone()


def fda(src, trg, beta):
    h, w = src.shape[-2:]
    b = math.floor(beta * min(h, w))
    rows = torch.tensor([min(i, h - i) < b for i in range(h)]).view(h, 1)
    cols = torch.tensor([min(i, w - i) < b for i in range(w)]).view(1, w)
    fs = torch.fft.fft2(src)
    amp = torch.where(rows & cols, torch.fft.fft2(trg).abs(), fs.abs())
    return torch.fft.ifft2(torch.polar(amp, fs.angle())).real.clamp(0, 1)


def seg_loss(logits, labels):
    per_pixel = F.cross_entropy(logits, labels, ignore_index=255, reduction='none')
    return per_pixel.sum() / (labels != 255).sum().clamp(min=1)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--threads', type=int, required=True)
    p.add_argument('--reps', type=int, default=5)
    p.add_argument('--warmup', type=int, default=2)
    p.add_argument('--shape', default='4,256,512')
    p.add_argument('--config', required=True)
    a = p.parse_args()
    c = json.loads(a.config)
    assert c['style']['kind'] == 'fda' and c['confidence']['mode'] == 'entropy' and c['consistency']['loss'] == 'mse'
    assert c['optimizer']['kind'] == 'sgd' and c['adaptation'] and c['sourceLabels'] and not c['targetLabels']
    torch.set_num_threads(a.threads)
    torch.manual_seed(c['seed'])
    m = c['model']
    classes = m['numClasses']
    student = SegNet(m['backbone'], m['head'], m['outputStride'], classes)
    teacher = SegNet(m['backbone'], m['head'], m['outputStride'], classes)
    teacher.load_state_dict(student.state_dict())
    for t in teacher.parameters():
        t.requires_grad_(False)
    o = c['optimizer']
    opt = torch.optim.SGD([{'params': student.backbone.parameters(), 'lr': o['lr']},
                           {'params': student.head.parameters(), 'lr': o['lr'] * o['headLrMultiplier']}],
                          lr=o['lr'], momentum=o['momentum'], weight_decay=o['weightDecay'])
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda t: (1 - min(t, c['steps']) / c['steps']) ** o['power'])
    n, h, w = (int(v) for v in a.shape.split(','))
    # Drawn in the order bench/seg_step.ts draws them, so both runs see the same batch and noise.
    src = torch.rand(n, 3, h, w)
    src_label = torch.where(torch.rand(n, h, w) < 0.05, torch.tensor(255), torch.randint(0, classes, (n, h, w)))
    trg = torch.rand(n, 3, h, w)
    conf, cons, passes = c['confidence'], c['consistency'], c['confidence']['passes']

    def step(t):
        student.train()
        teacher.train()
        opt.zero_grad(set_to_none=True)
        with torch.no_grad():
            styled = fda(src, trg, c['style']['beta'])
        seg = seg_loss(student(styled), src_label)
        scalars = {'segSource': seg.item()}
        map1 = student(perturb(trg, c['noise']['student']))
        with torch.no_grad():
            copies = [perturb(trg, c['noise']['teacher']) for _ in range(passes)]
            probs = F.softmax(teacher(copies[0] if passes == 1 else torch.cat(copies)), 1).view(passes, n, classes, h, w).mean(0)
            entropy = -(probs * probs.clamp(min=1e-30).log()).sum(1)
            ramp = conf['rampupSteps'] if conf['rampupSteps'] is not None else c['steps']
            threshold = (conf['entropy']['start'] + (conf['entropy']['end'] - conf['entropy']['start']) * rampup(t, ramp)) * math.log(classes)
            mask = (entropy < threshold).float()
            scalars['confident'] = mask.mean().item()
        consistency = ((F.softmax(map1, 1) - probs) ** 2).mean(1).mul(mask).sum() / mask.sum().clamp(min=1)
        scalars['consistency'] = consistency.item()
        lam = cons['lambdaMax'] * rampup(t, cons['rampupSteps'] if cons['rampupSteps'] is not None else c['steps'])
        loss = seg + consistency * lam
        scalars['loss'] = loss.item()
        loss.backward()
        opt.step()
        sched.step()
        d = min(1 - 1 / (t + 1), c['ema']['decay'])
        with torch.no_grad():
            for tp, sp in zip(teacher.parameters(), student.parameters()):
                tp.mul_(d).add_(sp, alpha=1 - d)
        return scalars

    times, scalars = [], []
    for t in range(a.warmup + a.reps):
        t0 = time.perf_counter()
        scalars.append(step(t))
        times.append((time.perf_counter() - t0) * 1000)
    times = times[a.warmup:]
    print(json.dumps({'torch': torch.__version__, 'threads': torch.get_num_threads(), 'ms': statistics.median(times), 'times': times,
                      'scalars': scalars}))


if __name__ == '__main__':
    main()
