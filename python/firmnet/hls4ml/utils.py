"""hls4ml.utils.config_from_*_model on firmnet."""

import os
import tempfile

import firmnet

from ._source import model_source

_BUILTIN_PRECISION = "ap_fixed<16,6>"


def _retype(tree, old, new):
    """Every precision equal to `old` in a config tree becomes `new`."""
    if isinstance(tree, dict):
        return {k: _retype(v, old, new) for k, v in tree.items()}
    return new if tree == old else tree


def _config(model, weights, granularity, default_precision, default_reuse_factor):
    with tempfile.TemporaryDirectory(prefix="firmnet_") as tmp:
        path, w = model_source(model, weights, tmp)
        config = firmnet.config_from_model(path, weights=w, granularity=granularity)
    # hls4ml's config is the HLSConfig part: the project-wide keys are convert_* arguments.
    hls = {k: v for k, v in config.items() if k in ("Model", "LayerType", "LayerName")}
    if default_precision is not None:
        hls = _retype(hls, config["Model"].get("Precision", _BUILTIN_PRECISION), default_precision)
    if default_reuse_factor is not None:
        hls["Model"]["ReuseFactor"] = int(default_reuse_factor)
        for section in hls.get("LayerName", {}).values():
            if "ReuseFactor" in section:
                section["ReuseFactor"] = int(default_reuse_factor)
    return hls


def config_from_onnx_model(model, granularity="name", backend=None,
                           default_precision="fixed<16,6>", default_reuse_factor=1, **kwargs):
    """The hls_config dict for an ONNX model (a path or an onnx.ModelProto)."""
    return _config(model, None, granularity, default_precision, default_reuse_factor)


def config_from_keras_model(model, granularity="model", backend=None,
                            default_precision="fixed<16,6>", default_reuse_factor=1, **kwargs):
    """The hls_config dict for a Keras model: a full .h5 path, a .json path (weights from
    `weights=` or the .h5 beside it named <stem>_weights.h5), a (json, h5) pair, or a Keras
    model object when TensorFlow is importable."""
    return _config(model, kwargs.get("weights"), granularity, default_precision,
                   default_reuse_factor)


def config_from_pytorch_model(model, input_shape, granularity="model", backend=None,
                              default_precision="fixed<16,6>", default_reuse_factor=1, **kwargs):
    """The hls_config dict for a torch.nn.Module (exported to ONNX in memory)."""
    from ._source import torch_onnx_bytes

    return _config(torch_onnx_bytes(model, input_shape), None, granularity, default_precision,
                   default_reuse_factor)
