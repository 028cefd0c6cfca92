#!/usr/bin/python3
"""Makes the small ONNX CNN test models in tests/models/cnn, with inputs and float64 references.

Run with Debian's interpreter (the `python3` first on PATH lacks torch and onnx):

    /usr/bin/python3 tests/models/make_cnn_models.py [OUT_DIR]

For every model NAME it writes, into tests/models/cnn (or OUT_DIR):

  * NAME.onnx: the network, opset 13, float32 weights, exported by torch with constant folding;
    the graph input is `input` (`input_a`, `input_b` for the two-input model) with a symbolic batch
    dimension and the rest of the shape as torch takes it (NCL for 1-D, NCHW for 2-D); the output
    is `output`, (batch, classes);
  * NAME_input.npy: NUM_ROWS standard-normal samples, float64, shape (NUM_ROWS, C*H*W): row r is
    sample r in torch's layout (NCHW / NCL) flattened row-major, because firmnet's sample files
    are one sample per row (io/samples.h). A model with several inputs gets NAME_input.npz instead,
    one such array per graph input, named after it, in graph-input order;
  * NAME_expected.npy: the float64 reference outputs, (NUM_ROWS, classes);

and it rewrites cnn/README.md. Everything is seeded, single-threaded and free of timestamps (the
.npz is written with a fixed zip date), so a rerun on the same torch/onnx/numpy versions gives
byte-identical files; check with `make_cnn_models.py /tmp/x && diff -r /tmp/x tests/models/cnn`.
The files are committed: the C++ test (tests/e2e/torch_cnn_test.cc) needs neither torch nor this
script.

What the reference means
------------------------
As in make_models.py: torch evaluates, in float64, the same function the ONNX file describes. The
float32 model is exported first, then model.double() widens the very same float32 parameters
(exactly); the inputs are the float64 samples, not rounded to float32. BatchNorm's epsilon is a
float32-representable number (ONNX stores it as float32), and BatchNorm is exported with
TrainingMode.PRESERVE on a model in eval mode, so the exporter keeps a BatchNormalization node
instead of folding it into the convolution in float32 (which would change the weights by float32
rounding, ~1e-7 relative). Max pooling with padding is -inf padding in torch and in ONNX alike.

The script checks every file with an independent float64 interpreter written from the ONNX
operator specification (RunOnnxFloat64 below: numpy loops for Conv, pools, Pad, Resize, ...):
it fails unless the interpretation agrees with torch's output within MAX_ERROR, absolute below
1 and relative above (max(1, |want|) * MAX_ERROR). The C++ test allows 1e-6 in the same sense.
"""

import io
import os
import sys
import warnings
import zipfile

import numpy as np
import onnx
import onnx.numpy_helper
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, "cnn")
NUM_ROWS = 8
OPSET = 13
MAX_ERROR = 1e-9
MAX_FILE_BYTES = 200_000
MAX_TOTAL_BYTES = 1_000_000

F32_BN_EPS = float(np.float32(1e-5))


# ------------------------------------------------------------------------------------------------
# The models. Each: name -> (input shapes without the batch, builder, description, required ops).


class Residual2d(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
        self.conv2 = nn.Conv2d(4, 4, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(4 * 4 * 4, 5)

    def forward(self, x):
        h = torch.relu(self.conv1(x))
        h = torch.relu(self.conv2(h) + h)
        return self.fc(torch.flatten(self.pool(h), 1))


class Concat2d(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv3 = nn.Conv2d(2, 3, 3, padding=1)
        self.conv1 = nn.Conv2d(2, 2, 1)
        # count_include_pad=False: no padding either way, but torch's default (True) exports a
        # Pad of zeros before the AveragePool (cnn1d_pulse keeps that form).
        self.pool = nn.AvgPool2d(2, count_include_pad=False)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(5, 4)

    def forward(self, x):
        h = torch.cat([torch.relu(self.conv3(x)), self.conv1(x)], dim=1)
        return self.fc(torch.flatten(self.gap(self.pool(h)), 1))


class Depthwise2d(nn.Module):
    def __init__(self):
        super().__init__()
        self.depthwise = nn.Conv2d(3, 3, 3, padding=1, groups=3)
        self.pointwise = nn.Conv2d(3, 6, 1)
        self.bn = nn.BatchNorm2d(6, eps=F32_BN_EPS)
        self.pool = nn.MaxPool2d(2, stride=2, padding=1)
        self.down = nn.Conv2d(6, 4, 3, stride=2)
        self.fc = nn.Linear(4 * 2 * 2, 3)

    def forward(self, x):
        h = torch.relu(self.bn(self.pointwise(self.depthwise(x))))
        h = self.down(self.pool(h))  # 8x8 -> pool with padding 5x5 -> stride-2 conv 2x2
        return self.fc(torch.flatten(h, 1))


class UpsamplePad2d(nn.Module):
    def __init__(self):
        super().__init__()
        self.pad = nn.ZeroPad2d((1, 1, 2, 0))  # left, right, top, bottom
        self.conv1 = nn.Conv2d(2, 3, 3)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.conv2 = nn.Conv2d(3, 4, 3)
        self.gmp = nn.AdaptiveMaxPool2d(1)
        self.fc = nn.Linear(4, 3)

    def forward(self, x):
        h = self.conv1(self.pad(x))  # 6x5 -> padded 8x7 -> 6x5
        h = self.conv2(self.up(h))  # 12x10 -> 10x8
        return self.fc(torch.flatten(self.gmp(h), 1))


class Pulse1d(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(2, 4, 5, padding=2)
        self.avg = nn.AvgPool1d(2)  # torch's default count_include_pad=True: a zero Pad first
        self.conv2 = nn.Conv1d(4, 4, 3, stride=2)
        self.max = nn.MaxPool1d(2)
        self.fc = nn.Linear(4 * 3, 5)

    def forward(self, x):
        h = self.avg(torch.relu(self.conv1(x)))  # 32 -> 32 -> 16
        h = self.max(self.conv2(h))  # 16 -> 7 -> 3
        return torch.softmax(self.fc(torch.flatten(h, 1)), dim=-1)


class TwoInputs1d(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(2, 3, 3)
        self.fc = nn.Linear(3 * 14 + 3, 4)

    def forward(self, a, b):
        h = torch.flatten(torch.relu(self.conv(a)), 1)
        return self.fc(torch.cat([h, b], dim=1))


class SubMulMax2d(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv3 = nn.Conv2d(2, 3, 3, padding=1)
        self.conv1 = nn.Conv2d(2, 3, 1)
        self.fc = nn.Linear(3 * 6 * 6, 3)

    def forward(self, x):
        p, q = self.conv3(x), self.conv1(x)
        h = torch.minimum(torch.maximum(p - q, p * q), p)
        return self.fc(torch.flatten(h, 1))


class Split1d(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(3, 6, 3, padding=1)
        self.conv2 = nn.Conv1d(4, 2, 1)
        self.fc = nn.Linear(2 * 6, 3)

    def forward(self, x):
        a, b = torch.split(self.conv(x), [2, 4], dim=1)  # channels: Split into 2 + 4
        m = torch.relu(a) * self.conv2(b)
        left, right = torch.split(m, [6, 6], dim=2)  # length: two halves
        return self.fc(torch.flatten(left - right, 1))


class Slice2d(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 6, 3, padding=1)
        self.fc = nn.Linear(3 * 4 * 4, 3)

    def forward(self, x):
        h = self.conv(x)  # [6, 6, 6]
        a = torch.relu(h[:, 1:4])[:, :, 1:5, 2:]  # channels 1..3, rows 1..4, columns 2..5
        b = h[:, :3, 1:5, -4:]  # channels 0..2, rows 1..4, the last 4 columns
        return self.fc(torch.flatten(a + b, 1))


MODELS = {
    "cnn2d_residual": (
        [(1, 8, 8)], Residual2d,
        "Conv2d(1->4,3,pad 1) -> ReLU -> Conv2d(4->4,3,pad 1) + skip -> ReLU -> MaxPool2d(2) -> "
        "Flatten -> Linear(64->5)",
        {"Conv", "Relu", "Add", "MaxPool", "Flatten", "Gemm"}),
    "cnn2d_concat": (
        [(2, 8, 8)], Concat2d,
        "[Conv2d(2->3,3,pad 1) -> ReLU, Conv2d(2->2,1)] -> Concat(channels) -> AvgPool2d(2) -> "
        "AdaptiveAvgPool2d(1) -> Flatten -> Linear(5->4)",
        {"Conv", "Relu", "Concat", "AveragePool", "GlobalAveragePool", "Flatten", "Gemm"}),
    "cnn2d_depthwise": (
        [(3, 8, 8)], Depthwise2d,
        "Conv2d(3->3,3,pad 1,groups 3) -> Conv2d(3->6,1) -> BatchNorm2d -> ReLU -> "
        "MaxPool2d(2,stride 2,pad 1) -> Conv2d(6->4,3,stride 2) -> Flatten -> Linear(16->3)",
        {"Conv", "BatchNormalization", "Relu", "MaxPool", "Flatten", "Gemm"}),
    "cnn2d_upsample_pad": (
        [(2, 6, 5)], UpsamplePad2d,
        "ZeroPad2d((1,1,2,0)) -> Conv2d(2->3,3) -> Upsample(x2, nearest) -> Conv2d(3->4,3) -> "
        "AdaptiveMaxPool2d(1) -> Flatten -> Linear(4->3)",
        {"Pad", "Conv", "Resize", "GlobalMaxPool", "Flatten", "Gemm"}),
    "cnn1d_pulse": (
        [(2, 32)], Pulse1d,
        "Conv1d(2->4,5,pad 2) -> ReLU -> AvgPool1d(2) -> Conv1d(4->4,3,stride 2) -> MaxPool1d(2) "
        "-> Flatten -> Linear(12->5) -> Softmax",
        {"Conv", "Relu", "AveragePool", "MaxPool", "Flatten", "Gemm", "Softmax"}),
    "cnn1d_two_inputs": (
        [(2, 16), (3,)], TwoInputs1d,
        "input_a [2,16]: Conv1d(2->3,3) -> ReLU -> Flatten; Concat with input_b [3] -> "
        "Linear(45->4)",
        {"Conv", "Relu", "Flatten", "Concat", "Gemm"}),
    "cnn2d_sub_mul_max": (
        [(2, 6, 6)], SubMulMax2d,
        "p = Conv2d(2->3,3,pad 1), q = Conv2d(2->3,1); min(max(p - q, p * q), p) -> Flatten -> "
        "Linear(108->3)",
        {"Conv", "Sub", "Mul", "Max", "Min", "Flatten", "Gemm"}),
    "cnn1d_split": (
        [(3, 12)], Split1d,
        "Conv1d(3->6,3,pad 1) -> Split(channels 2, 4): a, b; relu(a) * Conv1d(4->2,1)(b) -> "
        "Split(length 6, 6): l, r; l - r -> Flatten -> Linear(12->3)",
        {"Conv", "Split", "Relu", "Mul", "Sub", "Flatten", "Gemm"}),
    "cnn2d_slice": (
        [(2, 6, 6)], Slice2d,
        "h = Conv2d(2->6,3,pad 1); relu(h[:, 1:4])[:, :, 1:5, 2:] + h[:, :3, 1:5, -4:] -> "
        "Flatten -> Linear(48->3)",
        {"Conv", "Slice", "Relu", "Add", "Flatten", "Gemm"}),
}


def InputNames(shapes):
    if len(shapes) == 1:
        return ["input"]
    return ["input_" + chr(ord("a") + i) for i in range(len(shapes))]


def InitLikeTrained(model, seed):
    """Non-trivial biases and batchnorm statistics (torch's defaults are 0 and 1)."""
    g = torch.Generator().manual_seed(seed)
    for module in model.modules():
        if isinstance(module, (nn.Conv1d, nn.Conv2d, nn.Linear)) and module.bias is not None:
            with torch.no_grad():
                module.bias.copy_(torch.randn(module.bias.shape, generator=g) * 0.3)
        elif isinstance(module, nn.BatchNorm2d):
            n = module.num_features
            with torch.no_grad():
                module.weight.copy_(0.5 + torch.rand(n, generator=g))
                module.bias.copy_(torch.randn(n, generator=g) * 0.3)
                module.running_mean.copy_(torch.randn(n, generator=g) * 0.5)
                module.running_var.copy_(0.5 + 1.5 * torch.rand(n, generator=g))


def Export(model, path, shapes):
    names = InputNames(shapes)
    dummies = tuple(torch.zeros((2,) + tuple(s)) for s in shapes)
    axes = {n: {0: "batch"} for n in names}
    axes["output"] = {0: "batch"}
    torch.onnx.export(
        model, dummies, path, opset_version=OPSET, training=torch.onnx.TrainingMode.PRESERVE,
        do_constant_folding=True, input_names=names, output_names=["output"], dynamic_axes=axes)
    proto = onnx.load(path)
    if FoldShapeArithmetic(proto):
        onnx.save(proto, path)


# Ops that only compute constant integer tensors (shapes, pads) when all their inputs are constant.
_SHAPE_OPS = {"ConstantOfShape", "Concat", "Reshape", "Slice", "Transpose", "Cast"}


def FoldShapeArithmetic(proto):
    """Finishes torch 1.13's constant folding: its exporter leaves ZeroPad2d's `pads` as a
    subgraph of Constant, ConstantOfShape, Concat, Reshape, Slice, Transpose and Cast nodes that
    `do_constant_folding` does not fold (newer torch versions and onnx-simplifier do). This
    evaluates every such node whose inputs are all constant with the interpreter below and stores
    its integer result as an initializer, then drops the Constant nodes nobody reads any more.
    Returns whether the graph changed."""
    graph = proto.graph
    const = {i.name: onnx.numpy_helper.to_array(i) for i in graph.initializer}
    for n in graph.node:
        if n.op_type == "Constant":
            const[n.output[0]] = onnx.numpy_helper.to_array(_Attrs(n)["value"])
    kept, folded = [], False
    for n in graph.node:
        if (n.op_type in _SHAPE_OPS and all(i in const for i in n.input if i)):
            out = _EvalNode(n, [const[i] if i else None for i in n.input])
            assert out.dtype.kind in "iu", (n.op_type, out.dtype)
            const[n.output[0]] = out
            graph.initializer.append(onnx.numpy_helper.from_array(out, n.output[0]))
            folded = True
        else:
            kept.append(n)
    read = {i for n in kept for i in n.input} | {o.name for o in graph.output}
    kept = [n for n in kept if n.op_type != "Constant" or n.output[0] in read]
    keep_init = [i for i in graph.initializer if i.name in read]
    del graph.node[:]
    graph.node.extend(kept)
    del graph.initializer[:]
    graph.initializer.extend(keep_init)
    return folded


# ------------------------------------------------------------------------------------------------
# An independent float64 ONNX interpreter for the ops above, from the ONNX operator specification
# (plain loops over output positions, not torch and not numpy's convolution helpers).


def _Attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _SpatialPads(a, nsp):
    pads = list(a.get("pads", [0] * (2 * nsp)))
    assert a.get("auto_pad", b"NOTSET") in (b"NOTSET", "NOTSET"), a
    return pads[:nsp], pads[nsp:]


def _Conv(x, w, b, a):
    n, c, *sp = x.shape
    m, cg, *k = w.shape
    nsp = len(sp)
    group = a.get("group", 1)
    strides = a.get("strides", [1] * nsp)
    dil = a.get("dilations", [1] * nsp)
    assert all(d == 1 for d in dil), dil
    begin, end = _SpatialPads(a, nsp)
    assert c == cg * group and m % group == 0, (x.shape, w.shape, group)
    xp = np.pad(x, [(0, 0), (0, 0)] + list(zip(begin, end)))
    out_sp = [(sp[i] + begin[i] + end[i] - k[i]) // strides[i] + 1 for i in range(nsp)]
    y = np.zeros([n, m] + out_sp)
    mg = m // group
    for oc in range(m):
        g = oc // mg
        for pos in np.ndindex(*out_sp):
            window = tuple(slice(pos[i] * strides[i], pos[i] * strides[i] + k[i])
                           for i in range(nsp))
            patch = xp[(slice(None), slice(g * cg, (g + 1) * cg)) + window]  # n, cg, k...
            y[(slice(None), oc) + pos] = (patch * w[oc]).reshape(n, -1).sum(axis=1)
    if b is not None:
        y += b.reshape([1, m] + [1] * nsp)
    return y


def _Pool(x, a, kind):
    n, c, *sp = x.shape
    nsp = len(sp)
    k = a["kernel_shape"]
    strides = a.get("strides", [1] * nsp)
    assert a.get("ceil_mode", 0) == 0 and a.get("dilations", [1] * nsp) == [1] * nsp, a
    begin, end = _SpatialPads(a, nsp)
    out_sp = [(sp[i] + begin[i] + end[i] - k[i]) // strides[i] + 1 for i in range(nsp)]
    y = np.zeros([n, c] + out_sp)
    for pos in np.ndindex(*out_sp):
        lo = [pos[i] * strides[i] - begin[i] for i in range(nsp)]
        hi = [lo[i] + k[i] for i in range(nsp)]
        window = tuple(slice(max(lo[i], 0), min(hi[i], sp[i])) for i in range(nsp))
        cells = x[(slice(None), slice(None)) + window].reshape(n, c, -1)
        if kind == "max":  # padded cells are -inf: they never win
            y[(slice(None), slice(None)) + pos] = cells.max(axis=2)
        else:
            count = cells.shape[2] if not a.get("count_include_pad", 0) else int(np.prod(k))
            y[(slice(None), slice(None)) + pos] = cells.sum(axis=2) / count
    return y


def _Resize(x, scales, a):
    mode = a.get("mode", b"nearest")
    ctm = a.get("coordinate_transformation_mode", b"half_pixel")
    nearest = a.get("nearest_mode", b"round_prefer_floor")
    assert (mode, ctm, nearest) == (b"nearest", b"asymmetric", b"floor"), (mode, ctm, nearest)
    y = x
    for axis, s in enumerate(scales):
        out = int(np.floor(x.shape[axis] * s))
        index = np.floor(np.arange(out) / s).astype(np.int64)  # asymmetric, floor
        y = np.take(y, index, axis=axis)
    return y


def _EvalNode(node, ins):
    """One node's output (a list of them for Split), from its input values (None for an omitted
    input)."""
    a = _Attrs(node)
    op = node.op_type
    if op == "Split":
        axis = a.get("axis", 0)
        n = ins[0].shape[axis]
        if len(ins) > 1 and ins[1] is not None:
            sizes = [int(v) for v in ins[1]]
        else:
            sizes = [n // len(node.output)] * len(node.output)
        assert sum(sizes) == n, (sizes, n)
        return np.split(ins[0], np.cumsum(sizes)[:-1], axis=axis)
    if op == "Constant":
        out = onnx.numpy_helper.to_array(a["value"])
        return out.astype(np.float64) if out.dtype.kind == "f" else out
    if op == "Conv":
        return _Conv(ins[0], ins[1], ins[2] if len(ins) > 2 else None, a)
    if op == "MaxPool":
        return _Pool(ins[0], a, "max")
    if op == "AveragePool":
        return _Pool(ins[0], a, "avg")
    if op == "GlobalAveragePool":
        return ins[0].mean(axis=tuple(range(2, ins[0].ndim)), keepdims=True)
    if op == "GlobalMaxPool":
        return ins[0].max(axis=tuple(range(2, ins[0].ndim)), keepdims=True)
    if op == "Pad":
        mode = a.get("mode", b"constant")
        assert mode == b"constant", mode
        pads = [int(p) for p in ins[1]]
        value = float(ins[2]) if len(ins) > 2 and ins[2] is not None else 0.0
        r = ins[0].ndim
        assert min(pads) >= 0, pads
        return np.pad(ins[0], list(zip(pads[:r], pads[r:])), constant_values=value)
    if op == "Resize":
        assert len(ins) == 3 or (len(ins) == 4 and ins[3] is None), "Resize with sizes"
        return _Resize(ins[0], [float(s) for s in ins[2]], a)
    if op == "BatchNormalization":
        x, scale, bias, mean, var = ins[:5]
        shape = [1, -1] + [1] * (x.ndim - 2)
        return ((x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + a.get("epsilon", 1e-5))
                * scale.reshape(shape) + bias.reshape(shape))
    if op == "Relu":
        return np.maximum(ins[0], 0.0)
    if op == "Add":
        return ins[0] + ins[1]
    if op == "Sub":
        return ins[0] - ins[1]
    if op == "Mul":
        return ins[0] * ins[1]
    if op == "Max":
        return np.maximum.reduce(ins)
    if op == "Min":
        return np.minimum.reduce(ins)
    if op == "Concat":
        return np.concatenate(ins, axis=a["axis"])
    if op == "Flatten":
        axis = a.get("axis", 1)
        return ins[0].reshape(int(np.prod(ins[0].shape[:axis])), -1)
    if op == "Gemm":
        A = ins[0].T if a.get("transA", 0) else ins[0]
        B = ins[1].T if a.get("transB", 0) else ins[1]
        out = a.get("alpha", 1.0) * (A @ B)
        if len(ins) > 2 and ins[2] is not None:
            out = out + a.get("beta", 1.0) * ins[2]
        return out
    if op == "Softmax":
        axis = a.get("axis", -1)
        assert ins[0].ndim == 2 and axis in (1, -1), (axis, ins[0].shape)
        e = np.exp(ins[0] - ins[0].max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    # Integer shape arithmetic (only for FoldShapeArithmetic).
    if op == "ConstantOfShape":
        value = onnx.numpy_helper.to_array(a["value"]) if "value" in a else np.zeros(1, np.float32)
        return np.full(tuple(int(d) for d in ins[0]), value.reshape(-1)[0], dtype=value.dtype)
    if op == "Reshape":
        shape = [int(d) for d in ins[1]]
        assert 0 not in shape or a.get("allowzero", 0) == 0
        shape = [ins[0].shape[i] if d == 0 else d for i, d in enumerate(shape)]
        return ins[0].reshape(shape)
    if op == "Slice":
        data, starts, ends = ins[0], ins[1], ins[2]
        axes = ins[3] if len(ins) > 3 and ins[3] is not None else range(len(starts))
        steps = ins[4] if len(ins) > 4 and ins[4] is not None else [1] * len(starts)
        index = [slice(None)] * data.ndim
        for ax, b, e, st in zip(axes, starts, ends, steps):
            # numpy clamps out-of-range starts/ends like ONNX does (INT64_MIN/MAX included)
            b, e, st = int(b), int(e), int(st)
            n = data.shape[int(ax)]
            b = max(min(b, n), -n - 1)
            e = max(min(e, n), -n - 1)
            index[int(ax)] = slice(b, e if e >= -n else None, st)
        return data[tuple(index)]
    if op == "Transpose":
        return np.transpose(ins[0], a.get("perm"))
    if op == "Cast":
        return ins[0].astype(onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[a["to"]])
    raise ValueError("RunOnnxFloat64: unsupported op " + op)


def RunOnnxFloat64(model_proto, inputs):
    """Evaluates the graph in float64 (float32 initializers widened exactly)."""
    values = {init.name: onnx.numpy_helper.to_array(init) for init in model_proto.graph.initializer}
    values = {k: v.astype(np.float64) if v.dtype.kind == "f" else v for k, v in values.items()}
    graph_inputs = [i.name for i in model_proto.graph.input if i.name not in values]
    assert len(graph_inputs) == len(inputs), (graph_inputs, len(inputs))
    for name, x in zip(graph_inputs, inputs):
        values[name] = np.asarray(x, dtype=np.float64)
    for node in model_proto.graph.node:
        out = _EvalNode(node, [values[n] if n else None for n in node.input])
        if node.op_type == "Split":
            values.update(zip(node.output, out))
        else:
            values[node.output[0]] = out
    return values[model_proto.graph.output[0].name]


def MaxError(actual, expected):
    """max |a - e| / max(1, |e|): absolute below 1, relative above."""
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    return float(np.max(np.abs(actual - expected) / np.maximum(1.0, np.abs(expected))))


# ------------------------------------------------------------------------------------------------
# Files


def _NpyBytes(array):
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.ascontiguousarray(array), allow_pickle=False)
    return buf.getvalue()


def WriteNpz(path, named_arrays):
    """np.savez without its timestamps: stored entries dated 1980-01-01, in the given order."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
        for name, array in named_arrays:
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            z.writestr(info, _NpyBytes(array))


def CheckExport(path, inputs, expected, required_ops, input_names):
    proto = onnx.load(path)
    onnx.checker.check_model(proto)
    ops = [n.op_type for n in proto.graph.node]
    missing = set(required_ops) - set(ops)
    if missing:
        raise SystemExit(f"{path}: exported graph lacks {sorted(missing)}; it has {ops}")
    for init in proto.graph.initializer:
        if init.data_type not in (onnx.TensorProto.FLOAT, onnx.TensorProto.INT64):
            raise SystemExit(f"{path}: initializer {init.name} has data type {init.data_type}")
    names = [i.name for i in proto.graph.input]
    if names != input_names:
        raise SystemExit(f"{path}: graph inputs {names}, expected {input_names}")
    opset = max(o.version for o in proto.opset_import if o.domain in ("", "ai.onnx"))
    if opset != OPSET:
        raise SystemExit(f"{path}: opset {opset}, expected {OPSET}")
    err = MaxError(RunOnnxFloat64(proto, inputs), expected)
    if not err <= MAX_ERROR:
        raise SystemExit(f"{path}: float64 ONNX interpretation differs from torch by {err:.3g} "
                         f"(limit {MAX_ERROR})")
    return ops, err


def MakeModel(name, seed, out_dir):
    shapes, builder, description, required_ops = MODELS[name]
    torch.manual_seed(seed)
    model = builder()
    InitLikeTrained(model, seed)
    model.eval()
    onnx_path = os.path.join(out_dir, name + ".onnx")
    Export(model, onnx_path, shapes)

    rng = np.random.default_rng(seed)
    inputs = [rng.standard_normal((NUM_ROWS,) + tuple(s)) for s in shapes]
    with torch.no_grad():
        expected = model.double()(*[torch.from_numpy(x) for x in inputs]).numpy()
    assert expected.dtype == np.float64 and expected.shape[0] == NUM_ROWS, expected.shape
    names = InputNames(shapes)
    flat = [x.reshape(NUM_ROWS, -1) for x in inputs]
    files = [name + ".onnx", name + "_expected.npy"]
    if len(flat) == 1:
        np.save(os.path.join(out_dir, name + "_input.npy"), flat[0])
        files.append(name + "_input.npy")
    else:
        WriteNpz(os.path.join(out_dir, name + "_input.npz"), list(zip(names, flat)))
        files.append(name + "_input.npz")
    np.save(os.path.join(out_dir, name + "_expected.npy"), expected)

    ops, err = CheckExport(onnx_path, inputs, expected, required_ops, names)
    sizes = {f: os.path.getsize(os.path.join(out_dir, f)) for f in files}
    for f, size in sizes.items():
        assert size < MAX_FILE_BYTES, (f, size)
    shape_text = ", ".join(f"{n} [{','.join(str(d) for d in s)}]" for n, s in zip(names, shapes))
    return {"name": name, "inputs": shape_text, "outputs": expected.shape[1],
            "description": description, "ops": ops, "err": err, "bytes": sum(sizes.values()),
            "onnx_bytes": sizes[name + ".onnx"]}


def WriteReadme(rows, out_dir):
    lines = [
        "# CNN test models",
        "",
        "Small convolutional networks made by `../make_cnn_models.py` (torch 1.13, exported to",
        f"ONNX opset {OPSET}). Regenerate with `/usr/bin/python3 tests/models/make_cnn_models.py`;",
        "it also rewrites this file. `tests/e2e/torch_cnn_test.cc` runs every `*.onnx` here. For",
        "each model `NAME`:",
        "",
        "- `NAME.onnx`: float32 weights; input `input` (or `input_a`, `input_b`, ...) in torch's",
        "  layout (NCL, NCHW) with a symbolic batch dimension; output `output`, (batch, classes);",
        f"- `NAME_input.npy`: {NUM_ROWS} standard-normal samples, float64, one per row: each row",
        "  is the sample in torch's layout flattened row-major (C, H, W). A model with several",
        "  inputs has `NAME_input.npz` instead: one such array per graph input, named after it, in",
        "  graph order;",
        "- `NAME_expected.npy`: torch's float64 outputs (`model.double()`, the float32 weights",
        "  widened). The script checks them against its own numpy interpreter of the ONNX file:",
        "  the largest error seen (absolute below 1, relative above; limit "
        f"{MAX_ERROR:g}) is listed.",
        "",
        "| model | inputs (no batch) | out | layers | ONNX nodes | max err. | bytes |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| `{r['name']}` | {r['inputs']} | {r['outputs']} | {r['description']} | "
                     f"{', '.join(r['ops'])} | {r['err']:.1e} | {r['bytes']} |")
    lines += [
        "",
        "Exporter forms the importer meets here on purpose (torch 1.13, opset 13):",
        "",
        "- `Conv` with `group` = channels is the depthwise half of a separable convolution",
        "  (`cnn2d_depthwise`), followed by a 1x1 `Conv`; `BatchNormalization` after a `Conv` is",
        "  kept as a node (exported with `TrainingMode.PRESERVE`), not folded into the weights;",
        "- `MaxPool` with `pads` (`cnn2d_depthwise`: -inf padding in ONNX and torch);",
        "- torch's `AvgPool1d` default (`count_include_pad=True`) exports a `Pad` of zeros (pads",
        "  from a `Constant`) before the `AveragePool` (`cnn1d_pulse`); `cnn2d_concat` uses",
        "  `count_include_pad=False`, a bare `AveragePool`;",
        "- `ZeroPad2d` is a `Pad` whose `pads` is an int64 initializer (begin N,C,H,W then end",
        "  N,C,H,W) and whose value is a `Constant` 0 (torch 1.13 leaves the pads as a small",
        "  subgraph; the script folds it, see `FoldShapeArithmetic`);",
        "- `Upsample` is `Resize` (nearest, asymmetric, floor) with `scales` [1,1,2,2] from a",
        "  `Constant` and an empty `roi`; `AdaptiveAvgPool2d(1)` / `AdaptiveMaxPool2d(1)` are",
        "  `GlobalAveragePool` / `GlobalMaxPool`;",
        "- `Flatten` of an NCHW / NCL tensor orders the features channel first (C, H, W); `Concat`",
        "  on axis 1 joins channels of feature maps (`cnn2d_concat`) or features of flat vectors",
        "  (`cnn1d_two_inputs`).",
        "",
    ]
    with open(os.path.join(out_dir, "README.md"), "w") as f:
        f.write("\n".join(lines))


def main():
    # torch 1.13 warns about constant folding in PRESERVE mode (harmless: the models are in eval
    # mode); keep the output readable.
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=UserWarning, module="torch.onnx")
    torch.set_num_threads(1)  # determinism, and the build machine is shared
    out_dir = sys.argv[1] if len(sys.argv) > 1 else OUT_DIR
    os.makedirs(out_dir, exist_ok=True)
    rows = []
    for seed, name in enumerate(MODELS, start=1):
        rows.append(MakeModel(name, 2000 + seed, out_dir))
        r = rows[-1]
        print(f"{name}: {r['onnx_bytes']} bytes, max err {r['err']:.2e}, "
              f"ops: {', '.join(r['ops'])}")
    total = sum(r["bytes"] for r in rows)
    assert total < MAX_TOTAL_BYTES, total
    print(f"total {total} bytes")
    WriteReadme(rows, out_dir)


if __name__ == "__main__":
    main()
