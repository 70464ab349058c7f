"""PyTorch side of `npm run bench:engine`: the same workloads as bench/engine.ts, timed the same way.

Usage: /usr/bin/python3 bench/reference/engine.py --threads N --what resnet|dispatch [--reps R]
Prints one JSON object.
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn.functional as F
import torchvision


def resnet_step(threads, reps, batch, height, width):
    torch.manual_seed(0)
    model = torchvision.models.resnet18(num_classes=1000)
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x = torch.randn(batch, 3, height, width)
    y = torch.randint(0, 1000, (batch,))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()

    for _ in range(3):
        step()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1000)
    return {"ms": statistics.median(times), "times": times, "flops": resnet_flops(model, x)}


def resnet_flops(model, x):
    """FLOPs of one training step: 2 per multiply-add of every conv and linear layer in the forward pass,
    times 3 for forward + backward (grad w.r.t. input and weights), the usual estimate."""
    macs = []

    def hook(mod, inp, out):
        if isinstance(mod, torch.nn.Conv2d):
            k = mod.kernel_size[0] * mod.kernel_size[1] * mod.in_channels // mod.groups
            macs.append(out.numel() * k)
        elif isinstance(mod, torch.nn.Linear):
            macs.append(out.numel() * mod.in_features)

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear))]
    with torch.no_grad():
        model(x)
    for h in handles:
        h.remove()
    return 3 * 2 * sum(macs)


def dispatch(reps):
    a = torch.rand(1000)
    b = torch.rand(1000)
    n = 200000
    out = {}
    cases = {
        "add": lambda: a + b,
        "mul": lambda: a * b,
        "relu": lambda: torch.relu(a),
        "add_": lambda: a.add_(b),
    }
    for name, fn in cases.items():
        for _ in range(1000):
            fn()
        runs = []
        for _ in range(reps):
            t0 = time.perf_counter()
            for _ in range(n):
                fn()
            runs.append((time.perf_counter() - t0) / n * 1e6)
        out[name] = statistics.median(runs)
        a = torch.rand(1000)  # add_ grew a; start the next case from fresh values
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--what", choices=["resnet", "dispatch"], required=True)
    p.add_argument("--reps", type=int, default=7)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--height", type=int, default=128)
    p.add_argument("--width", type=int, default=256)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    if args.what == "resnet":
        res = resnet_step(args.threads, args.reps, args.batch, args.height, args.width)
    else:
        res = dispatch(args.reps)
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), **({"result": res})}))


if __name__ == "__main__":
    main()
