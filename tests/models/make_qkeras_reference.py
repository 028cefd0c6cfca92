#!/usr/bin/python3
"""Hand-computed fixed-point logits of the QKeras example models, as hls4ml computes them.

Run with Debian's interpreter (numpy, h5py), from anywhere:

    /usr/bin/python3 tests/models/make_qkeras_reference.py [OUT_DIR]

It reads two models from ../shared/example-models/keras:

  qkeras_3layer       16 -> QDense 64 -> QActivation quantized_relu(6,0) -> QDense 32 -> relu(6,0)
                      -> QDense 32 -> relu(6,0) -> QDense 5 -> softmax; kernels and biases
                      quantized_bits(6,0,alpha=1)
  qkeras_mnist_dense  784 -> QActivation 'quantized_relu(2)' -> QDense 20 (kernel quantized_po2(4,
                      max_value=1), bias quantized_bits(2,0,1)) -> QActivation 'quantized_relu(3,1)'
                      -> QDense 10 (kernel quantized_bits(4,0,1,alpha=1), bias
                      quantized_bits(4,0,1))
                      -> softmax

and writes, into tests/models/qkeras_reference/ (or OUT_DIR):

  qkeras_3layer.inputs.npy        400 rows of 16 features, float64: 320 standard-normal rows, 60
                                  scaled by 8 and 20 scaled by 40 (whose inputs wrap in
                                  ap_fixed<16,6>)
  qkeras_mnist_dense.inputs.npz   one float32 array of 256 rows of 784 pixels (compressed): 160
                                  sparse rows (a quarter of the pixels nonzero) of values in
                                  [0, 1) on a 2^-12 grid (the input cast drops 2 bits), 72 rows
                                  drawn from the edge values of quantized_relu(2) and of the po2
                                  products (edge_values), and 24 rows of one constant edge value
                                  each
  <model>.<mode>.logits.npy       the input of the softmax, float64 (exact fixed-point values)
  <model>.<mode>.yml              the config

for two configs, both what hls4ml's config_from_keras_model(model, granularity='name') returns
(default_precision 'fixed<16,6>'):

  vivado     with backend='Vivado' (what convert_from_keras_model then uses): every Dense has
             `accum: auto` and `result: auto`, so hls4ml's InferPrecisionTypes gives both a type
             that holds every exact sum
  nobackend  with no backend (the function's default): the base Dense class has no accum_t
             attribute, so the config names no accum and each Dense accumulates in the model
             default fixed<16,6> (products cast to it, sums wrapping); the result is still `auto`

In both, the QActivation results are the quantizers' types (config.py
_get_precision_from_quantizer: quantized_relu(6,0) -> ufixed<6,0,RND_CONV,SAT,0>,
quantized_relu(2) -> ufixed<2,0,...>, quantized_relu(3,1) -> ufixed<3,1,...>), the Dense weight and
bias types are the quantizers' (quantizers.py QKerasQuantizer._get_type: quantized_bits(B,I) ->
fixed<B,I+1>; QKerasPO2Quantizer: ExponentPrecisionType(4), printed int<4>), and the input is
`auto`, which InferPrecisionTypes sets to the default fixed<16,6>. The YAML leaves out the keys of
the relu layers that firmnet rejects (hls4ml's `table` type and `TableSize` of an Activation, which
relu never uses) and the softmax layer (not compared).

This is an independent implementation of hls4ml's arithmetic, written from its sources (hls4ml
mirrored at ef92ebdf) and from QKeras' quantizers (google/qkeras 78ea90fc), in Python integers and
numpy; it shares no code with firmnet. What it follows:

  qkeras/quantizers.py      quantized_bits (alpha 1 or None: scale 1): p = x*m/m_i, m =
                            2^(bits-1), m_i = 2^integer; xq = m_i*clip(round(p), -m+symmetric,
                            m-1)/m, returned as x + (xq - x) (the straight-through form), all in
                            float32, tf.round rounding half to even. quantized_po2(4,
                            max_value=1): exponents in [-8, 7] (_get_min_max_exponents with no
                            exponent sign bit); |x| below 1e-7 -> 2^-8; |x| >= 1 -> 1; else
                            2^round(log(|x|)/float32(ln 2)); sign(0) = +1; again x + (xq - x).
                            (hls4ml does not run quantized_relu: the activation is hls4ml's relu
                            with a rounding, saturating result type.)
  model/layers.py           add_weights_variable: a weight with a quantizer takes the quantizer's
                            hls_type whatever the config says, its data quantized by the QKeras
                            function (on float32)
  model/types.py            the writer prints a fixed weight with '{:.Ff}' (F fractional bits)
                            and C++ converts the decimal (floor, wrap); ExponentWeightVariable
                            writes {sign, exponent}: sign = 0 if w < 0 else 1, exponent =
                            int(log2|w|), in struct {ap_uint<1> sign; ap_int<4> weight;}
  optimizer/passes/infer_precision.py  _infer_common_precision: W = Ww + Wx + ceil(log2 n_in), I =
                            Iw + Ix + ceil(log2 n_in), F = W - I, signed = w or x signed; with the
                            bias: I' = max(I + (b signed and not signed), Ib + (signed and b not))
                            + 1, W' = I' + max(F, Fb); fixed<W',I'> (TRN, WRAP). Only Integer and
                            Fixed types are supported: with an ExponentPrecisionType weight the
                            accum and result get the default fixed<16,6>
  backends/fpga/fpga_backend.py  product_type: ExponentPrecisionType weight -> weight_exponential,
                            else mult
  nnet_dense_latency.h      mult[i] = (accum_t)product(x, w); acc = (accum_t)bias; acc +=
                            mult[i] (accum_t wraps, so the order does not matter); res =
                            (res_t)acc
  nnet_mult.h               mult: x * w exact. weight_exponential: r_T = ap_fixed<2*(Ww+Wx),
                            Ww+Wx> (Ww = 4, the exponent's width; ap_fixed<12,6> after
                            ufixed<2,0>), y = (r_T)x << exponent, a negative exponent being an
                            arithmetic right shift of r_T's raw bits (ap_fixed_base.h
                            operator<<(int), operator>>(unsigned): r.V = V >> sh, truncating);
                            result y if sign == 1 else (r_T)(-y): a negative weight truncates
                            toward zero
  nnet_activation.h         relu: res = x > 0 ? x : 0, assigned to res_T; ufixed<W,I,RND_CONV,SAT>
                            rounds half to even (AP_RND_CONV), then saturates to [0, 2^I - 2^-F]

Model inputs are cast to the input's fixed<16,6> (AP_TRN, AP_WRAP) from their exact values. The
C++ test (tests/e2e/qkeras_hls4ml_test.cc) runs firmnet's emulator with each config and compares
the softmax input exactly.
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
OUT = os.path.join(HERE, "qkeras_reference")

F32 = np.float32


# ------------------------------------------------------------------------------ ap types

class Fx:
    """ap_[u]fixed<W,I,Q,O> with Q in TRN, RND_CONV and O in WRAP, SAT; ap_int<W> is Fx(W, W)."""

    def __init__(self, width, integer, signed=True, rnd="TRN", sat="WRAP"):
        self.w, self.i, self.signed, self.rnd, self.sat = width, integer, signed, rnd, sat
        self.f = width - integer

    def __repr__(self):
        return "%sfixed<%d,%d,%s,%s>" % ("" if self.signed else "u", self.w, self.i, self.rnd,
                                         self.sat)

    def lo(self):
        return -(1 << (self.w - 1)) if self.signed else 0

    def hi(self):
        return (1 << (self.w - 1)) - 1 if self.signed else (1 << self.w) - 1

    def overflow(self, raw):
        if self.sat == "SAT":
            return np.clip(raw, self.lo(), self.hi())
        m = 1 << self.w
        return ((raw - self.lo()) % m) + self.lo()

    def cast(self, raw, frac):
        """Cast raw * 2^-frac (int64 array) to this type: quantize, then overflow."""
        raw = np.asarray(raw, dtype=np.int64)
        shift = frac - self.f
        if shift > 0:
            q = raw >> shift  # floor
            if self.rnd == "RND_CONV":
                rem = raw - (q << shift)
                half = np.int64(1) << (shift - 1)
                q = q + ((rem > half) | ((rem == half) & (q % 2 == 1)))
            else:
                assert self.rnd == "TRN", self.rnd
            raw = q
        elif shift < 0:
            raw = raw << (-shift)
        return self.overflow(raw)


def ap_int(width):
    return Fx(width, width)


DEFAULT = Fx(16, 6)  # 'fixed<16,6>': AP_TRN, AP_WRAP


def quantize_inputs(x, t):
    """Float model inputs cast to t from their exact values: floor, then overflow."""
    raw = [math.floor(Fraction(float(v)) * (Fraction(2) ** t.f)) for v in np.ravel(x)]
    return t.cast(np.array(raw, dtype=np.int64).reshape(np.shape(x)), t.f)


def quantize_weights(a, t):
    """hls4ml prints each weight as '{:.Ff}' (F = fractional bits) and C++ converts the decimal."""
    raws = []
    for v in np.ravel(a):
        text = "{:.{}f}".format(float(v), max(0, t.f))
        raws.append(math.floor(Fraction(float(text)) * (Fraction(2) ** t.f)))
    return Fx(t.w, t.i, t.signed).overflow(np.array(raws, dtype=np.int64).reshape(np.shape(a)))


def to_float(raw, t):
    return raw.astype(np.float64) * (2.0 ** -t.f)


def hls4ml_str(t):
    """model/types.py __str__ of FixedPrecisionType: '[u]fixed<W,I,RND,SAT,0>'."""
    return "%sfixed<%d,%d,%s,%s,0>" % ("" if t.signed else "u", t.w, t.i, t.rnd, t.sat)


# ------------------------------------------------------------------------------ QKeras quantizers

def qkeras_quantized_bits(x, bits, integer, symmetric, alpha):
    """quantized_bits.__call__ with keep_negative, alpha in (1, None), float32 throughout."""
    assert alpha in (1, None)
    x = np.asarray(x, dtype=F32)
    m = F32(2.0 ** (bits - 1))
    m_i = F32(2.0 ** integer)
    p = x * m / m_i
    rounded = p + (-p + np.round(p))  # _round_through: tf.round, half to even
    xq = m_i * np.clip(rounded, F32(-m + symmetric), m - F32(1)) / m
    xq = F32(1.0) * xq
    return x + F32(1.0) * (-x + xq)


def qkeras_quantized_po2(x, bits, max_value):
    """quantized_po2.__call__ (no quadratic approximation, log2 rounding 'rnd'), float32."""
    x = np.asarray(x, dtype=F32)
    need_exponent_sign_bit = 1 if max_value is None or max_value > 1 else 0
    effect_bits = bits - 1 - need_exponent_sign_bit
    min_exp, max_exp = -2 ** effect_bits, 2 ** effect_bits - 1
    x_sign = np.sign(x)
    x_sign = x_sign + (F32(1.0) - np.abs(x_sign))
    x_abs = np.abs(x)
    eps = F32(1e-7)
    x_filter = np.where(x_abs < eps, eps, x_abs)
    if max_value is not None:
        x_filter = np.where(x_filter >= max_value, F32(max_value), x_filter)
    log2 = np.log(x_filter) / F32(np.log(2.0))
    # Ties of the rounding are where the float32 log could differ between libraries by an ulp;
    # none of the weights comes near one.
    assert np.all(np.abs(np.abs(log2 - np.floor(log2)) - 0.5) > 2e-6), "log2 near a tie"
    x_log2 = log2 + (-log2 + np.round(log2))
    x_clipped = F32(1.0) * np.clip(x_log2, F32(min_exp), F32(max_exp))
    x_clipped = np.where(x_abs < eps, F32(min_exp), x_clipped)
    xq = x_sign * np.power(F32(2.0), x_clipped)
    return x + F32(1.0) * (-x + xq)


def po2_fields(y):
    """ExponentWeightVariable._format: the sign bit and the exponent hls4ml writes."""
    sign = np.where(y < 0, 0, 1).astype(np.int64)
    exponent = (np.log2(np.abs(y)) / np.log2(2.0)).astype("int").astype(np.int64)
    assert np.all(np.abs(y) == np.ldexp(np.float64(1), exponent)), "not a power of two"
    return sign, exponent


def weight_type(q):
    """QKerasQuantizer._get_type for quantized_bits: fixed<bits, integer + 1>."""
    assert q["class_name"] == "quantized_bits"
    c = q["config"]
    assert c["bits"] != c.get("integer", 0)
    return Fx(c["bits"], c.get("integer", 0) + 1)


def quantize(q, data):
    c = q["config"]
    if q["class_name"] == "quantized_po2":
        assert not c.get("quadratic_approximation") and not c.get("use_stochastic_rounding")
        assert c.get("log2_rounding", "rnd") == "rnd"
        return qkeras_quantized_po2(data, c["bits"], c.get("max_value"))
    assert q["class_name"] == "quantized_bits" and c.get("keep_negative", True)
    assert not c.get("use_stochastic_rounding") and c.get("qnoise_factor", 1.0) == 1.0
    return qkeras_quantized_bits(data, c["bits"], c.get("integer", 0), c.get("symmetric", 0),
                                 c.get("alpha"))


def relu_type(activation):
    """config.py _get_precision_from_quantizer for quantized_relu (no negative slope):
    ufixed<bits, integer, RND_CONV, SAT>."""
    if isinstance(activation, str):
        # 'quantized_relu(2)', 'quantized_relu(3,1)': qkeras.get_quantizer evaluates the call.
        name, args = activation.rstrip(")").split("(")
        args = [int(a) for a in args.split(",")]
        config = {"bits": args[0], "integer": args[1] if len(args) > 1 else 0}
    else:
        name, config = activation["class_name"], activation["config"]
        assert config.get("negative_slope", 0.0) == 0.0 and not config.get("use_sigmoid")
    assert name == "quantized_relu", name
    return Fx(config["bits"], config.get("integer", 0), signed=False, rnd="RND_CONV", sat="SAT")


# ------------------------------------------------------------------------------ model reader

def read_keras(stem):
    """The layers in order: ('input', name), ('relu', name, type), ('dense', name, kind, weights,
    bias, weight type, bias type) with hls4ml's quantized weight data, and ('softmax', name)."""
    with open(os.path.join(SHARED, "keras", stem + ".json")) as f:
        arch = json.load(f)
    layers = []
    with h5py.File(os.path.join(SHARED, "keras", stem + "_weights.h5"), "r") as h5:
        def ds(layer, name):
            group = h5[layer]
            for key in (layer + "/" + name + ":0", name + ":0"):
                if key in group:
                    return group[key][()]
            raise KeyError(layer + "/" + name)

        for layer in arch["config"]["layers"]:
            cls, cfg = layer["class_name"], layer["config"]
            name = cfg["name"]
            if cls == "InputLayer":
                layers.append(("input", name))
            elif cls == "QActivation":
                layers.append(("relu", name, relu_type(cfg["activation"])))
            elif cls == "QDense":
                assert cfg["use_bias"] and cfg["activation"] == "linear", name
                kq, bq = cfg["kernel_quantizer"], cfg["bias_quantizer"]
                kernel = quantize(kq, ds(name, "kernel"))
                bias = quantize(bq, ds(name, "bias"))
                tb = weight_type(bq)
                if kq["class_name"] == "quantized_po2":
                    # ExponentPrecisionType(width=bits): the exponent is an ap_int<bits>.
                    sign, exponent = po2_fields(kernel)
                    assert exponent.min() >= ap_int(kq["config"]["bits"]).lo()
                    layers.append(("dense", name, "po2", (sign, exponent),
                                   quantize_weights(bias, tb), ap_int(kq["config"]["bits"]), tb))
                else:
                    tw = weight_type(kq)
                    layers.append(("dense", name, "mult", quantize_weights(kernel, tw),
                                   quantize_weights(bias, tb), tw, tb))
            elif cls == "Activation" and cfg["activation"] == "softmax":
                layers.append(("softmax", name))
            else:
                raise ValueError("unexpected layer %s (%s) in %s" % (name, cls, stem))
    return layers


# ------------------------------------------------------------------------------ hls4ml's arithmetic

def infer_dense_type(tx, tw, tb, n_in):
    """InferPrecisionTypes._infer_common_precision (infer_no_bias off, no maximum)."""
    extra = math.ceil(np.log2(n_in))
    width = tw.w + tx.w + extra
    integer = tw.i + tx.i + extra
    signed = tw.signed or tx.signed
    frac = width - integer
    integer = max(integer + (tb.signed and not signed), tb.i + (signed and not tb.signed)) + 1
    width = integer + max(frac, tb.w - tb.i)
    return Fx(width, integer, signed or tb.signed)


def dense_mult(x, tx, w, b, tw, tb, tacc, tres):
    """nnet::dense_latency with product mult (exact x*w)."""
    products = tacc.cast(x[:, :, None] * w[None, :, :], tx.f + tw.f)
    acc = tacc.cast(b, tb.f)[None, :] + products.sum(axis=1)
    return tres.cast(tacc.overflow(acc), tacc.f)


def dense_po2(x, tx, fields, b, texp, tb, tacc, tres):
    """nnet::dense_latency with product weight_exponential."""
    sign, exponent = fields
    r_t = Fx(2 * (texp.w + tx.w), texp.w + tx.w)
    a = r_t.cast(x, tx.f)[:, :, None]  # (r_T)x: exact here
    e = exponent[None, :, :]
    left = r_t.overflow(a << np.maximum(e, 0))
    y = np.where(e >= 0, left, a >> np.maximum(-e, 0))  # ap_fixed << (negative int): V >> sh
    products = np.where(sign[None, :, :] == 1, y, r_t.overflow(-y))
    products = tacc.cast(products, r_t.f)
    acc = tacc.cast(b, tb.f)[None, :] + products.sum(axis=1)
    return tres.cast(tacc.overflow(acc), tacc.f)


def relu(x, tx, tres):
    return tres.cast(np.where(x > 0, x, 0), tx.f)


MODES = ("vivado", "nobackend")


def plan(layers, mode):
    """The types hls4ml gives every tensor: [(layer, input type, accum type, result type)]."""
    steps = []
    tx = None
    for layer in layers:
        kind = layer[0]
        if kind == "input":
            tres = DEFAULT  # 'auto': no rule for Input, so _infer_default_type
            steps.append((layer, None, None, tres))
        elif kind == "relu":
            tres = layer[2]
            steps.append((layer, tx, None, tres))
        elif kind == "dense":
            _, name, product, w, b, tw, tb = layer
            n_in = (w[0] if product == "po2" else w).shape[0]
            if product == "po2":
                inferred = DEFAULT  # ExponentPrecisionType is not Integer/Fixed
            else:
                inferred = infer_dense_type(tx, tw, tb, n_in)
            tacc = inferred if mode == "vivado" else DEFAULT
            tres = inferred
            steps.append((layer, tx, tacc, tres))
        elif kind == "softmax":
            break
        tx = tres
    return steps


def run(steps, inputs):
    """Returns the softmax input (float64) and, per relu layer, how many of its inputs were
    exactly halfway between two output steps, and per dense how many sums wrapped."""
    stats = {}
    x = None
    for layer, tx, tacc, tres in steps:
        kind, name = layer[0], layer[1]
        if kind == "input":
            x = quantize_inputs(inputs, tres)
        elif kind == "relu":
            shift = tx.f - tres.f
            ties = 0
            if shift > 0:
                ties = int(((x > 0) & ((x & ((1 << shift) - 1)) == (1 << (shift - 1)))).sum())
            stats[name] = "%d ties" % ties
            x = relu(x, tx, tres)
        elif kind == "dense":
            _, _, product, w, b, tw, tb = layer
            wide = Fx(62, 40)
            if product == "po2":
                exact = dense_po2(x, tx, w, b, tw, tb, wide, wide)
                x = dense_po2(x, tx, w, b, tw, tb, tacc, tres)
            else:
                exact = dense_mult(x, tx, w, b, tw, tb, wide, wide)
                x = dense_mult(x, tx, w, b, tw, tb, tacc, tres)
            changed = int((to_float(exact, wide) != to_float(x, tres)).sum())
            stats[name] = "%d sums changed by accum_t/result_t" % changed
    return to_float(x, steps[-1][3]), stats


# ------------------------------------------------------------------------------ configs

def config_yaml(stem, steps, mode):
    """What config_from_keras_model(model, granularity='name'[, backend='Vivado']) returns, less
    the relu table keys and the softmax layer (see the module doc)."""
    lines = ["# Config for tests/models/make_qkeras_reference.py and qkeras_hls4ml_test.cc:",
             "# hls4ml's config_from_keras_model(%s, granularity='name'%s)" %
             (stem, ", backend='Vivado'" if mode == "vivado" else ""),
             "Model:", "  Precision:", "    default: fixed<16,6>", "  ReuseFactor: 1",
             "  Strategy: Latency", "  BramFactor: 1000000000", "  TraceOutput: false",
             "LayerName:"]
    for layer, _, _, _ in steps:
        kind, name = layer[0], layer[1]
        lines.append("  %s:" % name)
        lines.append("    Trace: false")
        lines.append("    Precision:")
        if kind == "input":
            lines.append("      result: auto")
        elif kind == "relu":
            lines.append("      result: %s" % hls4ml_str(layer[2]))
            if mode == "vivado":
                lines.append("    ReuseFactor: 1")
        elif kind == "dense":
            _, _, product, _, _, tw, tb = layer
            lines.append("      result: auto")
            lines.append("      weight: %s" % ("int<%d>" % tw.w if product == "po2"
                                               else hls4ml_str(tw)))
            lines.append("      bias: %s" % hls4ml_str(tb))
            if mode == "vivado":
                lines.append("      accum: auto")
                lines.append("    ReuseFactor: 1")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------ inputs

def edge_values():
    """Pixels at the edges of quantized_relu(2) on ap_fixed<16,6> inputs and of the po2 products:
    the ties 1/8, 3/8, 5/8, 7/8 (half to even: 0, 1/2, 1/2, 1 -> 3/4 saturated), one input lsb
    (2^-10) either side, values that the input cast floors onto a tie (+2^-11, +2^-12), the exact
    levels 1/4, 1/2, 3/4 (whose products with 2^-5..2^-8 drop bits in the shift), saturation
    (0.99) and zero."""
    values = [0.0, 0.25, 0.5, 0.75, 0.99]
    for k in (1, 3, 5, 7):
        t = k / 8.0
        values += [t, t - 2.0 ** -10, t + 2.0 ** -10, t + 2.0 ** -11, t + 2.0 ** -12]
    return np.array(values, dtype=F32)


def make_inputs(rng):
    dense3 = np.concatenate([rng.standard_normal((320, 16)), 8.0 * rng.standard_normal((60, 16)),
                             40.0 * rng.standard_normal((20, 16))])
    grid = rng.integers(0, 1 << 12, size=(160, 784)) / float(1 << 12)
    sparse = np.where(rng.random((160, 784)) < 0.25, grid, 0.0)
    edges = edge_values()
    picked = np.where(rng.random((72, 784)) < 0.5, edges[rng.integers(0, len(edges), (72, 784))],
                      0.0)
    constant = np.repeat(edges[1:][:, None], 784, axis=1)
    mnist = np.concatenate([sparse, picked, constant]).astype(F32)
    assert (mnist.astype(np.float64) == np.concatenate([sparse, picked, constant])).all()
    return {"qkeras_3layer": dense3, "qkeras_mnist_dense": mnist}


MODELS = ["qkeras_3layer", "qkeras_mnist_dense"]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else OUT
    if not os.path.isdir(SHARED):
        sys.exit("no example models at " + SHARED)
    os.makedirs(out, exist_ok=True)
    inputs = make_inputs(np.random.default_rng(20261208))
    np.save(os.path.join(out, "qkeras_3layer.inputs.npy"), inputs["qkeras_3layer"])
    np.savez_compressed(os.path.join(out, "qkeras_mnist_dense.inputs.npz"),
                        inputs=inputs["qkeras_mnist_dense"])
    for stem in MODELS:
        layers = read_keras(stem)
        for mode in MODES:
            steps = plan(layers, mode)
            with open(os.path.join(out, "%s.%s.yml" % (stem, mode)), "w") as f:
                f.write(config_yaml(stem, steps, mode))
            logits, stats = run(steps, inputs[stem].astype(np.float64))
            np.save(os.path.join(out, "%s.%s.logits.npy" % (stem, mode)), logits)
            print(stem, mode)
            for layer, tx, tacc, tres in steps:
                print("  %-16s in %-28s accum %-22s result %-28s %s" % (
                    layer[1], tx, tacc, tres, stats.get(layer[1], "")))


if __name__ == "__main__":
    main()
