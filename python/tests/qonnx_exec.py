"""A small numpy executor of QONNX graphs, independent of firmnet: the reference that the QONNX
tests compare firmnet's emulator with.

It follows the QONNX operator definitions (qonnx.custom_op.general Quant / BipolarQuant, the
qonnx.custom_op.channels_last Conv / MaxPool / BatchNormalization) and ONNX's for the plain ops
the example models use, in float32 as QONNX's own executor computes them. Convolutions and
matrix products are summed in float64, which is exact for the quantized values of these graphs
(and so equals any float32 order of summation that is exact too)."""

import numpy as np
from onnx import numpy_helper

QONNX_DOMAINS = ("qonnx.custom_op.general", "onnx.brevitas", "finn.custom_op.general")
CHANNELS_LAST = ("qonnx.custom_op.channels_last", "finn.custom_op.channels_last")


def _attrs(node):
    from onnx import helper

    out = {}
    for a in node.attribute:
        v = helper.get_attribute_value(a)
        out[a.name] = v.decode() if isinstance(v, bytes) else v
    return out


def _round(mode, y):
    mode = mode.upper()
    if mode in ("ROUND", "HALF_EVEN"):
        return np.round(y)
    if mode == "FLOOR":
        return np.floor(y)
    if mode == "CEIL":
        return np.ceil(y)
    if mode == "HALF_UP":
        return np.sign(y) * np.floor(np.abs(y) + 0.5)
    if mode == "HALF_DOWN":
        return np.sign(y) * np.ceil(np.abs(y) - 0.5)
    if mode == "UP":
        return np.sign(y) * np.ceil(np.abs(y))
    if mode in ("DOWN", "ROUND_TO_ZERO"):
        return np.fix(y)
    raise ValueError("rounding mode " + mode)


def quant(x, scale, zeropt, bits, signed=1, narrow=0, rounding_mode="ROUND"):
    """QONNX's Quant (IntQuant): clip(round(x / s + z)) - z, times s."""
    x = np.asarray(x, np.float32)
    s = np.asarray(scale, np.float32)
    z = np.asarray(zeropt, np.float32)
    b = float(np.asarray(bits).ravel()[0])
    y = x / s + z
    if b == 1 and signed:
        y = np.where(y >= 0, 1.0, -1.0).astype(np.float32)
    else:
        lo = -(2.0 ** (b - 1)) + narrow if signed else 0.0
        hi = 2.0 ** (b - 1) - 1 if signed else 2.0**b - 1 - narrow
        y = _round(rounding_mode, np.clip(y, lo, hi))
    return ((y - z) * s).astype(np.float32)


def trunc(x, scale, zeropt, in_bits, out_scale, out_bits, signed=1, narrow=0, rounding_mode="FLOOR"):
    """QONNX's Trunc (version 2): round to the input grid, rescale by a power of two, clip, round
    by the mode, scale back."""
    s = np.asarray(scale, np.float32)
    o = np.asarray(out_scale, np.float32)
    z = np.asarray(zeropt, np.float32)
    b = float(np.asarray(out_bits).ravel()[0])
    y = np.round(np.asarray(x, np.float32) / s + z)
    t = 2.0 ** np.round(np.log2(o / s))
    y = y / t
    lo = -(2.0 ** (b - 1)) + narrow if signed else 0.0
    hi = 2.0 ** (b - 1) - 1 if signed else 2.0**b - 1 - narrow
    y = _round(rounding_mode, np.clip(y, lo, hi))
    return ((y - z / t) * o).astype(np.float32)


def bipolar_quant(x, scale):
    return (np.where(np.asarray(x) >= 0, 1.0, -1.0) * np.asarray(scale, np.float32)).astype(np.float32)


def _conv_nhwc(x, w, b, pads, strides, dilations, group):
    """x [N, H, W, C]; w [M, kh, kw, C/group] (QONNX channels-last)."""
    n, h, wd, c = x.shape
    m, kh, kw, cg = w.shape
    xp = np.pad(x.astype(np.float64), ((0, 0), (pads[0], pads[2]), (pads[1], pads[3]), (0, 0)))
    oh = (h + pads[0] + pads[2] - dilations[0] * (kh - 1) - 1) // strides[0] + 1
    ow = (wd + pads[1] + pads[3] - dilations[1] * (kw - 1) - 1) // strides[1] + 1
    out = np.zeros((n, oh, ow, m))
    mg = m // group
    for g in range(group):
        xs = xp[..., g * cg:(g + 1) * cg]
        ws = w[g * mg:(g + 1) * mg].astype(np.float64)
        for i in range(kh):
            for j in range(kw):
                patch = xs[:, i * dilations[0]:i * dilations[0] + strides[0] * (oh - 1) + 1:strides[0],
                           j * dilations[1]:j * dilations[1] + strides[1] * (ow - 1) + 1:strides[1], :]
                out[..., g * mg:(g + 1) * mg] += patch @ ws[:, i, j, :].T
    if b is not None:
        out += b.astype(np.float64)
    return out.astype(np.float32)


def _maxpool_nhwc(x, k, strides, pads):
    if any(pads):
        x = np.pad(x, ((0, 0), (pads[0], pads[2]), (pads[1], pads[3]), (0, 0)), constant_values=-np.inf)
    n, h, w, c = x.shape
    oh = (h - k[0]) // strides[0] + 1
    ow = (w - k[1]) // strides[1] + 1
    out = np.full((n, oh, ow, c), -np.inf, np.float32)
    for i in range(k[0]):
        for j in range(k[1]):
            out = np.maximum(out, x[:, i:i + strides[0] * (oh - 1) + 1:strides[0],
                                    j:j + strides[1] * (ow - 1) + 1:strides[1], :])
    return out


def run(model, x, output=None):
    """Runs `model` (an onnx.ModelProto) on the first graph input `x`; returns the output named
    `output` (the first when None)."""
    g = model.graph
    env = {t.name: numpy_helper.to_array(t) for t in g.initializer}
    inputs = [i.name for i in g.input if i.name not in env]
    env[inputs[0]] = np.asarray(x, np.float32)
    for node in g.node:
        a = _attrs(node)
        ins = [env[i] if i else None for i in node.input]
        op = node.op_type
        if op == "Constant":
            y = numpy_helper.to_array(node.attribute[0].t)
        elif node.domain in QONNX_DOMAINS and op == "Quant":
            y = quant(ins[0], ins[1], ins[2], ins[3], a.get("signed", 1), a.get("narrow", 0),
                      a.get("rounding_mode", "ROUND"))
        elif node.domain in QONNX_DOMAINS and op == "Trunc":
            y = trunc(ins[0], ins[1], ins[2], ins[3], ins[4], ins[5], a.get("signed", 1),
                      a.get("narrow", 0), a.get("rounding_mode", "FLOOR"))
        elif node.domain in QONNX_DOMAINS and op == "BipolarQuant":
            y = bipolar_quant(ins[0], ins[1])
        elif node.domain in CHANNELS_LAST and op == "Conv":
            y = _conv_nhwc(ins[0], ins[1], ins[2] if len(ins) > 2 else None, a.get("pads", [0, 0, 0, 0]),
                           a.get("strides", [1, 1]), a.get("dilations", [1, 1]), a.get("group", 1))
        elif node.domain in CHANNELS_LAST and op == "MaxPool":
            y = _maxpool_nhwc(ins[0], a["kernel_shape"], a.get("strides", [1, 1]), a.get("pads", [0, 0, 0, 0]))
        elif op == "LeakyRelu":
            alpha = np.float32(a.get("alpha", 0.01))
            y = np.where(ins[0] >= 0, ins[0], ins[0] * alpha).astype(np.float32)
        elif op == "Relu":
            y = np.maximum(ins[0], 0)
        elif op == "Resize":
            scales = ins[2].astype(np.int64)
            y = ins[0]
            for axis, s in enumerate(scales):
                if s != 1:
                    y = np.repeat(y, s, axis=axis)
        elif op == "Concat":
            y = np.concatenate(ins, axis=a["axis"])
        elif op == "Gemm":
            w = ins[1].T if a.get("transB", 0) else ins[1]
            y = ins[0].astype(np.float64) @ w.astype(np.float64) * a.get("alpha", 1.0)
            if len(ins) > 2 and ins[2] is not None:
                y = y + ins[2].astype(np.float64) * a.get("beta", 1.0)
            y = y.astype(np.float32)
        elif op == "MatMul":
            y = (ins[0].astype(np.float64) @ ins[1].astype(np.float64)).astype(np.float32)
        elif op == "Add":
            y = (ins[0] + ins[1]).astype(np.float32)
        elif op == "Mul":
            y = (ins[0] * ins[1]).astype(np.float32)
        elif op in ("Identity", "Dropout"):
            y = ins[0]
        elif op == "Sub":
            y = (ins[0] - ins[1]).astype(np.float32)
        elif op == "Div":
            y = (ins[0] / ins[1]).astype(ins[0].dtype)
        elif op == "Pow":
            y = np.power(ins[0], ins[1]).astype(ins[0].dtype)
        elif op == "Transpose":
            y = np.transpose(ins[0], a.get("perm"))
        elif op == "Shape":
            y = np.array(ins[0].shape, np.int64)
        elif op == "Gather":
            y = np.take(ins[0], ins[1], axis=a.get("axis", 0))
        elif op == "Unsqueeze":
            axes = a["axes"] if "axes" in a else list(ins[1])
            y = np.expand_dims(ins[0], tuple(axes))
        elif op == "Reshape":
            y = ins[0].reshape([d if d != 0 else ins[0].shape[i] for i, d in enumerate(ins[1])])
        elif op == "BatchNormalization":
            xb, sc, bi, mean, var = ins
            shape = (1, -1) + (1,) * (xb.ndim - 2)
            y = ((xb - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + np.float32(a.get("epsilon", 1e-5)))
                 * sc.reshape(shape) + bi.reshape(shape)).astype(np.float32)
        else:
            raise NotImplementedError(node.domain + "." + op)
        env[node.output[0]] = y
    return env[output or g.output[0].name]
