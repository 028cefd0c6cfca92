"""hls4ml.utils.config_from_*_model on firmnet."""

import tempfile

import firmnet

from ._source import model_source

# The slots hls4ml's config_from_* write as 'auto' (type attributes without a default), and the
# slot firmnet's softmax shares with the backend's softmax accumulator.
_AUTO_SLOTS = ("result", "weight", "bias", "scale", "depthwise", "pointwise")
_SOFTMAX_ACCUM = "ap_fixed<18,8,AP_RND,AP_SAT>"


# firmnet's default type of every data slot (the default config lists it where no quantizer
# fixed the slot's type).
_BUILTIN_DEFAULT = "ap_fixed<16,6>"


def _section(section, reuse_factor, with_backend):
    """One LayerName/LayerType section as hls4ml writes it: 'auto' for results, weights and
    biases (the quantizer's type where the model fixes one); with a backend also the accumulators ('auto', or the softmax's fixed default) and the
    table types (hls4ml's defaults, which firmnet's are); ReuseFactor where the layer has one."""
    precision = section.get("Precision", {})
    out = {}
    p = {}
    for slot, value in precision.items():
        if slot in _AUTO_SLOTS and value != _BUILTIN_DEFAULT:
            p[slot] = value  # a type the model's quantizer fixes, as hls4ml writes it
        elif slot in _AUTO_SLOTS:
            p[slot] = "auto"
        elif not with_backend:
            continue  # backend attributes: hls4ml lists them only when given a backend
        elif slot == "accum":
            p[slot] = _SOFTMAX_ACCUM if "exp_table" in precision else "auto"
        else:
            p[slot] = value
    out["Precision"] = p
    if "ReuseFactor" in section:
        out["ReuseFactor"] = int(reuse_factor)
    return out


def _config(model, weights, granularity, backend, default_precision, default_reuse_factor,
            max_precision=None):
    """The dict hls4ml's config_from_*_model returns (hls4ml 1.x): the Model section with
    Precision {default[, maximum]}, ReuseFactor, Strategy, BramFactor, TraceOutput; with
    granularity 'type' or 'name' one section per layer type or layer."""
    if str(granularity).lower() not in ("model", "type", "name"):
        raise firmnet.Error("granularity: expected 'model', 'type' or 'name', got '%s'" % granularity)
    with tempfile.TemporaryDirectory(prefix="firmnet_") as tmp:
        path, w = model_source(model, weights, tmp)
        full = firmnet.config_from_model(path, weights=w, granularity=str(granularity).lower())
    precision = {"default": default_precision}
    if max_precision is not None:
        precision["maximum"] = max_precision
    config = {"Model": {"Precision": precision, "ReuseFactor": int(default_reuse_factor),
                        "Strategy": "Latency", "BramFactor": 1000000000, "TraceOutput": False}}
    with_backend = backend is not None
    for key in ("LayerType", "LayerName"):
        if key in full:
            config[key] = {name: _section(sec, default_reuse_factor, with_backend)
                           for name, sec in full[key].items()}
    return config


def config_from_onnx_model(model, granularity="name", backend=None,
                           default_precision="fixed<16,6>", default_reuse_factor=1,
                           max_precision=None, **kwargs):
    """The hls_config dict for an ONNX model (a path or an onnx.ModelProto)."""
    return _config(model, None, granularity, backend, default_precision, default_reuse_factor,
                   max_precision)


def config_from_keras_model(model, granularity="model", backend=None,
                            default_precision="fixed<16,6>", default_reuse_factor=1,
                            max_precision=None, **kwargs):
    """The hls_config dict for a Keras model: a full .h5 path, a .json path (weights from
    `weights=` or the .h5 beside it named <stem>_weights.h5), a (json, h5) pair, or a Keras
    model object when TensorFlow is importable."""
    return _config(model, kwargs.get("weights"), granularity, backend, default_precision,
                   default_reuse_factor, max_precision)


def config_from_pytorch_model(model, input_shape, granularity="model", backend=None,
                              default_precision="ap_fixed<16,6>", default_reuse_factor=1,
                              max_precision=None, **kwargs):
    """The hls_config dict for a torch.nn.Module (exported to ONNX in memory)."""
    from ._source import torch_onnx_bytes

    return _config(torch_onnx_bytes(model, input_shape), None, granularity, backend,
                   default_precision, default_reuse_factor, max_precision)
