#!/usr/bin/env python3
"""Exports torchvision's MobileNetV2 feature extractor as PyTorch users do, for Moxing to import.

Writes to OUT: backbone.pt (TorchScript, torch.jit.trace), backbone.onnx (torch.onnx.export, dynamic
batch), input.bin and output.bin (float32, little-endian: a seeded random batch and PyTorch's own
output for it) and meta.json (their shapes). Weights are seeded random (nothing is downloaded) and the
batch-norm running statistics are randomised too, so that a loader which ignored them would fail.

  /usr/bin/python3 bench/export_mobilenetv2.py --out DIR [--width 1.0] [--size 224] [--batch 2]
"""
import argparse, json, os

import torch
import torchvision


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--width", type=float, default=1.0)
    p.add_argument("--size", type=int, default=224)
    p.add_argument("--batch", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    torch.manual_seed(a.seed)
    backbone = torchvision.models.mobilenet_v2(weights=None, width_mult=a.width).features
    with torch.no_grad():
        for m in backbone.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 2.0)
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.2, 0.2)
    backbone.eval()
    x = torch.rand(a.batch, 3, a.size, a.size)
    with torch.no_grad():
        y = backbone(x)
        traced = torch.jit.trace(backbone, x)
        traced.save(os.path.join(a.out, "backbone.pt"))
        torch.onnx.export(backbone, x, os.path.join(a.out, "backbone.onnx"), input_names=["input"],
                          output_names=["features"], dynamic_axes={"input": {0: "batch"}, "features": {0: "batch"}},
                          opset_version=13)
    x.numpy().astype("<f4").tofile(os.path.join(a.out, "input.bin"))
    y.numpy().astype("<f4").tofile(os.path.join(a.out, "output.bin"))
    with open(os.path.join(a.out, "meta.json"), "w") as f:
        json.dump({"input": list(x.shape), "output": list(y.shape), "width": a.width, "torch": torch.__version__,
                   "torchvision": torchvision.__version__}, f)
    print(json.dumps({"out": a.out, "input": list(x.shape), "output": list(y.shape)}))


if __name__ == "__main__":
    main()
