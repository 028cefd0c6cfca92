"""The model arguments hls4ml takes, as paths firmnet's importers read."""

import io
import os

import firmnet


def model_source(model, weights, tmp):
    """(path or bytes, weights path or None) for firmnet.convert."""
    if isinstance(model, (str, os.PathLike)):
        path = os.fspath(model)
        if weights is None and path.endswith(".json"):
            guess = path[: -len(".json")] + "_weights.h5"
            if os.path.exists(guess):
                weights = guess
        return path, weights
    if isinstance(model, tuple) and len(model) == 2:
        return os.fspath(model[0]), os.fspath(model[1])
    if isinstance(model, (bytes, bytearray)) or hasattr(model, "SerializeToString"):
        return model, None
    if hasattr(model, "to_json") and hasattr(model, "save_weights"):  # a Keras model object
        json_path = os.path.join(tmp, "model.json")
        h5_path = os.path.join(tmp, "model_weights.h5")
        with open(json_path, "w") as f:
            f.write(model.to_json())
        model.save_weights(h5_path)
        return json_path, h5_path
    raise firmnet.Error(
        "model: expected a file path, a (json, h5) pair, an onnx.ModelProto or a Keras model, "
        "got " + type(model).__name__)


def torch_onnx_bytes(module, input_shape):
    """A torch module exported to ONNX in memory, for an input of input_shape (batch first; a
    leading None is taken as a batch of 1)."""
    import torch

    shape = [1 if d is None else int(d) for d in input_shape]
    buf = io.BytesIO()
    with torch.no_grad():
        torch.onnx.export(module.eval(), torch.zeros(shape), buf, opset_version=13)
    return buf.getvalue()
