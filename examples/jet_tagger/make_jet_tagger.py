#!/usr/bin/python3
"""Makes the demo model: a jet-tagger-shaped MLP (16 -> 64 -> 32 -> 32 -> 5, ReLU, softmax).

Run with Debian's interpreter (the `python3` first on PATH lacks torch, onnx and h5py):

    /usr/bin/python3 examples/jet_tagger/make_jet_tagger.py

The real jet tagger (hls4ml's KERAS_3layer) was trained on 16 standardized jet features. That data
set is not available here, so this script makes a synthetic 5-class problem with the same shape:
standard-normal features, labelled by a fixed random "teacher" network plus noise, and trains the
student network on it for a few seconds. The point is weights that look trained (structured, of
varied magnitude, with dead and saturated units) rather than freshly initialised, so that the
demo's fixed-point agreement figures mean something.

It writes, next to itself:
  jet_tagger.onnx            the network, ONNX opset 13, float32 weights (Gemm/Relu/Softmax)
  jet_tagger.json            the same network as a Keras 2 functional model config
  jet_tagger_weights.h5      its weights in the Keras 2 save_weights layout, written with h5py
  inputs.npy                 1000 standard-normal rows, float64
  float_outputs.npy          the float64 reference outputs for inputs.npy
and the same four model files for the pruned network, jet_tagger_pruned.* and
pruned_float_outputs.npy: the trained network with 70% of each layer's weights (the smallest in
magnitude) set to zero and the rest retrained with the zeros held, as hls4ml's paper prunes the
jet tagger (its KERAS_3layer_70pruned_retrained model). The demo builds hardware from this one.

As in tests/models/make_models.py, the reference is the network evaluated in float64 with the
float32 weights widened exactly and the float64 inputs unrounded, so any float64 reader of either
file format reproduces it up to summation order; the script checks both files against it. Seeds,
one thread and no timestamps make reruns byte-identical on the same torch/numpy/h5py versions.
"""

import json
import os
import sys
import warnings

import h5py
import numpy as np
import onnx
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "models"))
import make_models  # noqa: E402  (its float64 ONNX interpreter checks our export)

SEED = 20240611
NUM_FEATURES = 16
NUM_CLASSES = 5
LAYERS = [("fc1_relu", 64, "relu"), ("fc2_relu", 32, "relu"), ("fc3_relu", 32, "relu"),
          ("output_softmax", NUM_CLASSES, "softmax")]
CLASS_NAMES = ["g", "q", "W", "Z", "t"]
NUM_TRAIN = 20000
NUM_DEMO_ROWS = 1000
EPOCHS = 12


class JetTagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(NUM_FEATURES, 64)
        self.fc2 = nn.Linear(64, 32)
        self.fc3 = nn.Linear(32, 32)
        self.output = nn.Linear(32, NUM_CLASSES)
        self.relu = nn.ReLU()
        self.softmax = nn.Softmax(dim=-1)

    def logits(self, x):
        x = self.relu(self.fc1(x))
        x = self.relu(self.fc2(x))
        x = self.relu(self.fc3(x))
        return self.output(x)

    def forward(self, x):
        return self.softmax(self.logits(x))

    def dense_layers(self):
        return [self.fc1, self.fc2, self.fc3, self.output]


def MakeDataSet(rng, n):
    """Standard-normal features labelled by a fixed random teacher with noise."""
    x = rng.standard_normal((n, NUM_FEATURES))
    teacher = np.random.default_rng(SEED + 1)  # the same teacher for every call
    w1 = teacher.standard_normal((NUM_FEATURES, 24)) / np.sqrt(NUM_FEATURES)
    w2 = teacher.standard_normal((24, NUM_CLASSES)) * 1.5
    logits = np.tanh(x @ w1 + 0.3 * x[:, :1] ** 2) @ w2
    noise = rng.gumbel(size=logits.shape) * 0.5
    return x, np.argmax(logits + noise, axis=1)


def Train(model):
    rng = np.random.default_rng(SEED)
    x, y = MakeDataSet(rng, NUM_TRAIN)
    x_val, y_val = MakeDataSet(rng, 4000)
    xt, yt = torch.from_numpy(x).float(), torch.from_numpy(y)
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    loss_fn = nn.CrossEntropyLoss()
    g = torch.Generator().manual_seed(SEED)
    for _ in range(EPOCHS):
        perm = torch.randperm(NUM_TRAIN, generator=g)
        for i in range(0, NUM_TRAIN, 256):
            idx = perm[i:i + 256]
            opt.zero_grad()
            loss = loss_fn(model.logits(xt[idx]), yt[idx])
            loss.backward()
            opt.step()
    with torch.no_grad():
        pred = model.logits(torch.from_numpy(x_val).float()).argmax(dim=1).numpy()
    return float(np.mean(pred == y_val))


PRUNE_FRACTION = 0.7
PRUNE_EPOCHS = 6


def PruneAndRetrain(model):
    """Zeroes the 70% smallest weights of every layer, then retrains with the zeros held."""
    masks = []
    for dense in model.dense_layers():
        w = dense.weight.detach()
        k = int(round(PRUNE_FRACTION * w.numel()))
        threshold = w.abs().flatten().kthvalue(k).values
        mask = (w.abs() > threshold).float()
        with torch.no_grad():
            dense.weight.mul_(mask)
        masks.append(mask)
    rng = np.random.default_rng(SEED + 3)
    x, y = MakeDataSet(rng, NUM_TRAIN)
    x_val, y_val = MakeDataSet(rng, 4000)
    xt, yt = torch.from_numpy(x).float(), torch.from_numpy(y)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    g = torch.Generator().manual_seed(SEED + 3)
    for _ in range(PRUNE_EPOCHS):
        perm = torch.randperm(NUM_TRAIN, generator=g)
        for i in range(0, NUM_TRAIN, 256):
            idx = perm[i:i + 256]
            opt.zero_grad()
            loss = loss_fn(model.logits(xt[idx]), yt[idx])
            loss.backward()
            opt.step()
            with torch.no_grad():
                for dense, mask in zip(model.dense_layers(), masks):
                    dense.weight.mul_(mask)
    with torch.no_grad():
        pred = model.logits(torch.from_numpy(x_val).float()).argmax(dim=1).numpy()
    zeros = sum(int((d.weight == 0).sum()) for d in model.dense_layers())
    total = sum(d.weight.numel() for d in model.dense_layers())
    return float(np.mean(pred == y_val)), zeros / total


def KerasConfig(model_name="jet_tagger"):
    """A Keras 2 functional model config (the layout of keras.Model.to_json())."""
    def Initializer(name):
        return {"class_name": name, "config": {"seed": None}}

    layers = [{
        "class_name": "InputLayer",
        "config": {"batch_input_shape": [None, NUM_FEATURES], "dtype": "float32",
                   "name": "input_1", "sparse": False},
        "inbound_nodes": [],
        "name": "input_1",
    }]
    previous = "input_1"
    for name, units, activation in LAYERS:
        layers.append({
            "class_name": "Dense",
            "config": {
                "activation": activation, "activity_regularizer": None, "bias_constraint": None,
                "bias_initializer": Initializer("Zeros"), "bias_regularizer": None,
                "dtype": "float32", "kernel_constraint": None,
                "kernel_initializer": Initializer("GlorotUniform"), "kernel_regularizer": None,
                "name": name, "trainable": True, "units": units, "use_bias": True,
            },
            "inbound_nodes": [[[previous, 0, 0, {}]]],
            "name": name,
        })
        previous = name
    return {
        "backend": "tensorflow",
        "class_name": "Model",
        "config": {"input_layers": [["input_1", 0, 0]], "layers": layers, "name": model_name,
                   "output_layers": [[previous, 0, 0]]},
        "keras_version": "2.4.0",
    }


def WriteKerasWeights(path, model):
    """Keras 2 save_weights layout: /<layer>/<layer>/{kernel:0 (in, out), bias:0}."""
    def Names(strings):
        # Fixed-length byte strings, as Keras writes them.
        width = max([1] + [len(s) for s in strings])
        return np.array([s.encode() for s in strings], dtype=f"S{width}")

    # track_times=False keeps modification times out of the datasets and libver='earliest' keeps
    # the file layout independent of the HDF5 version's defaults: reruns are byte-identical.
    with h5py.File(path, "w", libver="earliest") as f:
        f.attrs["backend"] = np.bytes_("tensorflow")
        f.attrs["keras_version"] = np.bytes_("2.4.0")
        f.attrs["layer_names"] = Names(["input_1"] + [name for name, _, _ in LAYERS])
        f.create_group("input_1").attrs["weight_names"] = np.array([], dtype=np.float64)
        for (name, _, _), dense in zip(LAYERS, model.dense_layers()):
            group = f.create_group(name)
            group.attrs["weight_names"] = Names([f"{name}/kernel:0", f"{name}/bias:0"])
            inner = group.create_group(name)
            kernel = dense.weight.detach().numpy().T.astype(np.float32)  # Keras: (in, out)
            inner.create_dataset("kernel:0", data=np.ascontiguousarray(kernel), track_times=False)
            inner.create_dataset("bias:0", data=dense.bias.detach().numpy().astype(np.float32),
                                 track_times=False)


def RunKerasFloat64(json_path, h5_path, x):
    """Evaluates the JSON+H5 pair in float64, independently of torch."""
    with open(json_path) as f:
        config = json.load(f)
    with h5py.File(h5_path, "r") as f:
        for layer in config["config"]["layers"]:
            if layer["class_name"] != "Dense":
                continue
            name = layer["name"]
            kernel = f[name][name]["kernel:0"][()].astype(np.float64)
            bias = f[name][name]["bias:0"][()].astype(np.float64)
            x = x @ kernel + bias
            if layer["config"]["activation"] == "relu":
                x = np.maximum(x, 0.0)
            elif layer["config"]["activation"] == "softmax":
                e = np.exp(x - x.max(axis=1, keepdims=True))
                x = e / e.sum(axis=1, keepdims=True)
    return x


def WriteModel(model, stem, model_name, inputs, outputs_name):
    """The ONNX file, the Keras JSON+H5 pair and the float64 reference outputs; checks them."""
    onnx_path = os.path.join(HERE, stem + ".onnx")
    torch.onnx.export(model, torch.zeros(2, NUM_FEATURES), onnx_path, opset_version=13,
                      input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
    json_path = os.path.join(HERE, stem + ".json")
    with open(json_path, "w") as f:
        json.dump(KerasConfig(model_name), f, indent=2, sort_keys=True)
        f.write("\n")
    h5_path = os.path.join(HERE, stem + "_weights.h5")
    WriteKerasWeights(h5_path, model)
    with torch.no_grad():
        outputs = model.double()(torch.from_numpy(inputs)).numpy()
    model.float()
    np.save(os.path.join(HERE, outputs_name), outputs)

    # Check both formats against the reference, and that everything loads back.
    _, ops, rel_onnx = make_models.CheckExport(onnx_path, inputs, outputs,
                                               {"Gemm", "Relu", "Softmax"})
    rel_keras = make_models.MaxRelativeError(RunKerasFloat64(json_path, h5_path, inputs), outputs)
    if not rel_keras <= make_models.MAX_REL_ERROR:
        raise SystemExit(f"{h5_path}: Keras float64 evaluation differs by {rel_keras:.3g}")
    assert np.load(os.path.join(HERE, outputs_name)).shape == (NUM_DEMO_ROWS, NUM_CLASSES)
    counts = np.bincount(outputs.argmax(axis=1), minlength=NUM_CLASSES)
    print(f"  ONNX nodes: {', '.join(ops)}")
    print(f"  predicted classes on inputs.npy ({'/'.join(CLASS_NAMES)}): {counts.tolist()}")
    print(f"  max relative error vs reference: ONNX {rel_onnx:.1e}, Keras {rel_keras:.1e}")


def main():
    warnings.filterwarnings("ignore", category=UserWarning, module="torch.onnx")
    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    model = JetTagger()
    accuracy = Train(model)
    model.eval()

    inputs = np.random.default_rng(SEED + 2).standard_normal((NUM_DEMO_ROWS, NUM_FEATURES))
    np.save(os.path.join(HERE, "inputs.npy"), inputs)
    assert np.load(os.path.join(HERE, "inputs.npy")).shape == (NUM_DEMO_ROWS, NUM_FEATURES)
    params = sum(p.numel() for p in model.parameters())
    print(f"jet tagger: {params} parameters, validation accuracy {accuracy:.3f}")
    WriteModel(model, "jet_tagger", "jet_tagger", inputs, "float_outputs.npy")

    model.train()
    pruned_accuracy, sparsity = PruneAndRetrain(model)
    model.eval()
    print(f"pruned jet tagger: {sparsity:.1%} of the weights are zero, validation accuracy "
          f"{pruned_accuracy:.3f}")
    WriteModel(model, "jet_tagger_pruned", "jet_tagger_pruned", inputs,
               "pruned_float_outputs.npy")


if __name__ == "__main__":
    main()
