#!/usr/bin/python3
"""The torch 1.13 float32 peer of the emulator's CNN benchmarks (issue 14).

Builds the same network as a Keras model (JSON + weights .h5, channels-last Conv2D / Dense /
BatchNormalization / pooling / Flatten / Dropout / Activation chains such as the hls4ml example
CNNs) in torch, on one thread, and times single-sample inference the way bench/emulator_bench.cc
times the emulator: one sample per call, samples cycling through a fixed block of inputs.

Usage: torch_cnn_peer.py MODEL.json WEIGHTS.h5 [--seconds S] [--save-io DIR]
Prints one JSON object: {"model", "batch1_per_s", "batch256_per_s"}. With --save-io it writes
DIR/<model>_x.npy (float64 samples, [N, H, W, C]) and DIR/<model>_torch.npy (the float32 outputs)
so that the caller can check that torch and `firmnet predict --float` compute the same network.
"""
import argparse
import json
import math
import os
import sys
import time

import h5py
import numpy as np
import torch
import torch.nn.functional as F


def layer_list(model_json):
    config = model_json["config"]
    return config["layers"] if isinstance(config, dict) else config


def find_weights(h5, layer_name):
    """The arrays of `layer_name` by short key ('kernel', 'bias', 'gamma', ...)."""
    root = h5["model_weights"] if "model_weights" in h5 else h5
    if layer_name not in root:
        return {}
    found = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            key = name.split("/")[-1].split(":")[0]
            found[key] = np.asarray(obj, dtype=np.float32)

    root[layer_name].visititems(visit)
    return found


def same_pads(size, kernel, stride):
    """TF's `same` split: the extra pixel goes after."""
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def activation(name):
    table = {
        "linear": lambda x: x,
        "relu": F.relu,
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "softmax": lambda x: F.softmax(x, dim=-1),
    }
    if name not in table:
        sys.exit(f"torch_cnn_peer: activation '{name}' is not supported")
    return table[name]


class Peer(torch.nn.Module):
    """The Keras chain as torch steps; feature maps are NCHW inside, as torch wants them."""

    def __init__(self, model_json, h5):
        super().__init__()
        self.steps = []
        self.params = torch.nn.ParameterList()
        shape = None  # the current feature map (H, W, C) or vector (N,)
        for layer in layer_list(model_json):
            cls, cfg = layer["class_name"], layer["config"]
            if "batch_input_shape" in cfg and shape is None:
                shape = tuple(cfg["batch_input_shape"][1:])
            w = find_weights(h5, cfg["name"])
            shape = self.add(cls, cfg, w, shape)

    def param(self, array):
        p = torch.nn.Parameter(torch.from_numpy(np.ascontiguousarray(array)), requires_grad=False)
        self.params.append(p)
        return p

    def add(self, cls, cfg, w, shape):
        if cls in ("InputLayer", "Dropout"):
            return shape
        if cls == "BatchNormalization":
            eps = cfg.get("epsilon", 1e-3)
            scale = w.get("gamma", np.ones_like(w["moving_mean"])) / np.sqrt(w["moving_variance"] + eps)
            bias = w.get("beta", np.zeros_like(scale)) - w["moving_mean"] * scale
            view = (1, -1, 1, 1) if len(shape) == 3 else (1, -1)
            s, b = self.param(scale.reshape(view)), self.param(bias.reshape(view))
            self.steps.append(lambda x, s=s, b=b: x * s + b)
            return shape
        if cls == "Conv2D":
            kh, kw = cfg["kernel_size"]
            sh, sw = cfg["strides"]
            h, wd, _ = shape
            pads = (0, 0, 0, 0)
            if cfg["padding"] == "same":
                top, bottom = same_pads(h, kh, sh)
                left, right = same_pads(wd, kw, sw)
                pads = (left, right, top, bottom)
            kernel = self.param(np.transpose(w["kernel"], (3, 2, 0, 1)))
            bias = self.param(w["bias"]) if "bias" in w else None
            act = activation(cfg.get("activation", "linear"))

            def conv(x, k=kernel, b=bias, p=pads, s=(sh, sw), a=act):
                if any(p):
                    x = F.pad(x, p)
                return a(F.conv2d(x, k, b, stride=s))

            self.steps.append(conv)
            oh = (h + pads[2] + pads[3] - kh) // sh + 1
            ow = (wd + pads[0] + pads[1] - kw) // sw + 1
            return (oh, ow, cfg["filters"])
        if cls in ("MaxPooling2D", "AveragePooling2D"):
            if cfg.get("padding", "valid") != "valid":
                sys.exit("torch_cnn_peer: only valid pooling is supported")
            ph, pw = cfg["pool_size"]
            sh, sw = cfg.get("strides") or (ph, pw)
            pool = F.max_pool2d if cls == "MaxPooling2D" else F.avg_pool2d
            self.steps.append(lambda x, p=(ph, pw), s=(sh, sw), f=pool: f(x, p, s))
            h, wd, c = shape
            return ((h - ph) // sh + 1, (wd - pw) // sw + 1, c)
        if cls == "Flatten":
            if len(shape) == 3:  # Keras flattens channels-last
                self.steps.append(lambda x: x.permute(0, 2, 3, 1).reshape(x.shape[0], -1))
            return (int(np.prod(shape)),)
        if cls == "Dense":
            weight = self.param(w["kernel"].T)
            bias = self.param(w["bias"]) if "bias" in w else None
            act = activation(cfg.get("activation", "linear"))
            self.steps.append(lambda x, k=weight, b=bias, a=act: a(F.linear(x, k, b)))
            return (cfg["units"],)
        if cls == "Activation":
            self.steps.append(activation(cfg["activation"]))
            return shape
        sys.exit(f"torch_cnn_peer: Keras layer class '{cls}' is not supported")

    def forward(self, x):  # x: [N, H, W, C] (Keras layout) or [N, F]
        if x.dim() == 4:
            x = x.permute(0, 3, 1, 2)
        for step in self.steps:
            x = step(x)
        return x


def rate(net, x, batch, seconds):
    """Samples per second for calls of `batch` samples, cycling through x."""
    rows = x.shape[0]
    calls, start = 0, time.perf_counter()
    deadline = start + seconds
    with torch.inference_mode():
        while True:
            for r in range(0, rows, batch):
                net(x[r : r + batch])
                calls += 1
            now = time.perf_counter()
            if now >= deadline:
                return calls * batch / (now - start)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("weights")
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--save-io")
    args = ap.parse_args()
    torch.set_num_threads(1)
    with open(args.model) as f:
        model_json = json.load(f)
    with h5py.File(args.weights, "r") as h5:
        net = Peer(model_json, h5).eval()
    first = layer_list(model_json)[0]["config"]
    shape = tuple(first["batch_input_shape"][1:])
    rng = np.random.default_rng(1)
    x64 = rng.uniform(-4, 4, size=(256,) + shape)
    x = torch.from_numpy(x64.astype(np.float32))
    name = os.path.splitext(os.path.basename(args.model))[0]
    if args.save_io:
        with torch.inference_mode():
            y = net(x).numpy()
        np.save(os.path.join(args.save_io, name + "_x.npy"), x64.astype(np.float32).astype(np.float64))
        np.save(os.path.join(args.save_io, name + "_torch.npy"), y.astype(np.float64))
    rate(net, x, 1, 0.2)  # warm-up
    result = {
        "model": name,
        "batch1_per_s": rate(net, x, 1, args.seconds),
        "batch256_per_s": rate(net, x, 256, args.seconds),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
