#!/usr/bin/python3
"""Makes the small ONNX test models in tests/models, with inputs and float64 reference outputs.

Run with Debian's interpreter (the `python3` first on PATH lacks torch and onnx):

    /usr/bin/python3 tests/models/make_models.py

For every model NAME it writes NAME.onnx, NAME.inputs.npy (256 standard-normal rows, float64) and
NAME.outputs.npy (float64), and it rewrites README.md. Everything is seeded, single-threaded and
free of timestamps, so a rerun on the same torch/onnx versions gives byte-identical files. The
outputs are committed: the C++ tests need neither torch nor this script.

What the reference outputs mean, exactly
----------------------------------------
The ONNX files store float32 weights (torch's default export). The reference is torch evaluating
the *same function the ONNX file describes* in float64:

  * weights: the float32 values from the ONNX file, widened to float64 (exact). We get them by
    exporting the float32 model first and then calling model.double(), which widens the very same
    float32 parameters;
  * inputs: the float64 rows of NAME.inputs.npy, not rounded to float32;
  * scalar attributes (LeakyReLU/ELU alpha, BatchNorm epsilon): chosen as float32-representable
    numbers (f32(0.1), f32(0.7), f32(1e-5)), because ONNX stores them as float32 while the torch
    module keeps a Python float. Otherwise torch would use 0.1 and a reader of the file 0.1f,
    a 1.5e-8 relative difference per use;
  * HardSigmoid: torch computes relu6(x + 3) / 6 but exports HardSigmoid(alpha=f32(1/6), beta=0.5).
    Near the lower knee (outputs around 1e-3) the two differ by far more than 1e-6 relative, so the
    reference model swaps nn.Hardsigmoid for clamp(f32(1/6) * x + 0.5, 0, 1), the ONNX formula;
  * Softplus: torch returns x for x > 20 where ONNX computes log(1 + exp(x)); the difference is
    below 1e-9 relative and is left alone.

So a float64 interpreter of the ONNX file (weights widened, inputs as given) agrees with
NAME.outputs.npy up to summation order, about 1e-15 relative. This script proves it: it runs every
exported file through its own small numpy interpreter (RunOnnxFloat64 below, written from the ONNX
operator specification) and fails if any output differs by more than 1e-6 relative.

Exporter details that the models rely on (torch 1.13)
-----------------------------------------------------
  * BatchNorm1d is exported with training=TrainingMode.PRESERVE on a model in eval mode, which keeps
    a BatchNormalization node instead of folding it into the Gemm; the script checks that it is there.
  * nn.Softsign exports as Abs/Add/Div and nn.Dropout / nn.Identity vanish on export. To exercise the
    ONNX Softsign, Dropout and Identity ops (which Keras converters emit, and which the importer must
    handle), the models use tiny autograd functions whose `symbolic` emits those ops.
  * Linear without bias exports as MatMul with a transposed initializer; MatMulAdd below exports as
    MatMul followed by Add, the other dense form the importer must recognise.
"""

import os
import sys
import warnings

import numpy as np
import onnx
import onnx.numpy_helper
import torch
from torch import nn
from torch.onnx._globals import GLOBALS  # the opset being exported (torch 1.13)

HERE = os.path.dirname(os.path.abspath(__file__))
NUM_ROWS = 256
MAX_REL_ERROR = 1e-6

F32_LEAKY_ALPHA = float(np.float32(0.1))
F32_ELU_ALPHA = float(np.float32(0.7))
F32_BN_EPS = float(np.float32(1e-5))
F32_HARDSIGMOID_ALPHA = float(np.float32(1.0 / 6.0))


# ------------------------------------------------------------------------------------------------
# Modules that export to specific ONNX ops


class _SoftsignFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x / (1 + x.abs())

    @staticmethod
    def symbolic(g, x):
        return g.op("Softsign", x)


class _IdentityFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.clone()

    @staticmethod
    def symbolic(g, x):
        return g.op("Identity", x)


class _DropoutFn(torch.autograd.Function):
    """Inference-mode dropout (the identity) that still appears as a Dropout node."""

    @staticmethod
    def forward(ctx, x, ratio):
        return x.clone()

    @staticmethod
    def symbolic(g, x, ratio):
        if GLOBALS.export_onnx_opset_version < 12:
            # Dropout-7/10: ratio is an attribute; inference mode is implied.
            return g.op("Dropout", x, ratio_f=ratio)
        # Dropout-12/13: ratio is an optional input; without training_mode it is inference.
        r = g.op("Constant", value_t=torch.tensor(ratio, dtype=torch.float32))
        return g.op("Dropout", x, r)


class OnnxSoftsign(nn.Module):
    def forward(self, x):
        return _SoftsignFn.apply(x)


class OnnxIdentity(nn.Module):
    def forward(self, x):
        return _IdentityFn.apply(x)


class OnnxDropout(nn.Module):
    def __init__(self, ratio):
        super().__init__()
        self.ratio = ratio

    def forward(self, x):
        return _DropoutFn.apply(x, self.ratio)


class OnnxHardSigmoid(nn.Module):
    """HardSigmoid as ONNX defines it, with the float32 alpha torch's exporter writes."""

    def forward(self, x):
        return torch.clamp(x * F32_HARDSIGMOID_ALPHA + 0.5, 0.0, 1.0)


class MatMulAdd(nn.Module):
    """A dense layer written as x @ W + b: exports as MatMul followed by Add."""

    def __init__(self, n_in, n_out):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(n_in, n_out))
        self.bias = nn.Parameter(torch.empty(n_out))

    def forward(self, x):
        return torch.matmul(x, self.weight) + self.bias


# ------------------------------------------------------------------------------------------------
# The models


def Activation(name):
    return {
        "relu": lambda: nn.ReLU(),
        "leaky_relu": lambda: nn.LeakyReLU(F32_LEAKY_ALPHA),
        "relu6": lambda: nn.ReLU6(),
        "sigmoid": lambda: nn.Sigmoid(),
        "tanh": lambda: nn.Tanh(),
        "hard_sigmoid": lambda: nn.Hardsigmoid(),
        "softmax": lambda: nn.Softmax(dim=-1),
        "softsign": lambda: OnnxSoftsign(),
        "softplus": lambda: nn.Softplus(),
        "elu": lambda: nn.ELU(F32_ELU_ALPHA),
    }[name]()


def BatchNorm(n):
    return nn.BatchNorm1d(n, eps=F32_BN_EPS)


# name -> (opset, input width, builder, description, ops that must appear in the exported graph)
MODELS = {
    "mlp_relu_bn": (
        13, 8,
        lambda: nn.Sequential(nn.Linear(8, 16), BatchNorm(16), nn.ReLU(), nn.Linear(16, 4),
                              nn.Softmax(dim=-1)),
        "Linear(8,16) -> BatchNorm1d -> ReLU -> Linear(16,4) -> Softmax",
        {"Gemm", "BatchNormalization", "Relu", "Softmax"}),
    "mlp_bn_first": (
        13, 10,
        lambda: nn.Sequential(BatchNorm(10), nn.Linear(10, 12), nn.ReLU(), nn.Linear(12, 3)),
        "BatchNorm1d on the input (nothing to fuse into) -> Linear(10,12) -> ReLU -> Linear(12,3), "
        "linear output",
        {"BatchNormalization", "Gemm", "Relu"}),
    "mlp_acts_a": (
        13, 12,
        lambda: nn.Sequential(nn.Flatten(), nn.Linear(12, 16), nn.LeakyReLU(F32_LEAKY_ALPHA),
                              nn.Linear(16, 16, bias=False), nn.Sigmoid(), OnnxDropout(0.25),
                              nn.Linear(16, 12), nn.Tanh(), nn.Linear(12, 10),
                              nn.ELU(F32_ELU_ALPHA), nn.Linear(10, 6)),
        "Flatten -> Linear(12,16) -> LeakyReLU(0.1) -> Linear(16,16, no bias) -> Sigmoid -> Dropout "
        "-> Linear(16,12) -> Tanh -> Linear(12,10) -> ELU(0.7) -> Linear(10,6)",
        {"Flatten", "Gemm", "LeakyRelu", "MatMul", "Sigmoid", "Dropout", "Tanh", "Elu"}),
    "mlp_acts_b": (
        13, 16,
        lambda: nn.Sequential(nn.Linear(16, 16), nn.ReLU6(), OnnxIdentity(), nn.Linear(16, 16),
                              nn.Hardsigmoid(), MatMulAdd(16, 12), OnnxSoftsign(),
                              nn.Linear(12, 8), nn.Softplus(), nn.Linear(8, 5), nn.Softmax(dim=-1)),
        "Linear(16,16) -> ReLU6 -> Identity -> Linear(16,16) -> Hardsigmoid -> MatMul+Add(16,12) -> "
        "Softsign -> Linear(12,8) -> Softplus -> Linear(8,5) -> Softmax",
        {"Gemm", "Clip", "Identity", "HardSigmoid", "MatMul", "Add", "Softsign", "Softplus",
         "Softmax"}),
    "mlp_opset9": (
        9, 16,
        lambda: nn.Sequential(nn.Linear(16, 16), BatchNorm(16), nn.ReLU6(), nn.Linear(16, 12),
                              nn.LeakyReLU(F32_LEAKY_ALPHA), OnnxDropout(0.1), nn.Linear(12, 5),
                              nn.Softmax(dim=-1)),
        "opset 9: Linear(16,16) -> BatchNorm1d -> ReLU6 (Clip with min/max attributes) -> "
        "Linear(16,12) -> LeakyReLU(0.1) -> Dropout (ratio attribute) -> Linear(12,5) -> Softmax",
        {"Gemm", "BatchNormalization", "Clip", "LeakyRelu", "Dropout", "Softmax"}),
}

ONNX_OP_OF = {"relu": "Relu", "leaky_relu": "LeakyRelu", "relu6": "Clip", "sigmoid": "Sigmoid",
              "tanh": "Tanh", "hard_sigmoid": "HardSigmoid", "softmax": "Softmax",
              "softsign": "Softsign", "softplus": "Softplus", "elu": "Elu"}

# One tiny model per activation, so a failure points at one layer. The Linear weights are scaled
# up so that the activation sees -6..6, its saturating tails included.
for _act, _op in ONNX_OP_OF.items():
    MODELS["act_" + _act] = (
        13, 8,
        (lambda a: lambda: nn.Sequential(nn.Linear(8, 8), Activation(a)))(_act),
        "Linear(8,8), weights scaled to give pre-activations in about -6..6 -> " + _act,
        {"Gemm", _op})


def InitLikeTrained(model, seed, weight_scale):
    """Gives every parameter a seeded, trained-looking value (default init is near-trivial)."""
    g = torch.Generator().manual_seed(seed)
    for module in model.modules():
        if isinstance(module, (nn.Linear, MatMulAdd)):
            w = module.weight
            fan_in = w.shape[1] if isinstance(module, nn.Linear) else w.shape[0]
            with torch.no_grad():
                w.copy_(torch.randn(w.shape, generator=g) * weight_scale / np.sqrt(fan_in))
                if module.bias is not None:
                    module.bias.copy_(torch.randn(module.bias.shape, generator=g) * 0.3)
        elif isinstance(module, nn.BatchNorm1d):
            n = module.num_features
            with torch.no_grad():
                module.weight.copy_(0.5 + torch.rand(n, generator=g))
                module.bias.copy_(torch.randn(n, generator=g) * 0.3)
                module.running_mean.copy_(torch.randn(n, generator=g) * 0.5)
                module.running_var.copy_(0.5 + 1.5 * torch.rand(n, generator=g))


def ReferenceModel(model):
    """The float64 twin of `model` that computes what the ONNX file says (see the module doc)."""
    model = model.double()
    for parent in model.modules():
        for child_name, child in parent.named_children():
            if isinstance(child, nn.Hardsigmoid):
                setattr(parent, child_name, OnnxHardSigmoid())
    return model


def Export(model, path, opset, n_in):
    torch.onnx.export(
        model, torch.zeros(2, n_in), path, opset_version=opset,
        training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=True,
        input_names=["input"], output_names=["output"],
        dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})


# ------------------------------------------------------------------------------------------------
# An independent float64 ONNX interpreter for the MLP op set, to check the references.


def _Attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def RunOnnxFloat64(model_proto, x):
    """Evaluates an MLP ONNX graph in float64 (float32 initializers widened exactly)."""
    opset = max(o.version for o in model_proto.opset_import if o.domain in ("", "ai.onnx"))
    values = {init.name: onnx.numpy_helper.to_array(init).astype(np.float64)
              for init in model_proto.graph.initializer}
    graph_inputs = [i.name for i in model_proto.graph.input if i.name not in values]
    assert len(graph_inputs) == 1, graph_inputs
    values[graph_inputs[0]] = np.asarray(x, dtype=np.float64)
    for node in model_proto.graph.node:
        a = _Attrs(node)
        ins = [values[n] if n else None for n in node.input]
        op = node.op_type
        if op == "Constant":
            out = onnx.numpy_helper.to_array(a["value"]).astype(np.float64)
        elif op == "Gemm":
            A = ins[0].T if a.get("transA", 0) else ins[0]
            B = ins[1].T if a.get("transB", 0) else ins[1]
            out = a.get("alpha", 1.0) * (A @ B)
            if len(ins) > 2 and ins[2] is not None:
                out = out + a.get("beta", 1.0) * ins[2]
        elif op == "MatMul":
            out = ins[0] @ ins[1]
        elif op == "Add":
            out = ins[0] + ins[1]
        elif op == "BatchNormalization":
            x_, scale, bias, mean, var = ins[:5]
            out = (x_ - mean) / np.sqrt(var + a.get("epsilon", 1e-5)) * scale + bias
        elif op == "Relu":
            out = np.maximum(ins[0], 0.0)
        elif op == "LeakyRelu":
            out = np.where(ins[0] >= 0, ins[0], a.get("alpha", 0.01) * ins[0])
        elif op == "Clip":
            if opset < 11:
                lo, hi = a.get("min", -np.inf), a.get("max", np.inf)
            else:
                lo = ins[1] if len(ins) > 1 and ins[1] is not None else -np.inf
                hi = ins[2] if len(ins) > 2 and ins[2] is not None else np.inf
            out = np.minimum(np.maximum(ins[0], lo), hi)
        elif op == "Sigmoid":
            out = 1.0 / (1.0 + np.exp(-ins[0]))
        elif op == "Tanh":
            out = np.tanh(ins[0])
        elif op == "HardSigmoid":
            out = np.clip(a.get("alpha", 0.2) * ins[0] + a.get("beta", 0.5), 0.0, 1.0)
        elif op == "Softmax":
            # Rank-2 inputs only: the opset < 13 (flatten from axis) and >= 13 (one axis)
            # definitions agree for axis 1 / -1.
            axis = a.get("axis", 1 if opset < 13 else -1)
            assert ins[0].ndim == 2 and axis in (1, -1), (axis, ins[0].shape)
            e = np.exp(ins[0] - ins[0].max(axis=1, keepdims=True))
            out = e / e.sum(axis=1, keepdims=True)
        elif op == "Softsign":
            out = ins[0] / (1.0 + np.abs(ins[0]))
        elif op == "Softplus":
            out = np.log1p(np.exp(ins[0]))
        elif op == "Elu":
            out = np.where(ins[0] > 0, ins[0], a.get("alpha", 1.0) * np.expm1(ins[0]))
        elif op == "Flatten":
            axis = a.get("axis", 1)
            out = ins[0].reshape(int(np.prod(ins[0].shape[:axis])), -1)
        elif op in ("Identity", "Dropout"):
            out = ins[0]
        else:
            raise ValueError("RunOnnxFloat64: unsupported op " + op)
        values[node.output[0]] = out
    return values[model_proto.graph.output[0].name]


def MaxRelativeError(actual, expected):
    """max |a - e| / |e|, where an exact zero must be matched exactly."""
    diff = np.abs(actual - expected)
    scale = np.abs(expected)
    if np.any((scale == 0) & (diff != 0)):
        return np.inf
    nz = scale != 0
    return float(np.max(diff[nz] / scale[nz])) if np.any(nz) else 0.0


def CheckExport(path, reference_inputs, reference_outputs, required_ops):
    """Loads an exported file, checks it and returns (opset, sorted op list, max rel error)."""
    proto = onnx.load(path)
    onnx.checker.check_model(proto)
    ops = sorted({n.op_type for n in proto.graph.node})
    missing = set(required_ops) - set(ops)
    if missing:
        raise SystemExit(f"{path}: exported graph lacks {sorted(missing)}; it has {ops}")
    for init in proto.graph.initializer:
        if init.data_type != onnx.TensorProto.FLOAT:
            raise SystemExit(f"{path}: initializer {init.name} is not float32")
    rel = MaxRelativeError(RunOnnxFloat64(proto, reference_inputs), reference_outputs)
    if not rel <= MAX_REL_ERROR:
        raise SystemExit(f"{path}: float64 ONNX interpretation differs from the torch reference "
                         f"by {rel:.3g} relative (limit {MAX_REL_ERROR})")
    opset = max(o.version for o in proto.opset_import if o.domain in ("", "ai.onnx"))
    return opset, [n.op_type for n in proto.graph.node], rel


def MakeModel(name, seed, out_dir):
    opset, n_in, builder, description, required_ops = MODELS[name]
    torch.manual_seed(seed)
    model = builder()
    InitLikeTrained(model, seed, 3.0 if name.startswith("act_") else 1.5)
    model.eval()
    onnx_path = os.path.join(out_dir, name + ".onnx")
    Export(model, onnx_path, opset, n_in)

    inputs = np.random.default_rng(seed).standard_normal((NUM_ROWS, n_in))
    with torch.no_grad():
        outputs = ReferenceModel(model)(torch.from_numpy(inputs)).numpy()
    assert outputs.dtype == np.float64 and inputs.dtype == np.float64
    np.save(os.path.join(out_dir, name + ".inputs.npy"), inputs)
    np.save(os.path.join(out_dir, name + ".outputs.npy"), outputs)

    opset_seen, ops, rel = CheckExport(onnx_path, inputs, outputs, required_ops)
    assert opset_seen == opset, (opset_seen, opset)
    for suffix in (".onnx", ".inputs.npy", ".outputs.npy"):
        size = os.path.getsize(os.path.join(out_dir, name + suffix))
        assert size < 100_000, (name + suffix, size)
    return {"name": name, "opset": opset, "inputs": n_in, "outputs": outputs.shape[1],
            "description": description, "ops": ops, "rel": rel}


def WriteReadme(rows, out_dir):
    lines = [
        "# Test models",
        "",
        "Small MLPs made by `make_models.py` (torch 1.13, exported to ONNX). Regenerate with",
        "`/usr/bin/python3 tests/models/make_models.py`; it also rewrites this file. For each model",
        "`NAME` there are three files:",
        "",
        f"- `NAME.onnx`: the network, float32 weights, input `input` and output `output` of shape",
        "  (batch, width) with a symbolic batch dimension;",
        f"- `NAME.inputs.npy`: {NUM_ROWS} standard-normal rows, float64;",
        "- `NAME.outputs.npy`: the float64 reference outputs. They are exactly what a float64",
        "  evaluation of the ONNX file gives (float32 weights widened to float64, the float64 inputs",
        "  as they are), up to summation order: the script checks this with its own numpy",
        f"  interpreter and a limit of {MAX_REL_ERROR:g} relative (the largest error seen is listed",
        "  below). The script's docstring explains the choices that make this hold.",
        "",
        "| model | opset | in | out | layers | ONNX nodes | max rel. err. |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| `{r['name']}` | {r['opset']} | {r['inputs']} | {r['outputs']} | "
                     f"{r['description']} | {', '.join(r['ops'])} | {r['rel']:.1e} |")
    lines += [
        "",
        "Every activation (ReLU, LeakyReLU, ReLU6/Clip, Sigmoid, Tanh, HardSigmoid, Softmax, Softsign,",
        "Softplus, ELU) is covered twice: inside the `mlp_*` models and alone",
        "in an `act_*` model. `mlp_opset9` exercises the pre-opset-11 forms (Clip with min/max",
        "attributes, Dropout with a ratio attribute, BatchNormalization-9, Softmax-1 semantics).",
        "Torch exports `ReLU6` as `Clip(0, 6)`; Identity and Dropout nodes are there on purpose, for",
        "the importer to remove.",
        "",
    ]
    with open(os.path.join(out_dir, "README.md"), "w") as f:
        f.write("\n".join(lines))


def main():
    # torch 1.13 warns about its own deprecated g.op() and about constant folding in PRESERVE mode
    # (harmless: the models are in eval mode); keep the output readable.
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=UserWarning, module="torch.onnx")
    torch.set_num_threads(1)  # determinism, and the build machine is shared
    out_dir = sys.argv[1] if len(sys.argv) > 1 else HERE
    rows = []
    for seed, name in enumerate(MODELS, start=1):
        rows.append(MakeModel(name, 1000 + seed, out_dir))
        print(f"{name}: opset {rows[-1]['opset']}, max rel err {rows[-1]['rel']:.2e}")
    WriteReadme(rows, out_dir)


if __name__ == "__main__":
    main()
