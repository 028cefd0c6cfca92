"""firmnet: neural networks to bit-exact FPGA firmware, from Python.

The hls4ml workflow over numpy arrays, without a compile step::

    import firmnet
    config = firmnet.config_from_model("model.onnx", granularity="name")
    config["LayerName"]["fc1"]["Precision"]["weight"] = "ap_fixed<8,3>"
    model = firmnet.convert("model.onnx", config=config)
    y = model.predict(x)              # the firmware's bits, as float64
    y_float = model.predict_float(x)  # the float64 reference on the same graph
    model.write_hls("prj"); model.csim("prj", x)
    model.write_verilog("rtl"); model.sim("rtl", x); model.synth("rtl")

Errors raise firmnet.Error (a ValueError) with the CLI's message. firmnet.hls4ml takes
hls4ml's function and argument names.
"""

import copy as _copy
import json as _json
import os as _os
import tempfile as _tempfile

import numpy as _np

from . import _firmnet

Error = _firmnet.Error
Error.__doc__ = "A firmnet error: bad input, a model or config firmnet refuses, a tool that failed."
Error.__module__ = "firmnet"

__version__ = _firmnet.version
__git_revision__ = _firmnet.git_revision

# HLS headers for C-simulation travel with the package (firmnet/data); $FIRMNET_DATA_DIR still
# overrides them.
_firmnet.set_data_dir(_os.path.join(_os.path.dirname(__file__), "data"))

__all__ = ["Error", "Model", "config_from_model", "convert", "from_torch", "__version__"]

_GRANULARITIES = ("model", "type", "name")


def _yaml():
    import yaml  # python3-yaml

    return yaml


def _model_file(path_or_bytes, weights, tmp):
    """A path for the importer: bytes (a serialized ONNX model) go to a temporary file."""
    if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
        path = _os.path.join(tmp, "model.onnx")
        with open(path, "wb") as f:
            f.write(bytes(path_or_bytes))
        return path, weights or ""
    if hasattr(path_or_bytes, "SerializeToString"):  # an onnx.ModelProto
        return _model_file(path_or_bytes.SerializeToString(), weights, tmp)
    if isinstance(path_or_bytes, _os.PathLike):
        path_or_bytes = _os.fspath(path_or_bytes)
    if not isinstance(path_or_bytes, str):
        raise Error(
            "model: expected a file path, ONNX bytes or an onnx.ModelProto, got "
            + type(path_or_bytes).__name__
        )
    return path_or_bytes, _os.fspath(weights) if weights else ""


def config_from_model(path, weights=None, granularity="model"):
    """The default config of a model as a dict, the same tree as firmnet's YAML.

    granularity: "model" (the Model section), "type" (Model and one LayerType section per layer
    type the model has) or "name" (Model and one LayerName section per layer, every slot
    spelled out), like hls4ml's config_from_*_model. The model-wide keys (ProjectName, Part,
    ClockPeriod, IOType) are included at the top level.
    """
    if granularity not in _GRANULARITIES:
        raise Error(
            "granularity: '%s' is not one of %s" % (granularity, ", ".join(_GRANULARITIES))
        )
    with _tempfile.TemporaryDirectory(prefix="firmnet_") as tmp:
        model, w = _model_file(path, weights, tmp)
        text = _firmnet.default_config(model, w)
    full = _yaml().safe_load(text)
    hls = full.pop("HLSConfig", {})
    out = dict(full)
    out["Model"] = hls.get("Model", {})
    if granularity == "name":
        out["LayerName"] = hls.get("LayerName", {})
    elif granularity == "type":
        # One LayerType section per type of layer the model has, with its layers' slots.
        with _tempfile.TemporaryDirectory(prefix="firmnet_") as tmp:
            model, w = _model_file(path, weights, tmp)
            layer_types = {l[0]: l[2] for l in _firmnet.load(model, w, "", "").layers()}
        kinds = {}
        for name, section in hls.get("LayerName", {}).items():
            kind = layer_types.get(name)
            if kind is None:
                continue  # a layer the resolved graph fused away (batchnorm)
            entry = kinds.setdefault(kind, {})
            for key, value in section.items():
                if isinstance(value, dict):
                    entry.setdefault(key, {}).update(value)
                else:
                    entry.setdefault(key, value)
        out["LayerType"] = kinds
    return out


def _config_text(config):
    """(path, text) for the core from a dict, a YAML path or None."""
    if config is None:
        return "", ""
    if isinstance(config, dict):
        # YAML reads JSON; numpy scalars (np.int64(2)) become plain numbers.
        return "", _json.dumps(config, default=lambda o: o.item() if hasattr(o, "item") else o)
    if isinstance(config, (str, _os.PathLike)):
        return _os.fspath(config), ""
    raise Error("config: expected a dict, a YAML file path or None, got " + type(config).__name__)


def _as_list(core, x):
    """Arrays for the model's inputs, in its order, from one array, a list or a dict."""
    names = [i[0] for i in core.inputs()]
    if isinstance(x, dict):
        unknown = sorted(set(x) - set(names))
        if unknown:
            raise Error(
                "unknown input(s) %s; the model's inputs are %s" % (unknown, ", ".join(names))
            )
        missing = [n for n in names if n not in x]
        if missing:
            raise Error("missing input(s) %s; the model's inputs are %s" % (missing, ", ".join(names)))
        return [x[n] for n in names]
    if isinstance(x, (list, tuple)):
        return list(x)
    return [x]


def _unwrap(outputs):
    return outputs[0] if len(outputs) == 1 else outputs


class Model:
    """A converted model: the resolved graph (shapes, precisions, settings) and its emulators.

    Obtain one with firmnet.convert or firmnet.from_torch. Thread-safe: predict may be called
    from several Python threads at once.
    """

    def __init__(self, *args, **kwargs):
        raise TypeError("use firmnet.convert(...) or firmnet.from_torch(...) to make a Model")

    @classmethod
    def _load(cls, path_or_bytes, weights, config, tmp):
        model, w = _model_file(path_or_bytes, weights, tmp)
        cpath, ctext = _config_text(config)
        self = object.__new__(cls)
        self._core = _firmnet.load(model, w, cpath, ctext)
        self._source = (path_or_bytes, weights, _copy.deepcopy(config))
        return self

    def _with_config(self, **overrides):
        """The same model converted again with top-level config keys replaced."""
        path, weights, config = self._source
        if config is None:
            config = {}
        elif not isinstance(config, dict):
            with open(config) as f:
                config = _yaml().safe_load(f) or {}
        config = dict(config)
        config.update(overrides)
        return convert(path, weights=weights, config=config)

    # Inputs and outputs ---------------------------------------------------------------------

    @property
    def inputs(self):
        """[(name, shape, result type)] of the model's inputs, in order."""
        return [(n, tuple(s), t) for n, s, t in self._core.inputs()]

    @property
    def outputs(self):
        """[(name, shape, result type)] of the model's outputs, in order."""
        return [(n, tuple(s), t) for n, s, t in self._core.outputs()]

    @property
    def layers(self):
        """[(name, kind, LayerType, shape, result type)] of every layer, in graph order."""
        return [(n, k, t, tuple(s), p) for n, k, t, s, p in self._core.layers()]

    @property
    def project_name(self):
        return self._core.project_name()

    @property
    def io_type(self):
        return self._core.io_type()

    @property
    def config(self):
        """The resolved config: every layer's precisions and settings, as a dict."""
        return _yaml().safe_load(self._core.resolved_config())

    # The emulator -------------------------------------------------------------------------------

    def predict(self, x, threads=None):
        """The bit-exact outputs (what the firmware computes), as float64 arrays.

        x: one array (one-input models), or a list/dict of arrays, float32 or float64, C- or
        Fortran-ordered, of shape [N, *input shape] or [N, size], or one sample [*input shape].
        Returns one array [N, *output shape] (a list for several outputs). The rows are split
        over `threads` threads (default: every core); the GIL is released meanwhile.
        """
        return _unwrap(self._core.predict(_as_list(self._core, x), False, threads or 0))

    def predict_float(self, x, threads=None):
        """The float64 reference outputs on the same graph (float weights, exact functions)."""
        return _unwrap(self._core.predict(_as_list(self._core, x), True, threads or 0))

    def trace(self, x, float_reference=False):
        """Every layer's output: {layer name: array [N, *layer shape]}."""
        return self._core.trace(_as_list(self._core, x), bool(float_reference))

    def compare(self, x):
        """Agreement of the bit-exact outputs with the float reference, per output (max and mean
        absolute difference, argmax agreement), and every layer's overflow counts (wraps and
        saturations), as `firmnet compare --json` reports them."""
        return _json.loads(self._core.compare_json(_as_list(self._core, x)))

    # Backends ---------------------------------------------------------------------------------

    def write_hls(self, output_dir, io_type=None, project_name=None, force=True, tb_samples=0,
                  hls_port=None):
        """Writes the HLS C++ project (Vitis/Vivado) to output_dir; returns a dict. io_type
        ("io_parallel" or "io_stream") converts again with that IOType when it differs."""
        m = self
        if io_type is not None and io_type != self.io_type:
            m = self._with_config(IOType=io_type)
        return m._core.write_hls(_os.fspath(output_dir), project_name or "", bool(force),
                                 int(tb_samples), hls_port or "")

    def csim(self, output_dir, x=None, hls_include=None):
        """C-simulates the HLS project in output_dir with g++ and firmnet's ap_fixed headers.

        With x: runs those samples and returns the outputs (as predict does). Without: runs the
        project's testbench against the emulator's expected outputs and returns a dict with
        samples, passed and failed.
        """
        arrays = None if x is None else _as_list(self._core, x)
        r = self._core.csim(_os.fspath(output_dir), arrays, hls_include or "")
        if x is None:
            return r
        return _unwrap(r["outputs"])

    def write_verilog(self, output_dir, project_name=None, force=True):
        """Writes the Verilog project (one pipelined module per model) to output_dir; returns a
        dict with the top module, latency and II in cycles and port widths."""
        return self._core.write_verilog(_os.fspath(output_dir), project_name or "", bool(force))

    def sim(self, output_dir, x, simulator="verilator"):
        """Simulates the Verilog project with Verilator (or Icarus) on x and compares every
        output with the emulator; returns a dict (passed, failed, latency and II measured,
        outputs)."""
        return self._core.sim(_os.fspath(output_dir), _as_list(self._core, x), simulator)

    def synth(self, output_dir, part=None, top=None, timeout=0):
        """Synthesizes the Verilog project with Yosys (synth_xilinx for the part's family);
        returns the report (LUT, FF, DSP, BRAM, CARRY counts, timing estimate) as a dict."""
        return _json.loads(_firmnet.synth(_os.fspath(output_dir), part or "", top or "",
                                          float(timeout)))

    # Display ----------------------------------------------------------------------------------

    def summary(self):
        """A table of the layers: name, kind, shape, result type."""
        return self._core.summary()

    def __repr__(self):
        ins = ", ".join("%s %s" % (n, list(s)) for n, s, _ in self.inputs)
        outs = ", ".join("%s %s" % (n, list(s)) for n, s, _ in self.outputs)
        return "<firmnet.Model '%s': %d layers, inputs %s, outputs %s, %s>" % (
            self.project_name, len(self._core.layers()), ins, outs, self.io_type)


def convert(path_or_bytes, weights=None, config=None):
    """Imports a model and applies a config: a firmnet.Model.

    path_or_bytes: .onnx, Keras .json (with weights=.h5) or full .h5, firmnet .fnir; or the
    bytes of an ONNX model, or an onnx.ModelProto. config: a dict (as config_from_model gives),
    the path of a YAML config, or None for the defaults.
    """
    with _tempfile.TemporaryDirectory(prefix="firmnet_") as tmp:
        return Model._load(path_or_bytes, weights, config, tmp)


def from_torch(module, example_input, config=None, input_names=None, output_names=None,
               opset_version=13):
    """Exports a torch.nn.Module to ONNX in memory (torch.onnx.export) and converts it."""
    import io

    import torch

    buf = io.BytesIO()
    module = module.eval()
    with torch.no_grad():
        torch.onnx.export(module, example_input, buf, input_names=input_names,
                          output_names=output_names, opset_version=opset_version)
    return convert(buf.getvalue(), config=config)
