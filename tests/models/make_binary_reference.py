#!/usr/bin/python3
"""Hand-computed fixed-point outputs of the binary and ternary Keras example models, as hls4ml
computes them.

Run with Debian's interpreter (numpy, h5py), from anywhere:

    /usr/bin/python3 tests/models/make_binary_reference.py

It reads four models from ../shared/example-models/keras, each 16 -> BinaryDense/TernaryDense 64 ->
BN -> act -> 32 -> BN -> act -> 32 -> BN -> act -> 5 -> BN, no Dense bias:

  KERAS_3layer_binary_smaller         BinaryDense, Activation binary_tanh
  KERAS_3layer_binarydense_relu_max   BinaryDense, Activation relu1
  KERAS_3layer_ternary_small          TernaryDense, Activation ternary_tanh
  keras_bnn                           BinaryDense, Activation binary_tanh (float64 weights)

and writes, into tests/models/binary_reference/:

  inputs.npy            912 rows of 16 features, float64: 340 standard-normal rows, 60 rows
                        scaled by 8, whose first-Dense sums overflow ap_fixed<16,6> and wrap (about
                        a third of them), and 512 rows that put each first-layer output of the
                        three threshold models exactly on its threshold and one lsb to the other
                        side (edge_rows)
  <model>.output.npy    the output of the last BatchNormalization, float64 (exact ap_fixed<16,6>
                        values)
  config.yml            the config: Model: Precision: ap_fixed<16,6> (AP_TRN, AP_WRAP), ReuseFactor
                        1, io_parallel. Every Dense result has a type, so hls4ml's
                        FuseBatchNormalization (which needs an unspecified Dense result) fuses no BN.

This is an independent implementation of hls4ml's arithmetic, written from its sources, in Python
integers and numpy; it shares no code with firmnet. What it follows (hls4ml paths):

  converters/keras/core.py    BinaryDense: weight_quantizer BinaryQuantizer(bits=2), TernaryDense:
                              TernaryQuantizer; a missing bias is zeros of ap_uint<1>, unquantized
                              (model/layers.py add_bias)
  model/quantizers.py         Binary, 2 bits: w >= 0 -> +1 else -1, as ap_int<2>; 1 bit (XNOR):
                              w >= 0 -> 1 else 0, as ap_uint<1>. Ternary: w > 0.5 -> 1,
                              w <= -0.5 -> -1, else 0, as ap_int<2>
  model/layers.py             BatchNormalization: scale = gamma / sqrt(var + eps), bias = beta -
                              scale * mean, numpy in the weights' dtype (float32, or float64 for
                              keras_bnn)
  backends/vivado/vivado_backend.py  the quantization flow runs merge_batch_norm_quantized_tanh to
                              a fixed point before quantize_dense_output (optimizer.py
                              optimize_model restarts the pass list after each change)
  backends/vivado/passes/bn_quant.py MergeBatchNormAndQuantizedTanh: BN followed by binary_tanh /
                              ternary_tanh becomes BatchNormalizationQuantizedTanh.
                              QuantizeDenseOutput: a Binary/Ternary Dense whose input is such a
                              layer gets accum and result ap_int<ceil(log2(n_in)) + 2>, its weights
                              requantized (binary: XNOR bits; ternary: ap_int<2>), its bias zeros,
                              and the thresholds of the BNQT layers it feeds become np.floor(t) of
                              that integer type
  backends/fpga/fpga_layers.py set_thresholds, with F the fractional bits of the BN's input type
                              (ap_fixed<16,6> for every BNQT: the merges all run before any
                              QuantizeDenseOutput): t = -bias / scale; binary: floor(t * 2^F) / 2^F;
                              ternary: hi = floor((0.5 / scale + t) * 2^F) / 2^F, lo =
                              floor((-0.5 / scale + t) * 2^F) / 2^F, all in numpy's dtype
  backends/fpga/fpga_backend.py product_type: XNOR data and weights: both_binary; weights
                              ap_int<2>: weight_ternary; otherwise mult
  nnet_dense_latency.h, nnet_mult.h  acc = (accum_t)bias; acc += (accum_t)product(x, w); res =
                              cast(acc): for ap_uint<1> data and weights (ap_int<ceillog2(n_in) +
                              2>)(acc * 2 - n_in), the count of matching bits turned into the sum
                              of +-1 products; otherwise (res_t)acc. both_binary: x == w;
                              weight_ternary: 0, -x or x
  nnet_batchnorm.h            normalize: res = (res_t)(x * scale + bias), exact product and sum;
                              normalize_binary_tanh: x >= threshold -> 1 else 0 (ap_uint<1>);
                              normalize_ternary_tanh: x > hi -> 1, x <= lo -> -1, else 0 (ap_int<2>)
  nnet_activation.h           relu1 = relu_max<1>: x < 0 -> 0, x > 1 -> 1, else x
  model/types.py              the writer prints a weight with '{:.Ff}', F the fractional bits of its
                              type ('{:.0f}' for integer types) and C++ converts that decimal
                              (floor, wrap)

The XNOR bit b in hls4ml's firmware stands for the value 2b - 1; the model outputs are ordinary
ap_fixed<16,6> numbers. The C++ test (tests/e2e/binary_hls4ml_test.cc) runs firmnet's emulator
with config.yml and compares every output value exactly.
"""

import json
import math
import os
import sys
from fractions import Fraction

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "example-models"))
OUT = os.path.join(HERE, "binary_reference")

W_DEF, I_DEF = 16, 6  # ap_fixed<16,6>, AP_TRN, AP_WRAP


# ------------------------------------------------------------------------------ ap types, TRN/WRAP

class Fx:
    """A signed ap_fixed<W,I> with AP_TRN and AP_WRAP; ap_int<W> is Fx(W, W)."""

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


def ap_int(width):
    return Fx(width, width)


def quantize_float(x, t):
    """A model input (float64) cast to t: exact value, floor, wrap."""
    raw = math.floor(Fraction(float(x)) * (Fraction(2) ** t.f))
    return t.wrap(raw)


def quantize_weight(x, t):
    """hls4ml prints a constant as '{:.Ff}' (F = fractional bits, 0 for ap_int) and C++ converts
    that decimal to the type (floor, wrap)."""
    text = "{:.{}f}".format(float(x), max(0, t.f))
    raw = math.floor(Fraction(float(text)) * (Fraction(2) ** t.f))
    return t.wrap(raw)


def qw_array(a, t):
    a = np.asarray(a)
    return np.array([quantize_weight(v, t) for v in a.ravel()], dtype=np.int64).reshape(a.shape)


def ceillog2(x):
    """nnet_helpers.h: constexpr int ceillog2(int x)."""
    return 1 if x <= 2 else 1 + ceillog2((x + 1) // 2)


def to_float(raw, t):
    return raw.astype(np.float64) * (2.0 ** -t.f)


# ------------------------------------------------------------------------------ quantizers

def binary_pm1(w):
    """BinaryQuantizer(bits=2): -1/+1 (ap_int<2>)."""
    return np.where(w >= 0, np.ones_like(w), -np.ones_like(w))


def binary_xnor(w):
    """BinaryQuantizer(bits=1): 0/1 (ap_uint<1>)."""
    return np.where(w >= 0, np.ones_like(w), np.zeros_like(w)).astype("int")


def ternary(w):
    """TernaryQuantizer: -1, 0, +1 (ap_int<2>)."""
    ones = np.ones_like(w)
    return np.where(w > 0.5, ones, np.where(w <= -0.5, -ones, np.zeros_like(w)))


# ------------------------------------------------------------------------------ model reader

def read_keras(stem):
    """The layers in order: ('dense', kind, kernel), ('bn', scale, bias), ('act', name).

    BN scale and bias as hls4ml's BatchNormalization.initialize computes them (numpy, in the
    weights' dtype; epsilon is the JSON's Python float)."""
    with open(os.path.join(SHARED, "keras", stem + ".json")) as f:
        arch = json.load(f)
    config = arch["config"]
    keras_layers = config["layers"] if isinstance(config, dict) else config  # Keras 2.2 / 2.0
    layers = []
    with h5py.File(os.path.join(SHARED, "keras", stem + "_weights.h5"), "r") as h5:
        def ds(layer, name):
            group = h5[layer]
            for key in (layer + "/" + name + ":0", name + ":0"):
                if key in group:
                    return group[key][()]
            raise KeyError(layer + "/" + name)

        for layer in keras_layers:
            cls, cfg = layer["class_name"], layer["config"]
            name = cfg["name"]
            if cls in ("BinaryDense", "TernaryDense"):
                assert not cfg.get("use_bias", True), name  # these models have no Dense bias
                assert cfg.get("activation", "linear") == "linear", name
                kind = "binary" if cls == "BinaryDense" else "ternary"
                layers.append(("dense", kind, ds(name, "kernel")))
            elif cls == "BatchNormalization":
                assert cfg["scale"] and cfg["center"], name
                gamma, beta = ds(name, "gamma"), ds(name, "beta")
                mean, var = ds(name, "moving_mean"), ds(name, "moving_variance")
                scale = gamma / np.sqrt(var + cfg["epsilon"])
                bias = beta - scale * mean
                layers.append(("bn", scale, bias))
            elif cls == "Activation":
                layers.append(("act", cfg["activation"]))
            else:
                raise ValueError("unexpected layer %s (%s) in %s" % (name, cls, stem))
    return layers


# ------------------------------------------------------------------------------ hls4ml's passes

def lower(layers):
    """hls4ml's quantization flow on the layer list: MergeBatchNormAndQuantizedTanh everywhere
    first, then QuantizeDenseOutput. Returns the executable layers with their types."""
    t_def = Fx(W_DEF, I_DEF)
    merged = []
    k = 0
    while k < len(layers):
        layer = layers[k]
        nxt = layers[k + 1] if k + 1 < len(layers) else None
        if (layer[0] == "bn" and nxt is not None and nxt[0] == "act"
                and nxt[1] in ("binary", "binary_tanh", "ternary", "ternary_tanh")):
            merged.append(("bnqt", 2 if "binary" in nxt[1] else 3, layer[1], layer[2]))
            k += 2
        else:
            merged.append(layer)
            k += 1

    # set_thresholds: every BNQT's input is then still a Dense with result ap_fixed<16,6>.
    steps = []
    tx = t_def  # type of the current tensor ("xnor" for ap_uint<1> bits)
    for layer in merged:
        kind = layer[0]
        if kind == "dense":
            _, wkind, kernel = layer
            n_in = kernel.shape[0]
            w = binary_pm1(kernel) if wkind == "binary" else ternary(kernel)  # add_weights
            after_bnqt = bool(steps) and steps[-1]["op"] == "bnqt"
            if after_bnqt:
                # QuantizeDenseOutput
                nbits = int(np.ceil(np.log2(n_in)) + 2)
                tacc = tres = ap_int(nbits)
                if wkind == "binary":
                    steps.append(dict(op="dense_xnor", w=binary_xnor(w).astype(np.int64),
                                      tacc=tacc, tres=tres, tin=tx))
                else:
                    steps.append(dict(op="dense", w=ternary(w).astype(np.int64), tacc=tacc,
                                      tres=tres, tin=tx))
            else:
                tacc = tres = t_def
                steps.append(dict(op="dense", w=w.astype(np.int64), tacc=tacc, tres=tres, tin=tx))
            tx = tres
        elif kind == "bnqt":
            _, quantize, scale, bias = layer
            assert steps[-1]["op"] in ("dense", "dense_xnor")
            F = t_def.f  # the Dense result type at set_thresholds time
            threshold = -bias / scale
            if quantize == 2:
                thresholds = [np.floor(threshold * 2**F) / 2**F]
            else:
                hi = 0.5 / scale + threshold
                lo = -0.5 / scale + threshold
                thresholds = [np.floor(hi * 2**F) / 2**F, np.floor(lo * 2**F) / 2**F]
            if tx.f == 0:
                # QuantizeDenseOutput ran on the Dense before: np.floor, integer type
                thresholds = [np.floor(t) for t in thresholds]
            raws = [qw_array(t, tx) for t in thresholds]
            steps.append(dict(op="bnqt", quantize=quantize, thresholds=raws, tin=tx))
            tx = "xnor" if quantize == 2 else ap_int(2)
        elif kind == "bn":
            _, scale, bias = layer
            steps.append(dict(op="bn", s=qw_array(scale, t_def), b=qw_array(bias, t_def), ts=t_def,
                              tb=t_def, tin=tx, tres=t_def))
            tx = t_def
        elif kind == "act":
            assert layer[1] == "relu1", layer[1]
            steps.append(dict(op="relu1", tin=tx, tres=t_def))
            tx = t_def
    return steps, tx


# ------------------------------------------------------------------------------ the layers

def dense(x_raw, tin, w, tacc, tres):
    """nnet::dense_latency with product weight_ternary (w in -1, 0, 1: 0, -x or x, exact in
    decltype(-x)) and a zero bias: acc = sum of (accum_t)products, res = (res_t)acc. With AP_WRAP
    the accumulator's wraps do not depend on their order, so the exact sum is wrapped once."""
    products = tacc.cast(x_raw[:, :, None] * w[None, :, :], tin.f)
    acc = tacc.wrap(products.sum(axis=1))
    return tres.cast(acc, tacc.f)


def dense_xnor(x_bits, w_bits, tacc, tres):
    """both_binary: product (x == w) as accum_t; cast: (ap_int<ceillog2(n_in)+2>)(acc*2 - n_in),
    then assigned to res_t."""
    n_in = w_bits.shape[0]
    matches = (x_bits[:, :, None] == w_bits[None, :, :]).astype(np.int64)
    acc = tacc.wrap(matches.sum(axis=1))
    return tres.wrap(ap_int(ceillog2(n_in) + 2).wrap(acc * 2 - n_in))


def bnqt(x_raw, quantize, thresholds):
    """normalize_binary_tanh: x >= t -> 1 else 0; normalize_ternary_tanh: x > hi -> 1,
    x <= lo -> -1, else 0. Thresholds are in the input's type."""
    if quantize == 2:
        return (x_raw >= thresholds[0][None, :]).astype(np.int64)
    hi, lo = thresholds
    return np.where(x_raw > hi[None, :], 1, np.where(x_raw <= lo[None, :], -1, 0)).astype(np.int64)


def batchnorm(x_raw, tin, s_raw, b_raw, ts, tb, tres):
    """nnet::normalize with product mult: res = x * scale + bias, exact, one cast."""
    frac = max(tin.f + ts.f, tb.f)
    v = (x_raw * s_raw[None, :]) << (frac - tin.f - ts.f)
    v = v + (b_raw[None, :] << (frac - tb.f))
    return tres.cast(v, frac)


def relu1(x_raw, tin, tres):
    """relu_max<1>: x < 0 -> 0, x > 1 -> 1, else x (input and result both ap_fixed<16,6>)."""
    one = 1 << tin.f
    return tres.cast(np.where(x_raw < 0, 0, np.where(x_raw > one, one, x_raw)), tin.f)


def run(steps, t_out, inputs):
    t_def = Fx(W_DEF, I_DEF)
    x = np.array([[quantize_float(v, t_def) for v in row] for row in inputs], dtype=np.int64)
    for s in steps:
        op = s["op"]
        if op == "dense":
            x = dense(x, s["tin"], s["w"], s["tacc"], s["tres"])
        elif op == "dense_xnor":
            x = dense_xnor(x, s["w"], s["tacc"], s["tres"])
        elif op == "bnqt":
            x = bnqt(x, s["quantize"], s["thresholds"])
        elif op == "bn":
            x = batchnorm(x, s["tin"], s["s"], s["b"], s["ts"], s["tb"], s["tres"])
        elif op == "relu1":
            x = relu1(x, s["tin"], s["tres"])
    return to_float(x, t_out)


MODELS = [
    "KERAS_3layer_binary_smaller",
    "KERAS_3layer_binarydense_relu_max",
    "KERAS_3layer_ternary_small",
    "keras_bnn",
]

CONFIG = ("# Config for tests/models/make_binary_reference.py and binary_hls4ml_test.cc\n"
          "Model:\n  Precision: ap_fixed<16,6>\n  ReuseFactor: 1\n"
          "IOType: io_parallel\n")


def describe(steps):
    parts = []
    for s in steps:
        if s["op"] == "bnqt":
            parts.append("bnqt%d" % s["quantize"])
        elif s["op"] in ("dense", "dense_xnor"):
            parts.append("%s->ap_int<%d>" % (s["op"], s["tres"].w) if s["tres"].f == 0
                         else s["op"])
        else:
            parts.append(s["op"])
    return " ".join(parts)


def edge_rows(steps):
    """Rows that put each first-layer Dense output exactly on its threshold and one lsb to the
    other side, so that the comparisons on ap_fixed<16,6> (>= for binary, > hi and <= lo for
    ternary) and the thresholds' last bit are checked: random rows almost never land there. A row
    has one nonzero feature k, so that output j is w[k, j] * value = the target."""
    if len(steps) < 2 or steps[0]["op"] != "dense" or steps[1]["op"] != "bnqt":
        return []
    w, t = steps[0]["w"], steps[0]["tres"]
    thresholds = steps[1]["thresholds"]
    # binary: x >= t flips between t - lsb and t; ternary: x > hi between hi and hi + lsb,
    # x <= lo between lo and lo + lsb.
    offsets = [(0, -1)] if steps[1]["quantize"] == 2 else [(0, 1), (0, 1)]
    rows = []
    for j in range(w.shape[1]):
        ks = [k for k in range(w.shape[0]) if w[(j + k) % w.shape[0], j] != 0]
        k = (j + ks[0]) % w.shape[0]
        for raw, offs in zip(thresholds, offsets):
            for off in offs:
                row = np.zeros(w.shape[0])
                row[k] = float(w[k, j] * (int(raw[j]) + off)) * 2.0 ** -t.f
                rows.append(row)
    return rows


def main():
    if not os.path.isdir(SHARED):
        sys.exit("no example models at " + SHARED)
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20261207)
    models = {name: lower(read_keras(name)) for name in MODELS}
    edges = [row for name in MODELS for row in edge_rows(models[name][0])]
    inputs = np.concatenate([rng.standard_normal((340, 16)), 8.0 * rng.standard_normal((60, 16)),
                             np.array(edges)])
    np.save(os.path.join(OUT, "inputs.npy"), inputs)
    with open(os.path.join(OUT, "config.yml"), "w") as f:
        f.write(CONFIG)
    for name in MODELS:
        steps, t_out = models[name]
        assert t_out is not None and t_out != "xnor" and t_out.f == W_DEF - I_DEF
        out = run(steps, t_out, inputs)
        np.save(os.path.join(OUT, name + ".output.npy"), out)
        print(name, ":", describe(steps))


if __name__ == "__main__":
    main()
