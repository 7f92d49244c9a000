#!/usr/bin/env python3
"""The cnn-28 recipe in PyTorch, driven step-chunk by step-chunk from `moxing bench train cnn-28`.

The same work per step as Moxing's loop: gather a shuffled batch of 32 Fashion-MNIST images by index,
forward, cross-entropy, zero_grad, backward, Adam step, read the loss and count correct predictions.
Commands on stdin, one JSON line per answer on stdout:
  train STEPS          -> {"samples_per_second": ..., "seconds": ...}
  infer BATCH SAMPLES  -> {"samples_per_second": ...}
  quit
Run it with OpenBLAS tuned (the bench does): env -u OPENBLAS_CORETYPE OPENBLAS_NUM_THREADS=1.
"""
import gzip, json, os, struct, sys, time

import numpy as np
import torch
import torch.nn as nn

DATA = os.environ.get("FASHION_MNIST", "/usr/share/datasets/fashion-mnist")


def idx(path):
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        raw = f.read()
    magic, count = struct.unpack(">II", raw[:8])
    if magic == 0x803:
        rows, cols = struct.unpack(">II", raw[8:16])
        return np.frombuffer(raw, np.uint8, offset=16).reshape(count, 1, rows, cols)
    return np.frombuffer(raw, np.uint8, offset=8)


def main():
    torch.manual_seed(42)
    torch.set_num_threads(os.cpu_count())
    x = torch.from_numpy(idx(f"{DATA}/train-images-idx3-ubyte.gz").astype(np.float32) / 255.0)
    y = torch.from_numpy(idx(f"{DATA}/train-labels-idx1-ubyte.gz").astype(np.int64))
    net = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                        nn.Linear(32 * 13 * 13, 128), nn.ReLU(), nn.Linear(128, 10))
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
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
                if cursor + 32 > len(order):
                    order, cursor = torch.randperm(len(x)), 0
                index = order[cursor:cursor + 32]
                cursor += 32
                xb, yb = x[index], y[index]
                out = net(xb)
                loss = loss_fn(out, yb)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                loss.item()
                (out.argmax(-1) == yb).sum().item()
            seconds = time.perf_counter() - start
            print(json.dumps({"samples_per_second": steps * 32 / seconds, "seconds": seconds}), flush=True)
        elif words[0] == "infer":
            batch, samples = int(words[1]), int(words[2])
            with torch.no_grad():
                start = time.perf_counter()
                for i in range(0, samples, batch):
                    torch.softmax(net(x[i:i + batch]), -1)
                seconds = time.perf_counter() - start
            print(json.dumps({"samples_per_second": samples / seconds}), flush=True)


if __name__ == "__main__":
    main()
