#!/usr/bin/env python3
"""The training step of bench/WeightDecay.Benchmarks/TrainingStepBenchmarks.cs in PyTorch, for comparison.

The seed's MLP (784 -> 64 -> ReLU -> 10, float32), a preallocated batch of 128 digits of the bundled MNIST subset (scaled
to [0, 1]), cross-entropy, SGD (lr 0.1) or Adam (lr 1e-3), lambda = 5e-4 on the weights only (biases not decayed):
  none       no decay
  penalty    loss + lambda * 1/2 ||W||^2 (autograd)
  coupled    optim.SGD/Adam(weight_decay=lambda) on the weights' parameter group
  decoupled  SGD: W <- (1 - lr*lambda) W before the step (SGDW); Adam: optim.AdamW(weight_decay=lambda)
One step = zero_grad, forward, loss, loss.item() (the C# step reads the loss back too), backward, step.
Prints a Markdown table: median and min time per step over blocks of steps, and the ratio to 'none'.

Usage: /usr/bin/python3 bench/pytorch/train_step.py [--threads 1 2] [--steps 50] [--blocks 11]
(on Debian 12, /usr/bin/python3 with the python3-torch package is PyTorch 1.13.1, an old build with generic BLAS).
"""
import argparse, gzip, os, platform, statistics, struct, sys, time

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "data", "mnist-subset-images-idx3-ubyte.gz")
LABELS = os.path.join(HERE, "..", "..", "data", "mnist-subset-labels-idx1-ubyte.gz")
BATCH, LAMBDA = 128, 5e-4


def load_batch():
    with gzip.open(DATA, "rb") as f:
        magic, n, rows, cols = struct.unpack(">IIII", f.read(16))
        pixels = f.read(BATCH * rows * cols)
    with gzip.open(LABELS, "rb") as f:
        struct.unpack(">II", f.read(8))
        labels = f.read(BATCH)
    x = torch.frombuffer(bytearray(pixels), dtype=torch.uint8).reshape(BATCH, rows * cols).float().div_(255)
    y = torch.tensor(list(labels), dtype=torch.int64)
    return x, y


def make(method, kind):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 10))
    weights = [p for p in model.parameters() if p.dim() >= 2]
    biases = [p for p in model.parameters() if p.dim() < 2]
    lr = 0.1 if kind == "sgd" else 1e-3
    wd = LAMBDA if method in ("coupled",) or (method == "decoupled" and kind == "adam") else 0.0
    groups = [{"params": weights, "weight_decay": wd}, {"params": biases, "weight_decay": 0.0}]
    if kind == "sgd":
        opt = torch.optim.SGD(groups, lr=lr)
    elif method == "decoupled":
        opt = torch.optim.AdamW(groups, lr=lr)
    else:
        opt = torch.optim.Adam(groups, lr=lr)
    loss_fn = nn.CrossEntropyLoss()

    def step(x, y):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        if method == "penalty":
            objective = loss + LAMBDA * 0.5 * sum(w.square().sum() for w in weights)
        else:
            objective = loss
        value = loss.item()
        objective.backward()
        if method == "decoupled" and kind == "sgd":
            with torch.no_grad():
                for w in weights:
                    w.mul_(1 - lr * LAMBDA)
        opt.step()
        return value

    return step


def measure(method, kind, x, y, steps, blocks):
    step = make(method, kind)
    for _ in range(steps):  # warm-up
        step(x, y)
    times = []
    for _ in range(blocks):
        t0 = time.perf_counter()
        for _ in range(steps):
            step(x, y)
        times.append((time.perf_counter() - t0) / steps)
    return statistics.median(times), min(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--steps", type=int, default=50, help="steps per timed block")
    ap.add_argument("--blocks", type=int, default=11, help="timed blocks (median and min over them)")
    args = ap.parse_args()
    x, y = load_batch()
    print(f"PyTorch {torch.__version__} (python {platform.python_version()}, {sys.executable}); "
          f"{os.cpu_count()} CPUs; load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print()
    print("| optimizer | method | threads | median µs/step | min µs/step | ratio vs none |")
    print("|---|---|--:|--:|--:|--:|")
    for threads in args.threads:
        torch.set_num_threads(threads)
        for kind in ("sgd", "adam"):
            base = None
            for method in ("none", "penalty", "coupled", "decoupled"):
                med, mn = measure(method, kind, x, y, args.steps, args.blocks)
                base = base or med
                print(f"| {kind} | {method} | {threads} | {med * 1e6:.1f} | {mn * 1e6:.1f} | {med / base:.3f} |", flush=True)
    print()
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
