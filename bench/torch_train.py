#!/usr/bin/env python3
"""A Moxing image recipe in PyTorch, driven step-chunk by step-chunk from `moxing bench train`.

RECIPE is cnn-28 (Fashion-MNIST 28x28 grey, batch 32, Adam 1e-3) or lenet-cifar (the PyTorch CIFAR-10
tutorial's LeNet on Fashion-MNIST padded to 32x32 and repeated to 3 channels, as Moxing's
fashion-mnist-32, batch 4, SGD 1e-3 momentum 0.9). The same work per step as Moxing's loop: gather a
shuffled batch by index, forward, cross-entropy, zero_grad, backward, optimizer step, read the loss and
count correct predictions.
Commands on stdin, one JSON line per answer on stdout:
  train STEPS          -> {"samples_per_second": ..., "seconds": ...}
  infer BATCH SAMPLES  -> {"samples_per_second": ...}
  quit
The bench runs it as a healthy PyTorch job runs: env -u OPENBLAS_CORETYPE OPENBLAS_NUM_THREADS=1
MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=134217728.
"""
import gzip, json, os, struct, sys, time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATA = os.environ.get("FASHION_MNIST", "/usr/share/datasets/fashion-mnist")


def idx(path):
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        raw = f.read()
    magic, count = struct.unpack(">II", raw[:8])
    if magic == 0x803:
        rows, cols = struct.unpack(">II", raw[8:16])
        return np.frombuffer(raw, np.uint8, offset=16).reshape(count, 1, rows, cols)
    return np.frombuffer(raw, np.uint8, offset=8)


def recipe(name, x):
    if name == "cnn-28":
        net = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                            nn.Linear(32 * 13 * 13, 128), nn.ReLU(), nn.Linear(128, 10))
        return x, net, torch.optim.Adam(net.parameters(), lr=1e-3), 32
    if name == "lenet-cifar":
        x = F.pad(x, (2, 2, 2, 2)).expand(-1, 3, -1, -1).contiguous()
        net = nn.Sequential(nn.Conv2d(3, 6, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(),
                            nn.MaxPool2d(2), nn.Flatten(), nn.Linear(16 * 5 * 5, 120), nn.ReLU(),
                            nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
        return x, net, torch.optim.SGD(net.parameters(), lr=1e-3, momentum=0.9), 4
    sys.exit(f"no PyTorch baseline for recipe {name}: cnn-28 or lenet-cifar")


def main():
    name = sys.argv[1] if len(sys.argv) > 1 else "cnn-28"
    torch.manual_seed(42)
    torch.set_num_threads(os.cpu_count())
    x = torch.from_numpy(idx(f"{DATA}/train-images-idx3-ubyte.gz").astype(np.float32) / 255.0)
    y = torch.from_numpy(idx(f"{DATA}/train-labels-idx1-ubyte.gz").astype(np.int64))
    x, net, optimizer, batch = recipe(name, x)
    loss_fn = nn.CrossEntropyLoss()
    order = torch.randperm(len(x))
    cursor = 0
    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        if words[0] == "train":
            steps = int(words[1])
            start = time.perf_counter()
            for _ in range(steps):
                if cursor + batch > len(order):
                    order, cursor = torch.randperm(len(x)), 0
                index = order[cursor:cursor + batch]
                cursor += batch
                xb, yb = x[index], y[index]
                out = net(xb)
                loss = loss_fn(out, yb)
                optimizer.zero_grad(set_to_none=True)  # the default from PyTorch 2.0 on
                loss.backward()
                optimizer.step()
                loss.item()
                (out.argmax(-1) == yb).sum().item()
            seconds = time.perf_counter() - start
            print(json.dumps({"samples_per_second": steps * batch / seconds, "seconds": seconds}), flush=True)
        elif words[0] == "infer":
            size, samples = int(words[1]), int(words[2])
            with torch.no_grad():
                start = time.perf_counter()
                for i in range(0, samples, size):
                    torch.softmax(net(x[i:i + size]), -1)
                seconds = time.perf_counter() - start
            print(json.dumps({"samples_per_second": samples / seconds}), flush=True)


if __name__ == "__main__":
    main()
