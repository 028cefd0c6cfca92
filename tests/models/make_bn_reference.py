#!/usr/bin/python3
"""Hand-computed fixed-point outputs of the batch-normalized jet taggers, as hls4ml computes them.

Run with Debian's interpreter (numpy, h5py, onnx), from anywhere:

    /usr/bin/python3 tests/models/make_bn_reference.py

It reads three models from ../shared/example-models (KERAS_3layer_batch_norm, three_layer_bn_keras.onnx,
three_layer_bn_pytorch.onnx: 16 -> Dense 64 -> BN -> ReLU -> Dense 32 -> BN -> ReLU -> Dense 32 -> BN
-> ReLU -> Dense 5 -> BN -> Softmax) and writes, into tests/models/bn_reference/:

  inputs.npy                     400 rows of 16 features (340 standard-normal rows and 60 rows
                                 scaled by 8, which overflow ap_fixed<16,6> and wrap), float64
  <model>.<mode>.relu3.npy       the outputs of the last ReLU, float32 (ap_fixed<16,6> values are
                                 exact in float32)
  <model>.<mode>.logits.npy      the input of the softmax, float64 (exact)

for two configs (tests/models/bn_reference/<mode>.yml):

  fixed  Model: Precision: ap_fixed<16,6>. Every Dense result has a type, so hls4ml keeps each
         BatchNormalization as its own layer: scale and bias quantized to ap_fixed<16,6>, y =
         (result_t)(x * scale + bias) with an exact product and sum.
  auto   the same, plus LayerType Dense: Precision {result: auto, accum: auto}. hls4ml's
         FuseBatchNormalization folds every BN into its Dense (in numpy, float32), and
         InferPrecisionTypes gives accum and result a type that holds every exact sum.

This is an independent implementation of hls4ml's arithmetic, written from its sources (nnet_dense
latency, nnet_batchnorm normalize, nnet_activation relu, bn_fuse.py, infer_precision.py, and the
writer that prints weights as decimals with as many digits as the type has fractional bits), in
Python integers and numpy; it shares no code with firmnet. The C++ test
(tests/e2e/batchnorm_hls4ml_test.cc) runs firmnet's emulator with the same config and compares
every value exactly.
"""

import json
import math
import os
import sys

import h5py
import numpy as np
import onnx
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "example-models"))
OUT = os.path.join(HERE, "bn_reference")

W_DEF, I_DEF = 16, 6  # ap_fixed<16,6>, AP_TRN, AP_WRAP


# ------------------------------------------------------------------------------ ap_fixed, TRN/WRAP

class Fx:
    """A signed ap_fixed<W,I> with AP_TRN and AP_WRAP."""

    def __init__(self, width, integer):
        self.w, self.i = width, integer
        self.f = width - integer

    def wrap(self, raw):
        """raw: numpy int64 array or Python int, in units of 2^-f."""
        m = 1 << self.w
        half = 1 << (self.w - 1)
        return ((raw + half) % m) - half

    def cast(self, raw, frac):
        """Cast raw * 2^-frac to this type: floor to our lsb, then wrap."""
        shift = frac - self.f
        if shift >= 0:
            raw = raw >> shift  # arithmetic shift: floor
        else:
            raw = raw << (-shift)
        return self.wrap(raw)


def quantize_float(x, t):
    """A model input (float64) cast to t: exact value, floor, wrap."""
    from fractions import Fraction
    raw = math.floor(Fraction(float(x)) * (Fraction(2) ** t.f))
    return t.wrap(raw)


def quantize_weight(x, t):
    """hls4ml prints a weight as '{:.Ff}' (F = fractional bits) and C++ converts that decimal."""
    from fractions import Fraction
    text = "{:.{}f}".format(float(x), max(0, t.f))
    raw = math.floor(Fraction(float(text)) * (Fraction(2) ** t.f))
    return t.wrap(raw)


def qw_array(a, t):
    a = np.asarray(a)
    return np.array([quantize_weight(v, t) for v in a.ravel()], dtype=np.int64).reshape(a.shape)


def auto_sum_type(tin, tw, tb, n_ops):
    """hls4ml InferPrecisionTypes._infer_common_precision (all signed here)."""
    extra = math.ceil(np.log2(n_ops))
    width = tw.w + tin.w + extra
    integer = tw.i + tin.i + extra
    frac = width - integer
    integer = max(integer, tb.i) + 1
    width = integer + max(frac, tb.w - tb.i)
    return Fx(width, integer)


# ------------------------------------------------------------------------------ the layers

def dense(x_raw, tin, w_raw, b_raw, tw, tb, tacc, tres):
    """nnet::dense_latency: acc = (accum_t)bias; acc += (accum_t)(x*w); res = (result_t)acc.

    With AP_WRAP the accumulator's wraps do not depend on their order, so the exact sum of the
    cast products is wrapped once. Raw values are int64 (every width here is below 63 bits)."""
    products = x_raw[:, :, None] * w_raw[None, :, :]  # rows x n_in x n_out, exact
    products = tacc.cast(products, tin.f + tw.f)
    acc = tacc.cast(b_raw[None, :], tb.f) + products.sum(axis=1)
    return tres.cast(tacc.wrap(acc), tacc.f)


def batchnorm(x_raw, tin, s_raw, b_raw, ts, tb, tres):
    """nnet::normalize: res = x * scale + bias, exact, one cast."""
    frac = max(tin.f + ts.f, tb.f)
    v = (x_raw * s_raw[None, :]) << (frac - tin.f - ts.f)
    v = v + (b_raw[None, :] << (frac - tb.f))
    return tres.cast(v, frac)


def relu(x_raw, tin, tres):
    return tres.cast(np.maximum(x_raw, 0), tin.f)


def to_float(raw, t):
    return raw.astype(np.float64) * (2.0 ** -t.f)


# ------------------------------------------------------------------------------ model readers

def bn_fold(gamma, beta, mean, var, eps):
    """hls4ml BatchNormalization.initialize, in numpy on the model's float32 arrays."""
    scale = gamma / np.sqrt(var + eps)
    bias = beta - scale * mean
    return scale, bias


def read_keras(stem):
    with open(os.path.join(SHARED, "keras", stem + ".json")) as f:
        arch = json.load(f)
    layers = []
    with h5py.File(os.path.join(SHARED, "keras", stem + "_weights.h5"), "r") as h5:
        def ds(layer, name):
            group = h5[layer]
            for key in (layer + "/" + name + ":0", name + ":0"):
                if key in group:
                    return np.array(group[key])
            raise KeyError(layer + "/" + name)
        for layer in arch["config"]["layers"]:
            cls, cfg = layer["class_name"], layer["config"]
            name = cfg["name"]
            if cls == "Dense":
                layers.append(("dense", ds(name, "kernel"), ds(name, "bias")))
            elif cls == "BatchNormalization":
                gamma = ds(name, "gamma") if cfg.get("scale", True) else 1
                beta = ds(name, "beta") if cfg.get("center", True) else 0
                layers.append(("bn",) + bn_fold(gamma, beta, ds(name, "moving_mean"),
                                                ds(name, "moving_variance"), cfg["epsilon"]))
            elif cls == "Activation" and cfg["activation"] == "relu":
                layers.append(("relu",))
    return layers


def read_onnx(path):
    model = onnx.load(path)
    init = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    layers = []
    for node in model.graph.node:
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        if node.op_type == "Gemm":
            w = init[node.input[1]]
            if attrs.get("transB", 0):
                w = w.T
            layers.append(("dense", w, init[node.input[2]]))
        elif node.op_type == "BatchNormalization":
            g, b, m, v = (init[n] for n in node.input[1:5])
            layers.append(("bn",) + bn_fold(g, b, m, v, attrs.get("epsilon", 1e-5)))
        elif node.op_type == "Relu":
            layers.append(("relu",))
    return layers


# ------------------------------------------------------------------------------ the two configs

def run(layers, inputs, mode):
    t_def = Fx(W_DEF, I_DEF)
    x = np.array([[quantize_float(v, t_def) for v in row] for row in inputs], dtype=np.int64)
    tx = t_def
    outputs = {}
    relus = 0
    k = 0
    while k < len(layers):
        kind = layers[k][0]
        if kind == "dense":
            _, w, b = layers[k]
            nxt = layers[k + 1] if k + 1 < len(layers) else None
            if mode == "auto" and nxt is not None and nxt[0] == "bn":
                # hls4ml bn_fuse.py: fused_weight = scale * weight, fused_bias = scale * bias +
                # bn_bias, numpy on float32 arrays.
                _, s, t = nxt
                w = s * w
                b = s * b + t
                k += 1
            tw = tb = t_def
            if mode == "auto":
                tacc = tres = auto_sum_type(tx, tw, tb, w.shape[0])
            else:
                tacc = tres = t_def
            x = dense(x, tx, qw_array(w, tw), qw_array(b, tb), tw, tb, tacc, tres)
            tx = tres
        elif kind == "bn":
            _, s, t = layers[k]
            x = batchnorm(x, tx, qw_array(s, t_def), qw_array(t, t_def), t_def, t_def, t_def)
            tx = t_def
        elif kind == "relu":
            x = relu(x, tx, t_def)
            tx = t_def
            relus += 1
            outputs["relu%d" % relus] = to_float(x, tx)
        k += 1
    outputs["logits"] = to_float(x, tx)
    return outputs


MODELS = {
    "KERAS_3layer_batch_norm": lambda: read_keras("KERAS_3layer_batch_norm"),
    "three_layer_bn_keras": lambda: read_onnx(os.path.join(SHARED, "onnx",
                                                           "three_layer_bn_keras.onnx")),
    "three_layer_bn_pytorch": lambda: read_onnx(os.path.join(SHARED, "onnx",
                                                             "three_layer_bn_pytorch.onnx")),
}

CONFIGS = {
    "fixed": "Model:\n  Precision: ap_fixed<16,6>\n",
    "auto": ("Model:\n  Precision: ap_fixed<16,6>\n"
             "LayerType:\n  Dense:\n    Precision: {result: auto, accum: auto}\n"),
}


def main():
    if not os.path.isdir(SHARED):
        sys.exit("no example models at " + SHARED)
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20261206)
    inputs = np.concatenate([rng.standard_normal((340, 16)), 8.0 * rng.standard_normal((60, 16))])
    np.save(os.path.join(OUT, "inputs.npy"), inputs)
    header = "# Config for tests/models/make_bn_reference.py and batchnorm_hls4ml_test.cc\n"
    for mode, text in CONFIGS.items():
        with open(os.path.join(OUT, mode + ".yml"), "w") as f:
            f.write(header + text)
    for name, reader in MODELS.items():
        layers = reader()
        for mode in CONFIGS:
            outputs = run(layers, inputs, mode)
            relu3 = outputs["relu3"].astype(np.float32)
            assert (relu3.astype(np.float64) == outputs["relu3"]).all()
            np.save(os.path.join(OUT, "%s.%s.relu3.npy" % (name, mode)), relu3)
            np.save(os.path.join(OUT, "%s.%s.logits.npy" % (name, mode)), outputs["logits"])
            print(name, mode, "done")


if __name__ == "__main__":
    main()
