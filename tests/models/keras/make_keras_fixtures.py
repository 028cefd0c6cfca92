#!/usr/bin/python3
"""Writes the small Keras-layout fixtures used by src/firmnet/frontend/keras/keras_importer_test.cc.

TensorFlow is not available here, so the files are written with h5py in the exact layout Keras 2
uses (see shared/TOOLING.md). Every weight is a multiple of 1/8 (exact in float32), so the test
can compare values bit for bit. Run with Debian's interpreter:

    /usr/bin/python3 tests/models/keras/make_keras_fixtures.py

Outputs (committed; regenerate only when this script changes):
  tiny_full_vlen.h5           Functional full model; every string attribute variable-length (str),
                              weights float32 (d1) and float64 (d2), BatchNormalization with
                              center=False and epsilon=1.
  tiny_full_fixed.h5          Sequential full model in the Keras < 2.2.3 layout (config is a list),
                              every string attribute fixed-length (bytes), no InputLayer.
  tiny_seq.json +             Sequential JSON architecture (with InputLayer, Flatten, Reshape,
  tiny_seq_weights.h5         Dense use_bias=False) and a weights-only file whose layer groups
                              have no 'weight_names' attribute (the fallback path lookup).
  tiny_causal.json +          Sequential Conv1D with padding='causal' (kernel 3, 2 channels in,
  tiny_causal_weights.h5      2 filters) on a [5, 2] input.
"""
import json
import os

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def ramp(shape, start, dtype):
    """Values start, start+1/8, ... in row-major order: exact in float32, easy to check."""
    n = int(np.prod(shape))
    return (np.arange(n, dtype=np.float64) / 8.0 + start).reshape(shape).astype(dtype)


def dense(name, units, activation, use_bias=True, **extra):
    cfg = {"name": name, "units": units, "activation": activation, "use_bias": use_bias,
           "trainable": True}
    cfg.update(extra)
    return {"class_name": "Dense", "config": cfg}


def functional(layers, name):
    """Chains `layers` (each {"class_name", "config"}) into a Keras 2 Functional config."""
    out = []
    prev = None
    for layer in layers:
        entry = dict(layer)
        entry["name"] = layer["config"]["name"]
        entry["inbound_nodes"] = [] if prev is None else [[[prev, 0, 0, {}]]]
        prev = entry["name"]
        out.append(entry)
    return {"class_name": "Model", "keras_version": "2.2.4", "backend": "tensorflow",
            "config": {"name": name, "layers": out,
                       "input_layers": [[out[0]["name"], 0, 0]],
                       "output_layers": [[out[-1]["name"], 0, 0]]}}


def string_attr(obj, key, value, vlen):
    """Writes a str (vlen) or bytes (fixed-length) attribute, or a list of them."""
    if isinstance(value, list):
        if vlen:
            obj.attrs.create(key, value, dtype=h5py.string_dtype("utf-8"))
        else:
            width = max([len(v) for v in value] + [1])
            obj.attrs.create(key, np.array([v.encode() for v in value], dtype="S%d" % width))
    else:
        obj.attrs[key] = value if vlen else np.bytes_(value.encode())


def write_weights(root, layer_weights, vlen, with_weight_names=True):
    """layer_weights: [(layer, [(weight, array)])] in model order, like Keras's save_weights."""
    string_attr(root, "layer_names", [name for name, _ in layer_weights], vlen)
    string_attr(root, "backend", "tensorflow", vlen)
    string_attr(root, "keras_version", "2.2.4", vlen)
    for layer, weights in layer_weights:
        g = root.create_group(layer)
        names = ["%s/%s:0" % (layer, w) for w, _ in weights]
        if with_weight_names:
            if names:
                string_attr(g, "weight_names", names, vlen)
            else:
                # What Keras writes for a layer without weights: an empty float64 array.
                g.attrs["weight_names"] = np.array([], dtype=np.float64)
        for (w, value), full in zip(weights, names):
            g.create_dataset(full, data=value)


def tiny_full_vlen():
    model = functional([
        {"class_name": "InputLayer",
         "config": {"name": "in", "batch_input_shape": [None, 4], "dtype": "float32"}},
        dense("d1", 3, "relu"),
        {"class_name": "BatchNormalization",
         "config": {"name": "bn", "axis": -1, "center": False, "scale": True, "epsilon": 1.0}},
        {"class_name": "Dropout", "config": {"name": "drop", "rate": 0.5}},
        dense("d2", 2, "softmax"),
    ], "tiny_vlen")
    weights = [
        ("in", []),
        ("d1", [("kernel", ramp((4, 3), -0.75, np.float32)), ("bias", ramp((3,), 0.5, np.float32))]),
        # gamma/sqrt(var+eps) = 0.5/sqrt(3+1) = 0.25 exactly; bias = -mean*scale.
        ("bn", [("gamma", np.full((3,), 0.5, np.float32)),
                ("moving_mean", ramp((3,), 1.0, np.float32)),
                ("moving_variance", np.full((3,), 3.0, np.float32))]),
        ("drop", []),
        ("d2", [("kernel", ramp((3, 2), -0.25, np.float64)), ("bias", ramp((2,), -1.0, np.float64))]),
    ]
    with h5py.File(os.path.join(HERE, "tiny_full_vlen.h5"), "w", track_order=True) as f:
        string_attr(f, "model_config", json.dumps(model), True)
        string_attr(f, "keras_version", "2.2.4", True)
        string_attr(f, "backend", "tensorflow", True)
        write_weights(f.create_group("model_weights"), weights, vlen=True)


def tiny_full_fixed():
    layers = [
        dense("fc", 3, "hard_sigmoid", batch_input_shape=[None, 2]),
        {"class_name": "LeakyReLU", "config": {"name": "leaky"}},
        {"class_name": "ReLU", "config": {"name": "relu6", "max_value": 6.0}},
        {"class_name": "ELU", "config": {"name": "elu", "alpha": 0.5}},
        {"class_name": "Activation", "config": {"name": "act", "activation": "tanh"}},
    ]
    model = {"class_name": "Sequential", "keras_version": "2.1.5", "backend": "tensorflow",
             "config": layers}
    weights = [
        ("fc", [("kernel", ramp((2, 3), 0.125, np.float32)), ("bias", ramp((3,), -0.25, np.float32))]),
        ("leaky", []), ("relu6", []), ("elu", []), ("act", []),
    ]
    with h5py.File(os.path.join(HERE, "tiny_full_fixed.h5"), "w", track_order=True) as f:
        string_attr(f, "model_config", json.dumps(model), False)
        write_weights(f.create_group("model_weights"), weights, vlen=False)


def tiny_seq():
    model = {"class_name": "Sequential", "keras_version": "2.4.0", "backend": "tensorflow",
             "config": {"name": "tiny_seq", "layers": [
                 {"class_name": "InputLayer",
                  "config": {"name": "x", "batch_input_shape": [None, 2, 3]}},
                 {"class_name": "Flatten", "config": {"name": "flat"}},
                 dense("nobias", 4, "linear", use_bias=False),
                 {"class_name": "Reshape", "config": {"name": "rs", "target_shape": [2, -1]}},
                 {"class_name": "Flatten", "config": {"name": "flat2"}},
                 {"class_name": "Softmax", "config": {"name": "sm", "axis": -1}},
             ]}}
    with open(os.path.join(HERE, "tiny_seq.json"), "w") as f:
        json.dump(model, f, indent=1, sort_keys=True)
        f.write("\n")
    weights = [("nobias", [("kernel", ramp((6, 4), -1.5, np.float32))])]
    with h5py.File(os.path.join(HERE, "tiny_seq_weights.h5"), "w", track_order=True) as f:
        write_weights(f, weights, vlen=False, with_weight_names=False)


def tiny_causal():
    model = {"class_name": "Sequential", "keras_version": "2.4.0", "backend": "tensorflow",
             "config": {"name": "tiny_causal", "layers": [
                 {"class_name": "InputLayer",
                  "config": {"name": "x", "batch_input_shape": [None, 5, 2]}},
                 {"class_name": "Conv1D",
                  "config": {"name": "conv", "filters": 2, "kernel_size": [3], "strides": [1],
                             "padding": "causal", "dilation_rate": [1], "activation": "linear",
                             "use_bias": True, "data_format": "channels_last"}},
             ]}}
    with open(os.path.join(HERE, "tiny_causal.json"), "w") as f:
        json.dump(model, f, indent=1, sort_keys=True)
        f.write("\n")
    weights = [("conv", [("kernel", ramp((3, 2, 2), -0.75, np.float32)),
                         ("bias", ramp((2,), 0.25, np.float32))])]
    with h5py.File(os.path.join(HERE, "tiny_causal_weights.h5"), "w", track_order=True) as f:
        write_weights(f, weights, vlen=False)


if __name__ == "__main__":
    tiny_full_vlen()
    tiny_full_fixed()
    tiny_seq()
    tiny_causal()
