"""hls4ml's Python API on firmnet: an existing hls4ml script runs with one changed import,

    import firmnet.hls4ml as hls4ml

where the model comes from a file (a path to .onnx, a Keras .h5 or .json with its weights) or is
an onnx.ModelProto. The functions take hls4ml's names and arguments (hls_config, output_dir,
project_name, io_type, backend, part, clock_period) and return an object with compile(),
predict(), trace(), write() and build(). predict gives firmnet's bit-exact emulation, which the
tests prove equal to the generated HLS project's C-simulation.
"""

from . import converters, utils
from .converters import (convert_from_keras_model, convert_from_onnx_model,
                         convert_from_pytorch_model)
from .model import ModelGraph
from .utils import config_from_keras_model, config_from_onnx_model, config_from_pytorch_model

__all__ = [
    "converters", "utils", "ModelGraph", "config_from_keras_model", "config_from_onnx_model",
    "config_from_pytorch_model", "convert_from_keras_model", "convert_from_onnx_model",
    "convert_from_pytorch_model",
]
